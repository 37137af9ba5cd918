"""The schema. Change it only together with an Alembic migration."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    FetchedValue,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = Numeric(12, 2, asdecimal=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}  # noqa: RUF012


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    telegram_username: Mapped[str | None] = mapped_column(String(64))
    telegram_language: Mapped[str | None] = mapped_column(String(16))
    unreachable_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # The last manual blacklist or unblock (the automatic rule is computed, never stored).
    blacklist_state: Mapped[str | None] = mapped_column(String(16), index=True)
    blacklist_reason: Mapped[str | None] = mapped_column(Text)
    blacklist_changed_at: Mapped[datetime | None]
    blacklist_changed_by: Mapped[int | None] = mapped_column(BigInteger)
    blacklist_changed_by_name: Mapped[str | None] = mapped_column(String(200))
    unblock_refusals: Mapped[int | None] = mapped_column(Integer)
    # Erased on request (vykup forget, /forget, DELETE /api/v1/customers/{phone}): the phone is a
    # placeholder, the name and Telegram link are gone; the orders stay, anonymised.
    erased_at: Mapped[datetime | None]
    # Only with ERASED_PHONE_HASH_SALT: HMAC-SHA256 of the erased phone, so that a refuser who
    # orders again gets their history back (README, "Personal data": still personal data).
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # The customer said STOP to Viber/SMS (the web page's button, /stop in the bot, an admin's
    # /nosms): no more outreach until an admin's /sms lifts it. ``by``: web, bot or admin:<id>.
    outreach_stopped_at: Mapped[datetime | None]
    outreach_stopped_by: Mapped[str | None] = mapped_column(String(64))

    orders: Mapped[list[Order]] = relationship(back_populates="customer")

    @property
    def linked(self) -> bool:
        return self.telegram_id is not None

    @property
    def reachable(self) -> bool:
        return self.telegram_id is not None and self.unreachable_at is None


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    # The name the shop sent with this order: a relative's order must not rename the others.
    recipient_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    total: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    payment: Mapped[str] = mapped_column(String(16))
    carrier: Mapped[str] = mapped_column(String(32))
    city: Mapped[str] = mapped_column(String(120))
    point: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    language: Mapped[str | None] = mapped_column(String(8))
    link_token: Mapped[str] = mapped_column(String(64), unique=True)
    # The connected platform the order came from (``vykup connect``): it hears what happens.
    connection_id: Mapped[int | None] = mapped_column(
        ForeignKey("connections.id", ondelete="SET NULL")
    )
    shop_created_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(index=True)
    updated_at: Mapped[datetime]
    cancel_reason: Mapped[str | None] = mapped_column(String(16))
    cancel_comment: Mapped[str | None] = mapped_column(Text)
    card_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    card_message_id: Mapped[int | None] = mapped_column(BigInteger)
    card_queued_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    call_taken_by: Mapped[int | None] = mapped_column(BigInteger)
    call_taken_by_name: Mapped[str | None] = mapped_column(String(200))
    # The customer's rating when the order came in, and what the managers decided about it.
    risk_level: Mapped[str | None] = mapped_column(String(16))
    risk_score: Mapped[int | None] = mapped_column(Integer)
    risk_decision: Mapped[str | None] = mapped_column(String(16))
    risk_decided_by_name: Mapped[str | None] = mapped_column(String(200))
    risk_decided_at: Mapped[datetime | None]
    risk_handler_id: Mapped[int | None] = mapped_column(BigInteger)
    risk_handler_name: Mapped[str | None] = mapped_column(String(200))
    # The short code of the order's Viber/SMS links (<PUBLIC_URL>/p/<code>, /t/<code>), made
    # with its first message; the page link works WEB_LINK_VALID from ``short_code_at``.
    short_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    short_code_at: Mapped[datetime | None]
    # The pickup point: the parcel's weight (kg) when the shop sent it, the carrier's id of the
    # point once known, what the check after intake found (bot.domain.pickup_points.PointCheck),
    # and, once the customer chose another point, the point the shop had sent.
    weight: Mapped[Decimal | None] = mapped_column(Numeric(10, 3, asdecimal=True))
    point_ref: Mapped[str | None] = mapped_column(String(36))
    point_check: Mapped[str | None] = mapped_column(String(16), index=True)
    shop_point: Mapped[str | None] = mapped_column(String(200))
    point_changed_at: Mapped[datetime | None]

    customer: Mapped[Customer] = relationship(back_populates="orders", lazy="joined")
    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", order_by="OrderItem.position", lazy="selectin"
    )
    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", order_by="OrderEvent.id", lazy="raise"
    )

    __table_args__ = (
        # A customer's orders by status (the rating, the category); the whole table by status
        # and customer without reading its rows (the blacklist, the riskiest customers).
        Index("ix_orders_customer_id_status", "customer_id", "status"),
        Index("ix_orders_status_customer_id", "status", "customer_id"),
        # The shop's "orders changed since" list, page by page (GET /api/v1/orders).
        Index("ix_orders_updated_at_id", "updated_at", "id"),
    )


class OrderItem(Base):
    __tablename__ = "order_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(Integer)
    price: Mapped[Decimal] = mapped_column(Money)
    returnable: Mapped[bool] = mapped_column(Boolean, default=True)

    order: Mapped[Order] = relationship(back_populates="items")


class OrderEvent(Base):
    """The order's history: status changes and other things that happened to it."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str | None] = mapped_column(Text)
    occurred_at: Mapped[datetime]

    order: Mapped[Order] = relationship(back_populates="events")

    __table_args__ = (
        # /stats and the digest look up status changes by kind, target and time.
        Index("ix_order_events_kind_to_status_at", "kind", "to_status", "occurred_at"),
        # One order's history; the rating asks when each parcel reached its outcome.
        Index("ix_order_events_order_id_kind", "order_id", "kind", "to_status", "occurred_at"),
    )


class OutboxMessage(Base):
    """A message waiting to be delivered: to Telegram or to the shop's webhook."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]]
    purpose: Mapped[str | None] = mapped_column(String(32))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    # A message about a return (its card in the managers' chat is edited as the return moves).
    return_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    sent_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # The writing transaction (PostgreSQL: its id, set by the database; SQLite: 0, where writers
    # take turns and ids follow commits). The shop's events are listed by (tx, id): see
    # OutboxRepository.events_after.
    tx: Mapped[int] = mapped_column(BigInteger, server_default=FetchedValue())

    __table_args__ = (
        Index("ix_outbox_state_id", "state", "id"),
        Index("ix_outbox_state_chat_id", "state", "chat_id", "id"),
        # An order's webhook lane (and its history): without it, every lane read scans the queue.
        Index("ix_outbox_order_id_id", "order_id", "id"),
        Index("ix_outbox_tx_id", "tx", "id"),
    )


class Timer(Base):
    """Something to do later about an order; lives here so that restarts neither lose nor repeat it."""

    __tablename__ = "timers"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    due_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("kind", "order_id", name="uq_timers_kind_order"),
        # Only the timers still to run: the ones that ran (nearly all of them) are never looked up.
        Index(
            "ix_timers_pending_due_at",
            "due_at",
            "id",
            sqlite_where=text("done_at IS NULL"),
            postgresql_where=text("done_at IS NULL"),
        ),
    )


class FsmRecord(Base):
    """Where a person is in a conversation (aiogram FSM), so it survives a restart."""

    __tablename__ = "fsm_states"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(100))
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class ChatPreference(Base):
    """What a Telegram user chose for themselves (/language), linked to a customer or not."""

    __tablename__ = "chat_preferences"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str | None] = mapped_column(String(8))
    updated_at: Mapped[datetime]


class Shipment(Base):
    """A parcel on its way: the waybill, where it is, and until when it waits for free."""

    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    carrier: Mapped[str] = mapped_column(String(32))
    tracking_number: Mapped[str] = mapped_column(String(40), unique=True)
    status: Mapped[str | None] = mapped_column(String(20), index=True)
    point: Mapped[str | None] = mapped_column(String(300))
    expected_delivery: Mapped[date | None] = mapped_column(Date)
    paid_storage_from: Mapped[date | None] = mapped_column(Date)
    cod_amount: Mapped[Decimal | None] = mapped_column(Money)
    can_extend_storage: Mapped[bool | None] = mapped_column(Boolean)
    arrived_at: Mapped[datetime | None]
    final_at: Mapped[datetime | None]
    last_event_at: Mapped[datetime | None]
    unreachable_alerted_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    order: Mapped[Order] = relationship(lazy="joined")


class ShipmentEvent(Base):
    """Each shipment status is taken once: a repeated or late event changes nothing."""

    __tablename__ = "shipment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(16))
    carrier_code: Mapped[str | None] = mapped_column(String(16))
    occurred_at: Mapped[datetime]
    recorded_at: Mapped[datetime]

    __table_args__ = (
        UniqueConstraint("shipment_id", "status", name="uq_shipment_events_status"),
        # The digest lists the refusals learnt since the previous digest.
        Index("ix_shipment_events_status_recorded_at", "status", "recorded_at"),
    )


class Feedback(Base):
    """What a customer told us about an order: a rating, why they refused, why they can't pick up."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("order_id", "kind", name="uq_feedback_order_kind"),)


class StorageExtension(Base):
    """A customer's request to keep a waiting parcel longer: the carrier's offer and what became
    of it. ``state``: offered → ordering → ordered | failed, or offered → declined. A row in
    ``ordering`` is the claim that lets one confirmation, and only one, order it."""

    __tablename__ = "storage_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(12))
    last_free_day: Mapped[date] = mapped_column(Date)
    cost: Mapped[Decimal | None] = mapped_column(Money)
    carrier_reference: Mapped[str | None] = mapped_column(String(40))
    carrier_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]


class JobRun(Base):
    """When a daily job (the managers' digest …) last ran, so a restart neither skips nor repeats it."""

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_run_at: Mapped[datetime]


class Incident(Base):
    """Something a person must fix (the shop's endpoint refusing deliveries …), one row a kind:
    open while ``resolved_at`` is None, so the managers hear of it once and once more when it
    clears."""

    __tablename__ = "incidents"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    opened_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    occurrences: Mapped[int] = mapped_column(Integer, default=1)
    detail: Mapped[str | None] = mapped_column(Text)


class CustomerFlag(Base):
    """A manager's mark on a customer (rude, fraud, wrong address); each kind once."""

    __tablename__ = "customer_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    flag: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int] = mapped_column(BigInteger)
    actor_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("customer_id", "flag", name="uq_customer_flags_flag"),)


class CustomerNote(Base):
    __tablename__ = "customer_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int] = mapped_column(BigInteger)
    actor_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class AuditEntry(Base):
    """Who did what, when: every admin action, from a command or a button."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(BigInteger)
    actor_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), index=True
    )
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(index=True)


class Return(Base):
    """A customer's request to send items back, from the chat to the refund.

    Its number is derived from the id (``R-000123``); the parcel back is tracked on the return
    itself (carrier, waybill, what the carrier last said).
    """

    __tablename__ = "returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    reason_text: Mapped[str | None] = mapped_column(Text)  # the customer's words for "other"
    comment: Mapped[str | None] = mapped_column(Text)
    resolution: Mapped[str] = mapped_column(String(16))
    iban: Mapped[str | None] = mapped_column(String(34))
    account_holder: Mapped[str | None] = mapped_column(String(200))
    exchange_wish: Mapped[str | None] = mapped_column(Text)
    carrier: Mapped[str | None] = mapped_column(String(32))
    waybill: Mapped[str | None] = mapped_column(String(40), index=True)
    parcel_status: Mapped[str | None] = mapped_column(String(20))
    refund_amount: Mapped[Decimal | None] = mapped_column(Money)
    manager_note: Mapped[str | None] = mapped_column(Text)  # why rejected, what was asked
    decided_by_name: Mapped[str | None] = mapped_column(String(200))
    card_message_id: Mapped[int | None] = mapped_column(BigInteger)
    waiting_since: Mapped[datetime | None]  # waiting on a manager since (RETURN_REVIEW_SLA)
    announced_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    order: Mapped[Order] = relationship(lazy="joined")
    customer: Mapped[Customer] = relationship(lazy="joined")
    items: Mapped[list[ReturnItem]] = relationship(
        back_populates="return_", order_by="ReturnItem.id", lazy="selectin"
    )
    photos: Mapped[list[ReturnPhoto]] = relationship(
        back_populates="return_", order_by="ReturnPhoto.position", lazy="selectin"
    )


class ReturnItem(Base):
    __tablename__ = "return_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id", ondelete="CASCADE"), index=True)
    order_item_id: Mapped[int] = mapped_column(ForeignKey("order_items.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)

    return_: Mapped[Return] = relationship(back_populates="items")
    order_item: Mapped[OrderItem] = relationship(lazy="joined")


class ReturnPhoto(Base):
    """A photo the customer sent, kept as Telegram's file id (no copy unless RETURN_PHOTOS_DIR)."""

    __tablename__ = "return_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[str] = mapped_column(String(200))
    file_unique_id: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)

    return_: Mapped[Return] = relationship(back_populates="photos")


class ReturnEvent(Base):
    """A return's history: each move, who made it, and why."""

    __tablename__ = "return_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    actor_name: Mapped[str | None] = mapped_column(String(200))
    comment: Mapped[str | None] = mapped_column(Text)
    occurred_at: Mapped[datetime]


class Connection(Base):
    """A shop platform or CRM that Vykup is connected to (``vykup connect``)."""

    __tablename__ = "connections"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    platform: Mapped[str] = mapped_column(String(16))
    api_url: Mapped[str] = mapped_column(String(500))
    # The platform's API credentials and the secret its webhooks are signed with: never logged.
    credentials: Mapped[dict[str, Any]]
    signing_secret: Mapped[str | None] = mapped_column(String(200))
    # The last part of the connection's webhook address: long and random (KeyCRM signs nothing).
    key: Mapped[str] = mapped_column(String(64), unique=True)
    mapping: Mapped[dict[str, Any]]
    options: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(16), default="active")
    # Why calls to the platform stopped (its credentials were refused), while ``state`` says so.
    problem: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    last_received_at: Mapped[datetime | None]
    last_sent_at: Mapped[datetime | None]
    # The catch-up has read the platform's orders changed up to here (the platform's clock).
    caught_up_at: Mapped[datetime | None]
    # The address the webhooks were registered at (PUBLIC_URL may change later).
    registered_url: Mapped[str | None] = mapped_column(String(600))


class ConnectorOrder(Base):
    """A platform's order as Vykup knows it: which Vykup order it became, or why none."""

    __tablename__ = "connector_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("connections.id", ondelete="CASCADE"))
    remote_id: Mapped[str] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("orders.id", ondelete="SET NULL"), unique=True
    )
    # Why the platform's order was not taken in (no phone, paid online, cancelled before).
    skipped: Mapped[str | None] = mapped_column(String(16))
    # The platform's own modification time of the newest update applied: older ones are ignored.
    remote_updated_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("connection_id", "remote_id"),)


class OutreachMessage(Base):
    """One Viber/SMS message to a customer outside Telegram: what it was for, how it travelled,
    what it cost. A message that was due but did not go is a row too (``skipped``, and why)."""

    __tablename__ = "outreach_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(24))
    preference: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    skip_reason: Mapped[str | None] = mapped_column(String(16))
    # The channel it went by, once the provider says (a hybrid message: viber or the SMS fallback).
    channel: Mapped[str | None] = mapped_column(String(8))
    provider: Mapped[str] = mapped_column(String(16))
    provider_message_id: Mapped[str | None] = mapped_column(String(64))
    parts: Mapped[int] = mapped_column(Integer, default=0)  # SMS parts of its SMS text
    # What it costs: the most it may cost until the provider says which channel carried it.
    cost: Mapped[Decimal] = mapped_column(Numeric(12, 4, asdecimal=True))
    detail: Mapped[str | None] = mapped_column(Text)  # the provider's status or refusal, as said
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    checked_at: Mapped[datetime | None]
    final_at: Mapped[datetime | None]

    __table_args__ = (
        # A customer's messages of the last day (the daily limit), and the month's spending.
        Index("ix_outreach_messages_customer_id_created_at", "customer_id", "created_at"),
        Index("ix_outreach_messages_created_at", "created_at"),
        Index("ix_outreach_messages_state", "state"),
    )


class Stall(Base):
    """A parcel that stopped moving (bot.domain.stalls): found once per order and rule, announced
    once; open while ``cleared_at`` is None (the parcel moved again, or the rule was turned off)."""

    __tablename__ = "stalls"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(16))
    since: Mapped[datetime]  # when the state that lasts too long began
    found_at: Mapped[datetime]
    cleared_at: Mapped[datetime | None]
    taken_by: Mapped[int | None] = mapped_column(BigInteger)
    taken_by_name: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        UniqueConstraint("order_id", "rule", name="uq_stalls_order_rule"),
        # /stalled, the digest and each check read only the open ones, the oldest first.
        Index(
            "ix_stalls_open_since",
            "since",
            "id",
            sqlite_where=text("cleared_at IS NULL"),
            postgresql_where=text("cleared_at IS NULL"),
        ),
    )


class PickupCity(Base):
    """A city's pickup points as the carrier listed them at ``fetched_at`` (a daily cache)."""

    __tablename__ = "pickup_cities"

    id: Mapped[int] = mapped_column(primary_key=True)
    carrier: Mapped[str] = mapped_column(String(32))
    city: Mapped[str] = mapped_column(String(120))  # casefolded, spaces collapsed
    fetched_at: Mapped[datetime]

    points: Mapped[list[PickupPointRow]] = relationship(
        back_populates="city_row",
        order_by="PickupPointRow.id",
        lazy="selectin",
        cascade="all, delete-orphan",
    )

    __table_args__ = (UniqueConstraint("carrier", "city"),)


class PickupPointRow(Base):
    """One branch or parcel locker of a cached city (bot.domain.pickup_points.PickupPoint)."""

    __tablename__ = "pickup_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    city_id: Mapped[int] = mapped_column(
        ForeignKey("pickup_cities.id", ondelete="CASCADE"), index=True
    )
    ref: Mapped[str] = mapped_column(String(36))
    number: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(String(500))
    short_address: Mapped[str] = mapped_column(String(500))
    working: Mapped[bool] = mapped_column(Boolean)
    max_weight: Mapped[Decimal | None] = mapped_column(Numeric(10, 3, asdecimal=True))
    locker: Mapped[bool] = mapped_column(Boolean)

    city_row: Mapped[PickupCity] = relationship(back_populates="points")
