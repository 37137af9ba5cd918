"""The managers' daily digest: what it says, once per slot, catching up after downtime."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.botapi.html import parse_html, utf16_len
from bot.delivery.daily import DailyDigest
from bot.domain.feedback import RefusalReason
from bot.domain.languages import Language
from bot.domain.orders import Carrier, OrderStatus
from bot.domain.shipments import ShipmentStatus
from bot.services.confirmation import confirm
from bot.services.digest import digest_slot, next_digest, pending_slot, send_digest
from bot.services.intake import intake_order
from bot.services.parcel_answers import explain_refusal
from bot.services.people import TelegramUser
from bot.services.shipments import ShipmentUpdate, attach_shipment, record_shipment_event
from bot.services.shop_status import set_status_by_shop
from bot.texts import digest as texts
from storage.models import ConnectorOrder
from storage.repositories.stats import Outcomes, RefusedOrder, WaitingParcel
from tests.connectors.recording import stored_connection
from tests.factories import new_order

KYIV = ZoneInfo("Europe/Kyiv")
AT = time(10, 0)
MANAGERS = -100500


def kyiv(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=KYIV)


def move_to(clock, moment: datetime) -> None:
    clock.advance(moment - clock.now())


def person(n: int) -> TelegramUser:
    return TelegramUser(id=7000 + n, full_name=f"Customer {n}")


async def shipped(db, ctx, n: int, *, name: str | None = None, linked: bool = True) -> str:
    """Order D-<n> of its own customer, confirmed and shipped; returns the waybill."""
    external_id = f"D-{n}"
    data = new_order(
        external_id,
        phone=f"+3805000000{n:02d}",
        name=name or f"Customer {n}",
        telegram_id=person(n).id if linked else None,
    )
    order = (await intake_order(db, ctx, data)).order
    if linked:
        await confirm(db, ctx, order.id, person(n), None)
    else:
        await set_status_by_shop(db, ctx, external_id, OrderStatus.confirmed, None)
    waybill = f"204500000001{n:02d}"
    await attach_shipment(db, ctx, external_id, Carrier.nova_poshta, waybill)
    return waybill


async def parcel_event(db, ctx, waybill: str, status: ShipmentStatus, **extra) -> None:
    result = await record_shipment_event(db, ctx, waybill, ShipmentUpdate(status=status, **extra))
    assert result.applied


async def digests(db) -> list[str]:
    async with db.uow() as uow:
        return [
            row.payload["text"]
            for row in await uow.outbox.pending(10_000)
            if row.chat_id == MANAGERS and "📊" in row.payload.get("text", "")
        ]


async def order_id(db, external_id: str) -> int:
    async with db.uow() as uow:
        return (await uow.orders.by_external_id(external_id)).id


# --- what the digest says ----------------------------------------------------------------------


async def test_digest_lists_waiting_parcels_refusals_and_the_buyout_rate(db, ctx, clock):
    # Long ago (outside 30 days): a received parcel that no longer counts.
    old = await shipped(db, ctx, 1)
    await parcel_event(db, ctx, old, ShipmentStatus.received)

    # 22 days before the digest: two received, one refused and then returned.
    move_to(clock, kyiv(2026, 12, 5, 12))
    month = [await shipped(db, ctx, n) for n in (2, 3, 4)]
    await parcel_event(db, ctx, month[0], ShipmentStatus.received)
    await parcel_event(db, ctx, month[1], ShipmentStatus.received)
    await parcel_event(db, ctx, month[2], ShipmentStatus.refused)
    move_to(clock, kyiv(2026, 12, 6, 12))
    await parcel_event(db, ctx, month[2], ShipmentStatus.returned)

    # The day before the digest: one received, two refused (one customer told us why).
    move_to(clock, kyiv(2026, 12, 26, 12))
    week = [await shipped(db, ctx, 5), await shipped(db, ctx, 6), await shipped(db, ctx, 7)]
    await parcel_event(db, ctx, week[0], ShipmentStatus.received)
    await parcel_event(db, ctx, week[1], ShipmentStatus.refused)
    await parcel_event(db, ctx, week[2], ShipmentStatus.refused)
    await explain_refusal(
        db, ctx, await order_id(db, "D-6"), person(6), RefusalReason.too_expensive, "Дорого <дуже>"
    )

    # Waiting at branches now: storage dates out of order, one unknown, one already paid.
    waiting = {
        8: (date(2026, 12, 31), True, None),
        9: (date(2026, 12, 28), False, "Іван <Бос> & Ко"),
        10: (None, True, None),
        11: (date(2026, 12, 27), True, None),
    }
    for n, (paid_from, linked, name) in waiting.items():
        waybill = await shipped(db, ctx, n, linked=linked, name=name)
        await parcel_event(
            db, ctx, waybill, ShipmentStatus.arrived, paid_storage_from=paid_from, point="№1"
        )

    move_to(clock, kyiv(2026, 12, 27, 10))
    assert await send_digest(db, ctx, at=AT)

    [text] = await digests(db)
    parse_html(text)  # Telegram accepts the HTML
    assert text.startswith("📊 <b>Щоденний звіт</b>, 27 грудня")
    assert "📦 <b>Посилки чекають у відділеннях</b>: 4" in text
    lines = text.splitlines()
    waiting_lines = [line for line in lines if line.startswith("• ") and "зберігання" in line]
    assert [line.split("</b>")[0] for line in waiting_lines] == [
        "• <b>D-11",
        "• <b>D-9",
        "• <b>D-8",
        "• <b>D-10",
    ]
    assert "• <b>D-11</b> — Customer 11, +380500000011 — платне зберігання вже почалося" in text
    assert (
        "• <b>D-9</b> — Іван &lt;Бос&gt; &amp; Ко, +380500000009 — "
        "безкоштовне зберігання: ще 1 день; 📵 немає в чаті, зателефонуйте"
    ) in text
    assert (
        "• <b>D-8</b> — Customer 8, +380500000008 — безкоштовне зберігання: ще 4 дні; на зв'язку в чаті"
        in text
    )
    assert "• <b>D-10</b> — Customer 10, +380500000010 — дата платного зберігання невідома" in text

    assert "↩️ <b>Відмови після попереднього звіту</b>: 2" in text
    assert "• <b>D-6</b> — Customer 6, +380500000006: Занадто дорого «Дорого &lt;дуже&gt;»" in text
    assert "• <b>D-7</b> — Customer 7, +380500000007: причину ще не назвали" in text
    assert "D-4</b>" not in text  # refused three weeks ago: an older digest told about it

    assert "За останні 7 днів: <b>33%</b> (отримано: 1, відмови: 2, повернення: 0)" in text
    assert "За останні 30 днів: <b>50%</b> (отримано: 3, відмови: 2, повернення: 1)" in text


async def test_digest_speaks_the_managers_language_and_says_when_nothing_happened(db, ctx):
    ctx = replace(ctx, default_language=Language.en)
    assert await send_digest(db, ctx, at=AT)
    [text] = await digests(db)
    assert text.splitlines() == [
        "📊 <b>Daily digest</b>, 20 November",
        "",
        "📦 No parcels are waiting at branches.",
        "",
        "↩️ No refusals since the last digest.",
        "",
        "📈 <b>Buyout rate</b>",
        "Last 7 days: no finished parcels yet",
        "Last 30 days: no finished parcels yet",
    ]


async def test_platform_orders_nobody_was_asked_about_are_counted(db, ctx, clock):
    # A connected shop's cash-on-delivery orders that Vykup could not put to a customer: a person
    # has to handle them. Paid-online ones are not news and are not counted.
    async with db.uow() as uow:
        connection = stored_connection(uow.clock.now())
        uow.connections.add(connection)
        await uow.session.flush()
        for n, reason in enumerate(["no_phone", "no_phone", "too_many_items", "not_cod"]):
            uow.connections.add_link(
                ConnectorOrder(
                    connection_id=connection.id,
                    remote_id=str(n),
                    number=str(n),
                    skipped=reason,
                    created_at=uow.clock.now(),
                    updated_at=uow.clock.now(),
                )
            )
        await uow.commit()
    move_to(clock, kyiv(2026, 11, 20, 10, 5))
    assert await send_digest(db, replace(ctx, default_language=Language.uk), at=AT)
    [text] = await digests(db)
    lines = text.splitlines()
    start = lines.index("🔌 <b>Замовлення з платформи магазину, про які нікого не спитали</b>")
    assert lines[start + 1 : start + 3] == [
        "• 2 без придатного номера телефону: перевірте їх у магазині",
        "• 1 понад 100 позицій: підтвердьте його телефоном",
    ]


async def test_refusal_recorded_only_on_the_order_counts_too(db, ctx, clock):
    """The shop marked the order refused itself (no carrier event): still a refusal."""
    waybill = await shipped(db, ctx, 1, linked=False)
    await parcel_event(db, ctx, waybill, ShipmentStatus.arrived)
    clock.advance(timedelta(hours=1))
    await set_status_by_shop(db, ctx, "D-1", OrderStatus.refused, None)
    move_to(clock, kyiv(2026, 11, 21, 10))
    assert await send_digest(db, ctx, at=AT)
    [text] = await digests(db)
    assert "↩️ <b>Відмови після попереднього звіту</b>: 1" in text
    assert "• <b>D-1</b> — Customer 1, +380500000001: причину ще не назвали" in text


# --- once per slot -----------------------------------------------------------------------------


async def test_each_slot_is_sent_once_and_the_next_digest_starts_where_this_one_ended(
    db, ctx, clock
):
    waybill = await shipped(db, ctx, 1)
    await parcel_event(db, ctx, waybill, ShipmentStatus.refused)
    clock.advance(timedelta(minutes=5))  # 10:05 in Kyiv

    assert await send_digest(db, ctx, at=AT)
    assert not await send_digest(db, ctx, at=AT)
    clock.advance(timedelta(hours=3))
    assert not await send_digest(db, ctx, at=AT)
    assert len(await digests(db)) == 1

    move_to(clock, kyiv(2026, 11, 21, 10))
    assert await send_digest(db, ctx, at=AT)
    first, second = await digests(db)
    assert "D-1</b>" in first
    assert "D-1</b>" not in second  # the refusal was in yesterday's digest
    assert "↩️ Після попереднього звіту відмов не було." in second


async def test_no_managers_chat_no_digest(db, ctx):
    ctx = replace(ctx, manager_chat_id=None)
    assert not await send_digest(db, ctx, at=AT)
    async with db.uow() as uow:
        assert await uow.outbox.pending(100) == []
        assert await uow.jobs.last_run("digest") is None


# --- the loop: catch-up after downtime ---------------------------------------------------------


async def test_catch_up_after_downtime_sends_the_missed_slot(db, ctx, clock):
    move_to(clock, kyiv(2026, 11, 20, 15))  # down at 10:00, back at 15:00
    daily = DailyDigest(db, ctx, clock, AT)
    assert await daily.run_once()
    assert not await daily.run_once()
    assert len(await digests(db)) == 1

    again = DailyDigest(db, ctx, clock, AT)  # a restart remembers the slot was sent
    assert not await again.run_once()
    assert len(await digests(db)) == 1


async def test_a_slot_too_old_is_skipped_and_the_next_one_is_sent(db, ctx, clock):
    move_to(clock, kyiv(2026, 11, 20, 23))  # thirteen hours late: wait for tomorrow
    daily = DailyDigest(db, ctx, clock, AT)
    assert not await daily.run_once()
    assert await digests(db) == []
    move_to(clock, kyiv(2026, 11, 21, 10))
    assert await daily.run_once()
    assert len(await digests(db)) == 1


async def test_the_loop_wakes_on_a_clock_jump_and_sends_at_digest_time(db, ctx, clock):
    move_to(clock, kyiv(2026, 11, 20, 9, 30))
    daily = DailyDigest(db, ctx, clock, AT)
    task = asyncio.create_task(daily.run())
    try:
        await asyncio.sleep(0.2)
        assert await digests(db) == []
        clock.advance(timedelta(minutes=30))  # 10:00: the clock wakes the loop
        for _ in range(100):
            if await digests(db):
                break
            await asyncio.sleep(0.05)
        assert len(await digests(db)) == 1
        clock.advance(timedelta(minutes=1))
        await asyncio.sleep(0.2)
        assert len(await digests(db)) == 1
    finally:
        daily.stop()
        await asyncio.wait_for(task, timeout=5)


# --- slot arithmetic ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "at", "slot", "following"),
    [
        # 10:00 sharp is today's slot.
        (kyiv(2026, 11, 20, 10), AT, kyiv(2026, 11, 20, 10), kyiv(2026, 11, 21, 10)),
        # Before DIGEST_AT: yesterday's slot, today's next.
        (kyiv(2026, 11, 20, 9, 59), AT, kyiv(2026, 11, 19, 10), kyiv(2026, 11, 20, 10)),
        # Just after midnight in Kyiv (still the previous day in UTC).
        (kyiv(2026, 11, 21, 0, 30), AT, kyiv(2026, 11, 20, 10), kyiv(2026, 11, 21, 10)),
        # A slot just after midnight.
        (
            kyiv(2026, 11, 21, 0, 10),
            time(0, 15),
            kyiv(2026, 11, 20, 0, 15),
            kyiv(2026, 11, 21, 0, 15),
        ),
        (
            kyiv(2026, 11, 21, 0, 20),
            time(0, 15),
            kyiv(2026, 11, 21, 0, 15),
            kyiv(2026, 11, 22, 0, 15),
        ),
        # A late slot: across midnight and the year.
        (
            kyiv(2027, 1, 1, 0, 5),
            time(23, 30),
            kyiv(2026, 12, 31, 23, 30),
            kyiv(2027, 1, 1, 23, 30),
        ),
        # Summer time starts in Kyiv on 28 March 2027: the next slot is 23 hours away.
        (kyiv(2027, 3, 27, 12), AT, kyiv(2027, 3, 27, 10), kyiv(2027, 3, 28, 10)),
    ],
)
def test_slot_arithmetic(now: datetime, at: time, slot: datetime, following: datetime) -> None:
    assert digest_slot(now.astimezone(UTC), at, KYIV) == slot
    assert next_digest(now.astimezone(UTC), at, KYIV) == following
    assert digest_slot(now, at, KYIV) <= now < next_digest(now, at, KYIV)


def test_summer_time_makes_a_day_of_23_hours() -> None:
    now = kyiv(2027, 3, 27, 12)
    assert next_digest(now, AT, KYIV) - digest_slot(now, AT, KYIV) == timedelta(hours=23)
    assert next_digest(now, AT, KYIV) == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)


def test_a_missed_slot_is_caught_up_for_twelve_hours() -> None:
    assert pending_slot(kyiv(2026, 11, 20, 21, 59), AT, KYIV) == kyiv(2026, 11, 20, 10)
    assert pending_slot(kyiv(2026, 11, 20, 22, 0), AT, KYIV) is None


# --- the text stays within Telegram's limit ----------------------------------------------------


def test_long_lists_give_way_but_totals_stay(catalogs) -> None:
    t = catalogs("uk")
    name = "&" * 200  # every character becomes "&amp;"
    data = texts.Digest(
        today=date(2026, 11, 20),
        waiting=[
            WaitingParcel(f"W-{n}", name, "+380500000000", date(2026, 11, 25), n % 2 == 0)
            for n in range(20)
        ],
        waiting_total=57,
        refusals=[
            RefusedOrder(
                f"R-{n}",
                name,
                "+380500000000",
                datetime(2026, 11, 20, tzinfo=UTC),
                "price",
                "x" * 900,
            )
            for n in range(20)
        ],
        refusals_total=31,
        periods=[
            texts.Period(7, Outcomes(received=2, refused=1, returned=0)),
            texts.Period(30, Outcomes(received=9, refused=2, returned=1)),
        ],
    )
    text = texts.digest(data, t)
    assert texts.text_length(text) <= texts.MAX_TEXT
    assert utf16_len(parse_html(text).text) <= texts.MAX_TEXT  # valid HTML, as Telegram counts
    assert "📦 <b>Посилки чекають у відділеннях</b>: 57" in text
    assert "↩️ <b>Відмови після попереднього звіту</b>: 31" in text
    shown_waiting = text.count("<b>W-")
    shown_refusals = text.count("<b>R-")
    assert 0 < shown_waiting < 20 and 0 < shown_refusals < 20
    assert f"…і ще {57 - shown_waiting} посил" in text
    assert f"…і ще {31 - shown_refusals} відмов" in text
    assert "За останні 7 днів: <b>67%</b> (отримано: 2, відмови: 1, повернення: 0)" in text
    assert "За останні 30 днів: <b>75%</b> (отримано: 9, відмови: 2, повернення: 1)" in text
