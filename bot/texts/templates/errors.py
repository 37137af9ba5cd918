"""A templates file the bot refuses, with every problem found in it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TemplateProblem:
    """``where`` is the key path (``arrived.vip.uk``), None for the file as a whole."""

    where: str | None
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}" if self.where else self.problem


class TemplateError(Exception):
    """The templates file cannot be used; ``str()`` is one line naming the file, keys, problems."""

    def __init__(self, path: Path, problems: list[TemplateProblem]) -> None:
        self.path = path
        self.problems = tuple(problems)
        listed = "; ".join(str(problem) for problem in self.problems)
        message = f"{path}: {listed}"
        super().__init__(" ".join(message.splitlines()))
