"""The customers' web pages at the sandbox's own address: ``/p/<code>`` and ``/t/<code>`` (the
short links of Viber and SMS) and the confirmation page ``/c/<token>`` with its forms.

The real bot serves them (PUBLIC_URL is the sandbox's address, so that is where its links lead);
the sandbox passes each request on to it as it came and its answer back as it was, redirects
included, so the page a customer opens from the phone panel is the real one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import aiohttp
from aiohttp import web

MAX_FORM: Final = 64 * 1024  # the page's forms: a reason, a comment, a change request
ASKED_WITH: Final = ("Content-Type", "Accept", "Accept-Language", "User-Agent")
ANSWERED_WITH: Final = (
    "Content-Type",
    "Location",
    "Cache-Control",
    "X-Frame-Options",
    "Content-Security-Policy",
    "Retry-After",
)


def customer_pages(
    app_url: Callable[[], str | None], http: Callable[[], aiohttp.ClientSession]
) -> web.RouteTableDef:
    """``app_url``: where the real bot's web app is now (None while it restarts)."""
    routes = web.RouteTableDef()

    async def forward(request: web.Request) -> web.StreamResponse:
        base = app_url()
        if base is None:
            return web.Response(status=503, text="Vykup is restarting: reload in a moment.")
        body = await request.content.read(MAX_FORM + 1)
        if len(body) > MAX_FORM:
            raise web.HTTPRequestEntityTooLarge(MAX_FORM, len(body))
        headers = {name: request.headers[name] for name in ASKED_WITH if name in request.headers}
        async with http().request(
            request.method,
            base + request.rel_url.path_qs,
            data=body or None,
            headers=headers,
            allow_redirects=False,
        ) as answer:
            content = await answer.read()
            kept = {name: answer.headers[name] for name in ANSWERED_WITH if name in answer.headers}
            return web.Response(status=answer.status, body=content, headers=kept)

    routes.route("*", "/c/{token}")(forward)
    routes.route("*", "/c/{token}/{action}")(forward)
    routes.get("/p/{code}")(forward)
    routes.get("/t/{code}")(forward)
    return routes
