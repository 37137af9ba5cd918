"""A WooCommerce shop connects with one command; its orders are confirmed or cancelled by customers
in Telegram, and the shop's admin shows it: the status and a note with the reason."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from tests.connectors.e2e.conftest import eventually, link_olena
from tests.connectors.fakes.woocommerce import FakeWooCommerce, load_sample, serve
from tests.e2e.conftest import MANAGERS_CHAT, World
from tests.e2e.test_metrics import scrape


@pytest.fixture
async def shop() -> AsyncIterator[tuple[FakeWooCommerce, str]]:
    fake = FakeWooCommerce(site_name="Квіткова крамниця")
    async with serve(fake) as url:
        yield fake, url


def ukrainian_cod(**changes: Any) -> dict[str, Any]:
    """The fields a Ukrainian cash-on-delivery checkout with Nova Poshta fills in."""
    sample = load_sample()
    billing = {**sample["billing"], "phone": "050 123 45 67", "city": "Полтава", "country": "UA"}
    shipping = {
        **sample["shipping"],
        "first_name": "Олена",
        "last_name": "Коваль",
        "city": "Полтава",
        "country": "UA",
        "address_1": "Відділення №5: вул. Європейська, 20",
    }
    lines = [
        {
            **sample["shipping_lines"][0],
            "method_id": "nova_poshta_shipping",
            "method_title": "Нова Пошта",
        }
    ]
    return {
        "payment_method": "cod",
        "currency": "UAH",
        "billing": billing,
        "shipping": shipping,
        "shipping_lines": lines,
        **changes,
    }


async def connected(
    world: World, shop: tuple[FakeWooCommerce, str], connect_cli
) -> FakeWooCommerce:
    fake, url = shop
    result = await connect_cli(
        ["woocommerce", "--url", url, "--key", fake.key, "--secret", fake.secret]
    )
    assert result.code == 0, result.err
    assert "connected «woocommerce»: Квіткова крамниця" in result.out
    assert fake.secret not in result.out  # the secret is never printed
    assert sorted(hook.topic for hook in fake.webhooks.values()) == [
        "order.created",
        "order.updated",
    ]
    await fake.settle()  # WooCommerce pinged the new webhooks: answered 200, kept active
    assert all(hook.status == "active" for hook in fake.webhooks.values())
    return fake


async def test_an_order_confirmed_in_telegram_is_processing_in_the_shop(
    world: World, shop, connect_cli
):
    fake = await connected(world, shop, connect_cli)
    again = await connect_cli(
        ["woocommerce", "--url", shop[1], "--key", fake.key, "--secret", fake.secret]
    )
    assert again.code == 0 and "updated «woocommerce»" in again.out
    assert len(fake.webhooks) == 2  # running it again registered nothing new

    order = await fake.create_order(status="processing", **ukrainian_cod())
    await link_olena(world)
    card = await world.telegram.wait_for_message(world.olena.id, str(order["number"]))
    assert "Нова пошта" in card.visible and "Відділення №5" in card.visible

    await world.olena.press(card, "✅ Підтвердити").answer()
    marker = "vykup:evt_"
    await eventually(
        lambda: any(marker in note for note in fake.note_texts(order["id"])),
        "the confirmation's note in the shop",
    )
    notes = [n for n in fake.note_texts(order["id"]) if marker in n]
    assert len(notes) == 1 and "клієнт підтвердив замовлення в Telegram" in notes[0]
    assert fake.status_of(order["id"]) == "processing"
    await fake.settle()  # the shop's order.updated echo changed nothing in Vykup
    status = (await world.shop.get_order(str(order["number"])))["status"]
    assert status == "confirmed"

    listed = await connect_cli(["--list"])
    assert "orders taken in: 1" in listed.out and "last update to it: never" not in listed.out
    figures = await scrape(world)
    sent = ("vykup_platform_calls_total", (("outcome", "sent"), ("platform", "woocommerce")))
    assert figures[sent] == 2  # the customer's Telegram link, then the confirmation


async def test_a_cancellation_with_its_reason_lands_in_the_shops_notes(
    world: World, shop, connect_cli
):
    fake = await connected(world, shop, connect_cli)
    order = await fake.create_order(status="processing", **ukrainian_cod())
    await link_olena(world)
    card = await world.telegram.wait_for_message(world.olena.id, str(order["number"]))
    await world.olena.press(card, "❌ Скасувати").answer()
    await world.telegram.wait_for_edit(world.olena.id, card.message_id)  # the reasons
    await world.olena.press(card, "Знайшов(-ла) дешевше").answer()
    await eventually(lambda: fake.status_of(order["id"]) == "cancelled", "cancelled in the shop")
    await eventually(
        lambda: any("Знайшов(-ла) дешевше" in n for n in fake.note_texts(order["id"])),
        "the reason as a note",
    )


async def test_cancelled_in_the_admin_the_customer_is_not_asked_any_more(
    world: World, shop, connect_cli
):
    fake = await connected(world, shop, connect_cli)
    order = await fake.create_order(status="processing", **ukrainian_cod())
    await fake.update_order(order["id"], status="cancelled")
    vykup = await world.shop.get_order(str(order["number"]))
    assert vykup["status"] == "cancelled"
    assert [h["source"] for h in vykup["history"] if h["kind"] == "status"] == ["shop"]


async def test_a_revoked_key_stops_the_calls_and_the_managers_are_told_once(
    world: World, shop, connect_cli
):
    fake = await connected(world, shop, connect_cli)
    order = await fake.create_order(status="processing", **ukrainian_cod())
    await link_olena(world)
    card = await world.telegram.wait_for_message(world.olena.id, str(order["number"]))
    fake.revoke_key()
    await world.olena.press(card, "✅ Підтвердити").answer()
    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "WooCommerce не приймає ключ")
    assert "vykup connect woocommerce" in alert.visible
    assert fake.note_texts(order["id"]) == [] or all(
        "vykup:evt_" not in n for n in fake.note_texts(order["id"])
    )

    # The owner makes a new key and runs the command again: the waiting update goes out.
    fake.key_revoked = False
    fixed = await connect_cli(
        ["woocommerce", "--url", shop[1], "--key", fake.key, "--secret", fake.secret]
    )
    assert fixed.code == 0 and "1 waiting updates go out now" in fixed.out
    await eventually(
        lambda: any("vykup:evt_" in n for n in fake.note_texts(order["id"])),
        "the held update delivered after the fix",
    )
    alerts = [
        m for m in world.telegram.chat(MANAGERS_CHAT).messages if "не приймає ключ" in m.visible
    ]
    assert len(alerts) == 1


async def test_an_order_whose_webhook_was_lost_arrives_with_the_catch_up(
    world: World, shop, connect_cli
):
    fake = await connected(world, shop, connect_cli)
    # Vykup was unreachable when the order was placed: WooCommerce never sends it again.
    for hook in fake.webhooks.values():
        hook.status = "paused"
    delivered = len(fake.deliveries)
    order = await fake.create_order(status="processing", **ukrainian_cod())
    assert len(fake.deliveries) == delivered  # nothing was delivered

    world.clock.advance(timedelta(minutes=10))  # the catch-up's round
    await link_olena(world)
    card = await world.telegram.wait_for_message(world.olena.id, str(order["number"]))
    assert "Відділення №5" in card.visible


async def test_the_customer_gets_the_telegram_link_in_the_shops_email_and_confirms(
    world: World, shop, connect_cli
):
    fake = await connected(world, shop, connect_cli)
    order = await fake.create_order(status="processing", **ukrainian_cod())
    # WooCommerce e-mails a customer note: Vykup's carries the order's link, in Ukrainian.
    await eventually(lambda: fake.customer_notes(order["id"]), "the customer note with the link")
    [note] = fake.customer_notes(order["id"])
    assert f"підтвердьте замовлення {order['number']} в Telegram" in note
    link = re.search(r"https://t\.me/vykup_test_bot\?start=([A-Za-z0-9_-]+)", note)
    assert link is not None

    world.olena.send_command("/start", link.group(1))  # she taps the link in the e-mail
    card = await world.telegram.wait_for_message(world.olena.id, str(order["number"]))
    await world.olena.press(card, "✅ Підтвердити").answer()
    await eventually(
        lambda: any("vykup:evt_" in n for n in fake.note_texts(order["id"])),
        "the confirmation's note",
    )
    assert len(fake.customer_notes(order["id"])) == 1  # the link went once, the rest to staff


async def test_an_owner_may_keep_the_link_for_the_staff(world: World, shop, connect_cli):
    fake, url = shop
    result = await connect_cli(
        [
            "woocommerce",
            "--url",
            url,
            "--key",
            fake.key,
            "--secret",
            fake.secret,
            "--option",
            "customer_notes=off",
        ]
    )
    assert result.code == 0
    order = await fake.create_order(status="processing", **ukrainian_cod())
    await eventually(
        lambda: any("t.me/vykup_test_bot" in n for n in fake.note_texts(order["id"])),
        "the link as a private note",
    )
    assert fake.customer_notes(order["id"]) == []
