"""NovaPoshtaClient: TrackingDocument.getStatusDocuments over HTTP, ≤ 100 waybills a request."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from bot.carriers.base import CarrierUnavailable, CarrierUpdate, TrackingQuery
from bot.carriers.novaposhta.api import NovaPoshtaApi, refusal, short
from bot.carriers.novaposhta.parse import (
    Envelope,
    number_of,
    parse_document,
)

MAX_BATCH: Final = 100  # NP: "до 100 відправлень" per request
# When NP refuses a request for a malformed number without naming it, the batch is split in
# halves to find it (one bad number in 100 costs about 14 more); this caps the extra requests.
MAX_EXTRA_REQUESTS: Final = 20

log = logging.getLogger(__name__)


def np_phone(phone: str | None) -> str | None:
    """E.164 ``+380501234567`` → NP's ``380501234567``; a national ``0501234567`` gets its 38."""
    if not phone:
        return None
    digits = "".join(ch for ch in phone if ch.isascii() and ch.isdigit())
    if len(digits) == 10 and digits.startswith("0"):
        digits = "38" + digits
    return digits or None


def np_number(tracking_number: str) -> str:
    """The number as NP wants it: the spaces people type removed."""
    return "".join(tracking_number.split())


def _is_plausible(number: str) -> bool:
    # NP waybill numbers are digits (14 of them today); anything else NP rejects for the whole
    # request, so it is never sent.
    return number.isascii() and number.isdigit() and len(number) <= 36


@dataclass(frozen=True)
class _Doc:
    number: str  # as sent to NP
    phone: str | None  # as sent to NP


@dataclass
class _Budget:
    left: int

    def spend(self) -> None:
        if self.left <= 0:
            raise CarrierUnavailable("Nova Poshta keeps rejecting malformed waybill numbers")
        self.left -= 1


class NovaPoshtaClient(NovaPoshtaApi):
    """A :class:`~bot.carriers.base.CarrierClient` for Nova Poshta. Touches no database."""

    name = "nova_poshta"
    max_batch = MAX_BATCH

    async def track(self, queries: Sequence[TrackingQuery]) -> list[CarrierUpdate]:
        """One update per query NP answered about, in the order of ``queries``.

        Malformed numbers come back as ``not_found`` without being sent. More than
        :data:`MAX_BATCH` queries are sent in several requests; if any of them fails the whole
        call raises :class:`CarrierUnavailable` (pass ≤ max_batch queries to isolate failures).
        """
        originals: dict[str, list[str]] = {}
        docs: dict[str, _Doc] = {}
        found: dict[str, CarrierUpdate] = {}
        for query in queries:
            number = np_number(query.tracking_number)
            originals.setdefault(number, []).append(query.tracking_number)
            if not _is_plausible(number):
                log.info("not asking Nova Poshta about malformed number %r", number[:40])
                found[number] = CarrierUpdate(tracking_number=number, status=None, not_found=True)
                continue
            known = docs.get(number)
            if known is None or known.phone is None:
                docs[number] = _Doc(number, np_phone(query.phone))
        pending = list(docs.values())
        for start in range(0, len(pending), MAX_BATCH):
            batch = pending[start : start + MAX_BATCH]
            found.update(await self._track_docs(batch, _Budget(MAX_EXTRA_REQUESTS)))
        updates: list[CarrierUpdate] = []
        for number, spellings in originals.items():
            update = found.get(number)
            if update is None:
                continue
            updates.extend(replace(update, tracking_number=spelling) for spelling in spellings)
        return updates

    async def _track_docs(self, docs: list[_Doc], budget: _Budget) -> dict[str, CarrierUpdate]:
        envelope = await self._ask(docs)
        if envelope.success:
            return self._read(docs, envelope)
        # NP refused the whole request because of malformed numbers: drop them and ask again.
        numbers = {doc.number for doc in docs}
        named = envelope.invalid_numbers() & numbers
        text = envelope.errors[0] if envelope.errors else None
        if named:
            bad = [doc for doc in docs if doc.number in named]
            groups = [[doc for doc in docs if doc.number not in named]]
        elif len(docs) == 1:
            bad, groups = docs, []
        else:
            middle = len(docs) // 2
            bad, groups = [], [docs[:middle], docs[middle:]]
        result = {
            doc.number: CarrierUpdate(
                tracking_number=doc.number, status=None, carrier_text=text, not_found=True
            )
            for doc in bad
        }
        for group in groups:
            if group:
                budget.spend()
                result.update(await self._track_docs(group, budget))
        return result

    def _read(self, docs: list[_Doc], envelope: Envelope) -> dict[str, CarrierUpdate]:
        asked = {doc.number for doc in docs}
        for warning in envelope.warnings:
            log.info("Nova Poshta warns: %s", short(warning))
        if envelope.errors:
            log.warning("Nova Poshta answered with errors: %s", short("; ".join(envelope.errors)))
        result: dict[str, CarrierUpdate] = {}
        for raw in envelope.documents:
            number = number_of(raw)
            if number is None or number not in asked:
                log.warning("skipping a Nova Poshta document for a number not asked: %r", number)
                continue
            if number in result:
                continue
            try:
                update = parse_document(raw, tracking_number=number)
            except Exception:  # one garbled document must not cost the others
                log.exception("cannot read the Nova Poshta document for %s", number)
                continue
            if update is not None:
                result[number] = update
        missing = asked - result.keys()
        if missing:
            log.warning("Nova Poshta said nothing about %d of %d numbers", len(missing), len(asked))
        return result

    async def _ask(self, docs: list[_Doc]) -> Envelope:
        documents: list[dict[str, str]] = []
        for doc in docs:
            item = {"DocumentNumber": doc.number}
            if doc.phone:
                item["Phone"] = doc.phone
            documents.append(item)
        envelope, _ = await self._post(
            "TrackingDocument", "getStatusDocuments", {"Documents": documents}
        )
        if not envelope.success and not envelope.bad_number:
            raise refusal(envelope)
        return envelope
