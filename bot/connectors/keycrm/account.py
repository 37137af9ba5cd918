"""What ``connect`` learns from a KeyCRM account: status ids for Vykup's events, the statuses
that mean "cancelled", the cash-on-delivery payment methods and each source's currency.

KeyCRM documents six status groups (new, approval, production, delivery, completed, cancelled)
but not their ids (facts: status_groups), and every status but the first is the shop's own. The
rule, robust to both:

1. A status is proposed for an event when its ``alias`` or ``name`` holds one of the event's
   words (:data:`~bot.connectors.keycrm.mapping.STATUS_WORDS`); an ``alias`` match beats a
   ``name`` match, then KeyCRM's order of the list decides. Inactive and deleted statuses and
   names saying "not …" ("Не підтверджено") are never proposed.
2. The statuses that mean cancelled are every active status of the group of the status chosen
   for ``order.cancelled``: the cancelled group, whatever its id in this account.
3. Nothing fits: ``""`` (a note only), and ``done`` lists the statuses so that the owner can give
   ``--map <event>=<id>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.connectors.keycrm.mapping import CANCELLED_EVENT, STATUS_WORDS
from bot.connectors.keycrm.orders import (
    CANCELLED_GROUP_ID,
    CANCELLED_STATUS_IDS,
    COD_PAYMENT_METHOD_IDS,
    SOURCE_CURRENCIES,
)
from bot.connectors.keycrm.vocabulary import means_cash_on_delivery
from bot.domain.money import InvalidCurrency, normalise_currency
from bot.domain.shop_events import ShopEvent

NEGATIONS = ("не ", "не-", "not ", "no ")


@dataclass(frozen=True)
class Status:
    id: int
    name: str
    alias: str
    group_id: int | None

    def label(self) -> str:
        return f"{self.id} «{self.name}»"


@dataclass(frozen=True)
class Learned:
    mapping: dict[str, str]  # event name → status id or ""
    options: dict[str, str]
    statuses: list[Status]
    cancelled: list[Status]
    cod_methods: list[str]  # labels


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def read_statuses(rows: Iterable[Mapping[str, Any]]) -> list[Status]:
    """The account's usable statuses, in KeyCRM's order; malformed rows are left out."""
    statuses = []
    for row in rows:
        status_id = _int(row.get("id"))
        name = row.get("name")
        if status_id is None or not isinstance(name, str) or not name.strip():
            continue
        if row.get("is_active") is False or row.get("deleted_at"):
            continue
        alias = row.get("alias") if isinstance(row.get("alias"), str) else ""
        statuses.append(Status(status_id, name.strip(), alias or "", _int(row.get("group_id"))))
    return statuses


def _denied(text: str) -> bool:
    return text.lower().startswith(NEGATIONS)


def propose(statuses: list[Status], event: ShopEvent, avoid_group: int | None) -> Status | None:
    words = STATUS_WORDS.get(event, ())
    allowed = [
        s
        for s in statuses
        if not _denied(s.name) and (avoid_group is None or s.group_id != avoid_group)
    ]
    for field in ("alias", "name"):
        for status in allowed:
            text = getattr(status, field).lower()
            if text and any(word in text for word in words):
                return status
    return None


def learn(
    status_rows: Iterable[Mapping[str, Any]],
    method_rows: Iterable[Mapping[str, Any]],
    source_rows: Iterable[Mapping[str, Any]],
) -> Learned:
    statuses = read_statuses(status_rows)
    cancel = propose(statuses, CANCELLED_EVENT, avoid_group=None)
    cancelled_group = cancel.group_id if cancel is not None else None
    cancelled = [
        s for s in statuses if cancelled_group is not None and s.group_id == cancelled_group
    ]
    if cancel is not None and cancel not in cancelled:
        cancelled.append(cancel)
    mapping: dict[str, str] = {}
    for event in STATUS_WORDS:
        if event is CANCELLED_EVENT:
            chosen = cancel
        else:
            chosen = propose(statuses, event, avoid_group=cancelled_group)
        mapping[event.value] = str(chosen.id) if chosen is not None else ""
    options = {CANCELLED_STATUS_IDS: ",".join(str(s.id) for s in cancelled)}
    if cancelled_group is not None:
        options[CANCELLED_GROUP_ID] = str(cancelled_group)
    cod_ids, cod_labels = [], []
    for row in method_rows:
        method_id = _int(row.get("id"))
        if method_id is not None and means_cash_on_delivery([row.get("name"), row.get("alias")]):
            cod_ids.append(str(method_id))
            cod_labels.append(f"{method_id} «{row.get('name')}»")
    options[COD_PAYMENT_METHOD_IDS] = ",".join(cod_ids)
    currencies = []
    for row in source_rows:
        source_id = _int(row.get("id"))
        code = row.get("currency_code")
        if source_id is None or not isinstance(code, str):
            continue
        try:
            currencies.append(f"{source_id}:{normalise_currency(code)}")
        except InvalidCurrency:
            continue
    options[SOURCE_CURRENCIES] = ",".join(currencies)
    return Learned(mapping, options, statuses, cancelled, cod_labels)
