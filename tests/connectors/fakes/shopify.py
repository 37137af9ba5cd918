"""A strict local fake of a Shopify shop: the GraphQL Admin API calls Vykup makes, and webhook
deliveries to the subscriptions registered through it.

Built from ``shared/refdata/shop-webhooks`` (see its SOURCES.md): orders are copies of the REST
Order sample ``shopify-order.rest-2026-07.shopify-app-js.json``; webhook headers, the HMAC, auth
and the order mutations follow ``shopify-webhooks-and-order-api.json``. Where refdata is silent
the comments name the shopify.dev page followed, or say that a text is the fake's own.

Usage::

    fake = FakeShopify()
    async with serve(fake) as api_url:             # http://127.0.0.1:<port>
        ...register webhooks through the adapter (or fake.subscribe(...))...
        order = await fake.create_order(**ukrainian_cod_order())   # delivers orders/create
        await fake.update_order(order["id"], note="call after 18:00")  # orders/updated
        fake.throttle_next()                        # the next API call is THROTTLED
        fake.fail_next(429, retry_after="1", on="tagsAdd")  # the next tagsAdd call: HTTP 429
        [late] = fake.held("orders/create", order["id"])  # made now, reaches the app later
        await fake.redeliver(late)                  # …with the original payload
        fake.revoke_token()                         # every call: 401

What it checks, as Shopify does: the ``X-Shopify-Access-Token`` (401 with Shopify's body), the
path ``/admin/api/<version>/graphql.json`` (404 otherwise), the body (400 without ``query``), the
token's scopes per field (``ACCESS_DENIED``, HTTP 200, as GraphQL answers a missing scope), and
every variable of the operations it knows, refusing unknown input fields. It is stricter than
Shopify in one way: a selected field it does not know (``callbackUrl``, deprecated but still
served by Shopify) is refused as undefined, so the connector cannot drift to old fields.

Changes made through the API (tags, note, cancel) change the order and its ``updated_at`` but send
no webhook by themselves; a test that wants Shopify's echo calls :meth:`FakeShopify.deliver`.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import aiohttp
from aiohttp import web

from bot.connectors.shopify.signature import sign

REFDATA: Final = Path(__file__).resolve().parents[4] / "shared" / "refdata" / "shop-webhooks"
ORDER_SAMPLE: Final = "shopify-order.rest-2026-07.shopify-app-js.json"
# Shopify's own answer to a wrong or revoked token (HTTP 401).
INVALID_TOKEN_BODY: Final = {
    "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
}
# Not a refdata value: Shopify answers unknown paths with 404 and this REST-style body.
NOT_FOUND_BODY: Final = {"errors": "Not Found"}
# The enum values of the order topics (refdata ``order_topics``, GraphQL form).
ORDER_TOPICS: Final = frozenset(
    {
        "ORDERS_CREATE",
        "ORDERS_UPDATED",
        "ORDERS_PAID",
        "ORDERS_CANCELLED",
        "ORDERS_FULFILLED",
        "ORDERS_PARTIALLY_FULFILLED",
        "ORDERS_DELETE",
        "ORDERS_EDITED",
    }
)
CANCEL_REASONS: Final = frozenset({"CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "OTHER", "STAFF"})
VERSION: Final = re.compile(r"^(\d{4}-(01|04|07|10)|unstable)$")
ORDER_GID: Final = re.compile(r"^gid://shopify/Order/(\d+)$")
SUBSCRIPTION_GID: Final = re.compile(r"^gid://shopify/WebhookSubscription/(\d+)$")

# Root field → the scope it needs (shopify.dev: Order requires read_orders; the order mutations
# write_orders; order-topic subscriptions need the read scope of their resource).
ROOT_SCOPES: Final[Mapping[str, str | None]] = {
    "shop": None,
    "currentAppInstallation": None,
    "webhookSubscriptions": None,
    "webhookSubscriptionCreate": "read_orders",
    "webhookSubscriptionDelete": None,
    "order": "read_orders",
    "tagsAdd": "write_orders",
    "orderUpdate": "write_orders",
    "orderCancel": "write_orders",
}
# Every name Vykup's documents may contain besides the root fields: selections, arguments,
# variable names, types and keywords. Anything else is an undefined field.
VOCABULARY: Final = frozenset(
    set(ROOT_SCOPES)
    | {
        "query",
        "mutation",
        "name",
        "myshopifyDomain",
        "accessScopes",
        "handle",
        "first",
        "edges",
        "node",
        "nodes",
        "id",
        "topic",
        "uri",
        "format",
        "webhookSubscription",
        "userErrors",
        "field",
        "message",
        "code",
        "deletedWebhookSubscriptionId",
        "note",
        "tags",
        "cancelledAt",
        "input",
        "orderId",
        "reason",
        "restock",
        "notifyCustomer",
        "staffNote",
        "refundMethod",
        "job",
        "done",
        "orderCancelUserErrors",
        "ID",
        "String",
        "Boolean",
        "WebhookSubscriptionTopic",
        "WebhookSubscriptionInput",
        "OrderInput",
        "OrderCancelReason",
        "OrderCancelRefundMethodInput",
    }
)
# WebhookSubscriptionInput (2026-07: ``uri`` replaced ``callbackUrl``; shopify.dev changelog
# "consolidate-webhook-graphql-surfaces") and OrderInput (refdata ``add_note``) input fields.
SUBSCRIPTION_INPUT: Final = frozenset(
    {"uri", "format", "includeFields", "metafieldNamespaces", "filter"}
)
ORDER_INPUT: Final = frozenset(
    {
        "id",
        "note",
        "tags",
        "customAttributes",
        "email",
        "phone",
        "poNumber",
        "shippingAddress",
        "metafields",
        "localizedFields",
    }
)
CANCEL_ARGUMENTS: Final = frozenset(
    {"orderId", "reason", "restock", "refundMethod", "notifyCustomer", "staffNote"}
)
_TOKENS: Final = re.compile(r'"(?:\\.|[^"\\])*"|[A-Za-z_][A-Za-z0-9_]*|[{}()]')


class GraphQLRefusal(Exception):
    """A top-level GraphQL error (answered with HTTP 200)."""

    def __init__(self, message: str, code: str, **extensions: Any) -> None:
        super().__init__(message)
        self.error = {"message": message, "extensions": {"code": code, **extensions}}


def shopify_time(moment: datetime) -> str:
    """As Shopify writes REST timestamps: seconds and an offset (``2008-01-10T11:00:00-05:00``)."""
    return moment.isoformat(timespec="seconds")


def load_sample() -> dict[str, Any]:
    """A fresh copy of the refdata REST order (Bob Norman's #1001)."""
    loaded: dict[str, Any] = json.loads((REFDATA / ORDER_SAMPLE).read_text(encoding="utf-8"))
    return loaded


def ukrainian_cod_order(
    phone: str = "+380501234567", branch: str = "Відділення №12", city: str = "Київ"
) -> dict[str, Any]:
    """Changes that make the sample a Ukrainian cash-on-delivery order to a Nova Poshta branch.

    The gateway name is Shopify's manual "Cash on Delivery (COD)" method; the shipping rate's
    title is what a shop names it; the branch is typed into the address line (see
    ``bot.connectors.shopify.delivery``). Everything else stays the sample's.
    """
    address = {
        "first_name": "Олена",
        "last_name": "Коваль",
        "name": "Олена Коваль",
        "address1": branch,
        "address2": "",
        "city": city,
        "zip": "01001",
        "province": "Київська область",
        "country": "Ukraine",
        "country_code": "UA",
        "province_code": "30",
        "phone": phone,
        "company": None,
        "latitude": None,
        "longitude": None,
    }
    customer = load_sample()["customer"]
    customer.update(first_name="Олена", last_name="Коваль", phone=phone, email=None, currency="UAH")
    customer["default_address"].update(address)
    return {
        "phone": None,
        "customer": customer,
        "currency": "UAH",
        "presentment_currency": "UAH",
        "customer_locale": "uk-UA",
        "payment_gateway_names": ["Cash on Delivery (COD)"],
        "financial_status": "pending",
        "shipping_address": address,
        "billing_address": dict(address),
        "shipping_lines": [
            {
                "id": 369256397,
                "code": "Нова Пошта - відділення",
                "title": "Нова Пошта - відділення",
                "price": "0.00",
                "source": "shopify",
                "carrier_identifier": None,
                "discounted_price": "0.00",
                "is_removed": False,
                "phone": None,
                "requested_fulfillment_service_id": None,
                "tax_lines": [],
                "discount_allocations": [],
            }
        ],
        "fulfillments": [],
        "refunds": [],
    }


@dataclass
class Delivery:
    """One POST of a webhook to a subscription's address, as sent and as answered."""

    topic: str  # orders/create
    uri: str
    webhook_id: str  # X-Shopify-Webhook-Id: the same on a repeat
    event_id: str  # X-Shopify-Event-Id: the same for every subscription of one event
    triggered_at: str
    body: bytes
    headers: dict[str, str]
    status: int | None = None  # None: no answer (connection refused, timeout)
    answer: str = ""


@dataclass
class FakeShopify:
    """One shop with one custom app. Public state may be read and changed by tests."""

    token: str = "shpat_fake_admin_token"
    client_secret: str = "fake_client_secret"
    shop_name: str = "Fake Shop"
    domain: str = "fake-shop.myshopify.com"
    api_version: str = "2026-07"  # X-Shopify-API-Version of deliveries
    scopes: set[str] = field(default_factory=lambda: {"read_orders", "write_orders"})
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)  # REST orders by id
    subscriptions: dict[str, dict[str, str]] = field(default_factory=dict)  # gid → id/topic/uri
    calls: list[dict[str, Any]] = field(default_factory=list)  # {"root": [...], "variables": …}
    deliveries: list[Delivery] = field(default_factory=list)
    token_revoked: bool = False
    # (status, body, headers, root field or None for any call), in the order they were asked for
    _failures: list[tuple[int, dict[str, Any], dict[str, str], str | None]] = field(
        default_factory=list
    )
    _throttles: list[str | None] = field(default_factory=list)  # root field, or None: any call
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(820982911946154500))
    _session: aiohttp.ClientSession | None = None

    # -- controlling the fake ---------------------------------------------------------------

    def revoke_token(self) -> None:
        """The owner deleted the app or rotated its token: every call gets Shopify's 401."""
        self.token_revoked = True

    def remove_scope(self, scope: str) -> None:
        """Take a permission from the app (``write_orders``): fields needing it are denied."""
        self.scopes.discard(scope)
        if scope == "read_orders":
            self.scopes.discard("write_orders")

    def fail_next(
        self,
        status: int,
        *,
        retry_after: str | None = None,
        times: int = 1,
        on: str | None = None,
    ) -> None:
        """The next ``times`` API calls answer HTTP ``status`` (429 with ``Retry-After``, 500…).

        ``on`` names a root field (``tagsAdd``): then only the next calls of that operation fail,
        and the calls before them are answered, so a failure can land between two mutations of
        one update as it may at Shopify (the bucket empties at any call)."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        body = {"errors": "Exceeded 2 calls per second for api client. Reduce request rates."}
        if status >= 500:
            body = {"errors": "Internal Server Error"}
        self._failures.extend([(status, body, headers, on)] * times)

    def throttle_next(self, times: int = 1, *, on: str | None = None) -> None:
        """The next ``times`` calls find the cost bucket empty: GraphQL's THROTTLED (HTTP 200).
        ``on`` names a root field: only calls of that operation are throttled."""
        self._throttles.extend([on] * times)

    def pending_failures(self) -> int:
        """How many of the failures and throttles asked for have not been answered yet."""
        return len(self._failures) + len(self._throttles)

    def subscribe(self, topic: str, uri: str) -> str:
        """Register a webhook subscription directly (as another app or an earlier run would)."""
        gid = f"gid://shopify/WebhookSubscription/{next(self._ids)}"
        self.subscriptions[gid] = {"id": gid, "topic": topic, "uri": uri}
        return gid

    # -- orders and webhooks ----------------------------------------------------------------

    def now(self) -> str:
        return shopify_time(datetime.now(UTC))

    async def create_order(self, *, deliver: bool = True, **changes: Any) -> dict[str, Any]:
        """A new order: the refdata sample with a new id and number, ``changes`` applied on top
        (top-level keys replaced). Delivers ``orders/create`` unless ``deliver`` is False."""
        order = load_sample()
        order_id = next(self._ids)
        number = 1000 + len(self.orders) + 1
        stamp = self.now()
        order.update(
            id=order_id,
            admin_graphql_api_id=f"gid://shopify/Order/{order_id}",
            name=f"#{number}",
            order_number=number,
            number=number - 1000,
            created_at=stamp,
            updated_at=stamp,
            processed_at=stamp,
            tags="",
            note=None,
        )
        order.update(copy.deepcopy(changes))
        self.orders[str(order_id)] = order
        if deliver:
            await self.deliver("orders/create", order_id)
        return order

    async def update_order(
        self, order_id: int | str, *, deliver: bool = True, **changes: Any
    ) -> dict[str, Any]:
        """Change an order in the admin; delivers ``orders/updated``."""
        order = self.orders[str(order_id)]
        order.update(copy.deepcopy(changes), updated_at=self.now())
        if deliver:
            await self.deliver("orders/updated", order_id)
        return order

    async def cancel_in_admin(self, order_id: int | str, reason: str = "customer") -> None:
        """A manager cancels in the Shopify admin: ``orders/cancelled`` then ``orders/updated``."""
        stamp = self.now()
        await self.update_order(
            order_id, deliver=False, cancelled_at=stamp, cancel_reason=reason, closed_at=stamp
        )
        await self.deliver("orders/cancelled", order_id)
        await self.deliver("orders/updated", order_id)

    async def fulfill(
        self, order_id: int | str, tracking_number: str, tracking_company: str = "Nova Poshta"
    ) -> None:
        """A manager marks the order fulfilled with a waybill: ``orders/fulfilled``, then
        ``orders/updated`` (fulfillment fields as in the sample's fulfillment)."""
        order = self.orders[str(order_id)]
        stamp = self.now()
        fulfillment = {
            "id": next(self._ids),
            "order_id": order["id"],
            "name": f"{order['name']}.1",
            "status": "success",
            "service": "manual",
            "shipment_status": None,
            "created_at": stamp,
            "updated_at": stamp,
            "tracking_company": tracking_company,
            "tracking_number": tracking_number,
            "tracking_numbers": [tracking_number],
            "tracking_url": None,
            "tracking_urls": [],
            "line_items": copy.deepcopy(order.get("line_items") or []),
        }
        fulfillments = [*(order.get("fulfillments") or []), fulfillment]
        await self.update_order(
            order_id, deliver=False, fulfillments=fulfillments, fulfillment_status="fulfilled"
        )
        await self.deliver("orders/fulfilled", order_id)
        await self.deliver("orders/updated", order_id)

    async def deliver(self, topic: str, order_id: int | str) -> list[Delivery]:
        """Send the order as it is now to every subscription of ``topic`` (``orders/updated``):
        one event, one X-Shopify-Event-Id, a fresh X-Shopify-Webhook-Id per subscription."""
        return [await self._post(delivery) for delivery in self.held(topic, order_id)]

    def held(self, topic: str, order_id: int | str) -> list[Delivery]:
        """The deliveries of an event made now that have not reached the app yet: Shopify does
        not promise order, and a delivery whose first attempt failed is retried later (up to 8
        times over 4 hours) with its original payload (refdata ``timeouts_and_retries``). Send
        one later with :meth:`redeliver`; it then carries the order as it was at this moment."""
        enum = topic.upper().replace("/", "_")
        body = json.dumps(self.orders[str(order_id)], ensure_ascii=False).encode()
        event_id = str(uuid.uuid4())
        triggered_at = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        made = []
        for subscription in list(self.subscriptions.values()):
            if subscription["topic"] != enum:
                continue
            delivery = Delivery(
                topic=topic,
                uri=subscription["uri"],
                webhook_id=str(uuid.uuid4()),
                event_id=event_id,
                triggered_at=triggered_at,
                body=body,
                headers={},
            )
            made.append(delivery)
        return made

    async def redeliver(self, delivery: Delivery) -> Delivery:
        """Shopify's retry: the original body and headers again (same webhook id)."""
        again = Delivery(
            topic=delivery.topic,
            uri=delivery.uri,
            webhook_id=delivery.webhook_id,
            event_id=delivery.event_id,
            triggered_at=delivery.triggered_at,
            body=delivery.body,
            headers={},
        )
        return await self._post(again)

    def signed_headers(self, delivery: Delivery) -> dict[str, str]:
        """The headers Shopify sends (refdata ``webhook_delivery.headers``)."""
        return {
            "Content-Type": "application/json",
            "X-Shopify-Topic": delivery.topic,
            "X-Shopify-Hmac-Sha256": sign(delivery.body, self.client_secret),
            "X-Shopify-Shop-Domain": self.domain,
            "X-Shopify-API-Version": self.api_version,
            "X-Shopify-Webhook-Id": delivery.webhook_id,
            "X-Shopify-Event-Id": delivery.event_id,
            "X-Shopify-Triggered-At": delivery.triggered_at,
        }

    async def _post(self, delivery: Delivery) -> Delivery:
        delivery.headers = self.signed_headers(delivery)
        self.deliveries.append(delivery)
        if self._session is None:
            raise RuntimeError("deliveries need the fake served: async with serve(fake)")
        # Shopify waits 1 s to connect and 5 s for the answer (refdata timeouts_and_retries).
        timeout = aiohttp.ClientTimeout(sock_connect=1, total=5)
        try:
            async with self._session.post(
                delivery.uri, data=delivery.body, headers=delivery.headers, timeout=timeout
            ) as response:
                delivery.status = response.status
                delivery.answer = await response.text()
        except (aiohttp.ClientError, TimeoutError) as exc:
            delivery.answer = repr(exc)
        return delivery

    # -- the Admin API ----------------------------------------------------------------------

    def order_tags(self, order_id: int | str) -> list[str]:
        """The order's tags as the admin lists them."""
        tags = self.orders[str(order_id)].get("tags") or ""
        return [t.strip() for t in tags.split(",") if t.strip()]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if not VERSION.match(request.match_info["version"]):
            return web.json_response(NOT_FOUND_BODY, status=404)
        given = request.headers.get("X-Shopify-Access-Token")
        if self.token_revoked or given != self.token:
            return web.json_response(INVALID_TOKEN_BODY, status=401)
        try:
            payload = await request.json()
        except ValueError:
            payload = None
        query = payload.get("query") if isinstance(payload, dict) else None
        called = _roots_or_none(query)
        for index, (status, body, headers, on) in enumerate(self._failures):
            if on is None or on in called:
                del self._failures[index]
                return web.json_response(body, status=status, headers=headers)
        if not isinstance(query, str):
            # Shopify's answer to a body without a query (HTTP 400).
            body = {"errors": {"query": "Required parameter missing or invalid"}}
            return web.json_response(body, status=400)
        variables = payload.get("variables") or {}
        for index, on in enumerate(self._throttles):
            if on is None or on in called:
                del self._throttles[index]
                return web.json_response(self._throttled())
        try:
            roots = root_fields(query)
            self.calls.append({"root": roots, "variables": copy.deepcopy(variables)})
            self._check_scopes(roots)
            data = {root: self._resolve(root, variables) for root in roots}
        except GraphQLRefusal as refusal:
            return web.json_response({"errors": [refusal.error]})
        return web.json_response({"data": data, "extensions": self._cost(available=1990.0)})

    def _cost(self, available: float, requested: int = 10) -> dict[str, Any]:
        return {
            "cost": {
                "requestedQueryCost": requested,
                "actualQueryCost": None if available < requested else requested,
                "throttleStatus": {
                    "maximumAvailable": 2000.0,
                    "currentlyAvailable": available,
                    "restoreRate": 100.0,
                },
            }
        }

    def _throttled(self) -> dict[str, Any]:
        # community.shopify.com/t/throttled/254776 quotes this shape; the figures are the fake's.
        error = {
            "message": "Throttled",
            "extensions": {
                "code": "THROTTLED",
                "documentation": "https://shopify.dev/api/usage/rate-limits",
            },
        }
        return {"errors": [error], "extensions": self._cost(available=0.0, requested=250)}

    def _check_scopes(self, roots: list[str]) -> None:
        for root in roots:
            needed = ROOT_SCOPES[root]
            granted = self.scopes | ({"read_orders"} if "write_orders" in self.scopes else set())
            if needed and needed not in granted:
                # The message and extensions as shopify.dev/changelog/new-error-messages-for-
                # graphql-operations-without-necessary-access-scopes describes them.
                raise GraphQLRefusal(
                    f"Access denied for {root} field. Required access: `{needed}` access scope.",
                    "ACCESS_DENIED",
                    documentation="https://shopify.dev/api/usage/access-scopes",
                    requiredAccess=f"`{needed}` access scope.",
                )

    def _resolve(self, root: str, variables: Mapping[str, Any]) -> Any:
        if root == "shop":
            return {"name": self.shop_name, "myshopifyDomain": self.domain}
        if root == "currentAppInstallation":
            return {"accessScopes": [{"handle": s} for s in sorted(self.scopes)]}
        if root == "webhookSubscriptions":
            return {"edges": [{"node": dict(s)} for s in self.subscriptions.values()]}
        if root == "webhookSubscriptionCreate":
            return self._create_subscription(variables)
        if root == "webhookSubscriptionDelete":
            return self._delete_subscription(variables)
        if root == "order":
            _exactly(variables, {"id"}, "order")
            order = self.orders.get(_order_id(variables["id"], "id"))
            return None if order is None else _graphql_order(order)
        if root == "tagsAdd":
            return self._tags_add(variables)
        if root == "orderUpdate":
            return self._order_update(variables)
        return self._order_cancel(variables)

    def _create_subscription(self, variables: Mapping[str, Any]) -> dict[str, Any]:
        _exactly(variables, {"topic", "webhookSubscription"}, "webhookSubscriptionCreate")
        topic = variables["topic"]
        if topic not in ORDER_TOPICS:
            raise _invalid_variable("topic", "WebhookSubscriptionTopic!", topic)
        given = variables["webhookSubscription"]
        if not isinstance(given, dict):
            raise _invalid_variable("webhookSubscription", "WebhookSubscriptionInput!", given)
        for key in given:
            if key not in SUBSCRIPTION_INPUT:
                raise _invalid_variable(
                    "webhookSubscription",
                    "WebhookSubscriptionInput!",
                    given,
                    f"Field is not defined on WebhookSubscriptionInput: {key}",
                )
        uri = given.get("uri")
        if not isinstance(uri, str) or not uri.startswith(("https://", "http://")):
            return _user_error(["webhookSubscription", "uri"], "Address is invalid")
        if given.get("format", "JSON") not in ("JSON", "XML"):
            raise _invalid_variable("webhookSubscription", "WebhookSubscriptionInput!", given)
        if any(s["topic"] == topic and s["uri"] == uri for s in self.subscriptions.values()):
            # Shopify's refusal of a second subscription of one topic to one address.
            return _user_error(
                ["webhookSubscription", "callbackUrl"],
                "Address for this topic has already been taken",
            )
        gid = self.subscribe(topic, uri)
        return {"webhookSubscription": dict(self.subscriptions[gid]), "userErrors": []}

    def _delete_subscription(self, variables: Mapping[str, Any]) -> dict[str, Any]:
        _exactly(variables, {"id"}, "webhookSubscriptionDelete")
        gid = variables["id"]
        if not isinstance(gid, str) or not SUBSCRIPTION_GID.match(gid):
            raise _invalid_variable("id", "ID!", gid)
        if self.subscriptions.pop(gid, None) is None:
            # The fake's own text: no sample of this refusal was found.
            return {
                "deletedWebhookSubscriptionId": None,
                "userErrors": [{"field": ["id"], "message": "Webhook subscription does not exist"}],
            }
        return {"deletedWebhookSubscriptionId": gid, "userErrors": []}

    def _existing(self, gid: Any, name: str) -> dict[str, Any] | None:
        return self.orders.get(_order_id(gid, name))

    def _tags_add(self, variables: Mapping[str, Any]) -> dict[str, Any]:
        _exactly(variables, {"id", "tags"}, "tagsAdd")
        tags = variables["tags"]
        if isinstance(tags, str):  # refdata: one comma-separated string is accepted too
            tags = [t.strip() for t in tags.split(",")]
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise _invalid_variable("tags", "[String!]!", variables["tags"])
        order = self._existing(variables["id"], "id")
        if order is None:
            return {"node": None, **_user_error(["id"], "Order does not exist")}
        current = self.order_tags(order["id"])
        added = [t for t in tags if t and t not in current]
        if added:
            order["tags"] = ", ".join(current + added)
            order["updated_at"] = self.now()
        return {"node": {"id": order["admin_graphql_api_id"]}, "userErrors": []}

    def _order_update(self, variables: Mapping[str, Any]) -> dict[str, Any]:
        _exactly(variables, {"input"}, "orderUpdate")
        given = variables["input"]
        if not isinstance(given, dict) or "id" not in given:
            raise _invalid_variable("input", "OrderInput!", given)
        for key in given:
            if key not in ORDER_INPUT:
                raise _invalid_variable(
                    "input", "OrderInput!", given, f"Field is not defined on OrderInput: {key}"
                )
        if set(given) - {"id", "note"}:
            raise NotImplementedError(f"the fake sets only the note, not {sorted(given)}")
        note = given.get("note")
        if note is not None and not isinstance(note, str):
            raise _invalid_variable("input", "OrderInput!", given)
        order = self._existing(given["id"], "input")
        if order is None:
            return {"order": None, **_user_error(["id"], "Order does not exist")}
        order["note"] = note  # orderUpdate replaces the note (refdata add_note.behaviour)
        order["updated_at"] = self.now()
        return {"order": {"id": order["admin_graphql_api_id"], "note": note}, "userErrors": []}

    def _order_cancel(self, variables: Mapping[str, Any]) -> dict[str, Any]:
        for key in variables:
            if key not in CANCEL_ARGUMENTS:
                raise GraphQLRefusal(
                    f"Variable ${key} is declared by VykupOrderCancel but not used",
                    "variableNotUsed",
                )
        missing = {"orderId", "reason", "restock"} - set(variables)
        if missing:
            name = sorted(missing)[0]
            raise _invalid_variable(name, "non-null", None, "Expected value to not be null")
        if variables["reason"] not in CANCEL_REASONS:
            raise _invalid_variable("reason", "OrderCancelReason!", variables["reason"])
        for flag in ("restock", "notifyCustomer"):
            if flag in variables and not isinstance(variables[flag], bool):
                raise _invalid_variable(flag, "Boolean", variables[flag])
        order = self._existing(variables["orderId"], "orderId")
        if order is None:
            return {"job": None, "orderCancelUserErrors": [_field_error("Order does not exist")]}
        if order.get("cancelled_at"):
            # The fake's own text for a second cancel.
            refusal = _field_error("Order has already been cancelled")
            return {"job": None, "orderCancelUserErrors": [refusal]}
        stamp = self.now()
        order.update(
            cancelled_at=stamp,
            cancel_reason=str(variables["reason"]).lower(),
            closed_at=stamp,
            updated_at=stamp,
        )
        if variables.get("staffNote"):
            order.setdefault("_staff_notes", []).append(variables["staffNote"])
        job = {"id": f"gid://shopify/Job/{uuid.uuid4()}", "done": False}
        return {"job": job, "orderCancelUserErrors": []}


def _field_error(message: str) -> dict[str, Any]:
    return {"field": ["orderId"], "message": message, "code": "INVALID"}


def _user_error(path: list[str], message: str) -> dict[str, Any]:
    return {"webhookSubscription": None, "userErrors": [{"field": path, "message": message}]}


def _invalid_variable(
    name: str, type_name: str, value: Any, explanation: str = "Could not coerce value"
) -> GraphQLRefusal:
    """graphql-ruby's refusal of a variable, the engine behind Shopify's GraphQL."""
    return GraphQLRefusal(
        f"Variable ${name} of type {type_name} was provided invalid value",
        "INVALID_VARIABLE",
        value=value,
        problems=[{"path": [], "explanation": explanation}],
    )


def _exactly(variables: Mapping[str, Any], names: set[str], operation: str) -> None:
    extra = set(variables) - names
    if extra:
        raise GraphQLRefusal(
            f"Variable ${sorted(extra)[0]} is declared by {operation} but not used",
            "variableNotUsed",
        )
    missing = names - set(variables)
    if missing:
        name = sorted(missing)[0]
        raise _invalid_variable(name, "non-null", None, "Expected value to not be null")


def _order_id(gid: Any, name: str) -> str:
    match = ORDER_GID.match(gid) if isinstance(gid, str) else None
    if match is None:
        raise GraphQLRefusal(f"Invalid global id '{gid}'", "argumentLiteralsIncompatible")
    return match.group(1)


def _graphql_order(order: Mapping[str, Any]) -> dict[str, Any]:
    tags = [t.strip() for t in (order.get("tags") or "").split(",") if t.strip()]
    return {
        "id": order["admin_graphql_api_id"],
        "note": order.get("note"),
        "tags": tags,
        "cancelledAt": order.get("cancelled_at"),
    }


def root_fields(query: str) -> list[str]:
    """The operation's top-level fields; any unknown name anywhere is an undefined field."""
    depth = paren = 0
    roots: list[str] = []
    started = False
    for match in _TOKENS.finditer(query):
        token = match.group()
        if token == "{":
            depth += 1
            started = True
        elif token == "}":
            depth -= 1
        elif token == "(":
            paren += 1
        elif token == ")":
            paren -= 1
        elif token.startswith('"'):
            continue
        elif token not in VOCABULARY and not (started is False and paren == 0):
            raise GraphQLRefusal(
                f"Field '{token}' doesn't exist on type 'QueryRoot'",
                "undefinedField",
                fieldName=token,
            )
        elif started and depth == 1 and paren == 0:
            roots.append(token)
    known = [r for r in roots if r in ROOT_SCOPES]
    if not known:
        raise GraphQLRefusal("No operation found", "missingOperation")
    return known


def _roots_or_none(query: Any) -> list[str]:
    """The root fields of a call, for aiming a failure at one operation; [] when unreadable."""
    if not isinstance(query, str):
        return []
    try:
        return root_fields(query)
    except GraphQLRefusal:
        return []


async def _not_found(request: web.Request) -> web.StreamResponse:
    return web.json_response(NOT_FOUND_BODY, status=404)


@asynccontextmanager
async def serve(fake: FakeShopify) -> AsyncIterator[str]:
    """Serve ``fake`` on 127.0.0.1, port 0; yield its address (what ``api_url`` is set to)."""
    app = web.Application()
    app.router.add_post("/admin/api/{version}/graphql.json", fake.handle)
    app.router.add_route("*", "/{tail:.*}", _not_found)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    fake._session = aiohttp.ClientSession()
    try:
        yield f"http://{host}:{port}"
    finally:
        await fake._session.close()
        fake._session = None
        await runner.cleanup()
