"""A Shopify shop connects with one command; its orders reach the customer in Telegram, and what
she decides reaches the Shopify admin: a tag, a note with the reason, a cancelled order. Shopify's
habits are lived through: deliveries out of order and repeated, a throttled API, a forged call."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest

from bot.connectors.shopify.signature import sign
from tests.connectors.e2e.conftest import Command, Condition, eventually, link_olena
from tests.connectors.fakes.shopify import FakeShopify, serve, shopify_time, ukrainian_cod_order
from tests.e2e.conftest import MANAGERS_CHAT, World

Connect = Callable[[list[str]], Awaitable[Command]]
CONFIRMED_NOTE = "Vykup: клієнт підтвердив замовлення в Telegram."
MARKER = re.compile(r"\[vykup:evt_\d+\]")
WAYBILL = "20400048799000"  # a Nova Poshta number from refdata/novaposhta


@pytest.fixture
async def shop() -> AsyncIterator[tuple[FakeShopify, str]]:
    fake = FakeShopify(
        token="shpat_0123456789abcdef0123456789abcdef",
        client_secret="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",
        shop_name="Квіткова крамниця",
        domain="kvitkova.myshopify.com",
    )
    async with serve(fake) as url:
        yield fake, url


async def connect(shop: tuple[FakeShopify, str], connect_cli: Connect, *more: str) -> Command:
    fake, url = shop
    return await connect_cli(
        [
            "shopify",
            "--url",
            url,
            "--token",
            fake.token,
            "--client-secret",
            fake.client_secret,
            *more,
        ]
    )


async def connected(
    shop: tuple[FakeShopify, str], connect_cli: Connect, *more: str
) -> tuple[FakeShopify, str]:
    """Connected as the owner would; returns the fake and the bot's address for its webhooks."""
    result = await connect(shop, connect_cli, *more)
    assert result.code == 0, result.err
    [address] = {s["uri"] for s in shop[0].subscriptions.values()}
    return shop[0], address


def notes(fake: FakeShopify, order_id: int) -> list[str]:
    """What Vykup wrote into the order's note, one text per event (each ends with its marker;
    what the shop wrote before stays above the first)."""
    note = fake.orders[str(order_id)].get("note") or ""
    texts, start = [], 0
    for marker in MARKER.finditer(note):
        texts.append(note[start : marker.end()].strip())
        start = marker.end()
    return texts


def calls_of(fake: FakeShopify, root: str) -> list[dict[str, Any]]:
    return [call["variables"] for call in fake.calls if root in call["root"]]


def answered(delivery: Any) -> str:
    """What Vykup answered a delivery: created, updated, unchanged, stale…"""
    assert delivery.status == 200, (delivery.status, delivery.answer)
    return str(json.loads(delivery.answer)["result"])


def retried(world: World, condition: Condition) -> Condition:
    """``condition``, moving the bot's clock a second on each look: a retry the platform asked
    to wait for (Retry-After, a refilling cost bucket) comes due without real waiting."""

    def look() -> bool:
        if condition():
            return True
        world.clock.advance(timedelta(seconds=1))
        return False

    return look


async def vykup_order(world: World, number: str) -> dict[str, Any]:
    """The order as the shop's API shows it (the name ``#1001`` is its external id)."""
    return await world.shop.get_order(quote(number, safe=""))


async def olenas_card(world: World, order: dict[str, Any]) -> Any:
    await link_olena(world)
    return await world.telegram.wait_for_message(world.olena.id, order["name"])


async def test_connecting_registers_the_three_order_webhooks_once(
    world: World, shop: tuple[FakeShopify, str], connect_cli: Connect
) -> None:
    fake, _ = shop
    first = await connect(shop, connect_cli)
    assert first.code == 0, first.err
    lines = first.out.splitlines()
    assert lines[0].startswith("vykup: connected «shopify»: Квіткова крамниця (http://127.0.0.1:")
    assert "  token: …cdef" in lines and "  client_secret: …3210" in lines
    assert fake.token not in first.out and fake.client_secret not in first.out
    assert fake.token not in first.err and fake.client_secret not in first.err
    bot = f"http://127.0.0.1:{world.app.api_port}/connect/shopify/"
    subscriptions = sorted(fake.subscriptions.values(), key=lambda s: s["topic"])
    assert [s["topic"] for s in subscriptions] == [
        "ORDERS_CANCELLED",
        "ORDERS_CREATE",
        "ORDERS_UPDATED",
    ]
    [address] = {s["uri"] for s in subscriptions}
    assert address.startswith(bot) and len(address) > len(bot) + 16  # a long, random key
    assert f"  webhooks go to {address}" in lines
    assert f"  - webhook orders/create → {address} registered" in lines

    again = await connect(shop, connect_cli)
    assert again.code == 0, again.err
    assert again.out.startswith("vykup: updated «shopify»: Квіткова крамниця")
    assert f"  - webhook orders/updated → {address} already registered; kept" in again.out
    assert len(fake.subscriptions) == 3  # nothing registered twice
    assert fake.token not in again.out and fake.client_secret not in again.out

    listed = await connect_cli(["--list"])
    assert listed.code == 0 and "shopify (shopify)" in listed.out
    assert "orders taken in: 0" in listed.out


async def test_an_order_confirmed_in_telegram_is_tagged_and_noted_in_shopify(
    world: World, shop: tuple[FakeShopify, str], connect_cli: Connect
) -> None:
    fake, _ = await connected(shop, connect_cli)
    order = await fake.create_order(**ukrainian_cod_order(branch="Відділення №12"))
    assert answered(fake.deliveries[-1]) == "created"

    card = await olenas_card(world, order)
    assert card.visible.startswith(f"🛍 Замовлення {order['name']}")
    # The sample had two of its three lines refunded: she is asked only for what is left to pay.
    assert "IPod Nano - 8gb - red × 1" in card.visible and "green" not in card.visible
    assert "Разом: 199,65" in card.visible and "накладений платіж" in card.visible
    assert "Доставка: Нова пошта, Київ, Відділення №12" in card.visible

    await world.olena.press(card, "✅ Підтвердити").answer()
    await eventually(lambda: bool(notes(fake, order["id"])), "the confirmation's note in Shopify")
    assert fake.order_tags(order["id"]) == ["vykup-confirmed"]
    [note] = notes(fake, order["id"])
    assert note.startswith(CONFIRMED_NOTE)
    assert (await vykup_order(world, order["name"]))["status"] == "confirmed"
    listed = await connect_cli(["--list"])
    assert "orders taken in: 1" in listed.out and "last update to it: never" not in listed.out


def a_minute_ago() -> str:
    return shopify_time(datetime.now(UTC) - timedelta(minutes=1))


async def test_an_update_overtaking_its_create_and_a_repeat_make_one_order(
    world: World, shop: tuple[FakeShopify, str], connect_cli: Connect
) -> None:
    fake, _ = await connected(shop, connect_cli)
    # Placed a minute ago; its orders/create is late (the first attempt failed, Shopify retries).
    stamp = a_minute_ago()
    order = await fake.create_order(
        deliver=False, created_at=stamp, updated_at=stamp, **ukrainian_cod_order()
    )
    [late_create] = fake.held("orders/create", order["id"])
    await fake.update_order(order["id"], note="Зателефонуйте після 18:00")
    [update] = fake.deliveries
    assert update.topic == "orders/updated" and answered(update) == "created"
    repeat = await fake.redeliver(update)
    assert repeat.webhook_id == update.webhook_id and answered(repeat) == "unchanged"
    assert answered(await fake.redeliver(late_create)) == "stale"

    card = await olenas_card(world, order)
    assert "Відділення №12" in card.visible
    cards = [m for m in world.olena.messages if m.from_bot and order["name"] in m.visible]
    assert cards == [card]  # one order, one card, however many deliveries
    listed = await connect_cli(["--list"])
    assert "orders taken in: 1;" in listed.out


async def test_a_late_create_does_not_undo_a_cancellation_in_the_admin(
    world: World, shop: tuple[FakeShopify, str], connect_cli: Connect
) -> None:
    fake, _ = await connected(shop, connect_cli)
    stamp = a_minute_ago()
    order = await fake.create_order(
        deliver=False, created_at=stamp, updated_at=stamp, **ukrainian_cod_order()
    )
    [late_create] = fake.held("orders/create", order["id"])
    await fake.update_order(order["id"], note="Зателефонуйте після 18:00")
    assert answered(fake.deliveries[-1]) == "created"

    await fake.cancel_in_admin(order["id"], reason="customer")
    cancelled, updated = fake.deliveries[-2:]
    assert cancelled.topic == "orders/cancelled" and answered(cancelled) == "updated"
    assert updated.topic == "orders/updated" and answered(updated) == "unchanged"
    vykup = await vykup_order(world, order["name"])
    assert vykup["status"] == "cancelled"

    assert answered(await fake.redeliver(late_create)) == "stale"
    after = await vykup_order(world, order["name"])
    assert after["status"] == "cancelled"
    assert [h["source"] for h in after["history"] if h["kind"] == "status"] == ["shop"]
    assert after["history"] == vykup["history"]


async def cancel_in_telegram(world: World, order: dict[str, Any], reason: str) -> None:
    card = await olenas_card(world, order)
    await world.olena.press(card, "❌ Скасувати").answer()
    await world.telegram.wait_for_edit(world.olena.id, card.message_id)  # the reasons
    await world.olena.press(card, reason).answer()


async def test_cancelled_in_telegram_the_shopify_order_is_cancelled_with_the_reason(
    world: World, shop: tuple[FakeShopify, str], connect_cli: Connect
) -> None:
    fake, _ = await connected(shop, connect_cli, "--cancel-orders")
    order = await fake.create_order(**ukrainian_cod_order())
    await cancel_in_telegram(world, order, "Знайшов(-ла) дешевше")

    await eventually(lambda: bool(calls_of(fake, "orderCancel")), "the order cancelled in Shopify")
    [cancel] = calls_of(fake, "orderCancel")
    assert cancel["reason"] == "CUSTOMER" and cancel["restock"] is True
    assert "Знайшов(-ла) дешевше" in cancel["staffNote"]
    cancelled = fake.orders[str(order["id"])]
    assert cancelled["cancelled_at"] is not None and cancelled["cancel_reason"] == "customer"
    assert fake.order_tags(order["id"]) == ["vykup-cancelled"]
    [note] = notes(fake, order["id"])
    assert note.startswith("Vykup: замовлення скасовано в Telegram.")
    assert "Знайшов(-ла) дешевше" in note
    # Shopify's echoes of its own cancellation change nothing in Vykup.
    for topic in ("orders/cancelled", "orders/updated"):
        [echo] = await fake.deliver(topic, order["id"])
        assert answered(echo) == "unchanged"
    vykup = await vykup_order(world, order["name"])
    assert vykup["status"] == "cancelled"
    assert [h["source"] for h in vykup["history"] if h["kind"] == "status"] == ["customer"]


async def test_without_cancel_orders_a_cancellation_is_only_tagged_and_noted(
    world: World, shop: tuple[FakeShopify, str], connect_cli: Connect
) -> None:
    fake, _ = await connected(shop, connect_cli)
    order = await fake.create_order(**ukrainian_cod_order())
    await cancel_in_telegram(world, order, "Знайшов(-ла) дешевше")

    await eventually(lambda: bool(notes(fake, order["id"])), "the cancellation's note in Shopify")
    [note] = notes(fake, order["id"])
    assert note.startswith("Vykup: замовлення скасовано в Telegram.")
    assert "Знайшов(-ла) дешевше" in note
    assert fake.order_tags(order["id"]) == ["vykup-cancelled"]
    assert fake.orders[str(order["id"])]["cancelled_at"] is None  # the shop decides
    assert calls_of(fake, "orderCancel") == []


async def test_a_throttled_api_and_a_429_delay_the_update_but_lose_nothing(
    world: World, shop: tuple[FakeShopify, str], connect_cli: Connect
) -> None:
    fake, _ = await connected(shop, connect_cli)
    order = await fake.create_order(**ukrainian_cod_order())
    card = await olenas_card(world, order)
    fake.fail_next(429, retry_after="1", on="tagsAdd")  # the tag is refused…
    fake.throttle_next(on="orderUpdate")  # …then, with the tag added, the note is throttled
    await world.olena.press(card, "✅ Підтвердити").answer()

    await eventually(
        retried(world, lambda: bool(notes(fake, order["id"]))), "the note after two retries"
    )
    assert fake.pending_failures() == 0  # both refusals were met and retried
    assert fake.order_tags(order["id"]) == ["vykup-confirmed"]
    [note] = notes(fake, order["id"])
    assert note.startswith(CONFIRMED_NOTE)
    assert len(calls_of(fake, "tagsAdd")) == 1  # the refused call never reached GraphQL
    assert len(calls_of(fake, "orderUpdate")) == 1


async def test_a_forged_delivery_is_refused_and_takes_no_order(
    world: World, shop: tuple[FakeShopify, str], connect_cli: Connect
) -> None:
    fake, address = await connected(shop, connect_cli)
    order = await fake.create_order(deliver=False, **ukrainian_cod_order())
    [genuine] = fake.held("orders/create", order["id"])
    headers = fake.signed_headers(genuine)
    async with aiohttp.ClientSession() as http:
        forged = {**headers, "X-Shopify-Hmac-Sha256": sign(genuine.body, "not-the-client-secret")}
        async with http.post(address, data=genuine.body, headers=forged) as answer:
            assert answer.status == 401
            assert "signature" in (await answer.json())["error"]["message"]
        unsigned = {k: v for k, v in headers.items() if k != "X-Shopify-Hmac-Sha256"}
        async with http.post(address, data=genuine.body, headers=unsigned) as answer:
            assert answer.status == 401
        # The signed body with the city changed on the way: the signature no longer fits.
        tampered = genuine.body.replace("Київ".encode(), "Львів".encode())
        assert tampered != genuine.body
        async with http.post(address, data=tampered, headers=headers) as answer:
            assert answer.status == 401
    listed = await connect_cli(["--list"])
    assert "orders taken in: 0;" in listed.out
    assert "last delivery from it: never" in listed.out

    # The same delivery as Shopify signs it is taken in: only the signature was wrong.
    assert answered(await fake.redeliver(genuine)) == "created"


async def test_a_fulfillment_with_a_nova_poshta_waybill_ships_the_order(
    world: World, shop: tuple[FakeShopify, str], connect_cli: Connect
) -> None:
    fake, _ = await connected(shop, connect_cli)
    order = await fake.create_order(**ukrainian_cod_order())
    card = await olenas_card(world, order)
    await world.olena.press(card, "✅ Підтвердити").answer()
    await eventually(lambda: bool(notes(fake, order["id"])), "the confirmation in Shopify")

    await fake.fulfill(order["id"], WAYBILL, tracking_company="Nova Poshta")
    topics = [(d.topic, d.status) for d in fake.deliveries]
    assert topics == [("orders/create", 200), ("orders/updated", 200)]  # fulfilled: not subscribed
    vykup = await vykup_order(world, order["name"])
    assert vykup["status"] == "shipped"
    assert vykup["shipment"]["carrier"] == "nova_poshta"
    assert vykup["shipment"]["tracking_number"] == WAYBILL
    told = await world.telegram.wait_for_message(world.olena.id, WAYBILL)
    assert f"Ваше замовлення {order['name']} вже в дорозі: Нова пошта." in told.visible


async def test_a_withdrawn_permission_holds_the_updates_and_tells_the_managers_once(
    world: World, shop: tuple[FakeShopify, str], connect_cli: Connect
) -> None:
    fake, _ = await connected(shop, connect_cli)
    first = await fake.create_order(**ukrainian_cod_order())
    second = await fake.create_order(**ukrainian_cod_order())
    card = await olenas_card(world, first)
    other = await world.telegram.wait_for_message(world.olena.id, second["name"])
    fake.remove_scope("write_orders")  # the owner unticked it in the custom app
    await world.olena.press(card, "✅ Підтвердити").answer()
    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "Shopify не приймає ключ Vykup")
    assert "«shopify»" in alert.visible and "vykup connect shopify" in alert.visible
    assert "write_orders" in alert.visible  # Shopify's own words say what is missing
    await world.olena.press(other, "✅ Підтвердити").answer()

    # The owner ticks it again and runs the command again: both waiting updates go out.
    fake.scopes.add("write_orders")
    fixed = await connect(shop, connect_cli)
    assert fixed.code == 0 and "2 waiting updates go out now" in fixed.out
    for order in (first, second):
        await eventually(lambda o=order: bool(notes(fake, o["id"])), "a held update delivered")
        assert fake.order_tags(order["id"]) == ["vykup-confirmed"]
    alerts = [
        m for m in world.telegram.chat(MANAGERS_CHAT).messages if "не приймає ключ" in m.visible
    ]
    assert len(alerts) == 1
