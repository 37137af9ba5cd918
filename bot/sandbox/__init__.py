"""The sandbox: the real bot against the built-in Telegram stand-in, driven from a web page.

``python run_bot.py sandbox`` starts it (see :mod:`bot.sandbox.cli`). Nothing here is used when the
bot runs for real.
"""
