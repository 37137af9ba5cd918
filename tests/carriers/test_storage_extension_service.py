"""Extending a waiting parcel's free storage through the strict fake Nova Poshta, on both
engines: possible, not possible, error envelope, timeout, garbage, no key, double presses."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal

import aiohttp
import pytest

from bot.carriers.novaposhta.storage import NovaPoshtaStorageExtension
from bot.domain.errors import ButtonExpired, NotFound
from bot.domain.orders import Carrier
from bot.services import shipments
from bot.services import storage_extension as extension
from bot.services.parcel_answers import AlreadyAnswered
from bot.services.timers import run_due_timers
from tests.carriers.conftest import API_KEY
from tests.carriers.fake_novaposhta import FakeNovaPoshta
from tests.carriers.fake_np_storage import NOT_POSSIBLE, StorageDesk, StorageMode
from tests.factories import OLENA, STRANGER
from tests.services.test_tracking import WAYBILL, arrived, shipped_order, texts_to

NEW_LAST_DAY = date(2026, 12, 3)  # was 26 November (paid storage from the 27th)


@pytest.fixture
def desk(fake_np: FakeNovaPoshta) -> StorageDesk:
    fake_np.storage.offer(WAYBILL, NEW_LAST_DAY, "60.00")
    return fake_np.storage


@pytest.fixture
def extenders(http: aiohttp.ClientSession, np_url: str) -> extension.Extenders:
    client = NovaPoshtaStorageExtension(http, api_key=API_KEY, api_url=np_url, timeout=1.0)
    return {Carrier.nova_poshta.value: client}


async def waiting(db, ctx) -> int:  # type: ignore[no-untyped-def]
    order = await shipped_order(db, ctx)
    await shipments.record_shipment_event(db, ctx, WAYBILL, arrived(can_extend_storage=True))
    await run_due_timers(db, ctx)
    return int(order.id)


async def shop_events(db, name: str) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    async with db.uow() as uow:
        return [
            row.payload["body"]
            for row in await uow.outbox.pending(1000)
            if isinstance(row.payload.get("body"), dict)
            and row.payload["body"].get("event") == name
        ]


async def test_offer_confirm_moves_the_day_reminders_and_tells_the_shop(
    db, ctx, clock, extenders, desk: StorageDesk
) -> None:
    order_id = await waiting(db, ctx)
    offered = await extension.offer(db, ctx, extenders, order_id, OLENA)
    assert isinstance(offered, extension.Offered)
    assert offered.last_free_day == NEW_LAST_DAY and offered.cost == Decimal("60.00")
    assert desk.orders == []  # nothing ordered before the customer says so

    done = await extension.confirm(db, ctx, extenders, offered.extension_id, OLENA)
    assert done == extension.Extended(NEW_LAST_DAY, Decimal("60.00"))
    assert len(desk.orders) == 1
    async with db.read() as uow:
        shipment = await uow.shipments.of_order(order_id)
        assert shipment.paid_storage_from == date(2026, 12, 4)
        (row,) = await uow.storage_extensions.of_order(order_id)
        assert row.state == "ordered" and row.carrier_reference == "102-00000001"
        assert row.answered_at is not None
    (event,) = await shop_events(db, "shipment.storage_extended")
    assert event["storage_free_until"] == "2026-12-03"
    assert event["storage_extension_cost"] == "60.00"
    await run_due_timers(db, ctx)
    [*_, told] = await texts_to(db, OLENA.id)
    assert "🗓" in told and "3 грудня" in told  # the storage notice with the new day


async def test_a_second_press_and_a_stale_or_forged_button_change_nothing(
    db, ctx, extenders, desk: StorageDesk
) -> None:
    order_id = await waiting(db, ctx)
    offered = await extension.offer(db, ctx, extenders, order_id, OLENA)
    assert isinstance(offered, extension.Offered)
    with pytest.raises(NotFound):
        await extension.confirm(db, ctx, extenders, offered.extension_id, STRANGER)  # forged
    with pytest.raises(ButtonExpired):
        await extension.confirm(db, ctx, extenders, 999_999, OLENA)  # no such offer
    first, second = await asyncio.gather(
        extension.confirm(db, ctx, extenders, offered.extension_id, OLENA),
        extension.confirm(db, ctx, extenders, offered.extension_id, OLENA),
        return_exceptions=True,
    )
    outcomes = sorted(type(x).__name__ for x in (first, second))
    assert outcomes[0] in {"AlreadyExtended", "BeingOrdered"} and outcomes[1] == "Extended"
    with pytest.raises(extension.AlreadyExtended):
        await extension.confirm(db, ctx, extenders, offered.extension_id, OLENA)
    with pytest.raises(extension.AlreadyExtended):
        await extension.offer(db, ctx, extenders, order_id, OLENA)
    with pytest.raises(extension.AlreadyExtended):
        await extension.decline(db, offered.extension_id, OLENA)
    assert len(desk.orders) == 1
    assert len(await shop_events(db, "shipment.storage_extended")) == 1


async def test_a_newer_offer_makes_the_older_button_stale(
    db, ctx, extenders, desk: StorageDesk
) -> None:
    order_id = await waiting(db, ctx)
    old = await extension.offer(db, ctx, extenders, order_id, OLENA)
    new = await extension.offer(db, ctx, extenders, order_id, OLENA)
    assert isinstance(old, extension.Offered) and isinstance(new, extension.Offered)
    with pytest.raises(ButtonExpired):
        await extension.confirm(db, ctx, extenders, old.extension_id, OLENA)
    await extension.decline(db, new.extension_id, OLENA)
    with pytest.raises(ButtonExpired):
        await extension.confirm(db, ctx, extenders, new.extension_id, OLENA)
    assert desk.orders == []


@pytest.mark.parametrize(
    ("mode", "why", "said"),
    [
        (StorageMode.not_possible, extension.Fallback.not_possible, NOT_POSSIBLE),
        (StorageMode.no_date, extension.Fallback.not_possible, "no new storage date"),
        (StorageMode.garbage, extension.Fallback.unavailable, "unexpected answer"),
        (StorageMode.slow, extension.Fallback.unavailable, "no answer within"),
    ],
)
async def test_no_extension_goes_to_the_managers_with_the_carriers_words(
    db, ctx, extenders, desk: StorageDesk, mode: StorageMode, why, said: str
) -> None:
    order_id = await waiting(db, ctx)
    desk.mode = mode
    answer = await extension.offer(db, ctx, extenders, order_id, OLENA)
    assert answer == extension.ManagerAsked(why)
    [*_, alert] = await texts_to(db, ctx.manager_chat_id)
    assert "🗓" in alert and said in alert
    assert len(await shop_events(db, "shipment.storage_extension_requested")) == 1
    with pytest.raises(AlreadyAnswered):  # asked once: a second press changes nothing
        await extension.offer(db, ctx, extenders, order_id, OLENA)
    async with db.read() as uow:
        assert await uow.storage_extensions.of_order(order_id) == []


async def test_without_a_key_the_manager_task_as_before(db, ctx, desk: StorageDesk) -> None:
    order_id = await waiting(db, ctx)
    answer = await extension.offer(db, ctx, {}, order_id, OLENA)
    assert answer == extension.ManagerAsked(extension.Fallback.no_key)
    assert desk.requests == []


async def test_a_refused_order_is_recorded_and_handed_to_the_managers(
    db, ctx, extenders, desk: StorageDesk
) -> None:
    order_id = await waiting(db, ctx)
    offered = await extension.offer(db, ctx, extenders, order_id, OLENA)
    assert isinstance(offered, extension.Offered)
    desk.mode = StorageMode.refused_save
    answer = await extension.confirm(db, ctx, extenders, offered.extension_id, OLENA)
    assert answer == extension.ManagerAsked(extension.Fallback.not_possible)
    async with db.read() as uow:
        (row,) = await uow.storage_extensions.of_order(order_id)
        assert row.state == "failed" and row.carrier_text == NOT_POSSIBLE
        shipment = await uow.shipments.of_order(order_id)
        assert shipment.paid_storage_from == date(2026, 11, 27)  # unchanged
    [*_, alert] = await texts_to(db, ctx.manager_chat_id)
    assert NOT_POSSIBLE in alert
    with pytest.raises(ButtonExpired):
        await extension.confirm(db, ctx, extenders, offered.extension_id, OLENA)
