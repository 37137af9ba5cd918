from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    case,
    delete,
    func,
    literal,
    literal_column,
    select,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.event_position import EventPosition
from bot.domain.retention import Bookkeeping
from storage.models import OutboxMessage
from storage.repositories.affected import rows_affected
from storage.signals import OUTBOX_WORK, note_queued

PENDING = "pending"
SENT = "sent"
FAILED = "failed"
# An event for the shop that no webhook carries (no SHOP_WEBHOOK_URL): kept only for the
# catch-up list, never picked up by the worker, deleted by housekeeping like a sent message.
RECORDED = "recorded"
TELEGRAM = "telegram"
WEBHOOK = "webhook"
# A call to a connected shop platform or CRM (``bot.delivery.platform_calls``): in order per order,
# like the shop's webhooks; a fetch of a platform order has no order yet and is a lane of its own.
PLATFORM = "platform"
# A Viber/SMS message to a customer outside Telegram (``bot.delivery.outreach_calls``): a lane
# of its own, paced as the provider allows.
OUTREACH = "outreach"
SHOP_EVENT = "shop_event"  # the channel of a recorded event
# The rows that are events for the shop, whether delivered by webhook or only recorded.
EVENT_CHANNELS = (WEBHOOK, SHOP_EVENT)


# Every transaction below this id has ended, as far as this database's writers go: the
# snapshot's next id, or its oldest still-open transaction unless pg_stat_activity shows that one
# belongs to another database (a backend's xid is the low 32 bits of the 64-bit one).
SETTLED_TRANSACTIONS = """(
    SELECT LEAST(
        pg_snapshot_xmax(snapshot)::text::bigint,
        (SELECT min(open::text::bigint) FROM pg_snapshot_xip(snapshot) AS open
         WHERE NOT EXISTS (
             SELECT 1 FROM pg_stat_activity AS backend
             WHERE backend.datname IS DISTINCT FROM current_database()
               AND backend.backend_xid::text::bigint = open::text::bigint % 4294967296)))
    FROM pg_current_snapshot() AS snapshot)"""


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def add(
        self,
        *,
        channel: str,
        method: str,
        payload: dict[str, Any],
        now: datetime,
        chat_id: int | None = None,
        purpose: str | None = None,
        order_id: int | None = None,
        customer_id: int | None = None,
        return_id: int | None = None,
    ) -> OutboxMessage:
        message = OutboxMessage(
            channel=channel,
            chat_id=chat_id,
            method=method,
            payload=payload,
            purpose=purpose,
            order_id=order_id,
            customer_id=customer_id,
            return_id=return_id,
            state=PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        self._session.add(message)
        note_queued(self._session.info, OUTBOX_WORK)
        return message

    def record_event(
        self,
        *,
        body: dict[str, Any],
        now: datetime,
        order_id: int | None = None,
        customer_id: int | None = None,
        return_id: int | None = None,
    ) -> OutboxMessage:
        """An event for the shop that no webhook carries: listed by ``events_after`` only.

        Not pending, so the worker never reads it (no URL to retry for ever); housekeeping
        deletes it ``DELIVERY_HISTORY_KEEP`` after it was recorded."""
        message = OutboxMessage(
            channel=SHOP_EVENT,
            chat_id=None,
            method="record",
            payload={"body": body},
            order_id=order_id,
            customer_id=customer_id,
            return_id=return_id,
            state=RECORDED,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        self._session.add(message)
        return message

    async def events_after(
        self, after: EventPosition, limit: int
    ) -> list[tuple[EventPosition, dict[str, Any]]]:
        """The shop's events past ``after`` in commit order: ``(position, body)``, delivered or not.

        A list read by cursor must never skip a row that commits late. On PostgreSQL ids are
        handed out when rows are written, not when they commit, so a transaction still open may
        yet commit a smaller id than one already listed. So events go by (writing transaction,
        id), and only those written by transactions older than every one still open are listed
        (read from the statement's own snapshot): whatever commits later has a larger
        transaction id and comes after them. Only this database's writers count — transaction
        ids are the server's, and another application's open transaction on a shared server must
        not hold the list back; one that cannot be placed counts, to be safe. A transaction left
        open in this database delays the list, never thins it. On SQLite writers take turns, so
        ids follow commits and ``tx`` is 0."""
        position = tuple_(OutboxMessage.tx, OutboxMessage.id)
        query = (
            select(OutboxMessage.tx, OutboxMessage.id, OutboxMessage.payload)
            .where(
                OutboxMessage.channel.in_(EVENT_CHANNELS),
                position > tuple_(literal(after.tx, BigInteger), literal(after.id, BigInteger)),
            )
            .order_by(OutboxMessage.tx, OutboxMessage.id)
            .limit(limit)
        )
        if self._session.get_bind().dialect.name == "postgresql":
            query = query.where(OutboxMessage.tx < literal_column(SETTLED_TRANSACTIONS))
        rows = (await self._session.execute(query)).all()
        return [(EventPosition(tx=row[0], id=row[1]), row[2]["body"]) for row in rows]

    async def pending(self, limit: int) -> Sequence[OutboxMessage]:
        """The oldest pending messages, in the order they were written."""
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.state == PENDING)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        return (await self._session.scalars(query)).all()

    async def due_heads(
        self, *, now: datetime, limit: int
    ) -> tuple[list[tuple[int, str, int | None, int | None, int]], datetime | None]:
        """The due heads of the delivery lanes, oldest first, and when the next head falls due.

        A lane is a Telegram chat or, for webhooks, an order; its head is its oldest pending row.
        Rows: ``(id, channel, chat_id, order_id, newest)``, ``newest`` the lane's newest pending row.
        """
        key = case(
            (OutboxMessage.channel.in_((WEBHOOK, PLATFORM)), OutboxMessage.order_id),
            (OutboxMessage.channel == TELEGRAM, OutboxMessage.chat_id),
            else_=None,
        )
        solo = case((key.is_(None), OutboxMessage.id), else_=None)
        heads = (
            select(
                func.min(OutboxMessage.id).label("id"), func.max(OutboxMessage.id).label("newest")
            )
            .where(OutboxMessage.state == PENDING)
            .group_by(OutboxMessage.channel, key, solo)
            .subquery()
        )
        due_query = (
            select(
                OutboxMessage.id,
                OutboxMessage.channel,
                OutboxMessage.chat_id,
                OutboxMessage.order_id,
                heads.c.newest,
            )
            .join(heads, OutboxMessage.id == heads.c.id)
            .where(OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        due = [tuple(row) for row in (await self._session.execute(due_query)).all()]
        next_query = (
            select(func.min(OutboxMessage.next_attempt_at))
            .join(heads, OutboxMessage.id == heads.c.id)
            .where(OutboxMessage.next_attempt_at > now)
        )
        return due, await self._session.scalar(next_query)

    async def fail_pending_for_chat(self, chat_id: int, *, error: str) -> int:
        """Give up on every pending Telegram row of a chat (it blocked the bot); return how many."""
        result = await self._session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.state == PENDING,
                OutboxMessage.channel == TELEGRAM,
                OutboxMessage.chat_id == chat_id,
            )
            .values(state=FAILED, last_error=error[:2000])
        )
        return rows_affected(result)

    async def get(self, message_id: int) -> OutboxMessage | None:
        return await self._session.get(OutboxMessage, message_id)

    async def pending_for_chat(self, chat_id: int) -> Sequence[OutboxMessage]:
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.state == PENDING, OutboxMessage.chat_id == chat_id)
            .where(OutboxMessage.channel == TELEGRAM)
            .order_by(OutboxMessage.id)
        )
        return (await self._session.scalars(query)).all()

    async def mark_sent(
        self,
        message_id: int,
        *,
        now: datetime,
        sent_message_id: int | None,
        note: str | None = None,
    ) -> None:
        """Delivered (or nothing left to do; ``note`` says why, e.g. "message is not modified").

        The worker marks rows it read in another session: there are no loaded rows to keep in
        step, so the ORM is spared looking for them (every delivered message passes here)."""
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(
                state=SENT,
                sent_at=now,
                sent_message_id=sent_message_id,
                attempts=OutboxMessage.attempts + 1,
                last_error=note[:2000] if note else None,
            )
            .execution_options(synchronize_session=False)
        )

    async def mark_failed(self, message_id: int, *, error: str) -> None:
        await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(state=FAILED, last_error=error[:2000], attempts=OutboxMessage.attempts + 1)
        )

    async def webhook_counts(self) -> tuple[int, int]:
        """Shop deliveries waiting, and failed."""
        query = select(
            func.count(OutboxMessage.id).filter(OutboxMessage.state == PENDING),
            func.count(OutboxMessage.id).filter(OutboxMessage.state == FAILED),
        ).where(OutboxMessage.channel == WEBHOOK)
        pending, failed = (await self._session.execute(query)).one()
        return int(pending), int(failed)

    async def requeue_failed_webhooks(self, *, now: datetime) -> int:
        """Failed shop deliveries back in the queue as if new (their give-up counts from now);
        each stays in its order's lane by id, so it goes before that order's later events."""
        result = await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.channel == WEBHOOK, OutboxMessage.state == FAILED)
            .values(state=PENDING, attempts=0, next_attempt_at=now, created_at=now)
        )
        count = rows_affected(result)
        if count:
            note_queued(self._session.info, OUTBOX_WORK)
        return count

    async def retry_later(
        self, message_id: int, *, at: datetime, error: str, count_attempt: bool = True
    ) -> None:
        values: dict[str, Any] = {"next_attempt_at": at, "last_error": error[:2000]}
        if count_attempt:
            values["attempts"] = OutboxMessage.attempts + 1
        await self._session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values)
        )

    async def depth(self) -> tuple[int, datetime | None]:
        """How many messages wait, and since when the oldest waits."""
        query = select(func.count(OutboxMessage.id), func.min(OutboxMessage.created_at)).where(
            OutboxMessage.state == PENDING
        )
        count, oldest = (await self._session.execute(query)).one()
        return int(count), oldest

    async def held_up(self, older_than: datetime) -> OutboxMessage | None:
        """The oldest Telegram message still waiting that was queued before ``older_than``
        (shop deliveries wait on the shop: their own incident tells of that)."""
        query = (
            select(OutboxMessage)
            .where(
                OutboxMessage.state == PENDING,
                OutboxMessage.channel == TELEGRAM,
                OutboxMessage.created_at < older_than,
            )
            .order_by(OutboxMessage.id)  # queued in id order: ix_outbox_state_id serves it
            .limit(1)
        )
        return (await self._session.execute(query)).scalar_one_or_none()

    async def pending_for_order(self, channel: str, order_id: int) -> Sequence[OutboxMessage]:
        query = (
            select(OutboxMessage)
            .where(OutboxMessage.state == PENDING, OutboxMessage.order_id == order_id)
            .where(OutboxMessage.channel == channel)
            .order_by(OutboxMessage.id)
        )
        return (await self._session.scalars(query)).all()

    async def all_for_order(self, order_id: int) -> Sequence[OutboxMessage]:
        query = select(OutboxMessage).where(OutboxMessage.order_id == order_id)
        return (await self._session.scalars(query.order_by(OutboxMessage.id))).all()

    async def oldest_after(self, after_id: int, limit: int) -> list[Bookkeeping]:
        """The next ``limit`` rows by id after ``after_id``, as housekeeping sees them.

        A sent row finished when it was sent, a failed one at its last attempt, a recorded
        event when it was recorded."""
        finished = case(
            (OutboxMessage.state == SENT, OutboxMessage.sent_at),
            (OutboxMessage.state == FAILED, OutboxMessage.next_attempt_at),
            (OutboxMessage.state == RECORDED, OutboxMessage.created_at),
            else_=None,
        )
        query = (
            select(OutboxMessage.id, OutboxMessage.created_at, finished)
            .where(OutboxMessage.id > after_id)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        rows = (await self._session.execute(query)).all()
        return [Bookkeeping(row[0], row[1], row[2]) for row in rows]

    async def delete_finished(self, ids: Sequence[int]) -> int:
        """Delete these rows if they are still sent, failed or recorded; return how many went."""
        if not ids:
            return 0
        result = await self._session.execute(
            delete(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.state.in_((SENT, FAILED, RECORDED)))
            .execution_options(synchronize_session=False)
        )
        return rows_affected(result)
