"""``vykup forget PHONE`` through the real entry point, with settings from its ``.env``."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli.invocation import Invocation
from bot.cli.main import main
from bot.clock import ManualClock
from bot.services.context import ServiceContext
from storage.db import create_engine
from storage.models import AuditEntry
from storage.uow import Database
from tests.conftest import reset_postgres
from tests.erasure_scan import traces
from tests.services.test_forget import figures, olena_with_history


def _database(url: str) -> Database:
    return Database(create_engine(url), ManualClock())


def test_forget_erases_the_customer_and_says_what_it_did(
    database_url: str, ctx: ServiceContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    photos = tmp_path / "photos"
    env = tmp_path / ".env"
    env.write_text(
        f"DATABASE_URL={database_url}\nRETURN_PHOTOS_DIR={photos}\n"
        f"SHOP_WEBHOOK_URL={ctx.webhook_url}\n",
        encoding="utf-8",
    )
    ctx = replace(ctx, return_photos_dir=photos)

    async def prepare() -> tuple[object, Path]:
        db = _database(database_url)
        try:
            if database_url.startswith("postgresql"):
                await reset_postgres(db.engine, database_url)
            _, folder = await olena_with_history(db, ctx)
            return await figures(db, ctx), folder
        finally:
            await db.dispose()

    async def after() -> tuple[list[object], object, list[AuditEntry]]:
        db = _database(database_url)
        try:
            async with db.read() as uow:
                audit = list(
                    (
                        await uow.session.scalars(
                            select(AuditEntry).where(AuditEntry.action == "forget")
                        )
                    ).all()
                )
            return await traces(db), await figures(db, ctx), audit
        finally:
            await db.dispose()

    before, folder = asyncio.run(prepare())
    how = Invocation("vykup", "vykup", env)

    assert main(["forget", "+38 050 123 45 67"], how) == 0

    out = capsys.readouterr().out.strip().splitlines()[-1]
    assert out.startswith(
        "vykup: customer #1 erased: 2 orders anonymised (1 still open), 1 returns"
    )
    assert "1 photo folders deleted; the shop is told (customer.erased)" in out
    left, figures_after, audit = asyncio.run(after())
    assert left == []
    assert not folder.exists()
    assert figures_after == before
    assert [(entry.actor_name, entry.customer_id) for entry in audit] == [("vykup forget", 1)]

    assert main(["forget", "+380501234567"], how) == 1
    assert (
        capsys.readouterr()
        .err.strip()
        .endswith("vykup: nothing erased: No customer has the phone number +380501234567.")
    )
    assert main(["forget", "12345"], how) == 1
    assert "12345 is not a valid phone number." in capsys.readouterr().err
