"""Queues what a use case wants said, in the unit of work's transaction (the outbox)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from aiogram.types import (
    ForceReply,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.domain.message_purposes import MessagePurpose
from bot.domain.orders import awaits_confirmation
from bot.domain.platform_events import PLATFORM_EVENTS
from bot.domain.returns import return_number
from bot.domain.shop_events import ShopEvent
from bot.i18n import Translator
from bot.keyboards.orders import confirm_keyboard
from bot.services.context import ServiceContext
from bot.services.languages import language_for
from bot.texts.orders import order_card
from bot.texts.platform_notes import link_notes, platform_note
from storage.models import Customer, Order, Return
from storage.repositories.outbox import PLATFORM, TELEGRAM, WEBHOOK
from storage.uow import UnitOfWork

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply


def markup_payload(markup: Markup | None) -> dict[str, Any] | None:
    return markup.model_dump(mode="json", exclude_none=True) if markup is not None else None


class Notifier:
    def __init__(self, uow: UnitOfWork, ctx: ServiceContext) -> None:
        self.uow = uow
        self.ctx = ctx

    async def translator_for(self, customer: Customer, order: Order | None = None) -> Translator:
        language = await language_for(
            self.uow,
            self.ctx,
            telegram_id=customer.telegram_id,
            telegram_language=customer.telegram_language,
            order=order,
        )
        return self.ctx.catalogs(language)

    @property
    def managers_translator(self) -> Translator:
        return self.ctx.catalogs(self.ctx.managers_language)

    def queue_call(
        self,
        method: str,
        chat_id: int,
        params: dict[str, Any],
        *,
        purpose: MessagePurpose | None = None,
        order: Order | None = None,
        customer_id: int | None = None,
        return_id: int | None = None,
    ) -> None:
        """Queue one Bot API call in this transaction (``None`` parameters are left out)."""
        payload = {"chat_id": chat_id, **{k: v for k, v in params.items() if v is not None}}
        self.uow.outbox.add(
            channel=TELEGRAM,
            method=method,
            payload=payload,
            now=self.uow.clock.now(),
            chat_id=chat_id,
            purpose=None if purpose is None else purpose.value,
            order_id=order.id if order else None,
            customer_id=customer_id
            if customer_id is not None
            else (order.customer_id if order else None),
            return_id=return_id,
        )

    async def order_card(self, order: Order) -> None:
        """Send the card with Confirm / Change / Cancel to a linked, reachable customer, once."""
        customer = order.customer
        if not customer.reachable or order.card_queued_at is not None:
            return
        t = await self.translator_for(customer, order)
        markup = self._confirm_keyboard(order, t)
        self.queue_call(
            "sendMessage",
            customer.telegram_id,  # type: ignore[arg-type]
            {
                "text": order_card(order, t),
                "parse_mode": "HTML",
                "reply_markup": markup_payload(markup),
            },
            purpose=MessagePurpose.order_card,
            order=order,
        )
        order.card_queued_at = self.uow.clock.now()

    def _confirm_keyboard(self, order: Order, t: Translator) -> InlineKeyboardMarkup | None:
        if not awaits_confirmation(order.status):
            return None
        return confirm_keyboard(order.id, t, change_point=self.ctx.can_change_point(order.carrier))

    async def card_update(
        self, order: Order, *, chat_id: int | None = None, message_id: int | None = None
    ) -> None:
        """Re-render the customer's card; the buttons stay only while it awaits confirmation.

        Without an explicit message the worker edits the card it recorded for the order.
        """
        customer = order.customer
        t = await self.translator_for(customer, order)
        markup = self._confirm_keyboard(order, t)
        params: dict[str, Any] = {
            "text": order_card(order, t),
            "parse_mode": "HTML",
            "reply_markup": markup_payload(markup),
        }
        if chat_id is not None and message_id is not None:
            self.queue_call(
                "editMessageText", chat_id, {"message_id": message_id, **params}, order=order
            )
        elif customer.telegram_id is not None:
            self.queue_call(
                "editMessageText",
                customer.telegram_id,
                params,
                purpose=MessagePurpose.edit_order_card,
                order=order,
            )

    async def to_customer(
        self,
        customer: Customer,
        text: str,
        *,
        markup: Markup | None = None,
        order: Order | None = None,
        silent: bool = False,
    ) -> None:
        if not customer.reachable:
            return
        self.queue_call(
            "sendMessage",
            customer.telegram_id,  # type: ignore[arg-type]
            {
                "text": text,
                "parse_mode": "HTML",
                "reply_markup": markup_payload(markup),
                "disable_notification": True if silent else None,
            },
            order=order,
            customer_id=customer.id,
        )

    def to_managers(
        self, text: str, *, markup: Markup | None = None, order: Order | None = None
    ) -> None:
        if self.ctx.manager_chat_id is None:
            return
        self.queue_call(
            "sendMessage",
            self.ctx.manager_chat_id,
            {"text": text, "parse_mode": "HTML", "reply_markup": markup_payload(markup)},
            order=order,
        )

    def to_operators(self, text: str) -> None:
        """What a person must fix (an incident): ALERTS_CHAT_ID, else the managers' chat."""
        chat_id = self.ctx.alerts_chat_id or self.ctx.manager_chat_id
        if chat_id is None:
            return
        self.queue_call("sendMessage", chat_id, {"text": text, "parse_mode": "HTML"})

    def edit_managers_message(
        self,
        message_id: int,
        text: str,
        *,
        markup: Markup | None = None,
        order: Order | None = None,
    ) -> None:
        if self.ctx.manager_chat_id is None:
            return
        self.queue_call(
            "editMessageText",
            self.ctx.manager_chat_id,
            {
                "message_id": message_id,
                "text": text,
                "parse_mode": "HTML",
                "reply_markup": markup_payload(markup),
            },
            order=order,
        )

    def shop_event(
        self,
        order: Order,
        event: ShopEvent,
        *,
        reason: str | None = None,
        comment: str | None = None,
        at: datetime | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        """Tell the shop what happened (signed by the worker); ``at``: when, if not just now
        (a carrier event learnt late); ``extra``: the fields only this event carries."""
        now = self.uow.clock.now()
        body = {
            "event": str(event),  # the plain name, as the wire carries it
            "external_id": order.external_id,
            "status": order.status,
            "reason": reason,
            "comment": comment,
            **(extra or {}),
            "occurred_at": (at or now).isoformat(),
            **(extra or {}),
        }
        self._event_for_shop(body, order_id=order.id, customer_id=order.customer_id)
        self._tell_platform(order, event, reason=reason, comment=comment)

    def return_event(self, return_: Return, event: ShopEvent, **extra: Any) -> None:
        """Tell the shop how a return moved (signed by the worker), like ``shop_event``."""
        now = self.uow.clock.now()
        body = {
            "event": str(event),  # the plain name, as the wire carries it
            "return": return_number(return_.id),
            "external_id": return_.order.external_id,
            "status": return_.status,
            **extra,
            "occurred_at": now.isoformat(),
        }
        self._event_for_shop(
            body,
            order_id=return_.order_id,
            customer_id=return_.customer_id,
            return_id=return_.id,
        )
        self._tell_platform(
            return_.order, event, return_number=return_number(return_.id), return_id=return_.id
        )

    async def platform_link(self, order: Order) -> None:
        """An order from a connected platform whose customer is not in the chat yet: its
        Telegram link goes onto the platform's order (WooCommerce e-mails it to the customer as a
        customer note; elsewhere the staff can send it). The link itself marks the note as sent."""
        if order.connection_id is None or order.customer.telegram_id is not None:
            return
        customer_t = await self.translator_for(order.customer, order)
        staff, customer = link_notes(self.managers_translator, customer_t, order.external_id)
        self.uow.outbox.add(
            channel=PLATFORM,
            method="link",
            payload={
                "connection": order.connection_id,
                "event": None,
                "note": staff,
                "customer_note": customer,
                "marker": self.ctx.deep_link(order.link_token),
            },
            now=self.uow.clock.now(),
            order_id=order.id,
            customer_id=order.customer_id,
        )

    def _tell_platform(
        self,
        order: Order,
        event: ShopEvent,
        *,
        reason: str | None = None,
        comment: str | None = None,
        return_number: str | None = None,
        return_id: int | None = None,
    ) -> None:
        """An order from a connected platform: queue the platform's update (its status, tag or
        note) in this transaction; the worker maps and sends it (``bot.delivery.platform_calls``)."""
        if order.connection_id is None or event not in PLATFORM_EVENTS:
            return
        note = platform_note(
            self.managers_translator,
            event,
            reason=reason,
            comment=comment,
            return_number=return_number,
        )
        self.uow.outbox.add(
            channel=PLATFORM,
            method=str(event),
            payload={"connection": order.connection_id, "event": str(event), "note": note},
            now=self.uow.clock.now(),
            order_id=order.id,
            customer_id=order.customer_id,
            return_id=return_id,
        )

    def _event_for_shop(
        self,
        body: dict[str, Any],
        *,
        order_id: int,
        customer_id: int,
        return_id: int | None = None,
    ) -> None:
        """Queue the event for the webhook; without SHOP_WEBHOOK_URL only record it, so that
        ``GET /api/v1/events`` lists it all the same (its id is the row's either way)."""
        now = self.uow.clock.now()
        if not self.ctx.webhook_url:
            self.uow.outbox.record_event(
                body=body,
                now=now,
                order_id=order_id,
                customer_id=customer_id,
                return_id=return_id,
            )
            return
        self.uow.outbox.add(
            channel=WEBHOOK,
            method="POST",
            payload={"url": self.ctx.webhook_url, "body": body},
            now=now,
            order_id=order_id,
            customer_id=customer_id,
            return_id=return_id,
        )
