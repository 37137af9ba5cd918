"""Is an error the database being away (a restart, a failover, a network blip) rather than a bug?
The API answers it with 503 and Retry-After, the watchdog counts it as an outage."""

from __future__ import annotations

import asyncpg
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

DATABASE_CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    InterfaceError,
    OperationalError,
    ConnectionError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
)


def database_unavailable(exc: BaseException | None, depth: int = 0) -> bool:
    """A lost or refused database connection (a restart, a network blip), not a bug."""
    if exc is None or depth > 5:
        return False
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, DATABASE_CONNECTION_ERRORS):
        return True
    return database_unavailable(exc.__cause__ or exc.__context__, depth + 1)
