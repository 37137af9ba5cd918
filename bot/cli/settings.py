"""Reading the settings once, with one line on stderr and exit code 2 when one is wrong."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from bot.config import StorageSettings, describe_error

EXIT_CONFIG = 2
AnySettings = TypeVar("AnySettings", bound=StorageSettings)


def load_settings(kind: type[AnySettings], env_file: Path, command: str) -> AnySettings:
    """``migrate``, ``import`` and ``webhooks`` read only StorageSettings: no bot token."""
    try:
        return kind(_env_file=env_file)  # type: ignore[call-arg]
    except ValidationError as error:
        print(f"vykup: {describe_error(error, env_file)}", file=sys.stderr)
        if any(item["loc"] == ("bot_token",) for item in error.errors()):
            print(
                f"vykup: no bot token? Try every flow in a browser first: {command} sandbox",
                file=sys.stderr,
            )
        raise SystemExit(EXIT_CONFIG) from None
