"""The WooCommerce REST API v3 (``<api_url>/wp-json/wc/v3/``) over aiohttp.

Authentication is HTTP Basic with the consumer key and secret, which WooCommerce takes over HTTPS
(``_authentication.md``); over plain HTTP it wants OAuth 1.0a, which Vykup does not speak, so a shop
must be on HTTPS (the test fake accepts Basic on http://127.0.0.1). Every error becomes
:class:`PlatformRejected`: the platform's ``{"code", "message", "data": {"status"}}`` in one line,
``Retry-After`` parsed; no answer within 10 s, or none at all, is status 0.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

import aiohttp

from bot.connectors.base import ConnectionInfo, PlatformRejected
from bot.domain.retry_after import parse_retry_after

REST_BASE: Final = "/wp-json/wc/v3/"
TIMEOUT: Final = aiohttp.ClientTimeout(total=10)
# An error page of a broken site can be large; a line of it is enough to say what is wrong.
MAX_ERROR_BYTES: Final = 64 * 1024
MAX_MESSAGE: Final = 300


def site_root(connection: ConnectionInfo) -> str:
    return connection.api_url.rstrip("/")


class WooCommerceApi:
    """One connection's calls; built per call of the adapter (it keeps nothing between them)."""

    def __init__(self, http: aiohttp.ClientSession, connection: ConnectionInfo) -> None:
        self._http = http
        self._root = site_root(connection)
        self._authorization = basic_authorization(
            connection.credentials.get("key", ""), connection.credentials.get("secret", "")
        )

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        authenticated: bool = True,
    ) -> tuple[Any, Mapping[str, str]]:
        """The JSON answer to ``method`` ``<root>/wp-json/wc/v3/<path>`` and its headers.

        ``path`` starting with ``/`` is taken from the site's root instead (``/wp-json/``).
        """
        url = self._root + (path if path.startswith("/") else REST_BASE + path)
        try:
            async with self._http.request(
                method,
                url,
                params=params,
                json=body,
                headers={"Authorization": self._authorization} if authenticated else None,
                timeout=TIMEOUT,
                allow_redirects=False,
            ) as response:
                if response.status >= 300:
                    raw = await response.content.read(MAX_ERROR_BYTES)
                    raise PlatformRejected(
                        response.status,
                        error_message(raw, response.reason),
                        parse_retry_after(response.headers.get("Retry-After"), datetime.now(UTC)),
                    )
                text = await response.text()
                headers = dict(response.headers)
        except TimeoutError:
            raise PlatformRejected(0, f"{url} did not answer within 10 s") from None
        except aiohttp.ClientError as error:
            raise PlatformRejected(
                0, f"{self._root} cannot be reached: {one_line(str(error))}"
            ) from None
        try:
            return json.loads(text), headers
        except ValueError:
            # A caching or security plugin answering with a page: the same call may work later.
            raise PlatformRejected(0, f"{url} answered with something that is not JSON") from None


def basic_authorization(key: str, secret: str) -> str:
    """HTTP Basic with the consumer key as the user and the consumer secret as the password."""
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode("ascii")


def error_message(raw: bytes, reason: str | None) -> str:
    """``code: message`` from WordPress's error shape, else the start of the body, else the reason."""
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        code = body.get("code")
        message = one_line(body["message"])
        return f"{code}: {message}" if isinstance(code, str) else message
    snippet = one_line(raw.decode("utf-8", "replace"))
    return snippet or (reason or "no reason given")


def one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_MESSAGE else flat[: MAX_MESSAGE - 1] + "…"
