from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Connection, ConnectorOrder, Order, OutboxMessage
from storage.repositories.affected import rows_affected
from storage.repositories.outbox import PENDING, PLATFORM
from storage.signals import OUTBOX_WORK, note_queued

# How exactly "last delivery from it" and "last update to it" are kept.
RECEIVED_PRECISION = timedelta(minutes=1)
ACTIVE = "active"
SUSPENDED = "suspended"  # the platform refused the credentials: calls wait for ``vykup connect``


class ConnectionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def by_name(self, name: str, *, for_update: bool = False) -> Connection | None:
        query = select(Connection).where(Connection.name == name)
        if for_update:
            query = query.with_for_update()
        return await self._session.scalar(query)

    async def by_key(self, key: str) -> Connection | None:
        return await self._session.scalar(select(Connection).where(Connection.key == key))

    async def get(self, connection_id: int, *, for_update: bool = False) -> Connection | None:
        query = select(Connection).where(Connection.id == connection_id)
        if for_update:
            query = query.with_for_update()
        return await self._session.scalar(query)

    async def all(self) -> Sequence[Connection]:
        return (await self._session.scalars(select(Connection).order_by(Connection.name))).all()

    def add(self, connection: Connection) -> None:
        self._session.add(connection)

    async def delete(self, connection: Connection) -> None:
        # Explicitly, not by the foreign key's cascade: SQLite enforces it only when asked to.
        await self._session.execute(
            delete(ConnectorOrder).where(ConnectorOrder.connection_id == connection.id)
        )
        await self._session.execute(
            update(Order)
            .where(Order.connection_id == connection.id)
            .values(connection_id=None)
            .execution_options(synchronize_session=False)
        )
        await self._session.delete(connection)

    async def received(self, connection_id: int, at: datetime) -> None:
        """Note a delivery, at most once a minute: deliveries of different orders then do not
        queue behind one another for the connection's row."""
        await self._session.execute(
            update(Connection)
            .where(
                Connection.id == connection_id,
                or_(
                    Connection.last_received_at.is_(None),
                    Connection.last_received_at < at - RECEIVED_PRECISION,
                ),
            )
            .values(last_received_at=at)
        )

    async def sent(self, connection_id: int, at: datetime) -> None:
        """Note an update the platform took, at most once a minute (as ``received``)."""
        await self._session.execute(
            update(Connection)
            .where(
                Connection.id == connection_id,
                or_(
                    Connection.last_sent_at.is_(None),
                    Connection.last_sent_at < at - RECEIVED_PRECISION,
                ),
            )
            .values(last_sent_at=at)
        )

    # -- the platform's orders ---------------------------------------------------------------

    async def link(
        self, connection_id: int, remote_id: str, *, for_update: bool = False
    ) -> ConnectorOrder | None:
        query = select(ConnectorOrder).where(
            ConnectorOrder.connection_id == connection_id, ConnectorOrder.remote_id == remote_id
        )
        if for_update:
            query = query.with_for_update()
        return await self._session.scalar(query)

    def add_link(self, link: ConnectorOrder) -> None:
        self._session.add(link)

    async def link_of_order(self, order_id: int) -> tuple[ConnectorOrder, Connection] | None:
        """The platform order that became ``order_id``, with its connection."""
        row = (
            await self._session.execute(
                select(ConnectorOrder, Connection)
                .join(Connection, Connection.id == ConnectorOrder.connection_id)
                .where(ConnectorOrder.order_id == order_id)
            )
        ).first()
        return None if row is None else (row[0], row[1])

    async def counts(self, connection_id: int) -> dict[str | None, int]:
        """How many platform orders were taken in (key None) and skipped, by reason."""
        rows = await self._session.execute(
            select(ConnectorOrder.skipped, func.count())
            .where(ConnectorOrder.connection_id == connection_id)
            .group_by(ConnectorOrder.skipped)
        )
        return {skipped: count for skipped, count in rows.all()}

    async def skipped_since(
        self, since: datetime, until: datetime, reasons: Sequence[str]
    ) -> dict[str, int]:
        """Platform orders first heard of in [since, until) and left alone, for these reasons."""
        rows = await self._session.execute(
            select(ConnectorOrder.skipped, func.count())
            .where(
                ConnectorOrder.created_at >= since,
                ConnectorOrder.created_at < until,
                ConnectorOrder.skipped.in_(reasons),
            )
            .group_by(ConnectorOrder.skipped)
        )
        return {str(skipped): count for skipped, count in rows.all()}

    async def pending_calls(self, connection_id: int) -> int:
        """Calls to the platform still waiting in the outbox."""
        return (
            await self._session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(
                    OutboxMessage.channel == PLATFORM,
                    OutboxMessage.state == PENDING,
                    OutboxMessage.payload["connection"].as_integer() == connection_id,
                )
            )
        ) or 0

    async def wake_calls(self, connection_id: int) -> int:
        """Send the connection's waiting calls now (its credentials were just fixed)."""
        result = await self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.channel == PLATFORM,
                OutboxMessage.state == PENDING,
                OutboxMessage.payload["connection"].as_integer() == connection_id,
            )
            # Due since written: due now whatever clock the running worker keeps.
            .values(next_attempt_at=OutboxMessage.created_at)
            .execution_options(synchronize_session=False)
        )
        if rows_affected(result):
            note_queued(self._session.info, OUTBOX_WORK)
        return rows_affected(result)
