"""A strict local fake of KeyCRM's API (``https://openapi.keycrm.app/v1``) and of its trigger
webhooks, built from ``shared/refdata/crm/keycrm-api-facts.json``.

What the facts give, it follows: Bearer auth, the endpoints and ``include`` list of ``GET
/order``, the fields ``PUT /order/{id}`` takes, ``limit`` at most 50 and the paginated shape
``{total, current_page, per_page, data, first_page_url, last_page_url, next_page_url}``, the
status object, 202 ``{"status": true}`` for a tag, errors as ``{"message": "…"}``, and the
webhook ``{"event": "order.change_order_status", "context": <order row>}`` with the context
fields the facts list (no signature: KeyCRM signs nothing).

Where they are silent (each marked "assumed" below): the error texts are Laravel's defaults, as
KeyCRM's paginator is Laravel's (``first_page_url``/``next_page_url``): 401 ``Unauthenticated.``,
403 ``This action is unauthorized.``, 404 ``Not Found``, 429 ``Too Many Attempts.`` with
``Retry-After``, 500 ``Server Error``; dates are written ``YYYY-MM-DD HH:MM:SS`` in UTC; an
unknown field in a PUT is refused with 422 (KeyCRM may ignore it: stricter is safer for tests).
``shipping.delivery_service`` as ``include=shipping.deliveryService`` adds it follows a public
mirror of KeyCRM's order (code-index file 69512830612).

The seeded account (:func:`seed_statuses` …) is illustrative: six groups with the ids one live
account shows (1 new, 2 approval, 3 production, 4 delivery, 5 completed, 6 cancelled; code-index
file 60536805301) and statuses of the kind Ukrainian shops create.

Usage::

    fake = FakeKeyCrm()
    async with serve(fake) as api_url:               # http://127.0.0.1:<port>/v1
        fake.add_trigger(webhook_url)                 # what the owner does by hand in KeyCRM
        order = await fake.create_order(phone="+380501234567")   # delivers the webhook
        await fake.change_status(order["id"], 11)     # and again
        fake.fail_next(429, retry_after=7)            # the next API call is refused
        fake.revoke(DEFAULT_API_KEY)                  # every call now answers 401
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import aiohttp
from aiohttp import web

API_PREFIX: Final = "/v1"
DEFAULT_API_KEY: Final = "fake-keycrm-api-key-0123456789abcdef"
STATUS_CHANGED: Final = "order.change_order_status"
MAX_LIMIT: Final = 50  # facts: pagination.params.limit "max 50, default 15"
DEFAULT_LIMIT: Final = 15
# Laravel's default texts (assumed; see the module docstring).
UNAUTHENTICATED: Final = "Unauthenticated."
UNAUTHORIZED: Final = "This action is unauthorized."
NOT_FOUND: Final = "Not Found"
TOO_MANY: Final = "Too Many Attempts."
SERVER_ERROR: Final = "Server Error"
DELIVERY_TIMEOUT: Final = aiohttp.ClientTimeout(total=10)


def facts() -> dict[str, Any]:
    """``keycrm-api-facts.json`` from ``$VYKUP_REFDATA_DIR/crm`` or the shared checkout."""
    override = os.environ.get("VYKUP_REFDATA_DIR")
    base = Path(override) if override else Path(__file__).resolve().parents[4] / "shared/refdata"
    data: dict[str, Any] = json.loads((base / "crm" / "keycrm-api-facts.json").read_text())
    return data


def _allowed_includes(known: dict[str, Any]) -> frozenset[str]:
    text = known["order_endpoints"]["GET /order"].split("include:", 1)[1]
    names = {name.strip() for name in text.split(",")}
    # "shipping.lastHistory" and "shipping.deliveryService" imply "shipping"; the live account
    # (code-index file 60536805301) also takes plain "products".
    return frozenset(names | {"shipping", "products"})


def _update_fields(known: dict[str, Any]) -> frozenset[str]:
    return frozenset(item.split(" ", 1)[0] for item in known["update_order_request"]["fields"])


def _context_fields(known: dict[str, Any]) -> tuple[str, ...]:
    return tuple(known["webhooks"]["context_fields_for_order_change_order_status"])


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")  # assumed format


# -- the illustrative account -----------------------------------------------------------------


def seed_statuses() -> list[dict[str, Any]]:
    rows = [
        (1, "Новий", "new", 1),
        (2, "Погодження з клієнтом", "approval", 2),
        (3, "Підтверджено", "confirmed", 2),
        (4, "Очікує передоплату", "waiting_prepayment", 2),
        (5, "Недодзвон", "no_answer", 2),
        (6, "Відкладено", "postponed", 2),
        (7, "Комплектується", "packing", 3),
        (8, "Відправлено", "shipped", 4),
        (9, "Прибуло у відділення", "arrived", 4),
        (10, "Виконано", "completed", 5),
        (11, "Скасовано", "canceled", 6),
        (12, "Відмова при отриманні", "refused", 6),
        (13, "Не забрав з пошти", "not_picked_up", 6),
    ]
    statuses = [
        {
            "id": status_id,
            "name": name,
            "alias": alias,
            "is_active": True,
            "group_id": group,
            "is_closing_order": group in (5, 6),
            "is_reserved": status_id == 1,
            "expiration_period": 0,
            "created_at": "2024-01-10 09:00:00",
            "updated_at": "2024-01-10 09:00:00",
            "deleted_at": None,
        }
        for status_id, name, alias, group in rows
    ]
    archived = dict(statuses[9], id=14, name="Архів", alias="archive", is_active=False)
    return [*statuses, archived]


def seed_payment_methods() -> list[dict[str, Any]]:
    rows = [
        (1, "Накладений платіж", "cod"),
        (2, "Оплата карткою", "card"),
        (3, "Безготівковий розрахунок", "bank_transfer"),
        (4, "Готівка", "cash"),
    ]
    return [{"id": i, "name": n, "alias": a, "is_active": True} for i, n, a in rows]


def seed_sources() -> list[dict[str, Any]]:
    rows = [
        (1, "Сайт", "site", "UAH"),
        (2, "Instagram", "instagram", "UAH"),
        (4, "Export", "export", "USD"),
    ]
    return [
        {
            "id": i,
            "name": n,
            "alias": a,
            "driver": "other",
            "source_uuid": None,
            "source_name": n,
            "currency_code": c,
            "created_at": "2024-01-10 09:00:00",
            "updated_at": "2024-01-10 09:00:00",
        }
        for i, n, a, c in rows
    ]


def seed_delivery_services() -> list[dict[str, Any]]:
    rows = [
        (1, "Нова Пошта", "novaposhta", "novaposhta"),
        (2, "Укрпошта", "ukrposhta", "ukrposhta"),
        (3, "Meest", "meest", "meest"),
        (4, "Самовивіз", "pickup", None),
    ]
    return [{"id": i, "name": n, "alias": a, "source_name": s} for i, n, a, s in rows]


def seed_tags() -> list[dict[str, Any]]:
    return [
        {"id": 1, "name": "Vykup", "alias": "vykup", "color": "#2e7d32"},
        {"id": 2, "name": "Чорний список", "alias": "blacklist", "color": "#c62828"},
    ]


# -- the fake ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    status: int
    retry_after: int | None = None


@dataclass(frozen=True)
class Call:
    """One API request as the fake received it."""

    method: str
    path: str  # without the /v1 prefix: "/order/5"
    query: dict[str, str]
    body: Any
    authorization: str | None


@dataclass(frozen=True)
class Delivery:
    """One webhook the fake sent, and how the receiver answered (0: no answer)."""

    url: str
    body: dict[str, Any]
    status: int


@dataclass
class FakeKeyCrm:
    """One KeyCRM account. Its public methods are what tests (and the end-to-end suite) use."""

    api_keys: set[str] = field(default_factory=lambda: {DEFAULT_API_KEY})
    statuses: list[dict[str, Any]] = field(default_factory=seed_statuses)
    payment_methods: list[dict[str, Any]] = field(default_factory=seed_payment_methods)
    sources: list[dict[str, Any]] = field(default_factory=seed_sources)
    delivery_services: list[dict[str, Any]] = field(default_factory=seed_delivery_services)
    tags: list[dict[str, Any]] = field(default_factory=seed_tags)
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    triggers: list[str] = field(default_factory=list)  # webhook URLs, method POST
    calls: list[Call] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    forbidden: set[str] = field(default_factory=set)  # paths answered 403 ("/order/status")
    # KeyCRM's documented limit (60/min per key); None: not enforced (the default, so that a
    # suite's many calls are not throttled). Counted per fake minute of ``clock``.
    rate_limit_per_minute: int | None = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    _failures: list[Failure] = field(default_factory=list)
    _window: tuple[datetime, int] = field(default=(datetime.min.replace(tzinfo=UTC), 0))
    _known: dict[str, Any] = field(default_factory=facts)

    # -- telling it what to do ------------------------------------------------------------

    def add_trigger(self, url: str) -> None:
        """What the owner does by hand: a status-change trigger whose action «Відправити
        Webhook» POSTs to ``url``. Adding the same URL twice makes two triggers, as KeyCRM
        would."""
        self.triggers.append(url)

    def fail_next(self, status: int, *, retry_after: int | None = None, times: int = 1) -> None:
        """The next ``times`` API calls answer ``status`` (429 with ``Retry-After``, 500 …)."""
        self._failures.extend([Failure(status, retry_after)] * times)

    def revoke(self, api_key: str = DEFAULT_API_KEY) -> None:
        """The owner regenerated the key: calls with the old one answer 401."""
        self.api_keys.discard(api_key)

    def forbid(self, path: str) -> None:
        """Calls to ``path`` (``"/order/status"``) answer 403, as for a key without access."""
        self.forbidden.add(path)

    # -- orders ---------------------------------------------------------------------------

    async def create_order(
        self,
        *,
        phone: str | None = "+380501234567",
        name: str = "Олена Петренко",
        products: Iterable[dict[str, Any]] | None = None,
        grand_total: float | None = None,
        payment_method_id: int | None = 1,
        payment_status: str = "not_paid",
        delivery_service_id: int | None = 1,
        city: str | None = "Київ",
        receive_point: str | None = "Відділення №12: вул. Хрещатик, 22",
        recipient_phone: str | None = None,
        recipient_name: str | None = None,
        tracking_code: str | None = None,
        source_id: int = 1,
        status_id: int = 1,
        notify: bool = True,
    ) -> dict[str, Any]:
        """A new order, as a shop's site or a manager creates it; returned as ``GET
        /order/{id}`` with every include shows it. ``notify``: deliver the status-change webhook
        to each trigger (KeyCRM's trigger for the «Новий» status, as the README asks)."""
        order_id = max(self.orders, default=1000) + 1
        now = _stamp(self.clock())
        lines = list(products) if products is not None else [product()]
        total = grand_total
        if total is None:
            total = sum(line["price"] * line["quantity"] for line in lines)
        buyer_id = 500 + order_id
        payments = []
        if payment_method_id is not None:
            payments.append(
                {
                    "id": 9000 + order_id,
                    "destination_id": order_id,
                    "payment_method_id": payment_method_id,
                    "amount": total,
                    "actual_currency": self._currency(source_id),
                    "transaction_uuid": None,
                    "description": None,
                    "status": "paid" if payment_status == "paid" else "not_paid",
                    "fiscal_result": [],
                    "payment_date": now,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        self.orders[order_id] = {
            "id": order_id,
            "parent_id": None,
            "source_uuid": f"site-{order_id}",
            "source_id": source_id,
            "status_id": status_id,
            "status_group_id": self._status(status_id)["group_id"],
            "grand_total": total,
            "promocode": None,
            "total_discount": 0,
            "expenses_sum": 0,
            "shipping_price": None,
            "wrap_price": None,
            "taxes": None,
            "manager_comment": None,
            "buyer_comment": None,
            "gift_message": None,
            "is_gift": False,
            "payment_status": payment_status,
            "last_synced_at": None,
            "created_at": now,
            "ordered_at": now,
            "updated_at": now,
            "closed_at": None,
            "status_changed_at": now,
            "manager_id": 1,
            "buyer": {
                "id": buyer_id,
                "full_name": name,
                "email": None,
                "phone": phone,
                "company_id": None,
                "manager_id": 1,
            },
            "products": [_product_row(line) for line in lines],
            "payments": payments,
            "tag_ids": [],
            "shipping": {
                "delivery_service_id": delivery_service_id,
                "tracking_code": tracking_code,
                "shipping_status": None,
                "shipping_address_city": city,
                "shipping_address_country": "Ukraine",
                "shipping_address_country_code": "UA",
                "shipping_address_region": None,
                "shipping_address_zip": None,
                "shipping_secondary_line": None,
                "shipping_receive_point": receive_point,
                "recipient_full_name": recipient_name,
                "recipient_phone": recipient_phone,
                "shipping_date_actual": None,
            },
            "custom_fields": [],
        }
        if notify:
            await self.send_webhooks(order_id)
        return self.order(order_id)

    async def change_status(self, order_id: int, status_id: int, *, notify: bool = True) -> None:
        """A manager moves the order in KeyCRM's admin; the triggers fire."""
        self._set_status(self.orders[order_id], status_id)
        if notify:
            await self.send_webhooks(order_id)

    def set_tracking(self, order_id: int, tracking_code: str) -> None:
        self.orders[order_id]["shipping"]["tracking_code"] = tracking_code
        self._touch(self.orders[order_id])

    def order(self, order_id: int) -> dict[str, Any]:
        """The order as ``GET /order/{id}`` with every include would show it."""
        return self._render(self.orders[order_id], self._allowed_includes)

    def status_of(self, order_id: int) -> dict[str, Any]:
        return self._status(self.orders[order_id]["status_id"])

    def tag_names(self, order_id: int) -> list[str]:
        names = {tag["id"]: tag["name"] for tag in self.tags}
        return [names[tag_id] for tag_id in self.orders[order_id]["tag_ids"]]

    def manager_comment(self, order_id: int) -> str | None:
        comment: str | None = self.orders[order_id]["manager_comment"]
        return comment

    def writes(self) -> list[Call]:
        """Every call that could change the account (PUT, POST, DELETE)."""
        return [call for call in self.calls if call.method != "GET"]

    # -- webhooks -------------------------------------------------------------------------

    def webhook_body(self, order_id: int, event: str = STATUS_CHANGED) -> dict[str, Any]:
        """``{"event", "context"}`` with the context fields the facts list (the order's row:
        ``client_id`` and ``client_comment`` where the API says buyer/buyer_comment)."""
        row = self.orders[order_id]
        values = {
            **{key: row.get(key) for key in _context_fields(self._known)},
            "client_id": row["buyer"]["id"],
            "client_comment": row["buyer_comment"],
            "status_on_source": None,
            "fiscal_result": [],
            "fiscal_status": None,
            "discount_amount": None,
            "discount_percent": None,
            "gift_wrap": False,
            "deleted_at": None,
            "payments_total": sum(p["amount"] for p in row["payments"] if p["status"] == "paid"),
            "is_expired": False,
            "has_reserves": False,
        }
        context = {key: values.get(key) for key in _context_fields(self._known)}
        return {"event": event, "context": context}

    async def send_webhooks(self, order_id: int, event: str = STATUS_CHANGED) -> list[Delivery]:
        """POST the webhook to every trigger's URL, one after another; what each answered is
        kept in :attr:`deliveries` (and returned)."""
        body = json.dumps(self.webhook_body(order_id, event), ensure_ascii=False).encode()
        sent = []
        async with aiohttp.ClientSession(timeout=DELIVERY_TIMEOUT) as http:
            for url in self.triggers:
                try:
                    headers = {"Content-Type": "application/json"}
                    async with http.post(url, data=body, headers=headers) as response:
                        status = response.status
                except (aiohttp.ClientError, TimeoutError):
                    status = 0
                sent.append(Delivery(url, json.loads(body), status))
        self.deliveries.extend(sent)
        return sent

    # -- the HTTP side --------------------------------------------------------------------

    @property
    def _allowed_includes(self) -> frozenset[str]:
        return _allowed_includes(self._known)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path.removeprefix(API_PREFIX)
        body: Any = None
        if request.can_read_body:
            text = await request.text()
            try:
                body = json.loads(text) if text else None
            except ValueError:
                body = text
        self.calls.append(
            Call(
                request.method,
                path,
                dict(request.query),
                body,
                request.headers.get("Authorization"),
            )
        )
        refusal = self._refusal(request, path)
        if refusal is not None:
            return refusal
        return self._route(request.method, path, dict(request.query), body)

    def _refusal(self, request: web.Request, path: str) -> web.Response | None:
        if not request.path.startswith(API_PREFIX + "/"):
            return _error(404, NOT_FOUND)
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth.removeprefix("Bearer ") not in self.api_keys:
            return _error(401, UNAUTHENTICATED)
        if self._failures:
            failure = self._failures.pop(0)
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
            text = {429: TOO_MANY, 401: UNAUTHENTICATED, 403: UNAUTHORIZED}.get(
                failure.status, SERVER_ERROR
            )
            return _error(failure.status, text, headers)
        if self.rate_limit_per_minute is not None and self._throttled():
            return _error(429, TOO_MANY, {"Retry-After": "60"})
        if path in self.forbidden or any(path.startswith(p + "/") for p in self.forbidden):
            return _error(403, UNAUTHORIZED)
        return None

    def _throttled(self) -> bool:
        now = self.clock()
        start, count = self._window
        if now - start >= timedelta(minutes=1):
            start, count = now, 0
        self._window = (start, count + 1)
        return count + 1 > (self.rate_limit_per_minute or 0)

    def _route(self, method: str, path: str, query: dict[str, str], body: Any) -> web.Response:
        lists = {
            "/order/status": self.statuses,
            "/order/payment-method": self.payment_methods,
            "/order/source": self.sources,
            "/order/delivery-service": self.delivery_services,
            "/order/tag": self.tags,
        }
        parts = path.strip("/").split("/")
        if method == "GET" and path in lists:
            return self._page(path, lists[path], query)
        if len(parts) >= 2 and parts[0] == "order" and parts[1].isdigit():
            order = self.orders.get(int(parts[1]))
            if order is None:
                return _error(404, NOT_FOUND)
            if len(parts) == 2 and method == "GET":
                return self._get_order(order, query)
            if len(parts) == 2 and method == "PUT":
                return self._put_order(order, body)
            if len(parts) == 4 and parts[2] == "tag" and parts[3].isdigit():
                return self._tag(order, int(parts[3]), attach=method == "POST")
        return _error(404, NOT_FOUND)

    def _page(self, path: str, rows: list[dict[str, Any]], query: dict[str, str]) -> web.Response:
        limit_text, page_text = query.get("limit", str(DEFAULT_LIMIT)), query.get("page", "1")
        if not (limit_text.isdigit() and page_text.isdigit()) or int(page_text) < 1:
            return _error(422, "The given data was invalid.")  # assumed text
        limit, page = int(limit_text), int(page_text)
        if not 1 <= limit <= MAX_LIMIT:
            return _error(422, f"The limit must be between 1 and {MAX_LIMIT}.")  # assumed text
        last = max(1, -(-len(rows) // limit))
        url = f"https://openapi.keycrm.app/v1{path}?limit={limit}&page="
        return web.json_response(
            {
                "total": len(rows),
                "current_page": page,
                "per_page": limit,
                "data": copy.deepcopy(rows[(page - 1) * limit : page * limit]),
                "first_page_url": f"{url}1",
                "last_page_url": f"{url}{last}",
                "next_page_url": f"{url}{page + 1}" if page < last else None,
            }
        )

    def _get_order(self, order: dict[str, Any], query: dict[str, str]) -> web.Response:
        includes = {name for name in query.get("include", "").split(",") if name}
        unknown = sorted(includes - self._allowed_includes)
        if unknown:
            allowed = ", ".join(sorted(self._allowed_includes))
            # Spatie query-builder's text, as Laravel APIs answer it (assumed).
            return _error(
                400,
                f"Requested include(s) `{', '.join(unknown)}` are not allowed. "
                f"Allowed include(s) are `{allowed}`.",
            )
        return web.json_response(self._render(order, frozenset(includes)))

    def _put_order(self, order: dict[str, Any], body: Any) -> web.Response:
        if not isinstance(body, dict):
            return _error(422, "The given data was invalid.")
        unknown = sorted(set(body) - _update_fields(self._known))
        if unknown:
            return _error(422, f"Unknown field(s): {', '.join(unknown)}.")  # assumed (stricter)
        if "status_id" in body:
            status_id = body["status_id"]
            if not isinstance(status_id, int) or not any(
                s["id"] == status_id for s in self.statuses
            ):
                return _error(422, "The selected status id is invalid.")
            self._set_status(order, status_id)
        for key in ("manager_comment", "buyer_comment"):
            if key in body:
                if body[key] is not None and not isinstance(body[key], str):
                    return _error(422, f"The {key.replace('_', ' ')} must be a string.")
                order[key] = body[key]
        self._touch(order)
        return web.json_response(self._render(order, frozenset()))

    def _tag(self, order: dict[str, Any], tag_id: int, *, attach: bool) -> web.Response:
        if not any(tag["id"] == tag_id for tag in self.tags):
            return _error(404, NOT_FOUND)
        if attach and tag_id not in order["tag_ids"]:
            order["tag_ids"].append(tag_id)
        if not attach and tag_id in order["tag_ids"]:
            order["tag_ids"].remove(tag_id)
        return web.json_response({"status": True}, status=202)

    # -- rendering ------------------------------------------------------------------------

    def _status(self, status_id: int) -> dict[str, Any]:
        return next(s for s in self.statuses if s["id"] == status_id)

    def _currency(self, source_id: int) -> str:
        return next((s["currency_code"] for s in self.sources if s["id"] == source_id), "UAH")

    def _set_status(self, order: dict[str, Any], status_id: int) -> None:
        order["status_id"] = status_id
        order["status_group_id"] = self._status(status_id)["group_id"]
        order["status_changed_at"] = _stamp(self.clock())
        self._touch(order)

    def _touch(self, order: dict[str, Any]) -> None:
        order["updated_at"] = _stamp(self.clock())

    def _render(self, order: dict[str, Any], includes: frozenset[str]) -> dict[str, Any]:
        relations = ("buyer", "products", "payments", "shipping", "custom_fields", "tag_ids")
        shown = {k: copy.deepcopy(v) for k, v in order.items() if k not in relations}
        shown.pop("status_changed_at", None)
        if "buyer" in includes:
            shown["buyer"] = copy.deepcopy(order["buyer"])
        if includes & {"products", "products.offer"}:
            shown["products"] = copy.deepcopy(order["products"])
            if "products.offer" not in includes:
                for line in shown["products"]:
                    line.pop("offer", None)
        if "payments" in includes:
            shown["payments"] = copy.deepcopy(order["payments"])
        if includes & {"shipping", "shipping.deliveryService", "shipping.lastHistory"}:
            shipping = copy.deepcopy(order["shipping"])
            if "shipping.deliveryService" in includes:
                service_id = shipping["delivery_service_id"]
                services = [s for s in self.delivery_services if s["id"] == service_id]
                # KeyCRM casts an empty relation to [] (code-index file 69512830612).
                shipping["delivery_service"] = copy.deepcopy(services[0]) if services else []
            shown["shipping"] = shipping
        if "status" in includes:
            shown["status"] = copy.deepcopy(self._status(order["status_id"]))
        if "tags" in includes:
            shown["tags"] = [copy.deepcopy(t) for t in self.tags if t["id"] in order["tag_ids"]]
        if "custom_fields" in includes:
            shown["custom_fields"] = copy.deepcopy(order["custom_fields"])
        return shown


def product(
    name: str = "Сукня лляна",
    sku: str | None = "DRESS-42",
    quantity: float = 1.0,
    price: float = 1200.0,
) -> dict[str, Any]:
    """One line for :meth:`FakeKeyCrm.create_order` (KeyCRM's quantity is a float)."""
    return {"name": name, "sku": sku, "quantity": quantity, "price": price}


def _product_row(line: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": line["name"],
        "sku": line.get("sku"),
        "price": line["price"],
        "price_sold": line["price"],
        "purchased_price": None,
        "discount_percent": 0,
        "discount_amount": 0,
        "total_discount": 0,
        "quantity": line["quantity"],
        "unit_type": None,
        "upsale": False,
        "comment": None,
        "product_status_id": None,
        "picture": None,
        "properties": [],
        "offer": {"id": 700, "sku": line.get("sku"), "barcode": None, "price": line["price"]},
    }


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"message": message}, status=status, headers=headers)


@asynccontextmanager
async def serve(fake: FakeKeyCrm) -> AsyncIterator[str]:
    """Serve ``fake`` on 127.0.0.1, port 0; yield its API URL (``http://127.0.0.1:<port>/v1``)."""
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", fake.handle)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}{API_PREFIX}"
    finally:
        await runner.cleanup()
