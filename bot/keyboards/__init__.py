"""Pure functions that build reply markup."""
