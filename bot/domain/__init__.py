"""Pure business rules: no I/O, no aiogram, no SQLAlchemy."""
