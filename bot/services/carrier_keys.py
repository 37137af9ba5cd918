"""A carrier's API key as the tracking poller sees it: a refused key opens an incident (the
managers hear of it once, with what to do), the next answered poll clears it."""

from __future__ import annotations

from bot.domain.incidents import IncidentKind
from bot.services import incidents
from bot.services.context import ServiceContext
from storage.uow import Database


class CarrierKeyWatch:
    def __init__(
        self, db: Database, ctx: ServiceContext, kind: IncidentKind = IncidentKind.novaposhta_key
    ) -> None:
        self._db = db
        self._ctx = ctx
        self._kind = kind
        # A cache of "the incident may be open" (storage says for sure): unknown at start, so the
        # first answered poll looks once; after that only a refusal makes it look.
        self._may_be_open = True

    async def rejected(self, reason: str) -> None:
        self._may_be_open = True
        async with self._db.uow() as uow:
            await incidents.report(uow, self._ctx, self._kind, reason)
            await uow.commit()

    async def accepted(self) -> None:
        if not self._may_be_open:
            return
        async with self._db.uow() as uow:
            await incidents.clear(uow, self._ctx, self._kind)
            await uow.commit()
        self._may_be_open = False
