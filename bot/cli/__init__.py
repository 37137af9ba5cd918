"""The command line: ``vykup [run|migrate|import|sandbox|webhooks] …`` (``run_bot.py`` wraps it)."""

from __future__ import annotations

from bot.cli.main import main

__all__ = ["main"]
