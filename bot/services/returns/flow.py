"""The customer's return request in the chat, step by step, checked against the database.

The draft itself is kept by the chat (``bot/domain/return_draft.py``); whatever it says, every
step that depends on the order reads the order again: it is the person's own, received, within
the window, and the items are still there to return.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import return_draft
from bot.domain.errors import ButtonExpired
from bot.domain.orders import Payment
from bot.domain.return_draft import Draft
from bot.domain.returns import ItemLine, Resolution
from bot.services.context import ServiceContext
from bot.services.people import TelegramUser
from bot.services.returns import request
from bot.views.returns import Offer, ReturnableOrder
from storage.models import Return
from storage.uow import Database


async def offer(db: Database, ctx: ServiceContext, user: TelegramUser) -> Offer:
    listed = await request.returnable_orders(db, ctx, user)
    return Offer(
        open=tuple(o for o in listed if o.offerable),
        closed=tuple(o for o in listed if not o.offerable),
    )


async def begin(
    db: Database, ctx: ServiceContext, user: TelegramUser, draft: Draft, order_id: int
) -> tuple[Draft, ReturnableOrder]:
    """The order to return from, checked; the draft now about it."""
    described = await request.order_for_return(db, ctx, user, order_id)
    return return_draft.for_order(draft, described.order.id), described


async def order_of(
    db: Database, ctx: ServiceContext, user: TelegramUser, draft: Draft
) -> ReturnableOrder:
    """The draft's order as it is now (still the person's, received, open)."""
    if draft.order_id is None:
        raise ButtonExpired()
    return await request.order_for_return(db, ctx, user, draft.order_id)


def is_prepaid(described: ReturnableOrder) -> bool:
    return described.order.payment == Payment.prepaid


@dataclass(frozen=True)
class ItemPick:
    """The draft after a press on an item, and the order as it is now; ``how_many``: an item
    there are several of, whose quantity the customer is to pick (the draft is unchanged)."""

    draft: Draft
    order: ReturnableOrder
    how_many: ItemLine | None = None


async def pick_item(
    db: Database,
    ctx: ServiceContext,
    user: TelegramUser,
    draft: Draft,
    item_id: int,
    quantity: int | None,
) -> ItemPick:
    """``quantity`` None: toggle an item there is one of, or ask how many; a number: that many."""
    described = await order_of(db, ctx, user, draft)
    if quantity is not None:
        return ItemPick(
            return_draft.set_quantity(draft, described.lines, item_id, quantity), described
        )
    line = return_draft.line_of(described.lines, item_id)
    if line.available > 1:
        return ItemPick(draft, described, how_many=line)
    return ItemPick(return_draft.toggle(draft, described.lines, item_id), described)


async def check_items(db: Database, ctx: ServiceContext, user: TelegramUser, draft: Draft) -> None:
    return_draft.check_items(draft, (await order_of(db, ctx, user, draft)).lines)


async def choose_resolution(
    db: Database, ctx: ServiceContext, user: TelegramUser, draft: Draft, resolution: Resolution
) -> Draft:
    described = await order_of(db, ctx, user, draft)
    return return_draft.set_resolution(draft, is_prepaid(described), resolution)


async def submit(db: Database, ctx: ServiceContext, user: TelegramUser, draft: Draft) -> Return:
    """Store the request (every rule checked again); the customer hears what to do next."""
    return await request.submit(db, ctx, user, draft)
