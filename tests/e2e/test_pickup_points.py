"""A Nova Poshta branch that does not exist: the card says so, the customer picks another one."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.carriers.fake_novaposhta import FakeNovaPoshta, Samples, serve
from tests.e2e.conftest import World
from tests.e2e.test_confirmation import start_token

CHANGE = "📍 Змінити відділення"


@pytest.fixture
def fake_np() -> FakeNovaPoshta:
    fake = FakeNovaPoshta(Samples.load())
    fake.warehouses.add("Київ", 12, "вул. Хрещатик, 22")
    for number in range(20, 31):
        fake.warehouses.add("Київ", number, f"вул. Велика Васильківська, {number}")
    return fake


@pytest.fixture
async def extra_settings(fake_np: FakeNovaPoshta) -> AsyncIterator[dict[str, object]]:
    async with serve(fake_np) as url:
        yield {
            "nova_poshta_api_key": "np-test-key",
            "nova_poshta_api_url": url,
            "nova_poshta_poll_interval": "1h",
        }


async def test_an_unknown_branch_is_changed_from_the_card(world: World, fake_np: FakeNovaPoshta):
    delivery = {
        "carrier": "nova_poshta",
        "city": "Київ",
        "point": "Відділення №404",
        "address": None,
        "weight": 2.5,
    }
    order = await world.shop.create_order(delivery=delivery)
    world.olena.send_command("/start", start_token(order["telegram_link"]))
    card = await world.telegram.wait_for_message(world.olena.id, "A-1001")
    assert CHANGE in [b["text"] for b in card.inline_buttons]

    # The check runs after intake: the card says so when it is sent, or is edited to say so.
    if "немає такого" not in card.visible:
        await world.telegram.wait_for_edit(world.olena.id, card.message_id, "немає такого")
    warned = world.telegram.chat(world.olena.id).find(card.message_id)
    assert "У «Нова пошта» немає такого відділення чи поштомата в місті Київ" in warned.visible
    assert fake_np.warehouse_requests[0]["methodProperties"]["CityName"] == "Київ"

    # Search by street: 11 results, 8 a page.
    await world.olena.press(card, CHANGE).answer()
    await world.telegram.wait_for_message(world.olena.id, "Напишіть його номер")
    world.olena.send_text("Васильківська")
    results = await world.telegram.wait_for_message(world.olena.id, "за запитом")
    assert "11 відділень" in results.visible and "Сторінка 1 з 2" in results.visible
    assert len(results.inline_buttons) == 8 + 2  # the points, "Далі", "Шукати ще"
    await world.olena.press(results, "Далі ▶️").answer()
    await world.telegram.wait_for_edit(world.olena.id, results.message_id, "Сторінка 2 з 2")

    # Another search by number; the choice goes onto the order, the card and the shop.
    world.olena.send_text("12")
    found = await world.telegram.wait_for_message(world.olena.id, "1 відділення")
    await world.olena.press(found, "Відділення №12: вул. Хрещатик, 22").answer()
    await world.telegram.wait_for_edit(world.olena.id, found.message_id, "буде доставлено")
    await world.telegram.wait_for_edit(world.olena.id, card.message_id, "вул. Хрещатик, 22")
    event = await world.hooks.wait_for("order.delivery_changed")
    branch = fake_np.warehouses.directory[1]
    assert event["point_ref"] == branch["Ref"]
    assert event["point"] == "Відділення №12: вул. Хрещатик, 22"
    stored = await world.shop.get_order("A-1001")
    assert stored["status"] == "new"

    # Forged and stale buttons change nothing.
    forged = await world.olena.press_forged(found.message_id, "pt:1:not-a-ref").answer()
    assert forged.text
    stale = await world.olena.press_forged(results.message_id, "pg:1:1").answer()
    assert stale.show_alert and "застарів" in stale.text
    gone = await world.olena.press_forged(
        found.message_id, "pt:1:00000000-0000-0000-0000-000000000000"
    ).answer()
    assert gone.show_alert and "немає в списку" in gone.text
    assert world.hooks.names().count("order.delivery_changed") == 1
