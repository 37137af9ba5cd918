"""aiogram FSM storage in the database: a customer half-way through a dialog survives a restart."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from storage.models import FsmRecord
from storage.uow import Database


def _key(key: StorageKey) -> str:
    parts = [
        key.bot_id,
        key.chat_id,
        key.user_id,
        key.thread_id,
        key.business_connection_id,
        key.destiny,
    ]
    return ":".join("" if part is None else str(part) for part in parts)


def _state_name(state: StateType) -> str | None:
    return state.state if isinstance(state, State) else state


class DatabaseStorage(BaseStorage):
    def __init__(self, db: Database) -> None:
        self._db = db

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        await self._write(key, state=_state_name(state))

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._db.read() as uow:  # aiogram asks for every update: no write lock
            record = await uow.session.get(FsmRecord, _key(key))
            return record.state if record else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(key, data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._db.read() as uow:
            record = await uow.session.get(FsmRecord, _key(key))
            return dict(record.data) if record else {}

    async def _write(self, key: StorageKey, **values: Any) -> None:
        async with self._db.uow() as uow:
            record = await uow.session.get(FsmRecord, _key(key), with_for_update=True)
            current: dict[str, Any] = (
                {"state": record.state, "data": record.data}
                if record
                else {"state": None, "data": {}}
            )
            current.update(values)
            empty = current["state"] is None and not current["data"]
            if record is None and not empty:
                uow.session.add(FsmRecord(key=_key(key), updated_at=uow.clock.now(), **current))
            elif record is not None and empty:
                await uow.session.delete(record)
            elif record is not None:
                record.state, record.data = current["state"], current["data"]
                record.updated_at = uow.clock.now()
            await uow.commit()

    async def close(self) -> None:
        return None
