"""Tracking messages a shop can rewrite per customer category and language (``TEMPLATES_FILE``)."""

from __future__ import annotations

from bot.templates.errors import TemplateError, TemplateProblem
from bot.templates.keys import PLACEHOLDERS, Address, TemplateKey
from bot.templates.loader import load_templates
from bot.templates.registry import Templates

__all__ = [
    "PLACEHOLDERS",
    "Address",
    "TemplateError",
    "TemplateKey",
    "TemplateProblem",
    "Templates",
    "load_templates",
]
