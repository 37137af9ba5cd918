"""The gettext catalogs (``<lang>/LC_MESSAGES/messages.po``), shipped as package data.

A package only so that an installed Vykup finds them with :mod:`importlib.resources`, wherever it
is installed and whatever the working directory (see ``bot/i18n.py``).
"""
