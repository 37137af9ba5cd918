"""The Ukrposhta facts and sample in ``shared/refdata/ukrposhta`` (see its SOURCES.md)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

DEFAULT_DIR = Path(__file__).resolve().parents[3] / "shared" / "refdata" / "ukrposhta"

FACTS = "status-tracking-api-facts.json"
SAMPLE = "statuses-with-not-found.response.romabilka.json"


def _folder() -> Path:
    override = os.environ.get("VYKUP_REFDATA_DIR")
    return Path(override) / "ukrposhta" if override else DEFAULT_DIR


def load(name: str) -> Any:
    """A fresh copy of one file (tests may change it); skipped (failed on CI) when missing."""
    path = _folder() / name
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"Ukrposhta reference data not found at {path}")
        pytest.skip(f"Ukrposhta reference data not found at {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def documented_codes() -> list[str]:
    """Every event code the facts list (named ones and X1's unnamed "in transit" ones)."""
    path = _folder() / FACTS
    if not path.is_file():  # collected at import time: report through the test, not here
        return []
    facts = json.loads(path.read_text(encoding="utf-8"))
    named = [row["code"] for row in facts["event_codes"]]
    return named + list(facts["other_codes_listed_as_in_transit_by_X1"])
