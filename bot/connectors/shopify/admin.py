"""The GraphQL Admin API operations Vykup uses, each a typed function over :func:`graphql`.

Queries and mutations follow the shopify.dev reference of the 2026-07 Admin API as stored in the
docs corpus: ``shop``/``currentAppInstallation.accessScopes``; ``webhookSubscriptions`` with the
``uri`` field and ``webhookSubscriptionCreate(topic, webhookSubscription: {uri, format})``, which
replaced ``callbackUrl``/``endpoint`` (shopify.dev/changelog/consolidate-webhook-graphql-surfaces,
effective 2025-10); ``webhookSubscriptionDelete(id)`` → ``deletedWebhookSubscriptionId``;
``order(id)``, ``tagsAdd``, ``orderUpdate(input: {id, note})`` and ``orderCancel`` as refdata
``shopify-webhooks-and-order-api.json`` records them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import aiohttp

from bot.connectors.base import ConnectionInfo, PlatformRejected
from bot.connectors.shopify.client import graphql, order_gid, user_errors

SHOP_QUERY: Final = """query VykupShop {
  shop { name myshopifyDomain }
  currentAppInstallation { accessScopes { handle } }
}"""
SUBSCRIPTIONS_QUERY: Final = """query VykupWebhooks {
  webhookSubscriptions(first: 100) { edges { node { id topic uri } } }
}"""
SUBSCRIPTION_CREATE: Final = """mutation VykupWebhookCreate(
  $topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!
) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}"""
SUBSCRIPTION_DELETE: Final = """mutation VykupWebhookDelete($id: ID!) {
  webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } }
}"""
ORDER_STATE_QUERY: Final = """query VykupOrderState($id: ID!) {
  order(id: $id) { id note tags cancelledAt }
}"""
TAGS_ADD: Final = """mutation VykupTagsAdd($id: ID!, $tags: [String!]!) {
  tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } }
}"""
ORDER_UPDATE: Final = """mutation VykupOrderNote($input: OrderInput!) {
  orderUpdate(input: $input) { order { id note } userErrors { field message } }
}"""
ORDER_CANCEL: Final = """mutation VykupOrderCancel(
  $orderId: ID!, $reason: OrderCancelReason!, $restock: Boolean!, $notifyCustomer: Boolean,
  $staffNote: String
) {
  orderCancel(
    orderId: $orderId, reason: $reason, restock: $restock, notifyCustomer: $notifyCustomer,
    staffNote: $staffNote
  ) {
    job { id done }
    orderCancelUserErrors { field message code }
  }
}"""


@dataclass(frozen=True)
class Shop:
    name: str
    domain: str
    scopes: frozenset[str]


@dataclass(frozen=True)
class Subscription:
    id: str
    topic: str  # the GraphQL enum: ORDERS_CREATE
    uri: str


@dataclass(frozen=True)
class OrderState:
    note: str
    tags: tuple[str, ...]
    cancelled: bool


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


async def shop(http: aiohttp.ClientSession, connection: ConnectionInfo) -> Shop:
    data = await graphql(http, connection, SHOP_QUERY)
    info = data.get("shop") or {}
    installation = data.get("currentAppInstallation") or {}
    scopes = installation.get("accessScopes") or []
    return Shop(
        name=_text(info.get("name")),
        domain=_text(info.get("myshopifyDomain")),
        scopes=frozenset(_text(s.get("handle")) for s in scopes if isinstance(s, dict)),
    )


async def subscriptions(
    http: aiohttp.ClientSession, connection: ConnectionInfo
) -> list[Subscription]:
    data = await graphql(http, connection, SUBSCRIPTIONS_QUERY)
    edges = (data.get("webhookSubscriptions") or {}).get("edges") or []
    found = []
    for edge in edges:
        node = edge.get("node") if isinstance(edge, dict) else None
        if isinstance(node, dict):
            found.append(
                Subscription(
                    _text(node.get("id")), _text(node.get("topic")), _text(node.get("uri"))
                )
            )
    return found


async def create_subscription(
    http: aiohttp.ClientSession, connection: ConnectionInfo, topic: str, uri: str
) -> Subscription:
    variables = {"topic": topic, "webhookSubscription": {"uri": uri, "format": "JSON"}}
    data = await graphql(http, connection, SUBSCRIPTION_CREATE, variables)
    payload: dict[str, Any] = data.get("webhookSubscriptionCreate") or {}
    user_errors(payload)
    node = payload.get("webhookSubscription") or {}
    return Subscription(_text(node.get("id")), topic, uri)


async def delete_subscription(
    http: aiohttp.ClientSession, connection: ConnectionInfo, subscription_id: str
) -> None:
    data = await graphql(http, connection, SUBSCRIPTION_DELETE, {"id": subscription_id})
    user_errors(data.get("webhookSubscriptionDelete"))


async def order_state(
    http: aiohttp.ClientSession, connection: ConnectionInfo, remote_id: str
) -> OrderState:
    data = await graphql(http, connection, ORDER_STATE_QUERY, {"id": order_gid(remote_id)})
    order = data.get("order")
    if not isinstance(order, dict):
        raise PlatformRejected(404, f"order {remote_id} does not exist in this shop")
    tags = order.get("tags") or []
    return OrderState(
        note=_text(order.get("note")),
        tags=tuple(t for t in tags if isinstance(t, str)),
        cancelled=order.get("cancelledAt") is not None,
    )


async def add_tags(
    http: aiohttp.ClientSession, connection: ConnectionInfo, remote_id: str, tags: Sequence[str]
) -> None:
    variables = {"id": order_gid(remote_id), "tags": list(tags)}
    data = await graphql(http, connection, TAGS_ADD, variables)
    user_errors(data.get("tagsAdd"))


async def set_note(
    http: aiohttp.ClientSession, connection: ConnectionInfo, remote_id: str, note: str
) -> None:
    variables = {"input": {"id": order_gid(remote_id), "note": note}}
    data = await graphql(http, connection, ORDER_UPDATE, variables)
    user_errors(data.get("orderUpdate"))


async def cancel(
    http: aiohttp.ClientSession, connection: ConnectionInfo, remote_id: str, staff_note: str
) -> None:
    """Cancel as the customer's wish, putting the goods back on sale, without Shopify's own
    e-mail to the customer (Vykup already told them in the chat)."""
    variables = {
        "orderId": order_gid(remote_id),
        "reason": "CUSTOMER",
        "restock": True,
        "notifyCustomer": False,
        "staffNote": staff_note,
    }
    data = await graphql(http, connection, ORDER_CANCEL, variables)
    user_errors(data.get("orderCancel"), key="orderCancelUserErrors")
