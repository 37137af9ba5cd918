"""Buttons of returns: ``flow`` the customer's request step by step, ``desk`` the return's card
in the managers' chat. Their CallbackData live in ``bot/keyboards/callbacks.py``."""
