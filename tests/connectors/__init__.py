"""Connector tests."""
