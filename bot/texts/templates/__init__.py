"""Tracking messages a shop can rewrite per customer category and language (``TEMPLATES_FILE``)."""

from __future__ import annotations

from bot.texts.templates.errors import TemplateError, TemplateProblem
from bot.texts.templates.keys import PLACEHOLDERS, Address, TemplateKey
from bot.texts.templates.loader import load_templates
from bot.texts.templates.registry import Templates

__all__ = [
    "PLACEHOLDERS",
    "Address",
    "TemplateError",
    "TemplateKey",
    "TemplateProblem",
    "Templates",
    "load_templates",
]
