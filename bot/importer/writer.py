"""Storing a batch of past orders in one transaction, as the live bot would have stored them.

Per order: its customer (found by phone, else created with the row's name; a known customer's
name and Telegram link are left alone), the order with its outcome, its history
(:mod:`bot.importer.timeline`) and, for a refusal with a reason, the customer's feedback.
Orders whose ``external_id`` is already stored are skipped, so importing again changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.domain.feedback import FeedbackKind
from bot.domain.links import new_link_token
from bot.domain.orders import EventSource, OrderStatus
from bot.importer.rows import HistoricalOrder
from bot.importer.timeline import Step, refusal, steps
from storage.uow import Database, UnitOfWork

BATCH_SIZE = 2000
ATTEMPTS = 3  # a batch that lost a race with the running bot (same phone or order) starts over


@dataclass(frozen=True)
class BatchResult:
    imported: int
    present: int  # already in the database: skipped


async def write_batch(db: Database, orders: Sequence[HistoricalOrder]) -> BatchResult:
    """Store ``orders`` (distinct external ids) that are not stored yet, all or none."""
    for _ in range(ATTEMPTS):
        async with db.uow() as uow:
            try:
                result = await _write(uow, orders)
                await uow.commit()
            except IntegrityError:
                await uow.rollback()
                continue
            return result
    raise RuntimeError("a batch of orders kept conflicting with concurrent writes")


async def _write(uow: UnitOfWork, orders: Sequence[HistoricalOrder]) -> BatchResult:
    known = await uow.imports.known_external_ids({order.external_id for order in orders})
    fresh = [order for order in orders if order.external_id not in known]
    if not fresh:
        return BatchResult(imported=0, present=len(orders))
    customers = await _customers(uow, fresh)
    order_ids = await uow.imports.add_orders(
        [_order_row(order, customers[order.phone]) for order in fresh]
    )
    events: list[dict[str, Any]] = []
    feedback: list[dict[str, Any]] = []
    for order in fresh:
        order_id = order_ids[order.external_id]
        events.extend(_event_row(order_id, step) for step in steps(order))
        told = refusal(order)
        if told is not None:
            feedback.append(
                {
                    "order_id": order_id,
                    "customer_id": customers[order.phone],
                    "kind": FeedbackKind.refusal.value,
                    "value": told.reason.value,
                    "comment": told.comment,
                    "created_at": order.finished_at,
                }
            )
    await uow.imports.add_events(events)
    await uow.imports.add_feedback(feedback)
    return BatchResult(imported=len(fresh), present=len(orders) - len(fresh))


async def _customers(uow: UnitOfWork, orders: Sequence[HistoricalOrder]) -> dict[str, int]:
    """Phone → customer id; new customers get the name of their first row, and the date of
    their earliest order as the day they became customers."""
    ids = await uow.imports.customer_ids({order.phone for order in orders})
    new: dict[str, dict[str, Any]] = {}
    for order in orders:
        if order.phone in ids:
            continue
        row = new.get(order.phone)
        if row is None:
            new[order.phone] = {
                "phone": order.phone,
                "name": order.name,
                "created_at": order.created_at,
                "updated_at": order.created_at,
            }
        elif order.created_at < row["created_at"]:
            row["created_at"] = row["updated_at"] = order.created_at
    ids.update(await uow.imports.add_customers(list(new.values())))
    return ids


def _order_row(order: HistoricalOrder, customer_id: int) -> dict[str, Any]:
    cancelled = order.status is OrderStatus.cancelled
    return {
        "external_id": order.external_id,
        "customer_id": customer_id,
        "recipient_name": order.name,
        "status": order.status.value,
        "total": order.total,
        "currency": order.currency,
        "payment": order.payment.value,
        "carrier": order.carrier.value,
        "city": order.city,
        "language": None,
        "link_token": new_link_token(),
        "shop_created_at": order.created_at,
        "created_at": order.created_at,
        "updated_at": order.finished_at,
        "cancel_comment": order.comment if cancelled else None,
    }


def _event_row(order_id: int, step: Step) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "kind": step.kind.value,
        "from_status": step.from_status.value if step.from_status else None,
        "to_status": step.to_status.value if step.to_status else None,
        "source": EventSource.shop.value,
        "reason": step.reason,
        "comment": step.comment,
        "occurred_at": step.at,
    }
