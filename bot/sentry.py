"""Errors to Sentry when SENTRY_DSN is set, with the aiohttp, SQLAlchemy and logging integrations.

Every event passes ``before_send``: each string in it (messages, log parameters, exception values,
breadcrumbs, local variables, request data) has its phone numbers and IBANs masked as in the logs
(``bot.log_privacy``). Log lines go as breadcrumbs, ERROR and above as events; Sentry's own log
items (sentry-sdk 3 sends them unless told not to) are off, and masked all the same if sent.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.aiohttp import AioHttpIntegration
from sentry_sdk.integrations.logging import LoggingIntegration
from sentry_sdk.integrations.sqlalchemy import SqlalchemyIntegration
from sentry_sdk.transport import Transport
from sentry_sdk.types import Event, Hint, Log

from bot.log_privacy import mask_private


def masked(value: Any) -> Any:
    """``value`` with every string in it masked, dicts and lists walked through."""
    if isinstance(value, str):
        return mask_private(value)
    if isinstance(value, Mapping):
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [masked(item) for item in value]
    return value


def before_send(event: Event, hint: Hint) -> Event | None:
    result: Event = masked(event)
    return result


def before_send_log(log: Log, hint: Hint) -> Log | None:
    result: Log = masked(log)
    return result


def init_sentry(
    dsn: str, *, environment: str | None = None, transport: type[Transport] | None = None
) -> bool:
    """Start reporting to Sentry, once per process (False if it already was)."""
    if sentry_sdk.get_client().is_active():
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[
            AioHttpIntegration(),
            SqlalchemyIntegration(),
            LoggingIntegration(
                level=None, event_level=logging.ERROR, breadcrumb_level=logging.INFO
            ),
        ],
        before_send=before_send,
        before_send_log=before_send_log,
        transport=transport,
    )
    return True
