"""Shared fixtures. Every database test runs on SQLite and, where TEST_DATABASE_URL is set, PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import ManualClock
from bot.domain.languages import Language
from bot.i18n import Catalogs
from bot.services.context import ServiceContext
from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import Base
from storage.uow import Database

_migrated: set[str] = set()


def _xdist_worker() -> int | None:
    """This process's number when pytest-xdist runs the suite in parallel ("gw1" → 1)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return int(worker.removeprefix("gw")) if worker else None


def _own_postgres(url: str | None) -> str | None:
    """Each parallel worker gets its own database beside the given one (test → test_gw1)."""
    worker = _xdist_worker()
    if url is None or worker is None:
        return url
    base = make_url(url)
    return base.set(database=f"{base.database}_gw{worker}").render_as_string(hide_password=False)


def _own_redis(url: str | None) -> str | None:
    """Each parallel worker gets its own Redis database number (…/0 → …/1 for gw1)."""
    worker = _xdist_worker()
    if url is None or worker is None:
        return url
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{base + worker}"))


POSTGRES_URL = _own_postgres(os.environ.get("TEST_DATABASE_URL"))
REDIS_URL = _own_redis(os.environ.get("TEST_REDIS_URL"))


def pytest_configure(config: pytest.Config) -> None:
    given = os.environ.get("TEST_DATABASE_URL")
    if given and given != POSTGRES_URL:
        asyncio.run(_create_database(given, make_url(POSTGRES_URL).database or ""))


async def _create_database(server_url: str, name: str) -> None:
    connection = await asyncpg.connect(
        make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)
    )
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def pytest_report_header() -> list[str]:
    where = POSTGRES_URL or "unset: PostgreSQL runs are skipped"
    return [f"TEST_DATABASE_URL: {where}"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once; every test gets a copy of the migrated file."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


def require_postgres() -> str:
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("TEST_DATABASE_URL must be set in CI")
        pytest.skip("TEST_DATABASE_URL is not set")
    return POSTGRES_URL


def require_redis() -> str:
    if not REDIS_URL:
        if os.environ.get("CI"):
            pytest.fail("TEST_REDIS_URL must be set in CI")
        pytest.skip("TEST_REDIS_URL is not set")
    return REDIS_URL


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    """The test Redis, without the bot's keys (conversation state) before and after the test."""
    url = require_redis()
    redis = Redis.from_url(url)
    try:
        await forget_bot_keys(redis)
        yield url
        await forget_bot_keys(redis)
    finally:
        await redis.aclose()


async def forget_bot_keys(redis: Redis) -> None:
    keys = [key async for key in redis.scan_iter("vykup:*")]
    if keys:
        await redis.delete(*keys)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        target = tmp_path / "test.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        return f"sqlite+aiosqlite:///{target}"
    return require_postgres()


@pytest.fixture
async def postgres_url() -> str:
    """A migrated, empty PostgreSQL database, for tests about PostgreSQL itself (not run on SQLite)."""
    url = require_postgres()
    engine = create_engine(url)
    try:
        await reset_postgres(engine, url)
    finally:
        await engine.dispose()
    return url


async def reset_postgres(engine: AsyncEngine, url: str) -> None:
    if url not in _migrated:
        # A test database: start every run from an empty schema, whatever an earlier run left.
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await asyncio.to_thread(upgrade, url)
        _migrated.add(url)
    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def db(database_url: str, clock: ManualClock) -> AsyncIterator[Database]:
    """A migrated, empty database."""
    async with open_database(database_url, clock) as database:
        yield database


@asynccontextmanager
async def open_database(database_url: str, clock: ManualClock) -> AsyncIterator[Database]:
    """``db``'s body, for a module whose tests share an event loop (its fixtures must too)."""
    engine = create_engine(database_url)
    if database_url.startswith("postgresql"):
        await reset_postgres(engine, database_url)
    database = Database(engine, clock)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture(scope="session")
def catalogs() -> Catalogs:
    from zoneinfo import ZoneInfo

    return Catalogs(ZoneInfo("Europe/Kyiv"))


@pytest.fixture
def ctx(catalogs: Catalogs) -> ServiceContext:
    return ServiceContext(
        catalogs=catalogs,
        default_language=Language.uk,
        manager_chat_id=-100500,
        admin_ids=frozenset({900}),
        webhook_url="http://shop.test/hooks/vykup",
        bot_username="vykup_test_bot",
    )
