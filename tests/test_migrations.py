"""The Alembic migrations build exactly the schema the models describe, on both engines."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from storage.migrate import downgrade, upgrade
from storage.models import Base
from storage.uow import Database

ROOT = Path(__file__).resolve().parents[1]


async def schema_differences(db: Database) -> list:
    def compare(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with db.engine.connect() as connection:
        return await connection.run_sync(compare)


async def table_names(db: Database) -> set[str]:
    async with db.engine.connect() as connection:
        return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))


async def test_migrated_schema_matches_the_models(db: Database):
    assert await schema_differences(db) == []
    assert set(Base.metadata.tables) <= await table_names(db)


async def test_downgrade_and_upgrade_again(db: Database, database_url: str):
    await db.dispose()
    await asyncio.to_thread(downgrade, database_url, "base")
    assert not (set(Base.metadata.tables) & await table_names(db))
    await asyncio.to_thread(upgrade, database_url)
    assert await schema_differences(db) == []


async def test_processes_starting_at_once_migrate_once(
    db: Database, database_url: str, tmp_path: Path
):
    """Web and worker processes started together all run the migrations: they take turns."""
    await db.dispose()
    await asyncio.to_thread(downgrade, database_url, "base")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DATABASE_URL": database_url}
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            str(ROOT / "run_bot.py"),
            "migrate",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(3)
    ]
    outputs = await asyncio.wait_for(
        asyncio.gather(*(process.communicate() for process in processes)), timeout=120
    )
    failures = [
        err.decode()[-1500:] for (_, err), p in zip(outputs, processes, strict=True) if p.returncode
    ]
    assert failures == []
    assert await schema_differences(db) == []


async def test_existing_orders_get_their_customers_name_as_recipient(
    db: Database, database_url: str
):
    await db.dispose()
    await asyncio.to_thread(downgrade, database_url, "0007")
    async with db.engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO customers (id, phone, name, created_at, updated_at) "
                "VALUES (1, '+380501234567', 'Олена', :at, :at)"
            ),
            {"at": datetime(2026, 11, 20, 10, tzinfo=UTC)},
        )
        await connection.execute(
            text(
                "INSERT INTO orders (id, external_id, customer_id, status, total, currency, "
                "payment, carrier, city, link_token, created_at, updated_at) VALUES "
                "(1, 'A-1', 1, 'new', 100, 'UAH', 'cod', 'nova_poshta', 'Київ', 't1', :at, :at)"
            ),
            {"at": datetime(2026, 11, 20, 10, tzinfo=UTC)},
        )
    await db.dispose()

    await asyncio.to_thread(upgrade, database_url)

    async with db.engine.connect() as connection:
        names = (await connection.execute(text("SELECT recipient_name FROM orders"))).all()
    assert [name for (name,) in names] == ["Олена"]
