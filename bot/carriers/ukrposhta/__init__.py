"""Ukrposhta: the StatusTracking client, its event-code table, its parser and its storage rule."""
