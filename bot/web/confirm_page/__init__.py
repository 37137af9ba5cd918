"""The web confirmation page ``/c/<token>`` for customers outside Telegram (README, "The web
confirmation page"): plain HTML forms, no JavaScript, every text translated."""
