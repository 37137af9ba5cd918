"""Nova Poshta: the TrackingDocument.getStatusDocuments client, its status table and its parser."""
