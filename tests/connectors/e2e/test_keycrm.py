"""A KeyCRM account connects with one command and a trigger the owner adds by hand; its orders'
webhooks only name the order, so Vykup fetches each through KeyCRM's API (through the outbox),
asks the customer in Telegram and writes the answer back: a line in «Коментар менеджера» and the
status learned at connect. The fake (``tests/connectors/fakes/keycrm.py``) is the account."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import pytest

from tests.connectors.e2e.conftest import Command, eventually, link_olena
from tests.connectors.fakes.keycrm import DEFAULT_API_KEY, FakeKeyCrm, serve
from tests.e2e.conftest import MANAGERS_CHAT, World

MARKER = "vykup:evt_"
CONFIRMED_NOTE = "клієнт підтвердив замовлення в Telegram"
HOOK = re.compile(r"https?://\S+/connect/keycrm/\S+")
NOVA_POSHTA = 1  # the fake's delivery service «Нова Пошта»
CANCELLED = 11  # «Скасовано», of the cancelled group (6)
SHIPPED = 8  # «Відправлено», of the delivery group (4)


@pytest.fixture
async def crm() -> AsyncIterator[tuple[FakeKeyCrm, str]]:
    fake = FakeKeyCrm()
    async with serve(fake) as url:
        yield fake, url


def hook_url(result: Command) -> str:
    """The address as the owner copies it: from the steps by hand, the line after the action."""
    steps = result.out.split("Now, by hand:", 1)[1].splitlines()
    action = next(i for i, line in enumerate(steps) if "«Відправити Webhook»" in line)
    found = HOOK.search(steps[action + 1])
    assert found is not None, steps[action : action + 2]
    return found.group(0)


def learned_status(result: Command, event: str) -> int | None:
    """The status id ``connect`` printed for ``event`` (None: a note only)."""
    line = next(line for line in result.out.splitlines() if line.split()[:1] == [event])
    value = line.split()[1]
    return int(value) if value.isdigit() else None


async def connected(
    crm: tuple[FakeKeyCrm, str], connect_cli, *extra: str
) -> tuple[FakeKeyCrm, Command]:
    """``vykup connect keycrm``, then the trigger added in KeyCRM with the printed address."""
    fake, url = crm
    result = await connect_cli(["keycrm", "--url", url, "--api-key", DEFAULT_API_KEY, *extra])
    assert result.code == 0, result.err
    fake.add_trigger(hook_url(result))
    return fake, result


def comment_lines(fake: FakeKeyCrm, order_id: int) -> list[str]:
    return [line for line in (fake.manager_comment(order_id) or "").splitlines() if MARKER in line]


def platform_calls_done(world: World) -> int:
    """Calls to KeyCRM (fetches and updates) the worker completed, for waiting on them."""
    assert world.app.worker is not None
    return world.app.worker.stats.platform_calls[("keycrm", "sent")]


def retries(world: World) -> int:
    assert world.app.worker is not None
    return world.app.worker.stats.retried["platform_error"]


def fetches(fake: FakeKeyCrm, order_id: int) -> int:
    return sum(1 for c in fake.calls if c.method == "GET" and c.path == f"/order/{order_id}")


async def new_order(fake: FakeKeyCrm, **changes: Any) -> dict[str, Any]:
    """A site's cash-on-delivery order for Olena, to a Nova Poshta branch; the trigger fires."""
    fields: dict[str, Any] = {
        "phone": "+380501234567",
        "name": "Олена Коваль",
        "payment_method_id": 1,  # «Накладений платіж»
        "delivery_service_id": NOVA_POSHTA,
        "city": "Полтава",
        "receive_point": "Відділення №5: вул. Європейська, 20",
    }
    order = await fake.create_order(**(fields | changes))
    assert [d.status for d in fake.deliveries if d.body["context"]["id"] == order["id"]] == [200]
    return order


async def listed(connect_cli) -> str:
    result = await connect_cli(["--list"])
    assert result.code == 0, result.err
    return result.out


async def test_connect_prints_the_steps_and_the_address_which_stays(world: World, crm, connect_cli):
    fake, first = await connected(crm, connect_cli)
    assert "connected «keycrm»: KeyCRM" in first.out
    assert DEFAULT_API_KEY not in first.out  # the key is never printed whole
    steps = first.out.split("Now, by hand:", 1)[1].splitlines()
    numbered = [line.split(".", 1)[0].strip() for line in steps if re.match(r"\s+\d+\. ", line)]
    assert numbered == ["1", "2", "3", "4", "5"]
    assert any("«Відправити Webhook»" in line and "POST" in line for line in steps)
    address = hook_url(first)
    assert address.startswith(f"http://127.0.0.1:{world.app.api_port}/connect/keycrm/")
    assert f"webhooks go to {address}" in first.out
    # What it learned from the account's statuses, and what it reads back as cancelled.
    assert "order.confirmed → status 3 «Підтверджено» and a note" in first.out
    assert "Read back as cancelled: 11 «Скасовано», 12 «Відмова при отриманні»" in first.out
    assert learned_status(first, "order.confirmed") == 3
    assert learned_status(first, "order.cancelled") == CANCELLED

    again = await connect_cli(["keycrm", "--url", crm[1], "--api-key", DEFAULT_API_KEY])
    assert again.code == 0 and "updated «keycrm»" in again.out
    assert hook_url(again) == address  # the trigger the owner made still fits
    assert fake.writes() == []  # connecting changed nothing in KeyCRM
    out = await listed(connect_cli)
    assert out.splitlines()[0] == f"keycrm (keycrm) {crm[1]} — active"
    assert "last delivery from it: never" in out


async def test_an_order_confirmed_in_telegram_is_confirmed_in_keycrm(
    world: World, crm, connect_cli
):
    fake, result = await connected(crm, connect_cli)
    confirmed = learned_status(result, "order.confirmed")
    assert confirmed is not None  # the seeded account has «Підтверджено»
    order = await new_order(fake)
    # The webhook only named the order: the worker fetched it through the API.
    await link_olena(world)
    card = await world.telegram.wait_for_message(world.olena.id, str(order["id"]))
    assert fetches(fake, order["id"]) == 1
    assert "Нова пошта" in card.visible and "Відділення №5" in card.visible
    assert "Сукня лляна" in card.visible

    await world.olena.press(card, "✅ Підтвердити").answer()
    await eventually(lambda: comment_lines(fake, order["id"]) != [], "the note in KeyCRM")
    lines = comment_lines(fake, order["id"])
    assert len(lines) == 1 and CONFIRMED_NOTE in lines[0]
    assert fake.status_of(order["id"])["id"] == confirmed

    # KeyCRM's trigger fires on the status Vykup set: the echo is fetched and changes nothing.
    done = platform_calls_done(world)
    await fake.send_webhooks(order["id"])
    await eventually(lambda: platform_calls_done(world) > done, "the echo fetched")
    assert (await world.shop.get_order(str(order["id"])))["status"] == "confirmed"
    assert len(comment_lines(fake, order["id"])) == 1
    out = await listed(connect_cli)
    assert "orders taken in: 1" in out and "last update to it: never" not in out


async def test_without_a_learned_status_only_the_note_then_map_moves_it(
    world: World, crm, connect_cli
):
    fake, url = crm
    for status in fake.statuses:  # an account whose statuses name nothing Vykup knows
        if status["id"] == 3:
            status.update(name="Узгоджено", alias="agreed")
    result = await connect_cli(["keycrm", "--url", url, "--api-key", DEFAULT_API_KEY])
    assert result.code == 0 and learned_status(result, "order.confirmed") is None
    assert "order.confirmed → a note only (no fitting status; set one with --map" in result.out
    fake.add_trigger(hook_url(result))
    first = await new_order(fake)
    await link_olena(world)
    card = await world.telegram.wait_for_message(world.olena.id, str(first["id"]))
    await world.olena.press(card, "✅ Підтвердити").answer()
    await eventually(lambda: comment_lines(fake, first["id"]) != [], "the note in KeyCRM")
    assert fake.status_of(first["id"])["id"] == 1  # still «Новий»

    mapped = await connect_cli(
        ["keycrm", "--url", url, "--api-key", DEFAULT_API_KEY, "--map", "order.confirmed=3"]
    )
    assert mapped.code == 0 and learned_status(mapped, "order.confirmed") == 3
    second = await new_order(fake)
    card = await world.telegram.wait_for_message(world.olena.id, str(second["id"]))
    await world.olena.press(card, "✅ Підтвердити").answer()
    await eventually(lambda: fake.status_of(second["id"])["id"] == 3, "«Узгоджено» in KeyCRM")
    assert len(comment_lines(fake, second["id"])) == 1


async def test_cancelled_in_keycrm_the_customer_is_not_asked_any_more(
    world: World, crm, connect_cli
):
    fake, _ = await connected(crm, connect_cli)
    order = await new_order(fake)
    await link_olena(world)
    card = await world.telegram.wait_for_message(world.olena.id, str(order["id"]))
    assert "✅ Підтвердити" in str(card.reply_markup)

    await fake.change_status(order["id"], CANCELLED)  # a manager cancels it in KeyCRM
    edit = await world.telegram.wait_for_edit(world.olena.id, card.message_id)
    assert "Підтвердити" not in str(edit.after.reply_markup)
    vykup = await world.shop.get_order(str(order["id"]))
    assert vykup["status"] == "cancelled"
    assert [h["source"] for h in vykup["history"] if h["kind"] == "status"] == ["shop"]
    assert fake.writes() == []  # Vykup wrote nothing back about the shop's own move


async def test_confirmed_by_phone_in_keycrm_the_customer_is_not_asked_any_more(
    world: World, crm, connect_cli
):
    fake, _ = await connected(crm, connect_cli)
    order = await new_order(fake)
    await link_olena(world)
    card = await world.telegram.wait_for_message(world.olena.id, str(order["id"]))

    await fake.change_status(order["id"], 3)  # «Підтверджено»: the status Vykup maps confirmed to
    edit = await world.telegram.wait_for_edit(world.olena.id, card.message_id)
    assert "Підтвердити" not in str(edit.after.reply_markup)
    vykup = await world.shop.get_order(str(order["id"]))
    assert vykup["status"] == "confirmed"
    assert [h["source"] for h in vykup["history"] if h["kind"] == "status"] == ["shop"]


async def test_keycrm_busy_then_failing_the_order_still_arrives_once(
    world: World, crm, connect_cli
):
    fake, _ = await connected(crm, connect_cli)
    fake.fail_next(429, retry_after=7)
    fake.fail_next(500)
    order = await new_order(fake)  # the webhook was answered 200: the fetch waits in the outbox
    await eventually(lambda: retries(world) == 1, "the 429 recorded")
    out = await listed(connect_cli)
    assert "orders taken in: 0" in out and "updates waiting: 1" in out
    world.clock.advance(timedelta(seconds=8))  # past Retry-After and the first backoff
    await eventually(lambda: retries(world) == 2, "the 500 recorded")
    world.clock.advance(timedelta(seconds=20))  # past the second backoff
    await link_olena(world)
    await world.telegram.wait_for_message(world.olena.id, str(order["id"]))
    assert fetches(fake, order["id"]) == 3
    out = await listed(connect_cli)
    assert "orders taken in: 1" in out and "updates waiting: 0" in out
    cards = [
        m for m in world.telegram.chat(world.olena.id).messages if str(order["id"]) in m.visible
    ]
    assert len(cards) == 1


async def test_a_wrong_address_or_a_foreign_body_stores_nothing(world: World, crm, connect_cli):
    fake, result = await connected(crm, connect_cli)
    address = hook_url(result)
    order = await fake.create_order(notify=False)
    body = fake.webhook_body(order["id"])
    async with aiohttp.ClientSession() as http:
        wrong = address.rsplit("/", 1)[0] + "/" + "x" * 43
        async with http.post(wrong, json=body) as answer:
            assert answer.status == 401
        # KeyCRM's shape, but no order id in it: refused, naming the field.
        broken = {"event": body["event"], "context": {**body["context"], "id": "abc"}}
        async with http.post(address, json=broken) as answer:
            assert answer.status == 422
            error = await answer.json()
        assert "context.id" in str(error)
        # Not KeyCRM's shape at all (a WooCommerce order sent to this address): the key lets it
        # in, and it is refused as unreadable, naming what is missing.
        async with http.post(address, json={"id": 727, "status": "processing"}) as answer:
            assert answer.status == 422
            assert (await answer.json())["error"]["fields"][0]["field"] == "event"
    out = await listed(connect_cli)
    assert "last delivery from it: never" in out and "updates waiting: 0" in out
    assert fetches(fake, order["id"]) == 0


async def test_a_revoked_key_holds_the_update_and_the_managers_hear_once(
    world: World, crm, connect_cli
):
    fake, _ = await connected(crm, connect_cli)
    order = await new_order(fake)
    await link_olena(world)
    card = await world.telegram.wait_for_message(world.olena.id, str(order["id"]))
    fake.revoke()  # the owner regenerated the key in KeyCRM
    await world.olena.press(card, "✅ Підтвердити").answer()
    alert = await world.telegram.wait_for_message(MANAGERS_CHAT, "KeyCRM не приймає ключ")
    assert "vykup connect keycrm" in alert.visible
    assert comment_lines(fake, order["id"]) == []
    out = await listed(connect_cli)
    assert "keycrm (keycrm)" in out and "— suspended" in out and "updates waiting: 1" in out

    fake.api_keys.add("fake-keycrm-new-key-9876")
    fixed = await connect_cli(["keycrm", "--url", crm[1], "--api-key", "fake-keycrm-new-key-9876"])
    assert fixed.code == 0 and "1 waiting updates go out now" in fixed.out
    await eventually(lambda: comment_lines(fake, order["id"]) != [], "the held note delivered")
    assert len(comment_lines(fake, order["id"])) == 1
    assert fake.status_of(order["id"])["id"] == 3
    alerts = [
        m for m in world.telegram.chat(MANAGERS_CHAT).messages if "не приймає ключ" in m.visible
    ]
    assert len(alerts) == 1


async def test_a_waybill_set_in_keycrm_ships_the_order(world: World, crm, connect_cli):
    fake, _ = await connected(crm, connect_cli)
    order = await new_order(fake)
    await link_olena(world)
    card = await world.telegram.wait_for_message(world.olena.id, str(order["id"]))
    await world.olena.press(card, "✅ Підтвердити").answer()
    await eventually(lambda: comment_lines(fake, order["id"]) != [], "the confirmation noted")

    waybill = "20450000012345"
    fake.set_tracking(order["id"], waybill)
    await fake.change_status(order["id"], SHIPPED)  # «Відправлено»: the trigger fires
    notice = await world.telegram.wait_for_message(world.olena.id, waybill)
    assert notice.message_id != card.message_id
    vykup = await world.shop.get_order(str(order["id"]))
    assert vykup["status"] == "shipped"
    assert (vykup["shipment"]["carrier"], vykup["shipment"]["tracking_number"]) == (
        "nova_poshta",
        waybill,
    )
