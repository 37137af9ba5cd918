"""The real Nova Poshta samples in ``shared/refdata/novaposhta`` (see its SOURCES.md)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

DEFAULT_DIR = Path(__file__).resolve().parents[3] / "shared" / "refdata" / "novaposhta"

STATUS3_AND_9 = "getStatusDocuments.status3-and-9.platx.json"
STATUS9_NO_PHONE = "getStatusDocuments.status9.no-phone.romabilka.json"
STATUS9_WITH_PHONE = "getStatusDocuments.status9.with-phone.romabilka.json"
ERROR = "getStatusDocuments.error.platx.json"
ERROR_INVALID_NUMBER = "getStatusDocuments.error-invalid-number.romabilka.json"
REQUEST = "getStatusDocuments.request.platx.json"
CODES = "tracking-status-codes-and-fields.json"
WAREHOUSES = "Address.getWarehouses.response.platx.json"
WAREHOUSES_REQUEST = "Address.getWarehouses.request.platx.json"
STATUS_SAMPLES = (STATUS3_AND_9, STATUS9_NO_PHONE, STATUS9_WITH_PHONE)


def _folder() -> Path:
    """``$VYKUP_REFDATA_DIR/novaposhta`` or the shared checkout next to this repository."""
    override = os.environ.get("VYKUP_REFDATA_DIR")
    return Path(override) / "novaposhta" if override else DEFAULT_DIR


def refdata_dir() -> Path:
    folder = _folder()
    if not folder.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"Nova Poshta reference data not found at {folder}")
        pytest.skip(f"Nova Poshta reference data not found at {folder}")
    return folder


def load(name: str) -> Any:
    """A fresh copy of one sample (tests may change it)."""
    return json.loads((refdata_dir() / name).read_text(encoding="utf-8"))


def documented_codes() -> list[str]:
    """Every StatusCode the NP table lists plus those seen in third-party code."""
    path = _folder() / CODES
    if not path.is_file():  # collected at import time: report through the test, not here
        return []
    table = json.loads(path.read_text(encoding="utf-8"))
    rows = table["status_codes"] + table["also_seen_in_third_party_code_not_in_table"]
    return [row["code"] for row in rows]
