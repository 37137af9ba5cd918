"""``vykup webhooks [--redeliver]``: how deliveries to the shop stand, and sending the failed
ones again (the running bot's worker sends what is queued; this command only queues)."""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.clock import SystemClock
from bot.config import StorageSettings
from bot.services.shop_deliveries import DeliveryCounts, count_deliveries, redeliver_failed
from storage.db import create_engine
from storage.uow import Database


def run_webhooks(settings: StorageSettings, *, redeliver: bool, out: TextIO = sys.stdout) -> int:
    counts, queued = asyncio.run(_run(settings.database_url, redeliver))
    print(
        f"vykup: deliveries to the shop: {counts.pending} waiting, {counts.failed} failed",
        file=out,
    )
    if redeliver:
        print(
            f"vykup: {queued} failed deliveries queued again; the running bot sends them", file=out
        )
    elif counts.failed:
        print("vykup: to send the failed ones again: vykup webhooks --redeliver", file=out)
    return 0


async def _run(database_url: str, redeliver: bool) -> tuple[DeliveryCounts, int]:
    db = Database(create_engine(database_url), SystemClock())
    try:
        before = await count_deliveries(db)
        queued = await redeliver_failed(db) if redeliver else 0
        return before, queued
    finally:
        await db.dispose()
