"""The bot's token as the delivery worker sees it. A 401 from the Bot API means nothing can reach
Telegram, not even an alert: the incident is stored quietly and the logs say once what to do; the
first call Telegram accepts again closes it and tells the managers when it stopped and started."""

from __future__ import annotations

import asyncio
import logging

from bot.domain.incidents import IncidentKind
from bot.services import incidents
from bot.services.context import ServiceContext
from storage.uow import Database

log = logging.getLogger(__name__)

TOKEN_REJECTED = (
    "Telegram rejects the bot's token (401 Unauthorized: %s): nothing can be sent, messages wait "
    "in the outbox. Check BOT_TOKEN with @BotFather (revoked? another bot's?), set it and restart "
    "Vykup; the managers are told when it works again."
)


class TelegramTokenWatch:
    def __init__(self, db: Database, ctx: ServiceContext) -> None:
        self._db = db
        self._ctx = ctx
        # A cache of the incident's state (storage says for sure): unknown at start, so the first
        # accepted call looks once (a restart with a new token closes the old incident).
        self._may_be_open = True
        self._known_open = False
        self._lock = asyncio.Lock()  # lanes fail side by side: one of them opens it

    async def rejected(self, error: str) -> None:
        async with self._lock:
            if self._known_open:
                return
            async with self._db.uow() as uow:
                new = await incidents.report(
                    uow, self._ctx, IncidentKind.telegram_token, error, notify=False
                )
                await uow.commit()
            self._known_open = self._may_be_open = True
        if new:
            log.error(TOKEN_REJECTED, error)

    async def accepted(self) -> None:
        if not self._may_be_open:
            return
        async with self._lock:
            if not self._may_be_open:
                return
            async with self._db.uow() as uow:
                await incidents.clear(uow, self._ctx, IncidentKind.telegram_token)
                await uow.commit()
            self._may_be_open = self._known_open = False
