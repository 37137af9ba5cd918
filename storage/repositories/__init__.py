"""Queries. Repositories flush when they must, and never commit: the unit of work does."""
