"""Categories from real order history, and the shop's per-category texts reaching the outbox."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from bot.domain.categories import Category, CustomerHistory, categorize
from bot.domain.orders import Carrier
from bot.domain.shipments import ShipmentStatus
from bot.services import shipments
from bot.services.confirmation import confirm
from bot.services.context import ServiceContext
from bot.services.intake import intake_order
from bot.services.people import TelegramUser
from bot.services.shipments import ShipmentUpdate
from bot.services.timers import run_due_timers
from bot.texts.templates import load_templates
from storage.repositories.history import HistoryRepository
from storage.uow import Database
from tests.factories import OLENA, new_order

IVAN = TelegramUser(id=5002, full_name="Іван Петренко", language_code="uk")
VIP_FILE = """
[arrived]
uk = "📦 {customer_name}, замовлення <b>{number}</b> чекає: {point}"

[arrived.vip]
uk = "💎 {customer_name}, дякуємо, що ви з нами! Замовлення <b>{number}</b> чекає: {point}"
"""


async def parcel(
    db: Database,
    ctx: ServiceContext,
    n: int,
    *ending: ShipmentStatus,
    person: TelegramUser = OLENA,
    phone: str = "+380501234567",
) -> str:
    """Order n for the person, confirmed, shipped and taken through ``ending``; its waybill."""
    external_id, waybill = f"A-{n}", f"2045000000{n:04d}"
    data = new_order(external_id, phone=phone, name=person.full_name, telegram_id=person.id)
    order = (await intake_order(db, ctx, data)).order
    await confirm(db, ctx, order.id, person, None)
    await shipments.attach_shipment(db, ctx, external_id, Carrier.nova_poshta, waybill)
    await run_due_timers(db, ctx)
    for status in ending:
        await shipments.record_shipment_event(db, ctx, waybill, ShipmentUpdate(status=status))
        await run_due_timers(db, ctx)
    return waybill


async def history_of(db: Database, phone: str = "+380501234567") -> CustomerHistory:
    async with db.uow() as uow:
        customer = await uow.customers.by_phone(phone)
        assert customer is not None
        return await HistoryRepository(uow.session).of_customer(customer.id)


async def arrived_texts(db: Database, chat_id: int) -> list[str]:
    async with db.uow() as uow:
        rows = await uow.outbox.pending(1000)
    return [
        r.payload["text"] for r in rows if r.chat_id == chat_id and "чекає" in r.payload["text"]
    ]


RECEIVED = (ShipmentStatus.arrived, ShipmentStatus.received)


async def test_a_customer_moves_from_new_to_regular_to_vip(db: Database, ctx: ServiceContext):
    await parcel(db, ctx, 1)
    assert await history_of(db) == CustomerHistory()
    assert categorize(await history_of(db)) is Category.new
    await parcel(db, ctx, 2, *RECEIVED)
    history = await history_of(db)
    assert history == CustomerHistory(received=1, received_total=Decimal("900.00"))
    assert categorize(history) is Category.regular
    for n in range(3, 7):
        await parcel(db, ctx, n, *RECEIVED)
    history = await history_of(db)
    assert (history.received, history.received_total) == (5, Decimal("4500.00"))
    assert categorize(history) is Category.vip


async def test_refusals_and_returns_make_a_customer_risky(db: Database, ctx: ServiceContext):
    await parcel(db, ctx, 1, *RECEIVED)
    await parcel(db, ctx, 2, ShipmentStatus.arrived, ShipmentStatus.refused)
    assert categorize(await history_of(db)) is Category.regular
    await parcel(
        db,
        ctx,
        3,
        ShipmentStatus.arrived,
        ShipmentStatus.refused,
        ShipmentStatus.returning,
        ShipmentStatus.returned,
    )
    history = await history_of(db)
    assert history == CustomerHistory(
        received=1, refused=1, returned=1, received_total=Decimal("900.00")
    )
    assert categorize(history) is Category.risky


async def test_only_the_customers_own_orders_count(db: Database, ctx: ServiceContext):
    for n in range(1, 6):
        await parcel(db, ctx, n, *RECEIVED)
    await parcel(db, ctx, 9, *RECEIVED, person=IVAN, phone="+380671112233")
    assert categorize(await history_of(db)) is Category.vip
    assert await history_of(db, "+380671112233") == CustomerHistory(
        received=1, received_total=Decimal("900.00")
    )


async def test_the_vip_text_reaches_a_vip_customer_only(
    db: Database, ctx: ServiceContext, tmp_path: Path
):
    path = tmp_path / "templates.toml"
    path.write_text(VIP_FILE, encoding="utf-8")
    ctx = replace(ctx, templates=load_templates(path))
    for n in range(1, 6):
        await parcel(db, ctx, n, *RECEIVED)
    before = await arrived_texts(db, OLENA.id)
    assert len(before) == 5 and not any("💎" in text for text in before)
    assert before[0] == "📦 Олена Коваль, замовлення <b>A-1</b> чекає: Київ, Відділення №12"

    await parcel(db, ctx, 6, ShipmentStatus.arrived)
    [*_, vip] = await arrived_texts(db, OLENA.id)
    assert vip == (
        "💎 Олена Коваль, дякуємо, що ви з нами! Замовлення <b>A-6</b> чекає: Київ, Відділення №12"
    )

    await parcel(db, ctx, 7, ShipmentStatus.arrived, person=IVAN, phone="+380671112233")
    [ivan] = await arrived_texts(db, IVAN.id)
    assert ivan.startswith("📦 Іван Петренко, замовлення <b>A-7</b>")
