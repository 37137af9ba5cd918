"""The customer's words after the request: the answer to a manager's question, the return waybill.

What the customer is expected to write is domain state, not conversation state: a return that is
``info_requested`` waits for their answer, an ``approved`` one without a waybill waits for its
number. So the next plain text in their private chat answers it, after a restart too, and only
while such a return exists; any other text (and every text while another dialog runs) is not
taken here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.errors import N_, DomainError
from bot.domain.orders import Carrier, EventSource
from bot.domain.return_desk import clean_note
from bot.domain.returns import ReturnStatus
from bot.domain.shop_events import ShopEvent
from bot.domain.waybills import normalise_waybill
from bot.services.context import ServiceContext
from bot.services.notifier import Notifier
from bot.services.people import TelegramUser
from bot.services.returns.moves import advance
from bot.services.returns.notices import announce_move
from bot.services.returns.review import reply_to_card
from bot.texts.returns import desk as desk_texts
from bot.texts.returns.updates import ANY_WAYBILL_HINT, WAYBILL_HINT
from storage.models import Return
from storage.uow import Database, UnitOfWork

RECENT_RETURNS = 20
MAX_WAYBILL_TEXT = 64


class InvalidWaybill(DomainError):
    code = "invalid_waybill"

    def __init__(self, carrier: Carrier | None) -> None:
        self.carrier = carrier
        hint = WAYBILL_HINT.get(carrier, ANY_WAYBILL_HINT) if carrier else ANY_WAYBILL_HINT
        super().__init__(hint)


class WaybillOfDelivery(DomainError):
    message_key = N_(
        "This is the number of the parcel we sent you. Please send the number of the parcel "
        "you are sending back."
    )
    code = "waybill_of_delivery"


class WaybillTaken(DomainError):
    message_key = N_("This waybill number is already given for another return. Please check it.")
    code = "waybill_taken"


class Expecting(StrEnum):
    answer = "answer"
    waybill = "waybill"


@dataclass(frozen=True)
class Followup:
    expected: Expecting
    return_: Return


def expecting(return_: Return) -> Expecting | None:
    if return_.status == ReturnStatus.info_requested:
        return Expecting.answer
    if return_.status == ReturnStatus.approved and return_.waybill is None:
        return Expecting.waybill
    return None


async def _awaiting(uow: UnitOfWork, telegram_id: int) -> Return | None:
    """The person's return that waits for their words; the latest one if there are several."""
    customers = await uow.customers.by_telegram_id(telegram_id)
    returns = await uow.returns.of_customers([c.id for c in customers], RECENT_RETURNS)
    waiting = [one for one in returns if expecting(one) is not None]
    return max(waiting, key=lambda one: (one.updated_at, one.id)) if waiting else None


async def take_text(
    db: Database, ctx: ServiceContext, user: TelegramUser, text: str
) -> Followup | None:
    """Take the text as what a return waits for; None when no return waits for anything."""
    async with db.uow() as uow:
        found = await _awaiting(uow, user.id)
        if found is None:
            return None
        return_ = await uow.returns.get(found.id, for_update=True)
        expected = expecting(return_) if return_ is not None else None
        if return_ is None or expected is None:  # moved on meanwhile
            return None
        if expected is Expecting.answer:
            await _answer(uow, ctx, return_, user, text)
        else:
            await _waybill(uow, ctx, return_, user, text)
        await uow.commit()
        return Followup(expected, return_)


async def _answer(
    uow: UnitOfWork, ctx: ServiceContext, return_: Return, user: TelegramUser, text: str
) -> None:
    """The answer goes to the managers under the card; the return waits on them again."""
    answer = clean_note(text)
    previous = await advance(
        uow,
        ctx,
        return_,
        ReturnStatus.requested,
        source=EventSource.customer,
        actor=user,
        comment=answer,
    )
    notifier = Notifier(uow, ctx)
    t = notifier.managers_translator
    reply_to_card(notifier, return_, desk_texts.answer_relayed(t, return_, answer))
    await announce_move(
        uow, ctx, return_, previous, note=answer, event=ShopEvent.return_info_provided
    )


async def check_waybill(uow: UnitOfWork, return_: Return, text: str) -> str:
    """The waybill as the carrier writes it; refused when malformed, the outgoing parcel's, or
    another return's."""
    carrier = _carrier(return_.carrier)
    number = (
        normalise_waybill(carrier or Carrier.other, text) if len(text) <= MAX_WAYBILL_TEXT else None
    )
    if number is None:
        raise InvalidWaybill(carrier)
    if await uow.shipments.by_tracking_number(number) is not None:
        raise WaybillOfDelivery()
    other = await uow.returns.by_waybill(number)
    if other is not None and other.id != return_.id:
        raise WaybillTaken()
    return number


async def _waybill(
    uow: UnitOfWork, ctx: ServiceContext, return_: Return, user: TelegramUser, text: str
) -> None:
    return_.waybill = await check_waybill(uow, return_, text)
    return_.parcel_status = None
    previous = await advance(
        uow,
        ctx,
        return_,
        ReturnStatus.shipped,
        source=EventSource.customer,
        actor=user,
        comment=return_.waybill,
    )
    await announce_move(uow, ctx, return_, previous)


def _carrier(value: str | None) -> Carrier | None:
    try:
        return Carrier(value) if value else None
    except ValueError:
        return None
