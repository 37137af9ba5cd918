"""``vykup forget PHONE``: erase a customer's personal data (README, "Personal data")."""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.clock import SystemClock
from bot.config import ErasureSettings
from bot.domain.errors import DomainError
from bot.i18n import Catalogs
from bot.services import forget
from bot.services.context import ServiceContext
from bot.views.erasure import Erased
from storage.db import create_engine
from storage.uow import Database

EXIT_NOT_ERASED = 1


def run_forget(
    phone: str,
    settings: ErasureSettings,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out = out or sys.stdout  # read when called: a test (or a redirect) may have replaced them
    err = err or sys.stderr
    ctx = ServiceContext(
        catalogs=Catalogs(settings.tz),
        timezone=settings.tz,
        webhook_url=settings.shop_webhook_url,
        return_photos_dir=settings.return_photos_dir,
        erased_phone_salt=(
            settings.erased_phone_hash_salt.get_secret_value()
            if settings.erased_phone_hash_salt
            else None
        ),
        redis_url=settings.redis_url,
    )
    try:
        erased = asyncio.run(_run(settings.database_url, ctx, phone))
    except DomainError as error:
        print(f"vykup: nothing erased: {error}", file=err)
        return EXIT_NOT_ERASED
    still_open = f" ({erased.open_orders} still open)" if erased.open_orders else ""
    told = "; the shop is told (customer.erased)" if ctx.webhook_enabled and erased.orders else ""
    print(
        f"vykup: customer #{erased.customer_id} erased: {erased.orders} orders anonymised"
        f"{still_open}, {erased.returns} returns, {len(erased.photo_folders)} photo folders"
        f" deleted{told}",
        file=out,
    )
    return 0


async def _run(database_url: str, ctx: ServiceContext, phone: str) -> Erased:
    db = Database(create_engine(database_url), SystemClock())
    try:
        return await forget.forget_phone(db, ctx, phone)
    finally:
        await db.dispose()
