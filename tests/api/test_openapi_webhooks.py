"""The OpenAPI document says how the webhooks to the shop are signed, and when they are not."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.delivery.signing import new_secret
from bot.services.context import ServiceContext
from bot.web.app import create_web_app
from bot.web.openapi import WebhookSigning, signing_of
from storage.uow import Database
from tests.api.conftest import TOKEN


async def served(db: Database, ctx: ServiceContext, signing: WebhookSigning) -> dict:  # type: ignore[type-arg]
    app = create_web_app(db, ctx, shop_api_token=TOKEN, webhook_signing=signing)
    client = TestClient(TestServer(app))
    await client.start_server()
    try:
        response = await client.get("/api/v1/openapi.json")
        assert response.status == 200
        return await response.json()  # type: ignore[no-any-return]
    finally:
        await client.close()


def test_the_secret_decides_the_signing() -> None:
    assert signing_of(None) is WebhookSigning.none
    assert signing_of("") is WebhookSigning.none
    assert signing_of(new_secret()) is WebhookSigning.standard
    assert signing_of("an-older-plain-secret") is WebhookSigning.legacy


async def test_without_a_secret_the_document_says_webhooks_are_unsigned(
    db: Database, ctx: ServiceContext
) -> None:
    document = await served(db, ctx, WebhookSigning.none)

    assert document["info"]["x-webhook-signing"] == "none"
    assert "Webhooks are NOT signed" in document["info"]["description"]
    hook = document["webhooks"]["shopEvent"]["post"]
    assert "(unsigned)" in hook["summary"]
    assert "NOT signed" in hook["description"]
    assert "parameters" not in hook  # no signature headers promised
    assert hook["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ShopEventOut"
    }


@pytest.mark.parametrize(
    ("signing", "headers"),
    [
        (
            WebhookSigning.standard,
            ["webhook-id", "webhook-timestamp", "webhook-signature", "X-Vykup-Signature"],
        ),
        (WebhookSigning.legacy, ["X-Vykup-Signature"]),
    ],
)
async def test_with_a_secret_the_document_names_the_signature_headers(
    db: Database, ctx: ServiceContext, signing: WebhookSigning, headers: list[str]
) -> None:
    document = await served(db, ctx, signing)

    assert document["info"]["x-webhook-signing"] == signing.value
    assert "NOT signed" not in document["info"]["description"]
    hook = document["webhooks"]["shopEvent"]["post"]
    assert [parameter["name"] for parameter in hook["parameters"]] == headers


async def test_the_document_names_the_chosen_pickup_point_fields(
    db: Database, ctx: ServiceContext
) -> None:
    document = await served(db, ctx, WebhookSigning.none)

    event = document["components"]["schemas"]["ShopEventOut"]
    assert "order.delivery_changed" in event["properties"]["type"]["$ref"] or any(
        "order.delivery_changed" in str(value)
        for value in document["components"]["schemas"].values()
    )
    assert {"point", "point_ref"} <= set(event["properties"])
    assert "point_ref" not in event.get("required", [])


async def test_the_storage_extension_event_and_its_fields_are_documented(
    db: Database, ctx: ServiceContext
) -> None:
    document = await served(db, ctx, WebhookSigning.none)

    schema = document["components"]["schemas"]["ShopEventOut"]
    event_types = document["components"]["schemas"]["ShopEvent"]["enum"]
    assert "shipment.storage_extended" in event_types
    for name in ("storage_free_until", "storage_extension_cost"):
        assert "shipment.storage_extended" in schema["properties"][name]["description"]
        assert name not in schema.get("required", [])
