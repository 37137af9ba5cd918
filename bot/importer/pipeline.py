"""Import a whole source: check each record, drop the bad ones with a reason, store the rest in batches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo

from bot.importer.rows import BadRow, HistoricalOrder, RowParser
from bot.importer.sources import Source
from bot.importer.writer import BATCH_SIZE, write_batch
from storage.uow import Database

PROGRESS_EVERY = 500  # records between two progress reports


@dataclass
class ImportReport:
    imported: int = 0
    present: int = 0  # already stored: skipped
    bad: list[str] = field(default_factory=list)  # "line 17: <reason>", in file order

    def summary(self) -> str:
        return f"imported {self.imported}, already present {self.present}, bad {len(self.bad)}"


async def import_orders(
    db: Database,
    source: Source,
    *,
    tz: tzinfo,
    batch_size: int = BATCH_SIZE,
    on_progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Every record of ``source`` is either imported, found already present, or reported bad.

    Naive times in the file are in ``tz``. Each batch commits on its own: an import that stops
    half-way keeps what it stored, and running it again goes on where it stopped.
    """
    report = ImportReport()
    parser = RowParser(tz=tz, now=db.clock.now())
    first_seen: dict[str, int] = {}
    batch: list[HistoricalOrder] = []
    unreported = 0

    async def flush() -> None:
        result = await write_batch(db, batch)
        report.imported += result.imported
        report.present += result.present
        batch.clear()

    for number, record in source:
        unreported += 1
        if on_progress is not None and unreported >= PROGRESS_EVERY:
            on_progress(unreported)
            unreported = 0
        where = f"{source.unit} {number}"
        try:
            order = parser.parse(record)
        except BadRow as bad:
            report.bad.append(f"{where}: {bad.reason}")
            continue
        seen = first_seen.setdefault(order.external_id, number)
        if seen != number:
            report.bad.append(f"{where}: duplicate external_id, first seen on {source.unit} {seen}")
            continue
        batch.append(order)
        if len(batch) >= batch_size:
            await flush()
    if batch:
        await flush()
    if on_progress is not None and unreported:
        on_progress(unreported)
    return report
