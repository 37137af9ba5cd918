"""Rules of the request bodies that depend on one field's value, stated in the OpenAPI document.

A pydantic model checks them in code (``ReturnStatusIn.problems``, the carrier's waybill format in
``attach_shipment``); JSON Schema states them as ``oneOf`` variants keyed by that field, so that a
body the document allows is one the server accepts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.domain.orders import Carrier
from bot.domain.returns import ReturnStatus
from bot.services.returns.shop import NEEDS_COMMENT
from bot.web.patterns import (
    COMMENT_PATTERN,
    FILLED_COMMENT_PATTERN,
    NOVA_POSHTA_WAYBILL,
    OTHER_WAYBILL,
    TEXT_PATTERN,
    UKRPOSHTA_WAYBILL,
)
from bot.web.schemas import money_schema

WAYBILL_LENGTH = 64
_NULL: dict[str, Any] = {"type": "null"}
_WAYBILLS: tuple[tuple[tuple[Carrier, ...], str, str], ...] = (
    ((Carrier.nova_poshta,), NOVA_POSHTA_WAYBILL, "14 digits, the first 1, 2, 4, 5 or 9"),
    ((Carrier.ukrposhta,), UKRPOSHTA_WAYBILL, "13 digits, or as RB123456789UA"),
    (
        tuple(c for c in Carrier if c not in (Carrier.nova_poshta, Carrier.ukrposhta)),
        OTHER_WAYBILL,
        "5-40 letters, digits and '-'",
    ),
)


def _enum(values: Iterable[str]) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def shipment_in(base: dict[str, Any]) -> dict[str, Any]:
    """``ShipmentIn``: the waybill's format follows the carrier; spaces in it are ignored."""
    variants = [
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["carrier", "tracking_number"],
            "properties": {
                "carrier": _enum(carrier.value for carrier in carriers),
                "tracking_number": {
                    "type": "string",
                    "maxLength": WAYBILL_LENGTH,
                    "pattern": pattern,
                    "description": f"The waybill: {shape}; spaces are ignored.",
                },
            },
        }
        for carriers, pattern, shape in _WAYBILLS
    ]
    return {"title": base.get("title"), "description": base.get("description"), "oneOf": variants}


def return_status_in(base: dict[str, Any]) -> dict[str, Any]:
    """``ReturnStatusIn``: which of ``comment``, ``refund_amount``, ``waybill`` a status needs."""
    comment = {"type": "string", "maxLength": 2000, "pattern": COMMENT_PATTERN}
    optional_comment = {"anyOf": [comment, _NULL]}
    filled_comment = {**comment, "pattern": FILLED_COMMENT_PATTERN}
    waybill = {"type": "string", "maxLength": WAYBILL_LENGTH, "pattern": TEXT_PATTERN}
    special = NEEDS_COMMENT | {ReturnStatus.refunded, ReturnStatus.shipped}

    def variant(
        statuses: Iterable[ReturnStatus], required: list[str], **properties: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "type": "object",
            "additionalProperties": False,
            "required": ["status", *required],
            "properties": {
                "status": _enum(status.value for status in statuses),
                "comment": optional_comment,
                "refund_amount": _NULL,
                "waybill": _NULL,
                **properties,
            },
        }

    variants = [
        variant(sorted(NEEDS_COMMENT), ["comment"], comment=filled_comment),
        variant(
            [ReturnStatus.refunded],
            ["refund_amount"],
            refund_amount=money_schema(positive=True),
        ),
        variant([ReturnStatus.shipped], ["waybill"], waybill=waybill),
        variant([status for status in ReturnStatus if status not in special], []),
    ]
    return {"title": base.get("title"), "description": base.get("description"), "oneOf": variants}
