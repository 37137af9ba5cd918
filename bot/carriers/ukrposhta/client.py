"""UkrposhtaClient: StatusTracking's POST /statuses/with-not-found, ≤ 100 barcodes a request.

Facts (``refdata/ukrposhta/status-tracking-api-facts.json``): the base URL
``https://www.ukrposhta.ua/status-tracking/0.0.1``; ``Authorization: Bearer <token>`` with the
StatusTracking token (not the eCom one); the body a JSON array of barcodes; at most 100 barcodes
a request (X1 states the ceiling for the ``last`` variant; it is kept for this one too); a parcel
is "not found" until a post office accepts it, which is normal for a freshly booked parcel; when
*none* of the barcodes is known the service answers HTTP 404 with code ``UPE02000`` instead of an
empty ``found``; gateways and rate limiting answer with bodies that are not JSON.

The refdata is silent on Ukrposhta's answer to a wrong token. This follows the HTTP convention for
a bearer (401, or 403 for a token without access) as the refused key.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

import aiohttp

from bot.carriers.base import CarrierKeyRejected, CarrierUnavailable, CarrierUpdate, TrackingQuery
from bot.carriers.ukrposhta.parse import MalformedResponse, barcode, parse_events, read_answer
from bot.domain.orders import Carrier
from bot.domain.waybills import valid_waybill

DEFAULT_API_URL: Final = "https://www.ukrposhta.ua/status-tracking/0.0.1"
PATH: Final = "/statuses/with-not-found"
MAX_BATCH: Final = 100
NOTHING_FOUND: Final = "UPE02000"
KEY_REFUSED: Final = frozenset({401, 403})
MAX_REASON: Final = 300

log = logging.getLogger(__name__)


def _short(text: str) -> str:
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


class UkrposhtaClient:
    """A :class:`~bot.carriers.base.CarrierClient` for Ukrposhta. Touches no database."""

    name = Carrier.ukrposhta.value
    max_batch = MAX_BATCH

    def __init__(
        self,
        http: aiohttp.ClientSession,
        *,
        token: str,
        api_url: str = DEFAULT_API_URL,
        timeout: float = 15.0,
    ) -> None:
        self._http = http
        self._token = token
        self._url = api_url.rstrip("/") + PATH
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    def __repr__(self) -> str:  # never show the token
        return f"UkrposhtaClient(url={self._url!r})"

    async def track(self, queries: Sequence[TrackingQuery]) -> list[CarrierUpdate]:
        """One update per query Ukrposhta answered about, in the order of ``queries``.

        Malformed barcodes come back as ``not_found`` without being sent. More than
        :data:`MAX_BATCH` queries are sent in several requests; if any fails the whole call
        raises :class:`CarrierUnavailable` (pass ≤ max_batch queries to isolate failures).
        """
        originals: dict[str, list[str]] = {}
        found: dict[str, CarrierUpdate] = {}
        for query in queries:
            number = barcode(query.tracking_number) or ""
            originals.setdefault(number, []).append(query.tracking_number)
            if not valid_waybill(Carrier.ukrposhta, number):
                log.info("not asking Ukrposhta about malformed barcode %r", number[:40])
                found[number] = CarrierUpdate(tracking_number=number, status=None, not_found=True)
        pending = [number for number in originals if number not in found]
        for start in range(0, len(pending), MAX_BATCH):
            found.update(await self._track(pending[start : start + MAX_BATCH]))
        updates: list[CarrierUpdate] = []
        for number, spellings in originals.items():
            update = found.get(number)
            if update is not None:
                updates.extend(replace(update, tracking_number=s) for s in spellings)
        return updates

    async def _track(self, numbers: list[str]) -> dict[str, CarrierUpdate]:
        payload = await self._ask(numbers)
        if payload is None:  # 404 UPE02000: none of them is known (yet)
            return {
                n: CarrierUpdate(tracking_number=n, status=None, not_found=True) for n in numbers
            }
        try:
            answer = read_answer(payload)
        except MalformedResponse as exc:
            raise CarrierUnavailable(f"unexpected answer: {exc}") from exc
        asked = set(numbers)
        result: dict[str, CarrierUpdate] = {}
        for number, events in answer.found.items():
            if number not in asked:
                log.warning("skipping Ukrposhta events for a barcode not asked: %r", number[:40])
                continue
            try:
                update = parse_events(events, tracking_number=number)
            except Exception:  # one garbled parcel must not cost the others
                log.exception("cannot read Ukrposhta's events for %s", number)
                continue
            if update is not None:
                result[number] = update
        for number in answer.not_found & asked - result.keys():
            result[number] = CarrierUpdate(tracking_number=number, status=None, not_found=True)
        missing = asked - result.keys()
        if missing:
            log.warning("Ukrposhta said nothing usable about %d of %d", len(missing), len(asked))
        return result

    async def _ask(self, numbers: list[str]) -> object | None:
        """The JSON answer; None for Ukrposhta's 404 "none of these is known"."""
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
        try:
            async with self._http.post(
                self._url, json=numbers, headers=headers, timeout=self._timeout
            ) as resp:
                status = resp.status
                raw = await resp.read()
        except TimeoutError as exc:
            raise CarrierUnavailable(f"no answer within {self._timeout.total} s") from exc
        except aiohttp.ClientError as exc:
            raise CarrierUnavailable(f"connection failed: {type(exc).__name__}") from exc
        payload: object
        try:
            payload = json.loads(raw)
        except ValueError:  # UnicodeDecodeError is a ValueError too
            payload = None
            if status < 400:
                raise CarrierUnavailable(f"HTTP {status}: the answer is not JSON") from None
        if status in KEY_REFUSED:
            said = " ".join(raw.decode("utf-8", errors="replace").split())
            raise CarrierKeyRejected(_short(f"Ukrposhta refused the token: HTTP {status} {said}"))
        if status == 404 and NOTHING_FOUND in json.dumps(payload, ensure_ascii=False):
            return None
        if status >= 400:
            raise CarrierUnavailable(f"HTTP {status}")
        return payload
