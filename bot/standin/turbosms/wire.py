"""How a request reaches the TurboSMS API and how it answers: the token, the data, the envelope."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from bot.standin.turbosms.codes import status_name


@dataclass(frozen=True)
class Incoming:
    token: str | None
    auth: str | None  # how the token came: "bearer", "basic", "get", "post" or None
    body: Any
    error: int | None  # the code a body the API cannot read is refused with


def read_request(request: web.Request, raw: bytes) -> Incoming:
    """The facts' four ways of passing the token and three of passing data (one way per
    request: data both in the query and in the body is 300 INVALID_REQUEST)."""
    header = request.headers.get("Authorization", "")
    token: str | None = None
    auth: str | None = None
    scheme, _, value = header.partition(" ")
    if scheme in ("Bearer", "Basic") and value:
        token, auth = value.strip(), scheme.lower()
    query = dict(request.query)
    if token is None and "token" in query:
        token, auth = query["token"], "get"
    query.pop("token", None)
    content_type = request.content_type
    body: Any = None
    error: int | None = None
    if content_type == "application/x-www-form-urlencoded":
        form = dict(parse_qsl(raw.decode("utf-8", "replace")))
        if token is None and "token" in form:
            token, auth = form["token"], "post"
        form.pop("token", None)
        body = form
    elif raw:
        try:
            body = json.loads(raw) if content_type == "application/json" else None
        except ValueError:
            error = 502
        if body is None and error is None:
            error = 502  # a body in no form the API reads
    if query and body:
        error = 300  # data in two ways at once
    elif query and not body:
        body = query
    return Incoming(token, auth, body, error)


def envelope(code: int, result: Any) -> web.Response:
    """HTTP 200 with ``{response_code, response_status, response_result}``."""
    payload = {
        "response_code": code,
        "response_status": status_name(code),
        "response_result": result,
    }
    return web.json_response(payload, dumps=lambda v: json.dumps(v, default=float))
