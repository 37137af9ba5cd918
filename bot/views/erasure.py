"""Erasing a customer: what an admin confirms first, and what was erased."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ErasureCandidate:
    """What an admin confirms before erasing: who (by id, not by phone) and how much."""

    customer_id: int
    name: str
    orders: int
    open_orders: int


@dataclass(frozen=True)
class Erased:
    customer_id: int
    orders: int
    open_orders: int
    returns: int
    # The returns' folders of photo copies (RETURN_PHOTOS_DIR), deleted after the commit.
    photo_folders: tuple[Path, ...] = ()
    # Whose conversation state to delete from Redis after the commit (in the database it goes
    # with the rest).
    telegram_id: int | None = None
