"""A strict local fake of one WooCommerce shop: the REST API v3 calls Vykup makes, and its webhooks.

Built from ``shared/refdata/shop-webhooks/woocommerce-webhooks-and-status-api.json`` (delivery
headers, signature, ping, statuses, auth, error shape) and ``woocommerce-order.created-payload.
wp-api-v3-docs.json`` (every order starts as a copy of it). Where refdata is silent, the source is
named where it is used: WooCommerce core read through the code index (``class-wc-rest-
authentication.php``: Basic auth, key permissions and their 401 texts; ``class-wc-webhook-data-
store.php`` and the REST webhooks controller: a REST-created webhook is pinged once, an update pings
only when the delivery URL changed or a ping is still pending), and the WordPress REST API's own
behaviour (``rest_no_route``, ``rest_invalid_param``, unknown body fields silently ignored, the
site index ``GET /wp-json/`` with ``name`` and ``namespaces``, ``X-WP-Total``/``X-WP-TotalPages``).

Like WordPress, it ignores body fields it does not know; unlike it, it records them in
``ignored_fields`` so that a test can say the connector sent nothing WooCommerce would drop.
It takes HTTP Basic on plain http://127.0.0.1 (a real shop takes Basic only over HTTPS).

Usage::

    fake = FakeWooCommerce()
    async with serve(fake) as api_url:          # http://127.0.0.1:<port>
        ...register Vykup's webhooks through the API (or fake.add_webhook(...))...
        order = await fake.create_order(payment_method="cod")   # delivers order.created
        fake.fail_next(429, retry_after="30")
        fake.revoke_key()
"""

from __future__ import annotations

import asyncio
import base64
import copy
import hashlib
import hmac
import json
import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

DEFAULT_REFDATA = Path(__file__).resolve().parents[4] / "shared" / "refdata"
ORDER_SAMPLE = "woocommerce-order.created-payload.wp-api-v3-docs.json"
FACTS = "woocommerce-webhooks-and-status-api.json"
REST = "/wp-json/wc/v3/"
WC_VERSION = "9.9.5"  # what the User-Agent names; any current version
WP_VERSION = "6.8.2"
MAX_FAILURES = 5  # refdata "auto_disable": disabled when failure_count exceeds 5
WEBHOOK_FIELDS = frozenset({"name", "status", "topic", "delivery_url", "secret"})
WEBHOOK_STATUSES = ("active", "paused", "disabled")
NOTE_FIELDS = frozenset({"note", "customer_note", "added_by_user"})
# The permission callbacks' errors (WooCommerce's REST controllers): 401 for nobody, 403 for a
# user without the capability (rest_authorization_required_code()).
CANNOT = {
    "list": ("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."),
    "view": ("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."),
    "create": ("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."),
    "edit": ("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."),
    "delete": (
        "woocommerce_rest_cannot_delete",
        "Sorry, you are not allowed to delete this resource.",
    ),
}


def refdata_dir() -> Path:
    override = os.environ.get("VYKUP_REFDATA_DIR")
    folder = (Path(override) if override else DEFAULT_REFDATA) / "shop-webhooks"
    if not folder.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"shop-webhooks reference data not found at {folder}")
        pytest.skip(f"shop-webhooks reference data not found at {folder}")
    return folder


def load_sample(name: str = ORDER_SAMPLE) -> Any:
    """A fresh copy of one refdata file."""
    return json.loads((refdata_dir() / name).read_text(encoding="utf-8"))


def wp_json(payload: Any) -> bytes:
    """JSON as ``wp_json_encode`` writes it: no spaces, non-ASCII as \\uXXXX, '/' as '\\/'."""
    return json.dumps(payload, separators=(",", ":")).replace("/", "\\/").encode()


def wc_signature(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def now_local() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")


class WpError(Exception):
    """An answer in WordPress's error shape ``{"code", "message", "data": {"status"}}``."""

    def __init__(self, status: int, code: str, message: str, **data: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.data = status, code, message, data

    def response(self) -> web.Response:
        body = {
            "code": self.code,
            "message": self.message,
            "data": {"status": self.status, **self.data},
        }
        return web.json_response(body, status=self.status)


@dataclass
class Webhook:
    id: int
    name: str
    topic: str
    delivery_url: str
    secret: str
    status: str = "active"
    pending_delivery: bool = True
    failure_count: int = 0
    date_created: str = field(default_factory=now_local)

    def as_json(self, api_url: str) -> dict[str, Any]:
        """The REST representation (refdata "manage_webhooks_via_rest"); the secret is write-only."""
        resource, _, event = self.topic.partition(".")
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "topic": self.topic,
            "resource": resource,
            "event": event,
            "hooks": [],
            "delivery_url": self.delivery_url,
            "date_created": self.date_created,
            "date_created_gmt": self.date_created,
            "date_modified": self.date_created,
            "date_modified_gmt": self.date_created,
            "_links": {"self": [{"href": f"{api_url}{REST}webhooks/{self.id}"}]},
        }


@dataclass(frozen=True)
class Delivery:
    """One POST the shop made to a webhook's URL, and what it was answered."""

    webhook_id: int
    topic: str  # "ping" for the creation ping
    url: str
    headers: dict[str, str]
    body: bytes
    status: int | None  # None: the URL could not be reached


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: Any


@dataclass
class FakeWooCommerce:
    """The shop. Public state is readable by tests; change it through the methods."""

    site_name: str = "Квіти Полтави"
    key: str = "ck_" + "a1" * 20
    secret: str = "cs_" + "b2" * 20
    permissions: str = "read_write"  # the key's: read, write or read_write
    can_manage: bool = True  # whether the key's user may manage WooCommerce (admin, shop manager)
    key_revoked: bool = False
    api_url: str = ""  # set by serve()
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    notes: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    webhooks: dict[int, Webhook] = field(default_factory=dict)
    deliveries: list[Delivery] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    ignored_fields: list[str] = field(default_factory=list)
    _failures: list[tuple[int, str | None]] = field(default_factory=list)
    _next_id: int = 1000
    _background: set[asyncio.Task[None]] = field(default_factory=set)
    _http: aiohttp.ClientSession | None = None

    # -- what a test does to the shop ---------------------------------------------------------

    async def create_order(self, **fields: Any) -> dict[str, Any]:
        """Place an order (a copy of the refdata sample with ``fields`` replacing its top-level
        fields) and deliver ``order.created`` to every active webhook of that topic. Returns the
        order as the REST API shows it."""
        order = load_sample()
        order_id = self._new_id()
        order.update(id=order_id, number=str(order_id), order_key=f"wc_order_{order_id:x}")
        stamp = now_local()
        order.update(date_created=stamp, date_created_gmt=stamp, date_modified=stamp)
        order.update(date_modified_gmt=stamp, **fields)
        order["_links"] = {"self": [{"href": f"{self.api_url}{REST}orders/{order_id}"}]}
        self.orders[order_id] = order
        self.notes[order_id] = []
        await self.send("order.created", order_id)
        return copy.deepcopy(order)

    async def update_order(self, order_id: int, **fields: Any) -> dict[str, Any]:
        """Change an order as the admin would (a status change leaves WooCommerce's own note) and
        deliver ``order.updated``."""
        self._change(order_id, fields)
        await self.send("order.updated", order_id)
        return copy.deepcopy(self.orders[order_id])

    async def send(self, topic: str, order_id: int) -> list[Delivery]:
        """Deliver ``topic`` about the order to each active webhook of that topic, as WooCommerce
        does (headers, signature, body = the REST order; ``order.deleted`` carries ``{"id"}``)."""
        payload = {"id": order_id} if topic.endswith(".deleted") else self.orders[order_id]
        body = wp_json(payload)
        sent = []
        for hook in list(self.webhooks.values()):
            if hook.status == "active" and hook.topic == topic:
                sent.append(await self._deliver(hook, topic, body))
        return sent

    def fail_next(self, status: int, *, retry_after: str | None = None, times: int = 1) -> None:
        """The next ``times`` API calls are answered ``status`` before WordPress sees them, as a
        host or its firewall does (429 with ``Retry-After``; 500 as WordPress's critical error)."""
        self._failures.extend([(status, retry_after)] * times)

    def revoke_key(self) -> None:
        """The key is deleted in WooCommerce > Settings > Advanced > REST API: it is unknown now."""
        self.key_revoked = True

    def set_key_permissions(self, permissions: str) -> None:
        """``read``, ``write`` or ``read_write``, as the key's form offers."""
        self.permissions = permissions

    def remove_capability(self) -> None:
        """The key's user is no longer a shop manager: every call is 403."""
        self.can_manage = False

    def add_webhook(self, topic: str, delivery_url: str, *, status: str = "active") -> Webhook:
        """A webhook made by hand in the admin (no ping: that is the admin screen's business)."""
        hook = Webhook(self._new_id(), f"Order {topic}", topic, delivery_url, "", status, False)
        self.webhooks[hook.id] = hook
        return hook

    def note_texts(self, order_id: int) -> list[str]:
        """The order's notes as the REST API shows them (HTML), oldest first."""
        return [note["note"] for note in self.notes[order_id]]

    def customer_notes(self, order_id: int) -> list[str]:
        """The notes WooCommerce e-mailed to the customer ("customer_note": true), oldest first."""
        return [note["note"] for note in self.notes[order_id] if note["customer_note"]]

    def status_of(self, order_id: int) -> str:
        return str(self.orders[order_id]["status"])

    async def settle(self) -> None:
        """Wait until every delivery WooCommerce queued in the background has been made."""
        while self._background:
            await asyncio.gather(*list(self._background))

    # -- the HTTP side ------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        self.calls.append(Call(request.method, request.path, dict(request.query), body))
        if self._failures:
            return self._failure(*self._failures.pop(0))
        try:
            if request.path in ("/wp-json", "/wp-json/"):
                return web.json_response(self._index())
            if not request.path.startswith(REST):
                raise WpError(
                    404, "rest_no_route", "No route was found matching the URL and request method"
                )
            return await self._rest(request, request.path[len(REST) :].strip("/"), body)
        except WpError as error:
            return error.response()

    async def _rest(self, request: web.Request, route: str, body: Any) -> web.StreamResponse:
        authenticated = self._authenticate(request)  # raises for a known key with a wrong secret
        if authenticated:
            self._check_key_permissions(request.method)  # rest_pre_dispatch: before routing
        parts = route.split("/")
        method = request.method
        handler: tuple[str, Any] | None = None
        if parts == ["webhooks"]:
            handler = {
                "GET": ("list", self._list_webhooks),
                "POST": ("create", self._create_webhook),
            }.get(method)
        elif len(parts) == 2 and parts[0] == "webhooks" and parts[1].isdigit():
            handler = {
                "GET": ("view", self._get_webhook),
                "PUT": ("edit", self._update_webhook),
                "DELETE": ("delete", self._delete_webhook),
            }.get(method)
        elif parts == ["orders"]:
            handler = {"GET": ("list", self._list_orders)}.get(method)
        elif len(parts) == 2 and parts[0] == "orders" and parts[1].isdigit():
            handler = {"GET": ("view", self._get_order), "PUT": ("edit", self._put_order)}.get(
                method
            )
        elif (
            len(parts) == 3 and parts[0] == "orders" and parts[1].isdigit() and parts[2] == "notes"
        ):
            handler = {
                "GET": ("list", self._list_notes),
                "POST": ("create", self._create_note),
            }.get(method)
        if handler is None:
            raise WpError(
                404, "rest_no_route", "No route was found matching the URL and request method"
            )
        action, run = handler
        if not authenticated or not self.can_manage:
            code, message = CANNOT[action]
            raise WpError(401 if not authenticated else 403, code, message)
        result: web.StreamResponse = await run(
            parts, request, body if isinstance(body, dict) else {}
        )
        return result

    def _authenticate(self, request: web.Request) -> bool:
        """WooCommerce's Basic auth: an unknown key is nobody (the route's permission check then
        refuses), a known key with a wrong secret is refused at once."""
        header = request.headers.get("Authorization", "")
        key = secret = ""
        if header.startswith("Basic "):
            try:
                key, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                return False
        else:  # the query-string fallback of _authentication.md
            key = request.query.get("consumer_key", "")
            secret = request.query.get("consumer_secret", "")
        if not key or not secret or self.key_revoked or key != self.key:
            return False
        if not hmac.compare_digest(secret, self.secret):
            raise WpError(
                401, "woocommerce_rest_authentication_error", "Consumer secret is invalid."
            )
        return True

    def _check_key_permissions(self, method: str) -> None:
        if method in ("GET", "HEAD") and self.permissions not in ("read", "read_write"):
            raise WpError(
                401,
                "woocommerce_rest_authentication_error",
                "The API key provided does not have read permissions.",
            )
        if method in ("POST", "PUT", "PATCH", "DELETE") and self.permissions not in (
            "write",
            "read_write",
        ):
            raise WpError(
                401,
                "woocommerce_rest_authentication_error",
                "The API key provided does not have write permissions.",
            )

    def _failure(self, status: int, retry_after: str | None) -> web.Response:
        headers = {"Retry-After": retry_after} if retry_after else {}
        if status == 500:
            body = {
                "code": "internal_server_error",
                "message": "<p>There has been a critical error on this website.</p>",
                "data": {"status": 500},
                "additional_errors": [],
            }
            return web.json_response(body, status=500, headers=headers)
        return web.Response(
            status=status,
            text=f"<html><body>{status}</body></html>",
            content_type="text/html",
            headers=headers,
        )

    def _index(self) -> dict[str, Any]:
        # WordPress's WP_REST_Server::get_index(), cut to the fields a client reads.
        return {
            "name": self.site_name,
            "description": "",
            "url": self.api_url,
            "home": self.api_url,
            "gmt_offset": "2",
            "timezone_string": "Europe/Kyiv",
            "namespaces": ["oembed/1.0", "wc/v1", "wc/v2", "wc/v3", "wc/store/v1", "wp/v2"],
            "authentication": [],
        }

    # -- webhooks -----------------------------------------------------------------------------

    async def _list_webhooks(
        self, parts: list[str], request: web.Request, body: Mapping[str, Any]
    ) -> web.Response:
        per_page = int(request.query.get("per_page", "10"))
        page = int(request.query.get("page", "1"))
        if not 1 <= per_page <= 100:
            raise WpError(
                400,
                "rest_invalid_param",
                "Invalid parameter(s): per_page",
                params={"per_page": "per_page must be between 1 (inclusive) and 100 (inclusive)"},
            )
        hooks = sorted(
            self.webhooks.values(),
            key=lambda hook: hook.id,
            reverse=request.query.get("order", "desc") == "desc",
        )
        chunk = hooks[(page - 1) * per_page : page * per_page]
        total_pages = max(1, -(-len(hooks) // per_page))
        headers = {"X-WP-Total": str(len(hooks)), "X-WP-TotalPages": str(total_pages)}
        return web.json_response([hook.as_json(self.api_url) for hook in chunk], headers=headers)

    async def _list_orders(
        self, parts: list[str], request: web.Request, body: Mapping[str, Any]
    ) -> web.Response:
        """``GET /orders`` with the parameters the catch-up sends. ``modified_after`` and
        ``dates_are_gmt`` are the orders collection's since WooCommerce 5.8 (its REST CRUD
        controller's collection params; refdata names only ``status``); orders are filtered on
        ``date_modified_gmt`` strictly after the moment, as WP_Date_Query's "after" does."""
        query = request.query
        unknown = set(query) - {
            "modified_after",
            "dates_are_gmt",
            "orderby",
            "order",
            "per_page",
            "page",
            "status",
        }
        if unknown:
            # WordPress ignores unknown query args; the fake records them like unknown fields.
            self.ignored_fields.extend(f"orders?{name}" for name in sorted(unknown))
        per_page = int(query.get("per_page", "10"))
        page = int(query.get("page", "1"))
        if not 1 <= per_page <= 100:
            raise WpError(400, "rest_invalid_param", "Invalid parameter(s): per_page")
        orders = list(self.orders.values())
        after = query.get("modified_after")
        if after is not None:
            if query.get("dates_are_gmt") != "true":
                # Without it WordPress reads the moment in the site's time zone (this fake's is
                # UTC, a Ukrainian shop's is not): recorded as a mistake for the tests to see.
                self.ignored_fields.append("orders?modified_after without dates_are_gmt")
            moment = datetime.fromisoformat(after).replace(tzinfo=None)
            orders = [o for o in orders if datetime.fromisoformat(o["date_modified_gmt"]) > moment]
        if query.get("orderby") == "modified":
            orders.sort(key=lambda o: (o["date_modified_gmt"], o["id"]))
        if query.get("order", "desc") == "desc":
            orders.reverse()
        chunk = orders[(page - 1) * per_page : page * per_page]
        total_pages = max(1, -(-len(orders) // per_page))
        headers = {"X-WP-Total": str(len(orders)), "X-WP-TotalPages": str(total_pages)}
        return web.json_response(chunk, headers=headers)

    async def _create_webhook(
        self, parts: list[str], request: web.Request, body: Mapping[str, Any]
    ) -> web.Response:
        self._note_unknown("webhooks", body, WEBHOOK_FIELDS)
        topic = body.get("topic")
        if topic not in {"order.created", "order.updated", "order.deleted", "order.restored"}:
            raise WpError(
                400,
                "woocommerce_rest_shop_webhook_invalid_topic",
                "Webhook topic is required and must be valid.",
            )
        url = body.get("delivery_url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise WpError(
                400,
                "woocommerce_rest_shop_webhook_invalid_delivery_url",
                "Webhook delivery URL must be a valid URL starting with http:// or https://.",
            )
        status = self._webhook_status(body.get("status", "active"))
        hook = Webhook(
            self._new_id(),
            str(body.get("name") or topic),
            topic,
            url,
            str(body.get("secret") or ""),
            status,
        )
        self.webhooks[hook.id] = hook
        answer = hook.as_json(self.api_url)
        if hook.status == "active":
            self._in_background(self._ping(hook))  # the REST controller pings after saving
        return web.json_response(answer, status=201)

    async def _get_webhook(
        self, parts: list[str], request: web.Request, body: Mapping[str, Any]
    ) -> web.Response:
        return web.json_response(self._webhook(parts[1]).as_json(self.api_url))

    async def _update_webhook(
        self, parts: list[str], request: web.Request, body: Mapping[str, Any]
    ) -> web.Response:
        self._note_unknown("webhooks", body, WEBHOOK_FIELDS)
        hook = self._webhook(parts[1])
        url_changed = "delivery_url" in body and body["delivery_url"] != hook.delivery_url
        if "status" in body:
            hook.status = self._webhook_status(body["status"])
            if hook.status == "active":
                hook.failure_count = 0
        for name in ("name", "secret", "delivery_url"):
            if name in body:
                setattr(hook, name, str(body[name]))
        if hook.status == "active" and (url_changed or hook.pending_delivery):
            self._in_background(self._ping(hook))  # WC_Webhook_Data_Store::update()
        return web.json_response(hook.as_json(self.api_url))

    async def _delete_webhook(
        self, parts: list[str], request: web.Request, body: Mapping[str, Any]
    ) -> web.Response:
        hook = self._webhook(parts[1])
        if request.query.get("force") != "true":
            # Webhooks have no trash: the controller refuses a delete without force.
            raise WpError(
                501, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing."
            )
        del self.webhooks[hook.id]
        return web.json_response(hook.as_json(self.api_url))

    def _webhook(self, raw_id: str) -> Webhook:
        hook = self.webhooks.get(int(raw_id))
        if hook is None:
            raise WpError(400, "woocommerce_rest_shop_webhook_invalid_id", "ID is invalid.")
        return hook

    def _webhook_status(self, value: Any) -> str:
        if value not in WEBHOOK_STATUSES:
            raise WpError(
                400,
                "rest_invalid_param",
                "Invalid parameter(s): status",
                params={"status": "status is not one of active, paused, and disabled."},
            )
        return str(value)

    # -- orders and notes ---------------------------------------------------------------------

    async def _get_order(
        self, parts: list[str], request: web.Request, body: Mapping[str, Any]
    ) -> web.Response:
        return web.json_response(self._order(parts[1]))

    async def _put_order(
        self, parts: list[str], request: web.Request, body: Mapping[str, Any]
    ) -> web.Response:
        order = self._order(parts[1])
        self._note_unknown("orders", body, frozenset(order) - {"id", "_links"} | {"set_paid"})
        self._change(order["id"], dict(body))
        self._in_background(
            self._send_quietly("order.updated", order["id"])
        )  # woocommerce_update_order
        return web.json_response(self.orders[order["id"]])

    async def _list_notes(
        self, parts: list[str], request: web.Request, body: Mapping[str, Any]
    ) -> web.Response:
        order_id = self._order_id_for_notes(parts[1])
        return web.json_response(list(reversed(self.notes[order_id])))  # newest first, like WC

    async def _create_note(
        self, parts: list[str], request: web.Request, body: Mapping[str, Any]
    ) -> web.Response:
        order_id = self._order_id_for_notes(parts[1])
        self._note_unknown("notes", body, NOTE_FIELDS)
        if not isinstance(body.get("note"), str) or not body["note"]:
            raise WpError(
                400, "rest_missing_callback_param", "Missing parameter(s): note", params=["note"]
            )
        note = self._add_note(order_id, body["note"], bool(body.get("customer_note", False)))
        return web.json_response(note, status=201)

    def _order(self, raw_id: str) -> dict[str, Any]:
        order = self.orders.get(int(raw_id))
        if order is None:
            raise WpError(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        return order

    def _order_id_for_notes(self, raw_id: str) -> int:
        if int(raw_id) not in self.orders:
            raise WpError(404, "woocommerce_rest_order_invalid_id", "Invalid order ID.")
        return int(raw_id)

    def _change(self, order_id: int, fields: dict[str, Any]) -> None:
        order = self.orders[order_id]
        status = fields.pop("status", None)
        fields.pop("set_paid", None)
        if status is not None and status != order["status"]:
            labels = load_sample(FACTS)["order_statuses"]["admin_labels"]
            if f"wc-{status}" not in labels and status not in ("trash", "checkout-draft"):
                raise WpError(
                    400,
                    "rest_invalid_param",
                    "Invalid parameter(s): status",
                    params={
                        "status": "status is not one of pending, processing, on-hold, completed, cancelled, refunded, failed, and trash."
                    },
                )
            before = labels.get(f"wc-{order['status']}", order["status"])
            after = labels.get(f"wc-{status}", status)
            order["status"] = status
            # WC_Order::status_transition() leaves this note, written by "WooCommerce" (system).
            self._add_note(order_id, f"Order status changed from {before} to {after}.", False)
        order.update(fields)
        stamp = now_local()
        order.update(date_modified=stamp, date_modified_gmt=stamp)

    def _add_note(self, order_id: int, text: str, customer_note: bool) -> dict[str, Any]:
        # The REST API shows a note through wpautop(): a paragraph, line breaks as <br />.
        html = "<p>" + text.replace("\n", "<br />\n") + "</p>\n"
        stamp = now_local()
        note = {
            "id": self._new_id(),
            "author": "system",
            "date_created": stamp,
            "date_created_gmt": stamp,
            "note": html,
            "customer_note": customer_note,
        }
        self.notes[order_id].append(note)
        return note

    # -- deliveries ---------------------------------------------------------------------------

    async def _deliver(self, hook: Webhook, topic: str, body: bytes) -> Delivery:
        resource, _, event = topic.partition(".")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"WooCommerce/{WC_VERSION} Hookshot (WordPress/{WP_VERSION})",
            "X-WC-Webhook-Source": self.api_url + "/",
            "X-WC-Webhook-Topic": topic,
            "X-WC-Webhook-Resource": resource,
            "X-WC-Webhook-Event": event,
            "X-WC-Webhook-Signature": wc_signature(body, hook.secret),
            "X-WC-Webhook-ID": str(hook.id),
            "X-WC-Webhook-Delivery-ID": hashlib.md5(
                f"{hook.id}{datetime.now(UTC).timestamp()}".encode()
            ).hexdigest(),
        }
        status = await self._post(hook.delivery_url, headers, body)
        # 2xx, 301 and 302 count as delivered; anything else is a failure, and after more than
        # 5 in a row the webhook is disabled (refdata "success_and_failure").
        if status is not None and (200 <= status < 300 or status in (301, 302)):
            hook.failure_count = 0
        else:
            hook.failure_count += 1
            if hook.failure_count > MAX_FAILURES:
                hook.status = "disabled"
        delivery = Delivery(hook.id, topic, hook.delivery_url, headers, body, status)
        self.deliveries.append(delivery)
        return delivery

    async def _ping(self, hook: Webhook) -> None:
        headers = {
            "User-Agent": f"WooCommerce/{WC_VERSION} Hookshot (WordPress/{WP_VERSION})",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        body = f"webhook_id={hook.id}".encode()
        status = await self._post(hook.delivery_url, headers, body)
        if status == 200:  # deliver_ping() wants exactly 200
            hook.pending_delivery = False
        self.deliveries.append(Delivery(hook.id, "ping", hook.delivery_url, headers, body, status))

    async def _post(self, url: str, headers: dict[str, str], body: bytes) -> int | None:
        assert self._http is not None, "serve() the fake before it delivers"
        try:
            async with self._http.post(
                url, data=body, headers=headers, allow_redirects=False
            ) as response:
                return response.status
        except (aiohttp.ClientError, TimeoutError):
            return None

    async def _send_quietly(self, topic: str, order_id: int) -> None:
        await self.send(topic, order_id)

    def _in_background(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _note_unknown(self, resource: str, body: Mapping[str, Any], known: frozenset[str]) -> None:
        self.ignored_fields.extend(f"{resource}.{name}" for name in body if name not in known)

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id


@asynccontextmanager
async def serve(fake: FakeWooCommerce) -> AsyncIterator[str]:
    """Serve ``fake`` on 127.0.0.1, port 0; yield the shop's address (the connection's api_url)."""
    app = web.Application(client_max_size=4 * 1024 * 1024)
    app.router.add_route("*", "/{tail:.*}", fake.handle)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    fake.api_url = f"http://{host}:{port}"
    fake._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
    try:
        yield fake.api_url
    finally:
        await fake.settle()
        await fake._http.close()
        await runner.cleanup()
