"""JSON out: UTF-8 as is (Cyrillic stays readable), one content type everywhere."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def json_response(
    data: Mapping[str, Any], *, status: int = 200, headers: Mapping[str, str] | None = None
) -> web.Response:
    return web.json_response(dict(data), status=status, headers=headers, dumps=dumps)
