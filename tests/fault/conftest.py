"""Fault tests reuse the end-to-end world (the real application against the Telegram stand-in)."""

from tests.e2e.conftest import extra_settings, standin_options, world

__all__ = ["extra_settings", "standin_options", "world"]
