"""Returns, the customer's side: what may be returned, and submitting a request.

Every rule is checked here again when the request is submitted — whatever the chat showed, a
forged or stale button cannot return someone else's order, an item twice, or after the window.
"""

from __future__ import annotations

from bot.domain.errors import N_, DomainError, NotFound
from bot.domain.orders import EventSource, OrderStatus, Payment
from bot.domain.return_draft import (
    MAX_TEXT,
    DetailMissing,
    Draft,
    InvalidIban,
    PhotosRequired,
    ReasonNotOffered,
    ReasonTextMissing,
    ResolutionNotOffered,
    TooManyPhotos,
    to_submission,
)
from bot.domain.returns import (
    HOLDS_ITEMS,
    MAX_PHOTOS,
    OPEN_RETURN,
    ItemLine,
    Resolution,
    ReturnReason,
    ReturnStatus,
    check_iban,
    check_quantities,
    resolutions_for,
)
from bot.services.context import ServiceContext
from bot.services.people import TelegramUser
from bot.services.returns.moves import record_move
from bot.services.returns.notices import announce_request
from bot.views.returns import ReturnableOrder
from storage.models import Order, Return, ReturnItem, ReturnPhoto
from storage.uow import Database, UnitOfWork

RECENT_ORDERS = 10


class NotReceived(DomainError):
    message_key = N_("Order {number} has not been received yet, so it cannot be returned.")
    code = "not_received"


class WindowClosed(DomainError):
    message_key = N_("The return period for order {number} ended on {day}.")
    code = "window_closed"


class NothingToReturn(DomainError):
    message_key = N_("Nothing in order {number} can be returned any more.")
    code = "nothing_to_return"


async def _describe(uow: UnitOfWork, ctx: ServiceContext, order: Order) -> ReturnableOrder:
    received_at = await uow.returns.received_at(order)
    received_on = received_at.astimezone(ctx.timezone).date()
    today = uow.clock.now().astimezone(ctx.timezone).date()
    held = await uow.returns.quantities_held(order.id, [status.value for status in HOLDS_ITEMS])
    open_ = await uow.returns.quantities_held(order.id, [status.value for status in OPEN_RETURN])
    lines = tuple(
        ItemLine(
            item_id=item.id,
            name=item.name,
            bought=item.quantity,
            returnable=item.returnable,
            in_returns=held.get(item.id, 0),
            in_open_return=open_.get(item.id, 0) > 0,
        )
        for item in order.items
    )
    rules = ctx.return_rules
    return ReturnableOrder(
        order=order,
        received_on=received_on,
        last_day=rules.last_day(received_on),
        window_open=rules.window_open(received_on, today),
        lines=lines,
    )


async def returnable_orders(
    db: Database, ctx: ServiceContext, user: TelegramUser
) -> list[ReturnableOrder]:
    """The person's received orders, newest first: open ones and those whose window ended."""
    async with db.read() as uow:
        orders = await uow.orders.recent_for_telegram_user(user.id, RECENT_ORDERS * 3)
        received = [order for order in orders if order.status == OrderStatus.received]
        return [await _describe(uow, ctx, order) for order in received[:RECENT_ORDERS]]


async def _own_order(
    uow: UnitOfWork, user: TelegramUser, order_id: int, *, for_update: bool = False
) -> Order:
    order = await uow.orders.get(order_id, for_update=for_update)
    if order is None or order.customer.telegram_id != user.id:
        raise NotFound()
    return order


async def _check_open(uow: UnitOfWork, ctx: ServiceContext, order: Order) -> ReturnableOrder:
    if order.status != OrderStatus.received:
        raise NotReceived(number=order.external_id)
    described = await _describe(uow, ctx, order)
    if not described.window_open:
        # Digits read the same in every language the error may be shown in.
        raise WindowClosed(number=order.external_id, day=described.last_day.strftime("%d.%m.%Y"))
    if not described.offerable:
        raise NothingToReturn(number=order.external_id)
    return described


async def order_for_return(
    db: Database, ctx: ServiceContext, user: TelegramUser, order_id: int
) -> ReturnableOrder:
    """One of the person's orders, checked: received, within the window, something left.

    Every step of the chat asks, so it only reads; ``submit`` checks it all again as it writes.
    """
    async with db.read() as uow:
        return await _check_open(uow, ctx, await _own_order(uow, user, order_id))


def _check_draft(ctx: ServiceContext, order: Order, draft: Draft) -> None:
    rules = ctx.return_rules
    if draft.reason not in rules.reasons:
        raise ReasonNotOffered()
    if draft.reason is ReturnReason.other and not (draft.reason_text or "").strip():
        raise ReasonTextMissing()
    if len(draft.photos) > MAX_PHOTOS:
        raise TooManyPhotos(limit=MAX_PHOTOS)
    if rules.needs_photos(draft.reason) and not draft.photos:
        raise PhotosRequired()
    if draft.resolution not in resolutions_for(order.payment == Payment.prepaid):
        raise ResolutionNotOffered()
    if draft.resolution is Resolution.refund_iban:
        _, problem = check_iban(draft.iban or "")
        if problem is not None:
            raise InvalidIban(problem)
        if not (draft.account_holder or "").strip():
            raise DetailMissing()
    if draft.resolution is Resolution.exchange and not (draft.exchange_wish or "").strip():
        raise DetailMissing()


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value[:MAX_TEXT] or None


async def submit(db: Database, ctx: ServiceContext, user: TelegramUser, draft: Draft) -> Return:
    """Store the request, tell the customer what to do next, and put it before the managers."""
    draft = to_submission(draft)  # a draft that skipped a step goes no further
    # to_submission saw to these; said again for the type checker
    assert draft.order_id is not None and draft.reason is not None and draft.resolution is not None
    async with db.uow() as uow:
        order = await _own_order(uow, user, draft.order_id, for_update=True)
        described = await _check_open(uow, ctx, order)
        check_quantities(described.lines, draft.quantities)
        _check_draft(ctx, order, draft)
        now = uow.clock.now()
        iban, _ = (
            check_iban(draft.iban or "")
            if draft.resolution is Resolution.refund_iban
            else (None, None)
        )
        return_ = Return(
            order_id=order.id,
            customer_id=order.customer_id,
            status=ReturnStatus.requested.value,
            reason=draft.reason.value,
            reason_text=_text(draft.reason_text) if draft.reason is ReturnReason.other else None,
            comment=_text(draft.comment),
            resolution=draft.resolution.value,
            iban=iban,
            account_holder=_text(draft.account_holder) if iban else None,
            exchange_wish=_text(draft.exchange_wish)
            if draft.resolution is Resolution.exchange
            else None,
            carrier=order.carrier,
            waiting_since=now,
            created_at=now,
            updated_at=now,
            items=[
                ReturnItem(order_item_id=item_id, quantity=quantity)
                for item_id, quantity in draft.quantities.items()
                if quantity > 0
            ],
            photos=[
                ReturnPhoto(
                    file_id=photo.file_id, file_unique_id=photo.file_unique_id, position=index
                )
                for index, photo in enumerate(draft.photos)
            ],
        )
        uow.returns.add(return_)
        await uow.returns.flush()
        record_move(
            uow, return_, None, ReturnStatus.requested, source=EventSource.customer, actor=user
        )
        await announce_request(uow, ctx, return_)
        await uow.commit()
        return return_
