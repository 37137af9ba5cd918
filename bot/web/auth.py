"""The shop proves itself with ``Authorization: Bearer <SHOP_API_TOKEN>``."""

from __future__ import annotations

import functools
import hmac

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.web.errors import unauthorized
from bot.web.keys import SHOP_API_TOKEN


def check_bearer(request: web.Request) -> None:
    """Raise 401 unless the request carries the configured token. No token configured: 401."""
    expected = request.app[SHOP_API_TOKEN]
    if not expected:
        raise unauthorized("The shop API token is not configured (SHOP_API_TOKEN); the API is off")
    header = request.headers.get("Authorization", "")
    scheme, _, presented = header.strip().partition(" ")
    if not header:
        raise unauthorized("Missing Authorization header; send 'Authorization: Bearer <token>'")
    if scheme.lower() != "bearer" or not presented.strip():
        raise unauthorized("Malformed Authorization header; send 'Authorization: Bearer <token>'")
    # Bytes: compare_digest refuses non-ASCII str, and a client may send anything (even
    # undecodable bytes, which aiohttp hands over as surrogates).
    given = presented.strip().encode("utf-8", "surrogatepass")
    if not hmac.compare_digest(given, expected.encode("utf-8", "surrogatepass")):
        raise unauthorized("Invalid API token")


def bearer_required(handler: Handler) -> Handler:
    """Wrap a handler so that it runs only for a caller with the right token."""

    @functools.wraps(handler)
    async def guarded(request: web.Request) -> web.StreamResponse:
        check_bearer(request)
        return await handler(request)

    return guarded
