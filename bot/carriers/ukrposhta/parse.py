"""A StatusTracking answer → one CarrierUpdate per barcode.

``POST /statuses/with-not-found`` answers ``{"found": {barcode: [event, …]}, "notFound": [barcode,
…]}`` (the RomaBilka fixture in refdata); the ``/statuses/last/with-not-found`` variant answers
``"found"`` as a flat list of events. Both are read, so either endpoint works.

Events are read field by field: a field of the wrong type is treated as absent, one garbled event
costs that event only, and one garbled barcode costs that barcode only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.carriers.base import CarrierUpdate
from bot.carriers.novaposhta import values  # generic readers: Kyiv wall-clock times, texts
from bot.carriers.ukrposhta.statuses import ARRIVAL_CODES, event_status, normalise_code
from bot.carriers.ukrposhta.storage import paid_storage_from
from bot.domain.shipments import ShipmentStatus

log = logging.getLogger(__name__)


class MalformedResponse(ValueError):
    """The answer is not shaped like a StatusTracking answer at all."""


@dataclass(frozen=True)
class Event:
    barcode: str
    step: int | None
    at: datetime | None  # timezone-aware UTC
    code: str | None
    text: str | None
    office: str | None  # "11001 ОЛЕВСЬК 1": the postcode and the office's name
    reason_id: object


@dataclass(frozen=True)
class Answer:
    found: dict[str, list[object]]  # barcode (as Ukrposhta wrote it, compacted) → raw events
    not_found: frozenset[str]


def barcode(value: object) -> str | None:
    """A barcode as compared: whitespace removed, capitals."""
    text = values.text(value)
    return "".join(text.split()).upper() if text is not None else None


def read_answer(payload: object) -> Answer:
    if not isinstance(payload, Mapping):
        raise MalformedResponse("the answer is not a JSON object")
    raw_found = payload.get("found", {})
    raw_missing = payload.get("notFound", [])
    if raw_found is None:
        raw_found = {}
    if raw_missing is None:
        raw_missing = []
    if not isinstance(raw_missing, list):
        raise MalformedResponse("notFound is not a list")
    found: dict[str, list[object]] = {}
    if isinstance(raw_found, Mapping):
        for key, events in raw_found.items():
            number = barcode(key)
            if number is not None and isinstance(events, list):
                found.setdefault(number, []).extend(events)
            else:
                log.warning("skipping a garbled Ukrposhta entry for %r", str(key)[:40])
    elif isinstance(raw_found, list):  # /statuses/last/with-not-found: one event per barcode
        for event in raw_found:
            number = barcode(event.get("barcode")) if isinstance(event, Mapping) else None
            if number is not None:
                found.setdefault(number, []).append(event)
            else:
                log.warning("skipping a Ukrposhta event without a barcode")
    else:
        raise MalformedResponse("found is neither an object nor a list")
    missing = frozenset(n for n in (barcode(item) for item in raw_missing) if n is not None)
    return Answer(found=found, not_found=missing)


def _step(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _office(raw: Mapping[str, object]) -> str | None:
    index = values.text(raw.get("index"))
    name = values.text(raw.get("name"))
    parts = [part for part in (index, name) if part]
    return " ".join(parts) or None


def read_event(raw: object, number: str) -> Event | None:
    if not isinstance(raw, Mapping):
        return None
    return Event(
        barcode=number,
        step=_step(raw.get("step")),
        at=values.instant(raw.get("date")),  # "2019-02-07T16:36:00", Kyiv local time
        code=normalise_code(raw.get("event")),
        text=values.text(raw.get("eventName")),
        office=_office(raw),
        reason_id=raw.get("eventReason_id"),
    )


def parse_events(raw_events: list[object], *, tracking_number: str) -> CarrierUpdate | None:
    """The parcel's state after its events; None when no event says anything usable."""
    events = [e for e in (read_event(raw, tracking_number) for raw in raw_events) if e]
    if not events:
        return None
    # Ukrposhta numbers the events (step) and dates them; either may be missing.
    events.sort(key=lambda e: (e.step if e.step is not None else -1, e.at is not None, e.at))
    arrival = next((e for e in events if e.code in ARRIVAL_CODES), None)
    for event in reversed(events):  # the latest event that means a status
        status = event_status(event.code, event.reason_id) if event.code else None
        if status is not None:
            break
    else:
        last = events[-1]
        return CarrierUpdate(
            tracking_number=tracking_number,
            status=None,
            carrier_code=last.code,
            carrier_text=last.text,
            occurred_at=last.at,
        )
    waiting = status in (ShipmentStatus.arrived, ShipmentStatus.storage_ended)
    occurred = arrival.at if waiting and arrival is not None else event.at
    arrived_day = arrival.at.astimezone(values.KYIV).date() if arrival and arrival.at else None
    return CarrierUpdate(
        tracking_number=tracking_number,
        status=status,
        carrier_code=event.code,
        carrier_text=event.text,
        occurred_at=occurred,
        point=(arrival.office if arrival is not None else event.office if waiting else None),
        paid_storage_from=paid_storage_from(arrived_day) if arrived_day is not None else None,
    )
