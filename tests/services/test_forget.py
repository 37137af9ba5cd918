"""Erasing a customer: no table keeps their phone, name, Telegram id or IBAN, their photos are
gone, and the statistics read the same before and after."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select

from bot.domain.errors import NotAllowed
from bot.domain.orders import OrderStatus
from bot.domain.periods import ReportPeriod
from bot.domain.return_draft import Photo
from bot.domain.returns import return_number
from bot.services import forget
from bot.services.context import ServiceContext
from bot.services.forget import AlreadyErased, NoSuchCustomer, NotAPhoneNumber
from bot.services.intake import intake_order
from bot.services.stats import stats_report
from storage.models import AuditEntry, Customer, CustomerNote, FsmRecord, Order, OutboxMessage
from storage.redis_fsm import redis_storage
from storage.uow import Database
from tests.erasure_scan import PHONE, traces
from tests.factories import MANAGER, OLENA, STRANGER, new_order
from tests.services.returns.helpers import submitted_return
from tests.services.risk_history import past_order


@pytest.fixture
def photos_ctx(ctx: ServiceContext, tmp_path: Path) -> ServiceContext:
    return replace(ctx, return_photos_dir=tmp_path / "photos")


FAKE_PHOTOS = (Photo("file-1", "u1"), Photo("file-2", "u2"))


async def olena_with_history(
    db: Database, ctx: ServiceContext, photos: tuple[Photo, ...] = FAKE_PHOTOS
) -> tuple[int, Path]:
    """A received order with a return (IBAN, photos kept on disk, her comment), an order still
    waiting for her confirmation, a manager's note, her language choice and a conversation."""
    returned = await submitted_return(
        db,
        ctx,
        photos=photos,
        comment="Олена: дзвоніть на 0501234567 після 18:00",
    )
    assert ctx.return_photos_dir is not None
    folder = ctx.return_photos_dir / return_number(returned.id)
    folder.mkdir(parents=True)
    (folder / "1.jpg").write_bytes(b"jpeg")
    (folder / "2.jpg").write_bytes(b"jpeg")
    await intake_order(db, ctx, new_order("A-1002"))
    async with db.uow() as uow:
        now = uow.clock.now()
        customer = await uow.customers.by_phone(PHONE)
        assert customer is not None
        uow.session.add(
            CustomerNote(
                customer_id=customer.id,
                text="Олена Коваль просить дзвонити на +380501234567",
                actor_id=MANAGER.id,
                actor_name=MANAGER.full_name,
                created_at=now,
            )
        )
        uow.session.add(
            FsmRecord(key=f"1:{OLENA.id}:{OLENA.id}:::default", state="x", data={}, updated_at=now)
        )
        await uow.preferences.set_language(OLENA.id, "en", now)
        await uow.commit()
        return customer.id, folder


async def figures(db: Database, ctx: ServiceContext) -> tuple[object, ...]:
    report = await stats_report(db, ctx, MANAGER, ReportPeriod.month)
    return (report.outcomes, report.weeks, report.confirmations, report.refusals, report.returns)


async def test_forgetting_erases_every_trace_and_keeps_the_figures(
    db: Database, photos_ctx: ServiceContext
) -> None:
    customer_id, folder = await olena_with_history(db, photos_ctx)
    assert await traces(db)  # the scan does see her before
    before = await figures(db, photos_ctx)

    erased = await forget.forget_phone(db, photos_ctx, "050 123 45 67")

    assert erased.customer_id == customer_id
    assert (erased.orders, erased.open_orders, erased.returns) == (2, 1, 1)
    assert await traces(db) == []
    assert not folder.exists()
    assert await figures(db, photos_ctx) == before
    async with db.read() as uow:
        customer = await uow.customers.get(customer_id)
        assert customer is not None
        assert (customer.phone, customer.name, customer.telegram_id) == (
            f"erased-{customer_id}",
            "—",
            None,
        )
        orders = (await uow.session.scalars(select(Order).order_by(Order.id))).all()
        assert [order.status for order in orders] == [OrderStatus.received, OrderStatus.new]
        assert [order.recipient_name for order in orders] == ["—", "—"]
        hooks = (
            await uow.session.scalars(
                select(OutboxMessage).where(OutboxMessage.channel == "webhook")
            )
        ).all()
        erased_events = [
            h.payload["body"]["external_id"]
            for h in hooks
            if h.payload["body"]["event"] == "customer.erased"
        ]
        assert sorted(erased_events) == ["A-1001", "A-1002"]
        (entry,) = (
            await uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "forget"))
        ).all()
        assert (entry.customer_id, entry.actor_name, entry.detail) == (
            customer_id,
            "vykup forget",
            None,
        )


async def test_an_admin_confirms_by_customer_id_and_a_second_press_changes_nothing(
    db: Database, photos_ctx: ServiceContext
) -> None:
    await olena_with_history(db, photos_ctx)
    found = await forget.candidate(db, photos_ctx, MANAGER, "+38 (050) 123-45-67")
    assert (found.name, found.orders, found.open_orders) == ("Олена Коваль", 2, 1)

    await forget.forget_confirmed(db, photos_ctx, MANAGER, found.customer_id)

    assert await traces(db) == []
    with pytest.raises(AlreadyErased):
        await forget.forget_confirmed(db, photos_ctx, MANAGER, found.customer_id)
    with pytest.raises(NoSuchCustomer):
        await forget.candidate(db, photos_ctx, MANAGER, PHONE)


async def test_only_admins_may_forget(db: Database, photos_ctx: ServiceContext) -> None:
    customer_id, folder = await olena_with_history(db, photos_ctx)
    before = await traces(db)

    with pytest.raises(NotAllowed):
        await forget.candidate(db, photos_ctx, STRANGER, PHONE)
    with pytest.raises(NotAllowed):
        await forget.forget_confirmed(db, photos_ctx, STRANGER, customer_id)

    assert await traces(db) == before
    assert folder.exists()


async def test_an_unknown_or_invalid_phone_is_named(db: Database, ctx: ServiceContext) -> None:
    await intake_order(db, ctx, new_order())
    with pytest.raises(NoSuchCustomer) as unknown:
        await forget.forget_phone(db, ctx, "+380671112233")
    assert unknown.value.params == {"target": "+380671112233"}
    with pytest.raises(NotAPhoneNumber):
        await forget.forget_phone(db, ctx, "12345")
    async with db.read() as uow:
        (customer,) = (await uow.session.scalars(select(Customer))).all()
        assert customer.erased_at is None


async def test_without_a_salt_a_returning_refuser_is_a_new_customer(
    db: Database, ctx: ServiceContext
) -> None:
    await past_order(db, ctx, "A-1", OrderStatus.refused, refusal_reason="price")
    await forget.forget_phone(db, ctx, PHONE)

    again = await intake_order(db, ctx, new_order("A-2"))

    assert again.risk.score == 0
    async with db.read() as uow:
        hashes = (await uow.session.scalars(select(Customer.phone_hash))).all()
    assert hashes == [None, None]


async def test_with_a_salt_a_returning_refuser_gets_their_history_back(
    db: Database, ctx: ServiceContext
) -> None:
    salted = replace(ctx, erased_phone_salt="shop-secret-salt")
    await past_order(db, salted, "A-1", OrderStatus.refused, refusal_reason="price")
    before = (await intake_order(db, salted, new_order("A-2"))).risk.score
    erased = await forget.forget_phone(db, salted, PHONE)
    assert await traces(db) == []  # the hash is no spelling of the phone

    again = await intake_order(db, salted, new_order("A-3", name="Інше Ім'я"))

    assert again.risk.score == before > 0
    assert again.order.customer_id == erased.customer_id
    async with db.read() as uow:
        customer = await uow.customers.by_phone(PHONE)
        assert customer is not None
        assert (customer.erased_at, customer.phone_hash) == (None, None)


async def test_her_conversation_in_redis_goes_too(
    db: Database, ctx: ServiceContext, redis_url: str
) -> None:
    """With REDIS_URL a return left half-way (her IBAN typed in) lives in Redis, not the database."""
    storage = redis_storage(redis_url)
    hers = StorageKey(bot_id=42, chat_id=OLENA.id, user_id=OLENA.id)
    theirs = StorageKey(bot_id=42, chat_id=STRANGER.id, user_id=STRANGER.id)
    try:
        for key in (hers, theirs):
            await storage.set_state(key, "ReturnFlow:iban")
            await storage.set_data(key, {"iban": "UA213223130000026007233566001"})
        await intake_order(db, ctx, new_order("A-1001", telegram_id=OLENA.id))

        await forget.forget_phone(db, replace(ctx, redis_url=redis_url), PHONE)

        assert (await storage.get_state(hers), await storage.get_data(hers)) == (None, {})
        assert await storage.get_state(theirs) == "ReturnFlow:iban"  # nobody else's
        assert await storage.get_data(theirs) == {"iban": "UA213223130000026007233566001"}
    finally:
        await storage.close()


async def test_redis_gone_at_that_moment_still_erases_the_database(
    db: Database, ctx: ServiceContext, caplog: pytest.LogCaptureFixture
) -> None:
    await intake_order(db, ctx, new_order("A-1001", telegram_id=OLENA.id))
    nowhere = replace(ctx, redis_url="redis://127.0.0.1:9/0")  # nothing listens there

    erased = await forget.forget_phone(db, nowhere, PHONE)

    async with db.read() as uow:
        assert await uow.customers.by_phone(PHONE) is None
    assert f"could not delete customer {erased.customer_id}'s conversation" in caplog.text
