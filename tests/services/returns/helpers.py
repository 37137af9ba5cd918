"""A received order with a submitted return, and what the outbox then holds: shared by the
service, API and end-to-end tests of the managers' side of returns."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.domain.languages import Language
from bot.domain.new_order import NewItem
from bot.domain.orders import Carrier, OrderStatus
from bot.domain.return_draft import Draft
from bot.domain.returns import Resolution, ReturnReason
from bot.services import linking
from bot.services.context import ServiceContext
from bot.services.intake import intake_order
from bot.services.people import TelegramUser
from bot.services.returns import request
from bot.services.shipments import attach_shipment
from bot.services.shop_status import set_status_by_shop
from storage.models import OutboxMessage, Return
from storage.uow import Database
from tests.factories import OLENA, new_order

VALID_IBAN = "UA21 3223 1300 0002 6007 2335 6600 1"
COMPACT_IBAN = "UA213223130000026007233566001"
MASKED_IBAN = "UA21 **** 6001"


async def submitted_return(
    db: Database,
    ctx: ServiceContext,
    *,
    external_id: str = "A-1001",
    language: Language | None = Language.en,
    customer: TelegramUser = OLENA,
    phone: str = "+380501234567",
    delivery_waybill: str | None = None,
    items: tuple[NewItem, ...] | None = None,
    lines: dict[int, int] | None = None,
    **draft: Any,
) -> Return:
    """Olena received order ``external_id`` (2 × "Футболка M" at 450.00) and returns one.

    ``items`` replaces the order's lines; ``lines`` says how many of each (by position) come back.
    """
    data = new_order(external_id, language=language, phone=phone)
    if items is not None:
        data = replace(data, items=items)
    order = (await intake_order(db, ctx, data)).order
    await set_status_by_shop(db, ctx, external_id, OrderStatus.confirmed, None)
    if delivery_waybill is not None:
        await attach_shipment(db, ctx, external_id, Carrier.nova_poshta, delivery_waybill)
    else:
        await set_status_by_shop(db, ctx, external_id, OrderStatus.shipped, None)
    await set_status_by_shop(db, ctx, external_id, OrderStatus.received, None)
    await linking.link_by_token(db, ctx, order.link_token, customer)  # no card left to edit
    fields: dict[str, Any] = {
        "flow": 0,  # not put together in a chat
        "order_id": order.id,
        "quantities": {order.items[index].id: count for index, count in (lines or {0: 1}).items()},
        "reason": ReturnReason.wrong_size,
        "resolution": Resolution.refund_iban,
        "iban": VALID_IBAN,
        "account_holder": "Олена Коваль",
        **draft,
    }
    return await request.submit(db, ctx, customer, Draft(**fields))


async def outbox(db: Database) -> list[OutboxMessage]:
    async with db.uow() as uow:
        return list(await uow.outbox.pending(10_000))


class Outbox:
    """What was queued since the last look."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._seen = 0

    async def skip(self) -> None:
        self._seen = len(await outbox(self._db))

    async def new(self) -> list[OutboxMessage]:
        rows = await outbox(self._db)
        fresh, self._seen = rows[self._seen :], len(rows)
        return fresh


def to_chat(rows: list[OutboxMessage], chat_id: int) -> list[OutboxMessage]:
    return [row for row in rows if row.chat_id == chat_id and row.channel == "telegram"]


def hooks(rows: list[OutboxMessage]) -> list[dict[str, Any]]:
    return [row.payload["body"] for row in rows if row.channel == "webhook"]


def card_edits(rows: list[OutboxMessage]) -> list[OutboxMessage]:
    return [row for row in rows if row.purpose == "edit_return_card"]


def buttons(row: OutboxMessage) -> list[str]:
    markup = row.payload.get("reply_markup") or {}
    return [b["callback_data"] for line in markup.get("inline_keyboard", []) for b in line]


async def stored(db: Database, return_id: int) -> Return:
    async with db.uow() as uow:
        found = await uow.returns.get(return_id)
        assert found is not None
        return found


async def history(db: Database, return_id: int) -> list[tuple[str | None, str, str]]:
    async with db.uow() as uow:
        events = await uow.returns.events_of(return_id)
        return [(e.from_status, e.to_status, e.source) for e in events]
