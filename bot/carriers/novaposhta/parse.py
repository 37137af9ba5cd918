"""An NP getStatusDocuments answer → envelope facts and one CarrierUpdate per document.

Documents are read field by field: a field of the wrong type is treated as absent, so one garbled
field costs that field only, and one garbled document costs that document only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Final

from bot.carriers.base import CarrierUpdate
from bot.carriers.novaposhta import values
from bot.carriers.novaposhta.statuses import NOT_FOUND, map_status, normalise_code
from bot.domain.shipments import ShipmentStatus

log = logging.getLogger(__name__)

# errorCodes / errors of an answer refused because a DocumentNumber is malformed.
BAD_NUMBER_CODE: Final = "20001401442"
BAD_NUMBER_TEXT: Final = "document number is not correct"
_INVALID_NUMBER = re.compile(r"Invalid DocumentNumber:\s*(\S+)", re.IGNORECASE)

# The moment a status happened: the scan that produced it, else when NP last updated tracking.
EVENT_TIME_FIELDS: Final = ("DateScan", "TrackingUpdateDate")
# Expected delivery: the adjusted date when NP moved it, else the scheduled one.
EXPECTED_FIELDS: Final = ("AdjustedDate", "ScheduledDeliveryDate")
# Payment on delivery for the goods: "Контроль оплати" (AfterpaymentOnGoodsCost) or the older
# cash-on-delivery money transfer (RedeliverySum). 0 and "" both mean "none".
COD_FIELDS: Final = ("AfterpaymentOnGoodsCost", "RedeliverySum")


class MalformedResponse(ValueError):
    """The answer is not shaped like an NP answer at all."""


@dataclass(frozen=True)
class Envelope:
    success: bool
    documents: tuple[object, ...]
    errors: tuple[str, ...]
    error_codes: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def bad_number(self) -> bool:
        """NP refused the whole request because some DocumentNumber is malformed."""
        return BAD_NUMBER_CODE in self.error_codes or any(
            BAD_NUMBER_TEXT in error.lower() for error in self.errors
        )

    def invalid_numbers(self) -> frozenset[str]:
        """Numbers NP names in warnings like ``"Invalid DocumentNumber: 445"``."""
        return frozenset(
            match.group(1)
            for warning in self.warnings
            for match in _INVALID_NUMBER.finditer(warning)
        )


def _messages(value: object) -> tuple[str, ...]:
    """NP message lists hold strings or ``{"ID_2040…": "text"}`` objects."""
    if not isinstance(value, list):
        return ()
    out: list[str] = []
    for item in value:
        if isinstance(item, Mapping):
            out.extend(f"{key}: {values.text(text)}" for key, text in item.items())
        elif (message := values.text(item)) is not None:
            out.append(message)
    return tuple(out)


def read_envelope(payload: object) -> Envelope:
    """The outer shape; raise :class:`MalformedResponse` if it is not there."""
    if not isinstance(payload, Mapping):
        raise MalformedResponse(f"answer is {type(payload).__name__}, not an object")
    success = payload.get("success")
    if not isinstance(success, bool):
        raise MalformedResponse("answer has no boolean 'success'")
    data = payload.get("data")
    if success and not isinstance(data, list):
        raise MalformedResponse("successful answer has no 'data' list")
    return Envelope(
        success=success,
        documents=tuple(data) if isinstance(data, list) else (),
        errors=_messages(payload.get("errors")),
        error_codes=_messages(payload.get("errorCodes")),
        warnings=_messages(payload.get("warnings")),
    )


def _occurred_at(doc: Mapping[str, object], status: ShipmentStatus | None) -> datetime | None:
    if status is ShipmentStatus.received:
        received = values.instant(doc.get("RecipientDateTime"))
        if received is not None:
            return received
    for name in EVENT_TIME_FIELDS:
        moment = values.instant(doc.get(name))
        if moment is not None:
            return moment
    return None


def _expected(doc: Mapping[str, object]) -> date | None:
    for name in EXPECTED_FIELDS:
        expected = values.day(doc.get(name))
        if expected is not None:
            return expected
    return None


def _point(doc: Mapping[str, object]) -> str | None:
    """Where the customer picks the parcel up; None for delivery to the door."""
    service = values.text(doc.get("ServiceType")) or ""
    if service.endswith("Doors"):
        return None
    full = values.text(doc.get("RecipientAddress"))  # "м. Київ, Відділення №1: вул. …, 135"
    if full is not None:
        return full
    branch = values.text(doc.get("WarehouseRecipient"))
    city = values.text(doc.get("CityRecipient"))
    if branch is None:
        return None
    return f"{city}, {branch}" if city and city not in branch else branch


def _cod_amount(doc: Mapping[str, object]) -> Decimal | None:
    for name in COD_FIELDS:
        amount = values.decimal(doc.get(name))
        if amount is not None and amount > 0:
            return amount
    return None


def number_of(doc: object) -> str | None:
    """The document's waybill number, whitespace removed, or None."""
    if not isinstance(doc, Mapping):
        return None
    number = values.text(doc.get("Number"))
    return "".join(number.split()) if number is not None else None


def parse_document(doc: object, *, tracking_number: str) -> CarrierUpdate | None:
    """One NP document as a CarrierUpdate for ``tracking_number``; None if it is not a document."""
    if not isinstance(doc, Mapping):
        return None
    code = normalise_code(doc.get("StatusCode"))
    if code == NOT_FOUND:
        return CarrierUpdate(
            tracking_number=tracking_number,
            status=None,
            carrier_code=code,
            carrier_text=values.text(doc.get("Status")),
            not_found=True,
        )
    status = map_status(code) if code is not None else None
    if code is None:
        log.warning("Nova Poshta document %s has no usable StatusCode", tracking_number)
    return CarrierUpdate(
        tracking_number=tracking_number,
        status=status,
        carrier_code=code,
        carrier_text=values.text(doc.get("Status")),
        occurred_at=_occurred_at(doc, status),
        point=_point(doc),
        expected_delivery=_expected(doc),
        paid_storage_from=values.day(doc.get("DatePayedKeeping")),
        cod_amount=_cod_amount(doc),
        can_extend_storage=values.flag(doc.get("PossibilityTermExtension")),
    )
