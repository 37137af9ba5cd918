"""Storage extensions of waiting parcels (see :class:`storage.models.StorageExtension`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import StorageExtension


class StorageExtensionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(self, extension: StorageExtension) -> None:
        self._session.add(extension)

    async def get(self, extension_id: int) -> StorageExtension | None:
        return await self._session.get(StorageExtension, extension_id)

    async def of_order(self, order_id: int) -> list[StorageExtension]:
        query = (
            select(StorageExtension)
            .where(StorageExtension.order_id == order_id)
            .order_by(StorageExtension.id)
        )
        return list((await self._session.scalars(query)).all())

    async def move(self, extension_id: int, *, before: str, after: str, at: datetime) -> bool:
        """``before`` → ``after`` if the row is still in ``before``: True for the one who moved it.

        A conditional UPDATE, so two confirmations racing on two engines claim it at most once.
        """
        result = await self._session.execute(
            update(StorageExtension)
            .where(StorageExtension.id == extension_id, StorageExtension.state == before)
            .values(state=after, decided_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)
