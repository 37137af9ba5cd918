"""What every benchmark prints about where it ran, and the PostgreSQL reset they share."""

from __future__ import annotations

import contextlib
import os
import platform
import sqlite3
from pathlib import Path

from sqlalchemy import text

from storage.db import create_engine


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()},"
        f" SQLite {sqlite3.sqlite_version}"
    )


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


async def wipe_postgres(url: str) -> None:
    """An empty ``public`` schema: the benchmark's database is migrated afresh after this."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()
