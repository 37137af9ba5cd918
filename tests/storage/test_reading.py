"""Reading units of work: they never wait for a writer's turn, never write, and read what the
per-update middlewares need in one query."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.clock import ManualClock
from bot.domain.languages import Language
from bot.services import customers, languages
from bot.services.context import ServiceContext
from bot.services.intake import intake_order
from storage.fsm import DatabaseStorage
from storage.models import ChatPreference
from storage.uow import Database
from tests.factories import OLENA, new_order


async def reads(db: Database, ctx: ServiceContext) -> Language:
    """The language Olena's updates are answered in (her Telegram app says "uk")."""
    return await languages.language_of(db, ctx, OLENA)


async def test_the_language_middleware_reads_a_choice_before_the_latest_order(
    db: Database, ctx: ServiceContext, clock: ManualClock
) -> None:
    assert await reads(db, replace(ctx, default_language=Language.en)) == Language.uk  # her app's

    await intake_order(db, ctx, new_order("A-1", telegram_id=OLENA.id, language=Language.ru))
    clock.advance(timedelta(minutes=1))
    await intake_order(db, ctx, new_order("A-2", telegram_id=OLENA.id, language=Language.en))
    clock.advance(timedelta(minutes=1))
    await intake_order(db, ctx, new_order("A-3", telegram_id=OLENA.id))  # no language given
    assert await reads(db, ctx) == Language.uk  # the latest order names none: not an older one's

    clock.advance(timedelta(minutes=1))
    await intake_order(db, ctx, new_order("A-4", telegram_id=OLENA.id, language=Language.ru))
    assert await reads(db, ctx) == Language.ru

    await customers.set_language(db, OLENA, Language.en)
    assert await reads(db, ctx) == Language.en  # a choice wins


async def test_orders_of_the_same_moment_go_by_number(db: Database, ctx: ServiceContext) -> None:
    await intake_order(db, ctx, new_order("A-1", telegram_id=OLENA.id, language=Language.en))
    await intake_order(db, ctx, new_order("A-2", telegram_id=OLENA.id, language=Language.ru))
    assert await reads(db, ctx) == Language.ru


async def test_an_empty_choice_counts_as_none(db: Database, ctx: ServiceContext) -> None:
    await intake_order(db, ctx, new_order("A-1", telegram_id=OLENA.id, language=Language.en))
    async with db.uow() as uow:
        uow.session.add(
            ChatPreference(telegram_id=OLENA.id, language=None, updated_at=db.clock.now())
        )
        await uow.commit()
    assert await reads(db, ctx) == Language.en


async def test_a_read_does_not_wait_for_a_writer_and_sees_only_commits(
    db: Database, ctx: ServiceContext
) -> None:
    await customers.set_language(db, OLENA, Language.uk)
    writing = asyncio.Event()
    release = asyncio.Event()

    async def writer() -> None:
        async with db.uow() as uow:
            await uow.preferences.set_language(OLENA.id, "en", uow.clock.now())
            await uow.session.flush()
            writing.set()
            await release.wait()  # holds its turn (and, on SQLite, the write lock)
            await uow.commit()

    task = asyncio.create_task(writer())
    await writing.wait()
    async with asyncio.timeout(5):
        assert await reads(db, ctx) == Language.uk
    release.set()
    await task
    assert await reads(db, ctx) == Language.en


async def test_a_reading_unit_of_work_refuses_to_write(db: Database) -> None:
    async with db.read() as uow:
        uow.session.add(ChatPreference(telegram_id=1, language="en", updated_at=db.clock.now()))
        with pytest.raises(RuntimeError, match="never writes"):
            await uow.session.flush()
    async with db.read() as uow:
        with pytest.raises(RuntimeError, match="never commits"):
            await uow.commit()
    async with db.read() as uow:
        assert await uow.preferences.language(1) is None


async def test_conversation_state_round_trip(db: Database) -> None:
    storage = DatabaseStorage(db)
    key = StorageKey(bot_id=1, chat_id=OLENA.id, user_id=OLENA.id)
    assert await storage.get_state(key) is None and await storage.get_data(key) == {}
    await storage.set_state(key, "ReturnFlow:reason")
    await storage.set_data(key, {"order_id": 7})
    assert await storage.get_state(key) == "ReturnFlow:reason"
    assert await storage.get_data(key) == {"order_id": 7}
    await storage.set_state(key, None)
    await storage.set_data(key, {})
    assert await storage.get_state(key) is None and await storage.get_data(key) == {}
