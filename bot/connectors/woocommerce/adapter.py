"""WooCommerce as a Vykup connector: webhooks in (signed with the secret Vykup sets), order status
and notes out, through the REST API v3. Stateless: every call gets what it needs."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any, Final

import aiohttp

from bot.connectors.base import (
    ChangedOrders,
    ConnectFailed,
    ConnectionInfo,
    Inbound,
    InboundKind,
    InvalidInbound,
    Platform,
    PlatformRejected,
    PlatformUpdate,
    Registration,
    RemoteOrder,
)
from bot.connectors.woocommerce.client import WooCommerceApi, site_root
from bot.connectors.woocommerce.mapping import DEFAULT_MAPPING, target_status
from bot.connectors.woocommerce.orders import modified_at, remote_order
from bot.connectors.woocommerce.reading import type_name
from bot.connectors.woocommerce.signature import (
    SIGNATURE_HEADER,
    header,
    is_ping,
    signature_matches,
)
from bot.domain.shop_events import ShopEvent

log = logging.getLogger(__name__)

TOPIC_HEADER: Final = "X-WC-Webhook-Topic"
WEBHOOK_TOPICS: Final = ("order.created", "order.updated")
PAGE_SIZE: Final = 100
MAX_PAGES: Final = 50  # 5 000 webhooks: far beyond any shop; a loop guard against a broken total


class WooCommerceAdapter:
    platform: Platform = Platform.woocommerce
    default_api_url: str | None = None
    credential_names: tuple[str, ...] = ("key", "secret")
    default_mapping: Mapping[ShopEvent, str] = DEFAULT_MAPPING

    def signing_secret(self, credentials: Mapping[str, str]) -> str | None:
        # WooCommerce signs with a per-webhook secret that Vykup chooses and sets in ``register``.
        return None

    def verify(self, connection: ConnectionInfo, headers: Mapping[str, str], body: bytes) -> bool:
        if is_ping(headers, body):
            return True  # unsigned by WooCommerce itself, and it carries nothing to act on
        return signature_matches(body, connection.signing_secret, header(headers, SIGNATURE_HEADER))

    def parse(self, connection: ConnectionInfo, headers: Mapping[str, str], body: bytes) -> Inbound:
        if is_ping(headers, body):
            return Inbound(InboundKind.ping, topic="ping")
        topic = header(headers, TOPIC_HEADER)
        if not topic:
            raise InvalidInbound(TOPIC_HEADER, "is missing")
        if topic not in WEBHOOK_TOPICS:
            return Inbound(InboundKind.ignored, topic=topic[:100])
        order = remote_order(_json(body))
        return Inbound(InboundKind.order, order=order, remote_id=order.remote_id, topic=topic)

    async def fetch(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo, remote_id: str
    ) -> RemoteOrder:
        api = WooCommerceApi(http, connection)
        body, _ = await api.call("GET", f"orders/{_order_id(remote_id)}")
        return remote_order(body)

    async def changed_since(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo, since: datetime
    ) -> ChangedOrders | None:
        """``GET /orders?modified_after=…&dates_are_gmt=true&orderby=modified&order=asc``: the
        orders collection's filter since WooCommerce 5.8 (its REST CRUD controller), read as UTC
        by ``dates_are_gmt``; the oldest change first, a page of 100."""
        api = WooCommerceApi(http, connection)
        body, _ = await api.call(
            "GET",
            "orders",
            params={
                "modified_after": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
                "dates_are_gmt": "true",
                "orderby": "modified",
                "order": "asc",
                "per_page": str(PAGE_SIZE),
                "status": "any",
            },
        )
        if not isinstance(body, list):
            raise PlatformRejected(0, "the orders list is not a JSON array")
        orders: list[RemoteOrder] = []
        stamps: list[datetime] = []
        for item in body:
            # One order that cannot be read must not stop the others, nor the catch-up's progress.
            with suppress(InvalidInbound):
                stamp = modified_at(item)
                if stamp is not None:
                    stamps.append(stamp)
            try:
                orders.append(remote_order(item))
            except InvalidInbound as error:
                log.warning("%s: a listed order cannot be read: %s", connection.name, error)
        return ChangedOrders(
            orders=orders, until=max(stamps) if stamps else None, more=len(body) == PAGE_SIZE
        )

    async def check(self, http: aiohttp.ClientSession, connection: ConnectionInfo) -> str:
        api = WooCommerceApi(http, connection)
        root = site_root(connection)
        name: str | None = None
        try:
            index, _ = await api.call("GET", "/wp-json/", authenticated=False)
        except PlatformRejected as error:
            if error.status == 0:
                raise ConnectFailed(
                    f"WooCommerce at {root} cannot be reached: {error.message}"
                ) from None
            index = None  # a security plugin may hide the index: the key's check still tells
        if isinstance(index, dict):
            if isinstance(index.get("name"), str):
                name = index["name"].strip()[:200]
            namespaces = index.get("namespaces")
            if isinstance(namespaces, list) and "wc/v3" not in namespaces:
                raise ConnectFailed(
                    f"{root} is a WordPress site without WooCommerce's REST API (wc/v3)"
                )
        try:
            await api.call("GET", "webhooks", params={"per_page": "1"})
        except PlatformRejected as error:
            raise ConnectFailed(_refusal(error, root, needed="read")) from None
        return name or root

    async def register(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo
    ) -> Registration:
        api = WooCommerceApi(http, connection)
        root = site_root(connection)
        done: list[str] = []
        try:
            ours = await _webhooks_at(api, connection.webhook_url)
            for topic in WEBHOOK_TOPICS:
                same = [hook for hook in ours if hook.get("topic") == topic]
                if not same:
                    done.append(await _create(api, connection, topic))
                    continue
                kept, *duplicates = same
                done.append(await _keep(api, connection, topic, kept))
                for duplicate in duplicates:
                    await api.call(
                        "DELETE", f"webhooks/{duplicate['id']}", params={"force": "true"}
                    )
                    done.append(f"Removed a duplicate {topic} webhook (id {duplicate['id']})")
        except PlatformRejected as error:
            raise ConnectFailed(_refusal(error, root, needed="write")) from None
        return Registration(done=done)

    async def unregister(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo
    ) -> list[str]:
        api = WooCommerceApi(http, connection)
        done: list[str] = []
        try:
            for hook in await _webhooks_at(api, connection.webhook_url):
                await api.call("DELETE", f"webhooks/{hook['id']}", params={"force": "true"})
                done.append(f"Removed the {hook.get('topic')} webhook (id {hook['id']})")
        except PlatformRejected as error:
            raise ConnectFailed(_refusal(error, site_root(connection), needed="write")) from None
        return done or [
            f"No webhook of this shop delivers to {connection.webhook_url}: nothing to remove"
        ]

    async def apply(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo, update: PlatformUpdate
    ) -> None:
        api = WooCommerceApi(http, connection)
        order_id = _order_id(update.remote_id)
        order, _ = await api.call("GET", f"orders/{order_id}")
        target = (
            target_status(update.event, connection.mapping) if update.event is not None else None
        )
        if target is not None and (not isinstance(order, dict) or order.get("status") != target):
            await api.call("PUT", f"orders/{order_id}", body={"status": target})
        # A customer note is e-mailed by WooCommerce ("Customer note"); the owner may keep it
        # for the staff with --option customer_notes=off.
        to_customer = bool(update.customer_note) and (
            connection.options.get("customer_notes", "on") != "off"
        )
        text = update.customer_note if to_customer else update.note
        if not text:
            return
        notes, _ = await api.call("GET", f"orders/{order_id}/notes")
        # A call repeated after a crash finds its own note by the marker (WooCommerce returns the
        # note as HTML, ``<p>…<br />…</p>``, so the marker is looked for inside the text).
        if isinstance(notes, list) and any(
            isinstance(note, dict) and update.marker in str(note.get("note", "")) for note in notes
        ):
            return
        await api.call(
            "POST",
            f"orders/{order_id}/notes",
            body={"note": f"{text}\n{update.marker}", "customer_note": to_customer},
        )


async def _webhooks_at(api: WooCommerceApi, delivery_url: str) -> list[dict[str, Any]]:
    """Every webhook of the shop delivering to ``delivery_url``, oldest first."""
    found: list[dict[str, Any]] = []
    wanted = delivery_url.rstrip("/")
    for page in range(1, MAX_PAGES + 1):
        hooks, headers = await api.call(
            "GET",
            "webhooks",
            params={"per_page": str(PAGE_SIZE), "page": str(page), "order": "asc"},
        )
        if not isinstance(hooks, list):
            raise PlatformRejected(0, f"the webhooks list is {type_name(hooks)}, not a list")
        found.extend(
            hook
            for hook in hooks
            if isinstance(hook, dict)
            and isinstance(hook.get("id"), int)
            and str(hook.get("delivery_url", "")).rstrip("/") == wanted
        )
        total_pages = header(headers, "X-WP-TotalPages")
        last = int(total_pages) if total_pages and total_pages.isdigit() else page
        if len(hooks) < PAGE_SIZE or page >= last:
            break
    return found


async def _create(api: WooCommerceApi, connection: ConnectionInfo, topic: str) -> str:
    created, _ = await api.call(
        "POST",
        "webhooks",
        body={
            "name": f"Vykup: {topic}",
            "topic": topic,
            "delivery_url": connection.webhook_url,
            "secret": connection.signing_secret,
            "status": "active",
        },
    )
    hook_id = created.get("id") if isinstance(created, dict) else None
    return f"Registered the {topic} webhook (id {hook_id}) delivering to {connection.webhook_url}"


async def _keep(
    api: WooCommerceApi, connection: ConnectionInfo, topic: str, hook: dict[str, Any]
) -> str:
    # The secret is write-only and Vykup's database may be new: set it again either way.
    await api.call(
        "PUT",
        f"webhooks/{hook['id']}",
        body={"secret": connection.signing_secret, "status": "active"},
    )
    status = hook.get("status")
    if status == "active":
        return f"The {topic} webhook is already registered (id {hook['id']})"
    return f"The {topic} webhook was {status}: re-activated (id {hook['id']})"


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise InvalidInbound("body", "is not JSON") from None


def _order_id(remote_id: str) -> str:
    if not remote_id.isascii() or not remote_id.isdigit() or len(remote_id) > 19:
        raise PlatformRejected(404, f"{remote_id[:40]!r} is not a WooCommerce order id")
    return remote_id


def _refusal(error: PlatformRejected, root: str, needed: str) -> str:
    """One line for the shop owner: what WooCommerce refused and what to change."""
    said = f"{error.status} {error.message}" if error.status else error.message
    if error.status == 0:
        return f"WooCommerce at {root} cannot be reached: {error.message}"
    if error.status == 401 and "read permission" in error.message:
        return f"The WooCommerce key has no read permission ({said}); create a Read/Write key"
    if error.status == 401 and "write permission" in error.message:
        return f"The WooCommerce key has no write permission ({said}); create a Read/Write key"
    if error.status == 401:
        return f"WooCommerce refused the key ({said}); check the consumer key and secret"
    if error.status == 403:
        return (
            f"The key's WordPress user lacks the permission to manage WooCommerce ({said}); "
            "create the key for an Administrator or Shop Manager"
        )
    if error.status == 404:
        return (
            f"WooCommerce's REST API was not found at {root}/wp-json/wc/v3/ ({said}); "
            "is WooCommerce active and are permalinks other than 'Plain'?"
        )
    verb = "reading" if needed == "read" else "changing"
    return f"WooCommerce answered with an error while {verb} its webhooks ({said})"
