"""How many rows an UPDATE or DELETE touched."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Result, Table
from sqlalchemy.orm import DeclarativeBase


def rows_affected(result: Result[Any]) -> int:
    """``Session.execute`` is typed to return a plain ``Result``; for DML it is a cursor result."""
    return int(cast(CursorResult[Any], result).rowcount or 0)


def table_of(model: type[DeclarativeBase]) -> Table:
    """A mapped class's table, typed as the ``Table`` it is (Core inserts take it)."""
    return cast(Table, model.__table__)
