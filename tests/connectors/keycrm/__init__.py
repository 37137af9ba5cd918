"""KeyCRM connector tests."""
