"""Ways to reach a customer outside Telegram (Viber, SMS), each gateway behind :mod:`.base`."""
