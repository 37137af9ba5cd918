"""Calls to Shopify's GraphQL Admin API: ``POST <api_url>/admin/api/<version>/graphql.json`` with
``X-Shopify-Access-Token`` (refdata ``admin_api_auth``). Every failure becomes
:class:`PlatformRejected`.

GraphQL answers its errors with HTTP 200, so the body decides:

- ``errors`` with ``extensions.code`` THROTTLED: the cost bucket is empty → 429, waiting as long
  as the bucket takes to refill the query's cost. The shape (``extensions.cost.requestedQueryCost``
  and ``throttleStatus {maximumAvailable, currentlyAvailable, restoreRate}``) follows
  shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits and the throttled answer quoted in
  community.shopify.com/t/throttled/254776.
- ACCESS_DENIED (a scope the token lacks; shopify.dev/changelog/new-error-messages-for-graphql-
  operations-without-necessary-access-scopes) → 403: the owner has to grant it.
- any other top-level error → 400; a mutation's ``userErrors`` → 422 (:func:`user_errors`).

A bad token is refused before GraphQL with HTTP 401 and
``{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import aiohttp

from bot.connectors.base import ConnectionInfo, PlatformRejected
from bot.domain.retry_after import parse_retry_after

DEFAULT_API_VERSION: Final = "2026-07"
TIMEOUT: Final = aiohttp.ClientTimeout(total=10)
TOKEN_HEADER: Final = "X-Shopify-Access-Token"
# When a throttled answer carries no cost figures: a Standard plan refills 100 points a second,
# so a couple of seconds covers any query this connector makes.
THROTTLE_FALLBACK: Final = timedelta(seconds=2)
MAX_MESSAGE: Final = 300
MAX_ANSWER: Final = 4 * 1024 * 1024


def api_version(connection: ConnectionInfo) -> str:
    return connection.options.get("api_version") or DEFAULT_API_VERSION


def endpoint(connection: ConnectionInfo) -> str:
    return f"{connection.api_url.rstrip('/')}/admin/api/{api_version(connection)}/graphql.json"


def order_gid(remote_id: str) -> str:
    """GraphQL addresses an order by its global id (refdata ``order_fields_relevant_to_cod``)."""
    return f"gid://shopify/Order/{remote_id}"


def one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_MESSAGE else flat[: MAX_MESSAGE - 1] + "…"


def _error_text(body: str) -> str:
    """``{"errors": "..."}`` (REST-style), ``{"errors": [{"message": ...}]}`` or raw text."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return one_line(body) or "no details"
    errors = parsed.get("errors") if isinstance(parsed, dict) else None
    if isinstance(errors, str):
        return one_line(errors)
    if isinstance(errors, list):
        return one_line("; ".join(_message(e) for e in errors))
    if isinstance(errors, dict):
        return one_line(json.dumps(errors, ensure_ascii=False))
    return one_line(body)


def _message(error: Any) -> str:
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return str(error["message"])
    return str(error)


def _code(error: Any) -> str | None:
    extensions = error.get("extensions") if isinstance(error, dict) else None
    code = extensions.get("code") if isinstance(extensions, dict) else None
    return code if isinstance(code, str) else None


def throttle_wait(body: Mapping[str, Any]) -> timedelta:
    """How long until the bucket holds the query's cost again."""
    try:
        cost = body["extensions"]["cost"]
        needed = float(cost["requestedQueryCost"])
        status = cost["throttleStatus"]
        available = float(status["currentlyAvailable"])
        rate = float(status["restoreRate"])
    except (KeyError, TypeError, ValueError):
        return THROTTLE_FALLBACK
    if not (rate > 0 and math.isfinite(needed) and math.isfinite(available)):
        return THROTTLE_FALLBACK
    seconds = max(1, math.ceil((needed - available) / rate))
    return timedelta(seconds=min(seconds, 60))


def _graphql_errors(body: Mapping[str, Any], errors: list[Any]) -> PlatformRejected:
    codes = {_code(e) for e in errors}
    text = one_line("; ".join(_message(e) for e in errors)) or "GraphQL error"
    if "THROTTLED" in codes:
        return PlatformRejected(429, text, retry_after=throttle_wait(body))
    if "ACCESS_DENIED" in codes:
        return PlatformRejected(403, text)
    if "INTERNAL_SERVER_ERROR" in codes:
        return PlatformRejected(500, text)
    return PlatformRejected(400, text)


async def graphql(
    http: aiohttp.ClientSession,
    connection: ConnectionInfo,
    query: str,
    variables: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Run one query or mutation; return its ``data``."""
    url = endpoint(connection)
    payload: dict[str, Any] = {"query": query}
    if variables is not None:
        payload["variables"] = dict(variables)
    headers = {
        TOKEN_HEADER: connection.credentials.get("token", ""),
        "Accept": "application/json",
    }
    try:
        async with http.post(url, json=payload, headers=headers, timeout=TIMEOUT) as response:
            status = response.status
            retry_after = response.headers.get("Retry-After")
            raw = await response.content.read(MAX_ANSWER + 1)
    except TimeoutError:
        raise PlatformRejected(0, f"Shopify did not answer within 10 s ({url})") from None
    except aiohttp.ClientError as exc:
        raise PlatformRejected(0, f"cannot reach Shopify at {url}: {one_line(str(exc))}") from None
    text = raw.decode("utf-8", "replace")
    if status != 200:
        wait = parse_retry_after(retry_after, datetime.now(UTC))
        raise PlatformRejected(status, _error_text(text), retry_after=wait)
    if len(raw) > MAX_ANSWER:
        raise PlatformRejected(502, "Shopify's answer is too large")
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        raise PlatformRejected(502, f"Shopify's answer is not JSON: {one_line(text)}") from None
    if not isinstance(body, dict):
        raise PlatformRejected(502, "Shopify's answer is not a JSON object")
    errors = body.get("errors")
    if errors:
        raise _graphql_errors(body, errors if isinstance(errors, list) else [errors])
    data = body.get("data")
    if not isinstance(data, dict):
        raise PlatformRejected(502, "Shopify's answer has no data")
    return data


def user_errors(payload: Any, key: str = "userErrors") -> None:
    """Raise 422 with the messages of a mutation payload's user errors, if it has any."""
    if not isinstance(payload, dict):
        raise PlatformRejected(502, "Shopify's answer lacks the mutation's result")
    errors = payload.get(key) or []
    if errors:
        raise PlatformRejected(422, one_line("; ".join(_message(e) for e in errors)))
