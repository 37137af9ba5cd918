"""The customer answers an order card: confirm, cancel with a reason, or ask for a change.

The same rules whether the answer comes from the Telegram card's buttons or from the web
confirmation page: only who answers differs (a Telegram user, or the holder of the order's link).
"""

from __future__ import annotations

from bot.domain.errors import N_, DomainError, NotFound
from bot.domain.order_events import OrderEventKind
from bot.domain.orders import CancelReason, EventSource, OrderStatus
from bot.domain.shop_events import ShopEvent
from bot.services.context import ServiceContext
from bot.services.history import change_status, record
from bot.services.notifier import Notifier
from bot.services.people import Answerer, LinkHolder, MessageRef, TelegramUser
from bot.texts.escaping import escape
from bot.texts.manager import change_request
from storage.models import Order
from storage.uow import Database, UnitOfWork


class NotAwaitingConfirmation(DomainError):
    message_key = N_("This order is already {status}.")
    code = "not_awaiting_confirmation"


class EmptyChangeRequest(DomainError):
    message_key = N_("Please write what to change in the order, in one message.")
    code = "empty_change_request"


MAX_TEXT = 1000


def _actor(user: Answerer) -> int | None:
    """The Telegram id in the history; the link's holder has none."""
    return user.id if isinstance(user, TelegramUser) else None


def _answers_for(order: Order, user: Answerer) -> bool:
    if isinstance(user, LinkHolder):
        return order.link_token == user.link_token
    return order.customer.telegram_id == user.id


async def _own_new_order(
    uow: UnitOfWork, order_id: int, user: Answerer, *, for_update: bool = True
) -> Order:
    order = await uow.orders.get(order_id, for_update=for_update)
    if order is None or not _answers_for(order, user):
        raise NotFound()
    if order.status != OrderStatus.new:
        raise NotAwaitingConfirmation(status=OrderStatus(order.status))
    return order


async def confirm(
    db: Database, ctx: ServiceContext, order_id: int, user: Answerer, card: MessageRef | None
) -> Order:
    async with db.uow() as uow:
        order = await _own_new_order(uow, order_id, user)
        change_status(
            uow, order, OrderStatus.confirmed, source=EventSource.customer, actor_id=_actor(user)
        )
        notifier = Notifier(uow, ctx)
        await _update_cards(notifier, order, card)
        notifier.shop_event(order, ShopEvent.order_confirmed)
        await uow.commit()
        return order


async def cancel(
    db: Database,
    ctx: ServiceContext,
    order_id: int,
    user: Answerer,
    reason: CancelReason,
    comment: str | None,
    card: MessageRef | None,
) -> Order:
    comment = (comment or "").strip()[:MAX_TEXT] or None
    async with db.uow() as uow:
        order = await _own_new_order(uow, order_id, user)
        change_status(
            uow,
            order,
            OrderStatus.cancelled,
            source=EventSource.customer,
            actor_id=_actor(user),
            reason=reason.value,
            comment=comment,
        )
        order.cancel_reason = reason.value
        order.cancel_comment = comment
        notifier = Notifier(uow, ctx)
        await _update_cards(notifier, order, card)
        notifier.shop_event(order, ShopEvent.order_cancelled, reason=reason.value, comment=comment)
        await uow.commit()
        return order


async def check_can_answer(
    db: Database, ctx: ServiceContext, order_id: int, user: Answerer
) -> Order:
    """Raise unless this person may still answer this order (before asking them anything)."""
    async with db.read() as uow:
        return await _own_new_order(uow, order_id, user, for_update=False)


async def request_change(
    db: Database, ctx: ServiceContext, order_id: int, user: Answerer, text: str
) -> Order:
    text = (text or "").strip()
    if not text:
        raise EmptyChangeRequest()
    text = text[:MAX_TEXT]
    async with db.uow() as uow:
        order = await _own_new_order(uow, order_id, user)
        record(
            uow,
            order,
            OrderEventKind.change_requested,
            source=EventSource.customer,
            actor_id=_actor(user),
            comment=text,
        )
        notifier = Notifier(uow, ctx)
        notifier.to_managers(change_request(order, text, notifier.managers_translator), order=order)
        notifier.shop_event(order, ShopEvent.order_change_requested, comment=text)
        t = await notifier.translator_for(order.customer, order)
        await notifier.to_customer(
            order.customer,
            t.gettext(
                "✏️ Thank you! We passed your request for order <b>{number}</b> to a manager, "
                "who will contact you soon. The order stays unconfirmed until then."
            ).format(number=escape(order.external_id)),
            order=order,
        )
        await uow.commit()
        return order


async def _update_cards(notifier: Notifier, order: Order, card: MessageRef | None) -> None:
    """Edit the card the button was pressed on, and the recorded card if that is another one."""
    if card is not None:
        await notifier.card_update(order, chat_id=card.chat_id, message_id=card.message_id)
    # The card is recorded only once Telegram accepted it; a press can come a moment before that,
    # and then the pressed message is the card itself.
    recorded = (order.card_chat_id, order.card_message_id)
    pressed_elsewhere = card is None or (
        order.card_message_id is not None and recorded != (card.chat_id, card.message_id)
    )
    if pressed_elsewhere and order.card_queued_at is not None:
        await notifier.card_update(order)
