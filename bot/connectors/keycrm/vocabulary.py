"""Words by which KeyCRM's own names (delivery services, payment methods) are recognised.

A KeyCRM account names its delivery services and payment methods itself (``GET
/order/delivery-service``, ``GET /order/payment-method``: ``{id, name, alias, …}``); integrations
add theirs (a live account seen in public code lists "Novaposhta", "UkrPoshta_EMS", "Самовывоз";
payment methods "Оплата наличными (cash)", "Банковская карта", …). Matching is by lower-cased
substring of name, alias and source_name, in the order given: the first carrier that matches wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from bot.domain.orders import Carrier

CARRIER_WORDS: Final[tuple[tuple[Carrier, tuple[str, ...]], ...]] = (
    (Carrier.nova_poshta, ("nova", "novaposhta", "нова пошта", "новая почта", "nova_poshta")),
    (Carrier.ukrposhta, ("ukrposhta", "ukrpost", "укрпошт", "укрпочт")),
    (Carrier.meest, ("meest", "міст експрес", "мист экспресс")),
    (Carrier.rozetka, ("rozetka", "розетк")),
    (Carrier.pickup, ("pickup", "самовив", "самовыв", "самовивіз")),
    (Carrier.courier, ("courier", "кур'єр", "курьер", "кур’єр", "адресн")),
)

# Cash on delivery as Ukrainian shops name the method: «Накладений платіж», «Наложенный платеж»,
# «Післяплата», «Наложка», «Оплата при отриманні», "COD".
COD_WORDS: Final[tuple[str, ...]] = (
    "накладен",
    "наложен",
    "наложк",
    "післяплат",
    "пiсляплат",
    "послеоплат",
    "при отриманн",
    "при получени",
    "cash on delivery",
    "cod",
)


def _texts(values: Iterable[object]) -> str:
    return " ".join(value.lower() for value in values if isinstance(value, str))


def carrier_of(names: Iterable[object]) -> Carrier:
    """The carrier a delivery service's name/alias/source_name speaks of; ``other`` if none."""
    text = _texts(names)
    for carrier, words in CARRIER_WORDS:
        if any(word in text for word in words):
            return carrier
    return Carrier.other


def means_cash_on_delivery(names: Iterable[object]) -> bool:
    text = _texts(names)
    # "cod" only as a whole word: "barcode" or "code" is no payment method.
    words = set(text.replace("(", " ").replace(")", " ").split())
    return any(word in text for word in COD_WORDS if word != "cod") or "cod" in words
