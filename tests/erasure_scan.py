"""Scanning every row of every table for a person's data: what the erasure tests assert with."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.models import Base
from storage.uow import Database

PHONE = "+380501234567"
# Every spelling of the phone, the name's parts, the IBAN (compact), the username.
TEXT_NEEDLES = (
    "380501234567",
    "0501234567",
    "Олена",
    "Коваль",
    "UA213223130000026007233566001",
    "olena",
)
TELEGRAM_ID = 5001


def _texts(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


async def traces(
    db: Database, needles: tuple[str, ...] = TEXT_NEEDLES, telegram_id: int = TELEGRAM_ID
) -> list[tuple[str, str, Any]]:
    """Every (table, column, value) that still holds one of ``needles`` or the Telegram id."""
    found = []
    async with db.read() as uow:
        for table in Base.metadata.sorted_tables:
            for row in (await uow.session.execute(select(table))).mappings():
                for column, value in row.items():
                    if value is None:
                        continue
                    if (isinstance(value, int) and value == telegram_id) or (
                        not isinstance(value, int)
                        and any(needle.lower() in _texts(value).lower() for needle in needles)
                    ):
                        found.append((table.name, column, value))
    return found
