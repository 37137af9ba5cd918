"""How this process was started: the name to print and where its ``.env`` is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Invocation:
    prog: str  # in usage lines
    command: str  # what a person types to run it again, in hints
    env_file: Path  # read after the environment (the environment wins)


def console(cwd: Path | None = None) -> Invocation:
    """The installed ``vykup`` command reads ``.env`` in the working directory."""
    return Invocation("vykup", "vykup", (cwd or Path.cwd()) / ".env")


def checkout(run_bot: Path) -> Invocation:
    """``python run_bot.py`` reads ``.env`` beside run_bot.py, whatever the working directory."""
    return Invocation("run_bot.py", ".venv/bin/python run_bot.py", run_bot.parent / ".env")
