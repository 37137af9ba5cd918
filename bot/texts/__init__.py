"""What the bot says: HTML texts rendered in one language. Every string goes through gettext."""
