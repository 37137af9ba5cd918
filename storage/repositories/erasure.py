"""Erasing one customer's personal data from every table (the rows stay, anonymised).

Bulk statements, no commit: the service that erases opens the unit of work and commits once.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.returns import ReturnStatus
from storage.models import (
    AuditEntry,
    ChatPreference,
    CustomerNote,
    Feedback,
    FsmRecord,
    Order,
    OrderEvent,
    OutboxMessage,
    OutreachMessage,
    Return,
    ReturnEvent,
    ReturnPhoto,
    Shipment,
    Timer,
)
from storage.repositories.outbox import EVENT_CHANNELS

REFUNDED = ReturnStatus.refunded.value
# Keys of a webhook body that may carry the customer's own words.
FREE_TEXT_KEYS = ("comment", "reason_text", "exchange_wish")


class ErasureRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def refund_details_due(self, before: datetime, limit: int) -> list[int]:
        """Returns refunded before ``before`` that still hold an IBAN or a holder's name."""
        query = (
            select(Return.id)
            .join(ReturnEvent, ReturnEvent.return_id == Return.id)
            .where(
                Return.status == REFUNDED,
                ReturnEvent.to_status == REFUNDED,
                ReturnEvent.occurred_at < before,
                or_(Return.iban.is_not(None), Return.account_holder.is_not(None)),
            )
            .distinct()
            .order_by(Return.id)
            .limit(limit)
        )
        return list((await self._session.scalars(query)).all())

    async def erase_refund_details(self, return_ids: Sequence[int]) -> int:
        if not return_ids:
            return 0
        await self._session.execute(
            update(Return).where(Return.id.in_(return_ids)).values(iban=None, account_holder=None)
        )
        return len(return_ids)

    async def order_ids(self, customer_id: int) -> list[int]:
        query = select(Order.id).where(Order.customer_id == customer_id).order_by(Order.id)
        return list((await self._session.scalars(query)).all())

    async def return_ids(self, customer_id: int) -> list[int]:
        query = select(Return.id).where(Return.customer_id == customer_id).order_by(Return.id)
        return list((await self._session.scalars(query)).all())

    async def anonymise_orders(
        self, customer_id: int, order_ids: Sequence[int], *, placeholder: str, now: datetime
    ) -> None:
        """Names, addresses, the customer's words and their chat go; amounts, statuses and
        history (what statistics count) stay. Old links to the chat stop working."""
        for order_id in order_ids:
            await self._session.execute(
                update(Order)
                .where(Order.id == order_id)
                .values(
                    recipient_name=placeholder,
                    point=None,
                    address=None,
                    cancel_comment=None,
                    card_chat_id=None,
                    card_message_id=None,
                    # A new secret nobody knows: the old link (and any guess) opens nothing.
                    link_token=secrets.token_urlsafe(32),
                    # The Viber/SMS short links lead nowhere either.
                    short_code=None,
                    short_code_at=None,
                    updated_at=now,
                )
            )
        if not order_ids:
            return
        await self._session.execute(
            update(OrderEvent).where(OrderEvent.order_id.in_(order_ids)).values(comment=None)
        )
        await self._session.execute(
            update(Shipment).where(Shipment.order_id.in_(order_ids)).values(point=None)
        )
        await self._session.execute(
            update(Feedback).where(Feedback.customer_id == customer_id).values(comment=None)
        )
        # What the Viber/SMS provider said stays out; the messages' counts and costs stay.
        await self._session.execute(
            update(OutreachMessage)
            .where(OutreachMessage.order_id.in_(order_ids))
            .values(detail=None)
        )
        # Their outbox rows go (below): a message that had not left never will, and cost nothing.
        await self._session.execute(
            update(OutreachMessage)
            .where(OutreachMessage.order_id.in_(order_ids), OutreachMessage.state == "queued")
            .values(state="skipped", skip_reason="not_needed", cost=0, final_at=now)
        )
        # Nothing more is said to nobody about these orders: reminders and escalations stop.
        await self._session.execute(
            update(Timer)
            .where(Timer.order_id.in_(order_ids), Timer.done_at.is_(None))
            .values(done_at=now)
        )

    async def forget_actor(self, order_ids: Sequence[int], telegram_id: int) -> None:
        """The customer's Telegram id where it names them as the one who acted."""
        if order_ids:
            await self._session.execute(
                update(OrderEvent)
                .where(OrderEvent.order_id.in_(order_ids), OrderEvent.actor_id == telegram_id)
                .values(actor_id=None)
            )

    async def anonymise_returns(self, return_ids: Sequence[int], telegram_id: int | None) -> None:
        if not return_ids:
            return
        await self._session.execute(
            update(Return)
            .where(Return.id.in_(return_ids))
            .values(
                iban=None,
                account_holder=None,
                reason_text=None,
                comment=None,
                exchange_wish=None,
                manager_note=None,
            )
        )
        await self._session.execute(
            update(ReturnEvent).where(ReturnEvent.return_id.in_(return_ids)).values(comment=None)
        )
        if telegram_id is not None:
            await self._session.execute(
                update(ReturnEvent)
                .where(ReturnEvent.return_id.in_(return_ids), ReturnEvent.actor_id == telegram_id)
                .values(actor_id=None, actor_name=None)
            )
        await self._session.execute(
            delete(ReturnPhoto).where(ReturnPhoto.return_id.in_(return_ids))
        )

    async def forget_notes_and_audit(self, customer_id: int, order_ids: Sequence[int]) -> None:
        """Managers' notes are about the person: they go. The audit log keeps who did what,
        without the words (a blacklist reason, a note's text)."""
        await self._session.execute(
            delete(CustomerNote).where(CustomerNote.customer_id == customer_id)
        )
        condition = AuditEntry.customer_id == customer_id
        if order_ids:
            condition = or_(condition, AuditEntry.order_id.in_(order_ids))
        await self._session.execute(update(AuditEntry).where(condition).values(detail=None))

    async def forget_chat(self, telegram_id: int) -> None:
        """The chat's language choice and conversation state (a return half-way through)."""
        await self._session.execute(
            delete(ChatPreference).where(ChatPreference.telegram_id == telegram_id)
        )
        # Keys are "bot:chat:user:…": a private chat's id is the user's id.
        marker = f":{telegram_id}:"
        await self._session.execute(
            delete(FsmRecord).where(FsmRecord.key.contains(marker, autoescape=True))
        )

    async def forget_messages(
        self,
        customer_id: int,
        order_ids: Sequence[int],
        return_ids: Sequence[int],
        telegram_id: int | None,
    ) -> None:
        """Messages to or about the customer (their chat, the managers' cards, with the name and
        phone) go, sent or not. The shop's events stay (sent to its webhook or only recorded for
        GET /api/v1/events), without the customer's words: the shop still learns how its orders
        moved."""
        about = [OutboxMessage.customer_id == customer_id]
        if order_ids:
            about.append(OutboxMessage.order_id.in_(order_ids))
        if return_ids:
            about.append(OutboxMessage.return_id.in_(return_ids))
        if telegram_id is not None:
            about.append(OutboxMessage.chat_id == telegram_id)
        await self._session.execute(
            delete(OutboxMessage).where(or_(*about), OutboxMessage.channel.not_in(EVENT_CHANNELS))
        )
        hooks = await self._session.scalars(
            select(OutboxMessage).where(or_(*about), OutboxMessage.channel.in_(EVENT_CHANNELS))
        )
        for row in hooks.all():
            row.payload = scrubbed(row.payload)


def scrubbed(payload: dict[str, Any]) -> dict[str, Any]:
    body = payload.get("body")
    if not isinstance(body, dict):
        return payload
    clean = {key: (None if key in FREE_TEXT_KEYS else value) for key, value in body.items()}
    return {**payload, "body": clean}
