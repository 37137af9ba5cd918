"""KeyCRM behind :class:`bot.connectors.base.Adapter`.

KeyCRM has outgoing webhooks only, set by hand as a trigger's «Відправити Webhook» action (no API
registers one), and signs none: ``register`` reads the account and hands the owner the steps;
``verify`` checks the body's shape (the URL's random key is the secret, checked before).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar, Final

import aiohttp

from bot.connectors.base import (
    ChangedOrders,
    ConnectFailed,
    ConnectionInfo,
    Inbound,
    InvalidInbound,
    Platform,
    PlatformRejected,
    PlatformUpdate,
    Registration,
    RemoteOrder,
)
from bot.connectors.keycrm.account import Learned, learn
from bot.connectors.keycrm.client import KeyCrmClient
from bot.connectors.keycrm.inbound import parse_webhook
from bot.connectors.keycrm.mapping import DEFAULT_MAPPING, InvalidTarget, parse_target
from bot.connectors.keycrm.orders import LANGUAGE_FIELD, remote_order
from bot.domain.shop_events import ShopEvent

ORDER_INCLUDES: Final = "buyer,products.offer,shipping.deliveryService,payments,status"
HELP_PAGE: Final = (
    "https://help.keycrm.app/uk/process-automation-api-and-more/webhook-setup-in-keycrm"
)
# Which call ``check``/``register`` make, for the 403 message: KeyCRM's key has no documented
# scopes, but a key that may not read these cannot work.
PERMISSIONS: Final = {
    "order/status": "order statuses (GET /order/status)",
    "order/payment-method": "payment methods (GET /order/payment-method)",
    "order/source": "sources (GET /order/source)",
}


class KeyCrmAdapter:
    platform: ClassVar[Platform] = Platform.keycrm
    default_api_url: ClassVar[str | None] = "https://openapi.keycrm.app/v1"
    credential_names: ClassVar[tuple[str, ...]] = ("api_key",)
    default_mapping: ClassVar[Mapping[ShopEvent, str]] = DEFAULT_MAPPING

    def signing_secret(self, credentials: Mapping[str, str]) -> str | None:
        return None  # KeyCRM signs nothing

    def verify(self, connection: ConnectionInfo, headers: Mapping[str, str], body: bytes) -> bool:
        """KeyCRM signs nothing (refdata: webhooks.signature "none documented"): the long random
        key in ``/connect/keycrm/<key>``, matched before this is called, is the whole proof. A body
        that is not KeyCRM's shape is then refused by ``parse``, naming the field (422)."""
        return True

    def parse(self, connection: ConnectionInfo, headers: Mapping[str, str], body: bytes) -> Inbound:
        return parse_webhook(body)

    async def fetch(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo, remote_id: str
    ) -> RemoteOrder:
        includes = ORDER_INCLUDES
        if connection.options.get(LANGUAGE_FIELD):
            includes += ",custom_fields"
        data = await _client(http, connection).get(
            f"order/{_order_path(remote_id)}", {"include": includes}
        )
        return remote_order(data, connection.options, connection.mapping)

    async def check(self, http: aiohttp.ClientSession, connection: ConnectionInfo) -> str:
        client = _client(http, connection)
        try:
            answer = await client.get("order/status", {"limit": "50"})
        except PlatformRejected as exc:
            raise _connect_failed(exc, "order/status") from None
        total = answer.get("total") if isinstance(answer, dict) else None
        if isinstance(total, bool) or not isinstance(total, int):
            raise ConnectFailed(f"KeyCRM at {client.address} answered without a status list")
        # No KeyCRM endpoint names the account: the count of its statuses stands for it.
        return f"KeyCRM ({total} order statuses)"

    async def register(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo
    ) -> Registration:
        client = _client(http, connection)
        rows: dict[str, list[dict[str, Any]]] = {}
        for path in PERMISSIONS:
            try:
                rows[path] = await client.list_all(path)
            except PlatformRejected as exc:
                raise _connect_failed(exc, path) from None
        learned = learn(rows["order/status"], rows["order/payment-method"], rows["order/source"])
        return Registration(
            done=_done_lines(learned),
            instructions=_instructions(connection.webhook_url),
            mapping=learned.mapping,
            options=learned.options,
        )

    async def unregister(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo
    ) -> list[str]:
        return [
            "KeyCRM: Vykup registered nothing through KeyCRM's API, so nothing was removed.",
            "In KeyCRM «Автоматизація», delete (or switch off) the trigger whose «Відправити "
            f"Webhook» action sends to {connection.webhook_url}",
        ]

    async def changed_since(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo, since: datetime
    ) -> ChangedOrders | None:
        """Not read yet: KeyCRM's own webhook retries are relied on."""
        return None

    async def apply(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo, update: PlatformUpdate
    ) -> None:
        event = update.event
        if event is None:
            return  # for the customer only: KeyCRM shows a customer no note
        value = connection.mapping.get(event.value, self.default_mapping.get(event, ""))
        try:
            target = parse_target(value)
        except InvalidTarget as exc:
            raise PlatformRejected(422, f"mapping of {event.value}: {exc}") from None
        client = _client(http, connection)
        path = f"order/{_order_path(update.remote_id)}"
        params = {"include": "tags"} if target.tag_id is not None else None
        order = await client.get(path, params)
        if not isinstance(order, dict):
            raise PlatformRejected(502, f"KeyCRM's {path} is not an order object")
        changes: dict[str, Any] = {}
        if target.status_id is not None and order.get("status_id") != target.status_id:
            changes["status_id"] = target.status_id
        if update.note:
            comment = order.get("manager_comment")
            existing = comment if isinstance(comment, str) else ""
            # manager_comment is one field: the marker in it says this event is already there.
            if update.marker not in existing:
                line = f"{update.note} {update.marker}"
                changes["manager_comment"] = f"{existing}\n{line}" if existing else line
        if changes:
            await client.put(path, changes)
        if target.tag_id is not None and target.tag_id not in _tag_ids(order):
            await client.post(f"{path}/tag/{target.tag_id}")


def _client(http: aiohttp.ClientSession, connection: ConnectionInfo) -> KeyCrmClient:
    api_url = connection.api_url or KeyCrmAdapter.default_api_url or ""
    return KeyCrmClient(http, api_url, connection.credentials.get("api_key", ""))


def _order_path(remote_id: str) -> str:
    if not (remote_id.isascii() and remote_id.isdigit()):
        raise InvalidInbound("remote_id", f"{remote_id[:40]!r} is not a KeyCRM order id")
    return remote_id


def _tag_ids(order: Mapping[str, Any]) -> set[int]:
    tags = order.get("tags")
    if not isinstance(tags, list):
        return set()
    return {tag["id"] for tag in tags if isinstance(tag, dict) and isinstance(tag.get("id"), int)}


def _connect_failed(exc: PlatformRejected, path: str) -> ConnectFailed:
    """One line for the operator: what KeyCRM said about which call."""
    if exc.status == 401:
        return ConnectFailed("KeyCRM refused the API key (401)")
    if exc.status == 403:
        return ConnectFailed(
            f"KeyCRM's API key may not read {PERMISSIONS.get(path, path)} (403): {exc.message}"
        )
    if exc.status == 0:
        return ConnectFailed(exc.message)  # names the address
    return ConnectFailed(f"KeyCRM answered GET /{path} with {exc.status}: {exc.message}")


def _done_lines(learned: Learned) -> list[str]:
    lines = [
        f"KeyCRM: read {len(learned.statuses)} order statuses; nothing was changed in KeyCRM, "
        "so connecting again is safe."
    ]
    by_id = {str(s.id): s for s in learned.statuses}
    for event, status_id in learned.mapping.items():
        if status_id:
            lines.append(f"{event} → status {by_id[status_id].label()} and a note")
        else:
            lines.append(
                f"{event} → a note only (no fitting status; set one with --map {event}=<id>)"
            )
    cancelled = ", ".join(s.label() for s in learned.cancelled) or "none found"
    lines.append(f"Read back as cancelled: {cancelled}")
    cod = ", ".join(learned.cod_methods) or "none named so: an order is COD unless it is paid"
    lines.append(f"Cash-on-delivery payment methods: {cod}")
    statuses = "; ".join(f"{s.label()} group {s.group_id}" for s in learned.statuses)
    lines.append(f"Statuses of this account: {statuses or 'none'}")
    return lines


def _instructions(webhook_url: str) -> list[str]:
    return [
        "1. In KeyCRM open «Автоматизація» (trigger automation) and create a trigger for orders "
        f"(KeyCRM's guide: {HELP_PAGE}).",
        "2. Condition: the order's status changes («Зміна статусу замовлення»); choose every "
        "status, including the first status of the «Новий» group, so that new orders reach "
        "Vykup too.",
        "3. If your KeyCRM also offers a trigger on order creation, give it the same action.",
        "4. Action: «Відправити Webhook»; method POST; URL:",
        f"   {webhook_url}",
        "5. Save the trigger and switch it on; then move a test order to another status: Vykup "
        "receives it within seconds.",
    ]
