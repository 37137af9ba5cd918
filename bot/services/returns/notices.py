"""What a return's moves say, and to whom: the customer, the managers' card, the shop."""

from __future__ import annotations

from typing import Any

from bot.domain.categories import categorize
from bot.domain.message_purposes import MessagePurpose
from bot.domain.returns import ReturnStatus, return_number
from bot.domain.shop_events import ShopEvent, return_event
from bot.keyboards.returns.desk import answer_prompt, card_keyboard
from bot.services.context import ServiceContext
from bot.services.notifier import Notifier, markup_payload
from bot.services.returns import review
from bot.services.risk import rate
from bot.texts.returns import desk as desk_texts
from bot.texts.returns import request as texts
from bot.texts.returns import updates as updates
from storage.models import Return
from storage.uow import UnitOfWork


async def card_text(uow: UnitOfWork, ctx: ServiceContext, return_: Return) -> dict[str, Any]:
    """The managers' card as it should read now (text, HTML, the buttons the status allows)."""
    t = ctx.catalogs(ctx.managers_language)
    rated = await rate(uow, ctx, return_.customer)
    request = texts.manager_card(t, return_, rated.assessment)
    events = await uow.returns.events_of(return_.id)
    return {
        "text": desk_texts.card(t, request, return_, events),
        "parse_mode": "HTML",
        "reply_markup": markup_payload(card_keyboard(return_.id, return_.status, t)),
    }


async def announce_request(uow: UnitOfWork, ctx: ServiceContext, return_: Return) -> None:
    """A new request: instructions to the customer, photos and card to managers, the shop told."""
    notifier = Notifier(uow, ctx)
    customer = return_.customer
    t = await notifier.translator_for(customer, return_.order)
    category = categorize(await uow.history.of_customer(customer.id))
    text = texts.submitted(t, return_, ctx.return_address, ctx.templates, category)
    await notifier.to_customer(customer, text, order=return_.order)
    await post_card(uow, ctx, return_)
    notifier.return_event(return_, ShopEvent.return_requested, reason=return_.reason)
    await review.schedule(uow, ctx, return_)


async def post_card(uow: UnitOfWork, ctx: ServiceContext, return_: Return) -> None:
    """The photos (an album when there are several) and the card under them."""
    chat_id = ctx.manager_chat_id
    if chat_id is None:
        return
    notifier = Notifier(uow, ctx)
    caption = return_number(return_.id)
    photos = [photo.file_id for photo in return_.photos]
    order, return_id = return_.order, return_.id
    if len(photos) == 1:
        notifier.queue_call(
            "sendPhoto",
            chat_id,
            {"photo": photos[0], "caption": caption},
            order=order,
            return_id=return_id,
        )
    elif photos:
        media = [{"type": "photo", "media": file_id} for file_id in photos]
        media[0]["caption"] = caption
        notifier.queue_call(
            "sendMediaGroup", chat_id, {"media": media}, order=order, return_id=return_id
        )
    notifier.queue_call(
        "sendMessage",
        chat_id,
        await card_text(uow, ctx, return_),
        purpose=MessagePurpose.return_card,
        order=order,
        return_id=return_id,
    )


async def refresh_card(uow: UnitOfWork, ctx: ServiceContext, return_: Return) -> None:
    """Edit the card where it is; the worker finds the message when it sends the edit."""
    if ctx.manager_chat_id is None:
        return
    Notifier(uow, ctx).queue_call(
        "editMessageText",
        ctx.manager_chat_id,
        await card_text(uow, ctx, return_),
        purpose=MessagePurpose.edit_return_card,
        order=return_.order,
        return_id=return_.id,
    )


async def announce_move(
    uow: UnitOfWork,
    ctx: ServiceContext,
    return_: Return,
    previous: ReturnStatus,
    *,
    note: str | None = None,
    event: ShopEvent | None = None,
    tell_shop: bool = True,
) -> None:
    """After a move: the customer is told in their language, the card edited, the shop told
    (``return.<status>`` unless ``event`` names it otherwise; not when the shop made the move).
    """
    notifier = Notifier(uow, ctx)
    status = ReturnStatus(return_.status)
    await _tell_customer(notifier, return_, previous, status, note)
    await refresh_card(uow, ctx, return_)
    if tell_shop:
        notifier.return_event(return_, event or return_event(status), **shop_details(return_, note))


def shop_details(return_: Return, note: str | None) -> dict[str, Any]:
    """What the shop's webhook carries beside the status: the words said, the parcel, the money."""
    details: dict[str, Any] = {}
    if note:
        details["comment"] = note
    status = ReturnStatus(return_.status)
    if status in (ReturnStatus.shipped, ReturnStatus.received):
        details.update(carrier=return_.carrier, waybill=return_.waybill)
    if status is ReturnStatus.refunded and return_.refund_amount is not None:
        details.update(
            refund_amount=f"{return_.refund_amount:.2f}", currency=return_.order.currency
        )
    return details


async def _tell_customer(
    notifier: Notifier,
    return_: Return,
    previous: ReturnStatus,
    status: ReturnStatus,
    note: str | None,
) -> None:
    customer = return_.customer
    t = await notifier.translator_for(customer, return_.order)
    markup = None
    if status is ReturnStatus.approved:
        ctx = notifier.ctx
        category = categorize(await notifier.uow.history.of_customer(customer.id))
        where = texts.where_to_send(t, return_, ctx.return_address, ctx.templates, category)
        text = updates.approved(t, return_, where)
        markup = answer_prompt(t.gettext(updates.WAYBILL_PLACEHOLDER))
    elif status is ReturnStatus.info_requested:
        text = updates.question(t, return_, note or "")
        markup = answer_prompt(t.gettext(updates.ANSWER_PLACEHOLDER))
    elif status is ReturnStatus.rejected:
        after = previous is ReturnStatus.received
        text = updates.rejected(t, return_, note or "", after_inspection=after)
    elif status is ReturnStatus.received:
        text = updates.received(t, return_)
    elif status is ReturnStatus.accepted:
        text = updates.accepted(t, return_)
    elif status is ReturnStatus.refunded and return_.refund_amount is not None:
        text = updates.refunded(t, return_, return_.refund_amount)
    elif status is ReturnStatus.cancelled:
        text = updates.cancelled(t, return_)
    else:  # requested again (they answered), shipped (they gave the waybill): they know
        return
    await notifier.to_customer(customer, text, markup=markup, order=return_.order)
