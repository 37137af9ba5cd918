"""Waybill numbers: one rule per carrier, for the shop's API, the return flow and the polls.

What a carrier's number looks like, as the carrier writes it (the rule stored numbers follow):

- Nova Poshta: 14 digits. Every number in ``refdata/novaposhta`` (getStatusDocuments samples
  ``20400048799000``, ``59000777777777``; InternetDocument ``20400030200931``; AdditionalService
  ``20450520287825``, ``59000042651620``) is 14 digits beginning 2 or 5; the tracking fields'
  table (``tracking-status-codes-and-fields.json``, "Number") gives no narrower format. The
  first digit is held to 1, 2, 4, 5 or 9 as the shop's API has always done; none of those
  samples falls outside it.
- Ukrposhta: 13 digits, or 2 letters + 9 digits + 2 letters (``RA067022855UA``), as
  ``refdata/ukrposhta/status-tracking-api-facts.json`` ("tracking_number_formats") states.
- Any other carrier (Meest, Rozetka, a courier): ``refdata`` has nothing; 5-40 letters, digits
  and '-', the format the API documents.

Digits are ASCII ``[0-9]``, not ``\\d``: Python's ``\\d`` takes any script's digits (``٢``,
``２``), which no carrier prints and none would find.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from bot.domain.orders import Carrier

WAYBILL_FORMATS: Final[Mapping[Carrier, re.Pattern[str]]] = {
    Carrier.nova_poshta: re.compile(r"[12459][0-9]{13}"),
    Carrier.ukrposhta: re.compile(r"[0-9]{13}|[A-Z]{2}[0-9]{9}[A-Z]{2}"),
}
OTHER_WAYBILL: Final = re.compile(r"[A-Za-z0-9-]{5,40}")

# Carriers whose numbers have no separators and only capital letters: a person's '-' and lower
# case are noise there. Meest as the return flow has always read it.
_CAPITALS_ONLY: Final = frozenset({Carrier.nova_poshta, Carrier.ukrposhta, Carrier.meest})
_SPACES_AND_DASHES: Final = re.compile(r"[\s-]")


def valid_waybill(carrier: Carrier, number: str) -> bool:
    """Whether ``number``, exactly as given, is one of ``carrier``'s waybill numbers."""
    return WAYBILL_FORMATS.get(carrier, OTHER_WAYBILL).fullmatch(number) is not None


def compact_waybill(text: str) -> str:
    """The number as a shop sends it: whitespace around it and spaces inside are ignored."""
    return text.strip().replace(" ", "")


def normalise_waybill(carrier: Carrier, text: str) -> str | None:
    """The number a person typed, as the carrier writes it; None when it cannot be theirs.

    Whitespace anywhere is dropped; for carriers that print capitals only, '-' too, and letters
    are upper-cased (``rb 1234-56789 ua`` → ``RB123456789UA``).
    """
    if carrier in _CAPITALS_ONLY:
        number = _SPACES_AND_DASHES.sub("", text).upper()
    else:
        number = "".join(text.split())
    return number if valid_waybill(carrier, number) else None
