"""KeyCRM's REST API as Vykup calls it: Bearer auth, JSON, errors as :class:`PlatformRejected`.

Facts (``refdata/crm/keycrm-api-facts.json``): base ``https://openapi.keycrm.app/v1``,
``Authorization: Bearer <API key>``, 60 requests a minute, lists paginated as
``{total, current_page, per_page, data, first_page_url, last_page_url, next_page_url}`` with
``limit`` at most 50, errors as ``{"message": "…"}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import urlsplit

import aiohttp

from bot.connectors.base import PlatformRejected
from bot.domain.retry_after import parse_retry_after

TIMEOUT: Final = aiohttp.ClientTimeout(total=10)
PAGE_LIMIT: Final = 50  # KeyCRM's maximum ``limit``
# A list longer than this many pages is not an account's statuses or methods: stop reading.
MAX_PAGES: Final = 20
MESSAGE_LENGTH: Final = 200  # of an error body quoted in a message


class KeyCrmClient:
    """One account's API, for the length of one call of the adapter (nothing is kept)."""

    def __init__(self, http: aiohttp.ClientSession, api_url: str, api_key: str) -> None:
        self._http = http
        self._base = api_url.rstrip("/")
        self._headers = {
            "Authorization": f"Bearer {api_key}",
            "Accept": "application/json",
        }

    @property
    def address(self) -> str:
        """The API's host, for messages (never the key)."""
        parts = urlsplit(self._base)
        return parts.netloc or self._base

    async def get(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        return await self._call("GET", path, params=params)

    async def put(self, path: str, body: Mapping[str, Any]) -> Any:
        return await self._call("PUT", path, body=body)

    async def post(self, path: str, body: Mapping[str, Any] | None = None) -> Any:
        return await self._call("POST", path, body=body or {})

    async def list_all(self, path: str) -> list[dict[str, Any]]:
        """Every row of a paginated list (``data`` of each page, following ``next_page_url``
        by page number, at most :data:`MAX_PAGES` pages)."""
        rows: list[dict[str, Any]] = []
        for page in range(1, MAX_PAGES + 1):
            answer = await self.get(path, {"limit": str(PAGE_LIMIT), "page": str(page)})
            data = answer.get("data") if isinstance(answer, dict) else None
            if not isinstance(data, list):
                raise PlatformRejected(502, f"KeyCRM's {path} list has no 'data' array")
            rows.extend(row for row in data if isinstance(row, dict))
            if not answer.get("next_page_url") or not data:
                break
        return rows

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> Any:
        url = f"{self._base}/{path.lstrip('/')}"
        try:
            async with self._http.request(
                method, url, params=params, json=body, headers=self._headers, timeout=TIMEOUT
            ) as response:
                text = await response.text()
                if response.status >= 400:
                    raise _rejection(response.status, text, response.headers)
        except TimeoutError:
            raise PlatformRejected(0, f"KeyCRM at {self.address} did not answer in 10 s") from None
        except aiohttp.ClientError as exc:
            raise PlatformRejected(
                0, f"KeyCRM at {self.address} cannot be reached ({type(exc).__name__})"
            ) from None
        if not text.strip():
            return None
        try:
            return json.loads(text)
        except ValueError:
            raise PlatformRejected(502, f"KeyCRM answered {method} {path} with no JSON") from None


def _rejection(status: int, text: str, headers: Mapping[str, str]) -> PlatformRejected:
    retry_after = parse_retry_after(headers.get("Retry-After"), datetime.now(UTC))
    return PlatformRejected(status, error_message(text), retry_after)


def error_message(text: str) -> str:
    """KeyCRM's ``{"message": "…"}``, else the start of the body."""
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    message = body.get("message") if isinstance(body, dict) else None
    if isinstance(message, str) and message:
        return message[:MESSAGE_LENGTH]
    return " ".join(text.split())[:MESSAGE_LENGTH] or "no message"
