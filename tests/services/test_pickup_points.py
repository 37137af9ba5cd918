"""The order's pickup point checked after intake, and the customer choosing another one,
against the fake Nova Poshta (getWarehouses from refdata's samples)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal

import aiohttp
import pytest

from bot.carriers.novaposhta.warehouses import NovaPoshtaPoints
from bot.domain.errors import NotFound
from bot.domain.order_changes import OrderExistsWithDifferentData
from bot.domain.pickup_points import PointCheck
from bot.services import confirmation
from bot.services.confirmation import NotAwaitingConfirmation
from bot.services.context import ServiceContext
from bot.services.intake import intake_order
from bot.services.pickup_points.change import (
    CarrierNotAnswering,
    PointNotInList,
    PointsUnavailable,
    choose_point,
    search_points,
)
from bot.services.pickup_points.check import check_due_points
from tests.carriers.fake_novaposhta import FakeNovaPoshta, Mode, Samples, serve
from tests.factories import OLENA, STRANGER, new_order

SAMPLE_REF = "1ec09d88-e1c2-11e3-8c4a-0050568002cf"  # Київ, Відділення №1 (refdata)


@pytest.fixture
def fake_np() -> FakeNovaPoshta:
    fake = FakeNovaPoshta(Samples.load())
    fake.warehouses.add("Київ", 12, "вул. Хрещатик, 22")
    fake.warehouses.add("Київ", 14, "вул. Хрещатик, 40", WarehouseStatus="NotWorking")
    fake.warehouses.add("Київ", 5501, "вул. Хрещатик, 1", locker=True)
    for number in range(20, 31):
        fake.warehouses.add("Київ", number, f"вул. Велика Васильківська, {number}")
    return fake


@pytest.fixture
async def sources(fake_np: FakeNovaPoshta) -> AsyncIterator[dict[str, NovaPoshtaPoints]]:
    async with serve(fake_np) as url, aiohttp.ClientSession() as http:
        yield {"nova_poshta": NovaPoshtaPoints(http, api_key="k", api_url=url, timeout=2.0)}


@pytest.fixture
def np_ctx(ctx: ServiceContext) -> ServiceContext:
    return dataclasses.replace(ctx, point_carriers=frozenset({"nova_poshta"}))


def order_at(point: str | None, weight: str | None = None, **kwargs: object):
    data = new_order(telegram_id=OLENA.id, **kwargs)  # type: ignore[arg-type]
    return dataclasses.replace(data, point=point, weight=Decimal(weight) if weight else None)


async def outbox(db):
    async with db.uow() as uow:
        return list(await uow.outbox.pending(1000))


async def stored(db, order_id):
    async with db.read() as uow:
        return await uow.orders.get(order_id)


async def intake_and_check(db, ctx, sources, data):
    order = (await intake_order(db, ctx, data)).order
    assert order.point_check == ("pending" if ctx.point_carriers else None)
    assert await check_due_points(db, ctx, sources) == (1 if ctx.point_carriers else 0)
    return await stored(db, order.id)


async def test_a_known_working_point_is_ok_and_the_customer_hears_nothing_more(db, np_ctx, sources):
    order = await intake_and_check(db, np_ctx, sources, order_at("Відділення №12"))
    assert order.point_check == PointCheck.ok and order.point_ref is not None
    assert [row.method for row in await outbox(db)] == ["sendMessage"]  # the card, nothing else


@pytest.mark.parametrize(
    ("point", "weight", "found", "says"),
    [
        ("Відділення №404", None, PointCheck.unknown, "немає такого відділення"),
        ("Відділення №14", None, PointCheck.closed, "не працює"),
        ("Поштомат №5501", "25.5", PointCheck.too_heavy, "25,5 кг"),
    ],
)
async def test_a_problem_edits_the_card_with_the_change_button(
    db, np_ctx, sources, point, weight, found, says
):
    order = await intake_and_check(db, np_ctx, sources, order_at(point, weight))
    assert order.point_check == found
    edit = next(row for row in await outbox(db) if row.method == "editMessageText")
    assert says in edit.payload["text"] and "Змінити відділення" in edit.payload["text"]
    buttons = [b["text"] for row in edit.payload["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons[-1] == "📍 Змінити відділення"


async def test_a_carrier_that_does_not_answer_changes_nothing_the_customer_sees(
    db, np_ctx, sources, fake_np, caplog
):
    fake_np.mode = Mode.server_error
    order = await intake_and_check(db, np_ctx, sources, order_at("Відділення №404"))
    assert order.point_check == PointCheck.skipped
    assert not any(row.method == "editMessageText" for row in await outbox(db))
    assert "did not answer about its pickup point" in caplog.text


async def test_without_the_key_nothing_is_checked_and_the_card_has_no_button(db, ctx, sources):
    order = await intake_and_check(db, ctx, sources, order_at("Відділення №404"))
    assert order.point_check is None
    card = (await outbox(db))[0].payload
    buttons = [b["text"] for row in card["reply_markup"]["inline_keyboard"] for b in row]
    assert "📍 Змінити відділення" not in buttons


async def test_the_city_is_asked_once_a_day(db, np_ctx, sources, fake_np, clock):
    await intake_and_check(db, np_ctx, sources, order_at("Відділення №12"))
    await intake_and_check(db, np_ctx, sources, order_at("Відділення №1", external_id="A-1002"))
    assert len(fake_np.warehouse_requests) == 1
    clock.advance(timedelta(hours=25))
    await intake_and_check(db, np_ctx, sources, order_at("Відділення №1", external_id="A-1003"))
    assert len(fake_np.warehouse_requests) == 2
    # Yesterday's list answers for a carrier that does not answer today.
    clock.advance(timedelta(hours=25))
    fake_np.mode = Mode.not_json
    order = await intake_and_check(
        db, np_ctx, sources, order_at("Відділення №404", external_id="A-1004")
    )
    assert order.point_check == PointCheck.unknown


async def test_search_by_number_or_street(db, np_ctx, sources):
    order = (await intake_order(db, np_ctx, order_at("Відділення №404"))).order
    by_number = await search_points(db, np_ctx, sources, order.id, OLENA, "12")
    assert [p.number for p in by_number.found] == ["12"]
    by_street = await search_points(db, np_ctx, sources, order.id, OLENA, "Хрещатик")
    assert [p.number for p in by_street.found] == ["12", "5501"]  # №14 does not work
    many = await search_points(db, np_ctx, sources, order.id, OLENA, "Васильківська")
    assert len(many.found) == 11


async def test_choosing_a_point_stores_it_updates_the_card_and_tells_the_shop(
    db, np_ctx, sources, fake_np
):
    order = await intake_and_check(db, np_ctx, sources, order_at("Відділення №404"))
    branch = next(w for w in fake_np.warehouses.directory if w["Number"] == "12")
    async with db.uow() as uow:  # Telegram accepted the card
        card = await uow.orders.get(order.id, for_update=True)
        card.card_chat_id, card.card_message_id = OLENA.id, 10
        await uow.commit()
    before = len(await outbox(db))

    changed = await choose_point(db, np_ctx, sources, order.id, OLENA, branch["Ref"])

    assert changed.point == "Відділення №12: вул. Хрещатик, 22"
    assert changed.point_ref == branch["Ref"] and changed.point_check == PointCheck.ok
    assert changed.shop_point == "Відділення №404"
    rows = (await outbox(db))[before:]
    edit = next(row for row in rows if row.method == "editMessageText")
    assert (
        "вул. Хрещатик, 22" in edit.payload["text"] and "немає такого" not in edit.payload["text"]
    )
    hook = next(row for row in rows if row.channel == "webhook").payload
    assert hook["body"]["event"] == "order.delivery_changed"
    assert hook["body"]["point_ref"] == branch["Ref"]
    assert hook["body"]["point"] == "Відділення №12: вул. Хрещатик, 22"

    # The shop sending the same order again is not "different data".
    again = await intake_order(db, np_ctx, order_at("Відділення №404"))
    assert not again.created
    with pytest.raises(OrderExistsWithDifferentData):
        await intake_order(db, np_ctx, order_at("Відділення №7"))


async def test_forged_stale_or_foreign_choices_change_nothing(db, np_ctx, sources, fake_np):
    order = (await intake_order(db, np_ctx, order_at("Відділення №404"))).order
    closed = next(w for w in fake_np.warehouses.directory if w["Number"] == "14")
    lviv = fake_np.warehouses.add("Львів", 3, "вул. Городоцька, 3")
    for ref in ("00000000-0000-0000-0000-000000000000", closed["Ref"], lviv["Ref"]):
        with pytest.raises(PointNotInList):
            await choose_point(db, np_ctx, sources, order.id, OLENA, ref)
    with pytest.raises(NotFound):
        await choose_point(db, np_ctx, sources, order.id, STRANGER, SAMPLE_REF)
    assert (await stored(db, order.id)).point == "Відділення №404"

    await confirmation.confirm(db, np_ctx, order.id, OLENA, None)
    with pytest.raises(NotAwaitingConfirmation):
        await choose_point(db, np_ctx, sources, order.id, OLENA, SAMPLE_REF)
    assert (await stored(db, order.id)).point == "Відділення №404"


async def test_no_directory_or_no_answer_is_said_clearly(db, np_ctx, ctx, sources, fake_np):
    order = (await intake_order(db, np_ctx, order_at("Відділення №404"))).order
    with pytest.raises(PointsUnavailable):
        await search_points(db, ctx, sources, order.id, OLENA, "12")
    with pytest.raises(PointsUnavailable):
        await search_points(db, np_ctx, {}, order.id, OLENA, "12")
    fake_np.mode = Mode.refused
    with pytest.raises(CarrierNotAnswering):
        await search_points(db, np_ctx, sources, order.id, OLENA, "12")


async def test_the_web_page_points_to_its_own_change_form_not_to_a_button_it_lacks(
    db, np_ctx, sources
):
    from bot.web.confirm_page.render import card

    order = await intake_and_check(db, np_ctx, sources, order_at("Відділення №404"))
    page = card(order, np_ctx.catalogs("uk"))
    assert "немає такого відділення" in page
    assert "напишіть у «✏️ Змінити» нижче" in page and "Змінити відділення" not in page
