"""A platform that refuses Vykup's credentials: stop calling it and tell a person once."""

from __future__ import annotations

from bot.services.context import ServiceContext
from bot.services.notifier import Notifier
from bot.texts.connections import credentials_refused
from storage.repositories.connections import SUSPENDED
from storage.uow import Database, UnitOfWork


async def suspend(db: Database, ctx: ServiceContext, connection_id: int, problem: str) -> bool:
    """Mark the connection suspended; the first time, the managers hear what to fix (in the same
    transaction). Return whether it was news."""
    async with db.uow() as uow:
        connection = await uow.connections.get(connection_id, for_update=True)
        if connection is None or connection.state == SUSPENDED:
            return False
        connection.state = SUSPENDED
        connection.problem = problem[:1000]
        connection.updated_at = uow.clock.now()
        notifier = Notifier(uow, ctx)
        notifier.to_operators(
            credentials_refused(
                notifier.managers_translator,
                name=connection.name,
                platform=connection.platform,
                problem=problem,
            )
        )
        await uow.commit()
        return True


async def refused_still(uow: UnitOfWork, connection_id: object) -> bool:
    """Whether the connection still waits for new credentials, read under its row lock.

    ``vykup connect`` holds that lock while it makes the connection active and wakes its waiting
    calls, so a worker that found the connection suspended (or was refused) just before then
    sees the fix here instead of putting the call off for an hour after the wake."""
    if not isinstance(connection_id, int):
        return True
    connection = await uow.connections.get(connection_id, for_update=True)
    return connection is not None and connection.state == SUSPENDED
