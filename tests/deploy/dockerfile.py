"""The Dockerfile's instructions, read as the tests need them (no Docker on this machine)."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"


@dataclass(frozen=True)
class Instruction:
    stage: int  # 0: the build stage, 1: the image
    keyword: str
    arguments: str


def instructions(path: Path = DOCKERFILE) -> list[Instruction]:
    joined = path.read_text("utf-8").replace("\\\n", " ")  # continuation lines
    found: list[Instruction] = []
    stage = -1
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, arguments = line.partition(" ")
        if keyword == "FROM":
            stage += 1
        found.append(Instruction(stage, keyword, " ".join(arguments.split())))
    return found


def build_copies() -> list[str]:
    """What the build stage copies from the checkout (the wheel's sources), in order."""
    copied: list[str] = []
    for item in instructions():
        if item.stage == 0 and item.keyword == "COPY":
            *sources, _destination = shlex.split(item.arguments)
            copied += sources
    return copied


def build_run() -> list[str]:
    """The build stage's one RUN line, as argv."""
    (run,) = [i for i in instructions() if i.stage == 0 and i.keyword == "RUN"]
    return shlex.split(run.arguments)


def exec_form(keyword: str) -> list[str]:
    (found,) = [i for i in instructions() if i.stage == 1 and i.keyword == keyword]
    value: list[str] = json.loads(found.arguments)
    return value
