"""Only the sandbox's own page may drive it: its address, its origin and its per-run token.

Any web page open in the same browser can send requests to ``127.0.0.1:8090`` (a ``text/plain``
POST needs no preflight), and a DNS-rebound name can even read the answers. So every request must
name the sandbox's own address in ``Host`` (and in ``Origin``, when the browser sends one), and
every state-changing one must carry the token embedded in the page this run served: another site
can neither read that token nor send a custom header without a preflight the sandbox never allows.
The customers' web pages (``/c/``, ``/p/``, ``/t/``) are the real bot's, opened in a tab of their
own: their forms carry no page token but their own CSRF field, tied to the order's signed link.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

TOKEN_HEADER = "X-Sandbox-Token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SIGNED_PATHS = frozenset({"/shop/webhook"})  # the bot's own webhooks, signed with HMAC instead
# The bot's web pages: their own CSRF fields instead. The page sends no referrer, so Chrome
# posts its forms with ``Origin: null``.
CUSTOMER_PAGES = ("/c/", "/p/", "/t/")


class Refused(Exception):
    """A request not from the sandbox's page: ``code`` names why (``foreign`` or ``token``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class PageGuard:
    """The page's address (known once the server is bound) and this run's token."""

    page_url: Callable[[], str]
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    def hosts(self) -> frozenset[str]:
        """``Host`` values naming this sandbox: its bound address and loopback aliases of it."""
        address = urlsplit(self.page_url())
        if not address.netloc or address.port is None:
            return frozenset()
        return frozenset({address.netloc} | {f"{n}:{address.port}" for n in LOOPBACK_NAMES})

    def check(self, request: web.Request) -> None:
        hosts = self.hosts()
        if request.host not in hosts:
            raise Refused("foreign")
        customer_page = request.path.startswith(CUSTOMER_PAGES)
        origins = {f"http://{host}" for host in hosts}
        if customer_page:
            origins.add("null")
        origin = request.headers.get("Origin")
        if origin is not None and origin not in origins:
            raise Refused("foreign")
        if request.method in SAFE_METHODS or request.path in SIGNED_PATHS or customer_page:
            return
        sent = request.headers.get(TOKEN_HEADER, "")
        if not hmac.compare_digest(sent.encode(), self.token.encode()):
            raise Refused("token")


def guard_middleware(guard: PageGuard) -> Middleware:
    @web.middleware
    async def only_the_page(request: web.Request, handler: Handler) -> web.StreamResponse:
        guard.check(request)
        return await handler(request)

    return only_the_page
