"""``python run_bot.py import <file.csv|file.json>``: past orders in, a report out.

Exit codes: 0 the file was read (bad rows are listed, the rest imported), 1 the file cannot be
imported at all or the database failed (one line on stderr).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.config import StorageSettings
from bot.importer.sources import Source, SourceError, open_source

if TYPE_CHECKING:
    from bot.importer.pipeline import ImportReport

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INTERRUPTED = 130


def run_import(
    path: Path, settings: StorageSettings, *, out: TextIO = sys.stdout, err: TextIO = sys.stderr
) -> int:
    """Check the file, bring the database schema up to date, import, and report."""
    try:
        source = open_source(path)
    except SourceError as error:
        print(f"vykup: {error}", file=err)
        return EXIT_FAILED
    # Only now the heavy part (SQLAlchemy, Alembic, the models): a wrong file is told at once.
    from sqlalchemy.exc import SQLAlchemyError

    from storage.migrate import upgrade

    try:
        upgrade(settings.database_url)
        report = asyncio.run(_import(settings, source, err))
    except KeyboardInterrupt:
        print("vykup: import interrupted; what was stored stays, run it again to go on", file=err)
        return EXIT_INTERRUPTED
    except (SQLAlchemyError, OSError) as error:
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        print(
            f"vykup: import stopped, the database failed: {first_line}"
            " (what was stored stays; run it again to go on)",
            file=err,
        )
        return EXIT_FAILED
    for line in report.bad:
        print(line, file=out)
    print(f"vykup: {path.name}: {report.summary()}", file=out)
    return EXIT_OK


async def _import(settings: StorageSettings, source: Source, err: TextIO) -> ImportReport:
    from tqdm import tqdm

    from bot.clock import SystemClock
    from bot.importer.pipeline import import_orders
    from storage.db import create_engine
    from storage.uow import Database

    db = Database(create_engine(settings.database_url), SystemClock())
    # The bar shows on a terminal only; piped or redirected output stays clean.
    with tqdm(total=source.total, desc="importing", unit=" orders", file=err, disable=None) as bar:

        def advance(rows: int) -> None:
            bar.update(rows)

        try:
            return await import_orders(db, source, tz=settings.tz, on_progress=advance)
        finally:
            await db.dispose()
