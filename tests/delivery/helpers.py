"""Put orders and outbox rows into the database the way services do."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from storage.models import Customer, Order, OutboxMessage
from storage.repositories.outbox import TELEGRAM, WEBHOOK
from storage.uow import Database


async def add_order(db: Database, *, telegram_id: int, external_id: str = "A-1") -> int:
    async with db.uow() as uow:
        now = uow.clock.now()
        customer = Customer(
            phone=f"+380{telegram_id:09d}",
            name="Test Customer",
            telegram_id=telegram_id,
            created_at=now,
            updated_at=now,
        )
        order = Order(
            external_id=external_id,
            customer=customer,
            recipient_name=customer.name,
            status="new",
            total=Decimal("900.00"),
            currency="UAH",
            payment="cod",
            carrier="nova_poshta",
            city="Kyiv",
            link_token=secrets.token_urlsafe(16),
            created_at=now,
            updated_at=now,
        )
        uow.orders.add(order)
        await uow.orders.flush()
        order_id = order.id
        await uow.commit()
    return order_id


async def queue_texts(db: Database, chat_id: int, *texts: str) -> list[int]:
    """One committed transaction queueing ``sendMessage`` rows for ``chat_id``."""
    return await queue(
        db,
        *[
            ("sendMessage", chat_id, {"chat_id": chat_id, "text": text}, None, None)
            for text in texts
        ],
    )


async def queue(
    db: Database, *rows: tuple[str, int | None, dict[str, Any], str | None, int | None]
) -> list[int]:
    """``(method, chat_id, payload, purpose, order_id)`` rows, queued in one transaction."""
    async with db.uow() as uow:
        messages = [
            uow.outbox.add(
                channel=TELEGRAM,
                method=method,
                payload=payload,
                now=uow.clock.now(),
                chat_id=chat_id,
                purpose=purpose,
                order_id=order_id,
            )
            for method, chat_id, payload, purpose, order_id in rows
        ]
        await uow.session.flush()
        ids = [message.id for message in messages]
        await uow.commit()
    return ids


async def queue_webhooks(
    db: Database, url: str, order_id: int, *bodies: dict[str, Any]
) -> list[int]:
    async with db.uow() as uow:
        messages = [
            uow.outbox.add(
                channel=WEBHOOK,
                method="POST",
                payload={"url": url, "body": body},
                now=uow.clock.now(),
                order_id=order_id,
                purpose="shop_event",
            )
            for body in bodies
        ]
        await uow.session.flush()
        ids = [message.id for message in messages]
        await uow.commit()
    return ids


async def outbox(db: Database) -> dict[int, OutboxMessage]:
    async with db.uow() as uow:
        rows = (await uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    return {row.id: row for row in rows}


async def order(db: Database, order_id: int) -> Order:
    async with db.uow() as uow:
        found = await uow.orders.get(order_id)
    assert found is not None
    return found
