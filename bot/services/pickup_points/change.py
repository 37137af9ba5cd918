"""The customer chooses another pickup point for a new order ("Change the branch").

A search by number or street within the order's city, from the carrier's list (the daily cache);
the chosen point is looked up in that list again by its ref (a button is untrusted), stored on
the order with its ref, shown on the card and sent to the shop as ``order.delivery_changed``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.carriers.base import CarrierUnavailable
from bot.carriers.capabilities import PickupPoints
from bot.domain.errors import N_, DomainError
from bot.domain.order_events import OrderEventKind
from bot.domain.orders import EventSource
from bot.domain.pickup_points import (
    MAX_QUERY,
    PickupPoint,
    PointCheck,
    find_point,
    point_text,
    search,
    verdict,
)
from bot.domain.shop_events import ShopEvent
from bot.services.confirmation import _own_new_order, check_can_answer
from bot.services.context import ServiceContext
from bot.services.history import record
from bot.services.notifier import Notifier
from bot.services.people import TelegramUser
from bot.services.pickup_points.cache import city_points
from storage.models import Order
from storage.uow import Database


class PointsUnavailable(DomainError):
    message_key = N_(
        "Branches cannot be chosen here for this order. Please write to us what to change."
    )
    code = "points_unavailable"


class CarrierNotAnswering(DomainError):
    message_key = N_("The carrier is not answering right now. Please try again in a few minutes.")
    code = "carrier_not_answering"


class PointNotInList(DomainError):
    message_key = N_("This branch is not in the list any more. Please search again.")
    code = "point_not_in_list"


class EmptyPointQuery(DomainError):
    message_key = N_("Please write the branch number or the street, in one message.")
    code = "empty_point_query"


@dataclass(frozen=True)
class PointSearch:
    order: Order
    query: str
    found: list[PickupPoint]


def _source_for(
    order: Order, ctx: ServiceContext, sources: Mapping[str, PickupPoints]
) -> PickupPoints:
    source = sources.get(order.carrier)
    if source is None or not ctx.can_change_point(order.carrier):
        raise PointsUnavailable()
    return source


async def _points(db: Database, source: PickupPoints, city: str) -> list[PickupPoint]:
    try:
        return await city_points(db, source, city)
    except CarrierUnavailable as error:
        raise CarrierNotAnswering() from error


async def start_change(
    db: Database,
    ctx: ServiceContext,
    sources: Mapping[str, PickupPoints],
    order_id: int,
    user: TelegramUser,
) -> Order:
    """Raise unless this person may choose another point for this order now."""
    order = await check_can_answer(db, ctx, order_id, user)
    _source_for(order, ctx, sources)
    return order


async def search_points(
    db: Database,
    ctx: ServiceContext,
    sources: Mapping[str, PickupPoints],
    order_id: int,
    user: TelegramUser,
    query: str,
) -> PointSearch:
    query = " ".join((query or "").split())[:MAX_QUERY]
    if not query:
        raise EmptyPointQuery()
    order = await check_can_answer(db, ctx, order_id, user)
    points = await _points(db, _source_for(order, ctx, sources), order.city)
    return PointSearch(order, query, search(points, query, order.weight))


async def choose_point(
    db: Database,
    ctx: ServiceContext,
    sources: Mapping[str, PickupPoints],
    order_id: int,
    user: TelegramUser,
    ref: str,
) -> Order:
    """Store the point ``ref`` of the order's city on the order (looked up in the carrier's
    list: a forged or stale ref raises :class:`PointNotInList` and changes nothing)."""
    order = await check_can_answer(db, ctx, order_id, user)
    points = await _points(db, _source_for(order, ctx, sources), order.city)
    point = find_point(points, "", ref)
    if point is None or verdict(point, order.weight) is not PointCheck.ok:
        raise PointNotInList()
    async with db.uow() as uow:
        order = await _own_new_order(uow, order_id, user)
        if order.point_ref == point.ref and order.point_check == PointCheck.ok:
            return order  # pressed twice: already this point
        if order.point_changed_at is None:
            order.shop_point = order.point
        now = uow.clock.now()
        order.point = point_text(point)
        order.point_ref = point.ref
        order.point_check = PointCheck.ok.value
        order.point_changed_at = now
        order.updated_at = now
        record(
            uow,
            order,
            OrderEventKind.point_changed,
            source=EventSource.customer,
            actor_id=user.id,
            comment=f"{order.point} ({point.ref})",
        )
        notifier = Notifier(uow, ctx)
        if order.card_queued_at is not None:
            await notifier.card_update(order)
        notifier.shop_event(
            order,
            ShopEvent.order_delivery_changed,
            extra={"point_ref": point.ref, "point": order.point, "city": order.city},
        )
        await uow.commit()
        return order
