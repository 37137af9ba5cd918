"""The steps of a return request in the chat, and which one comes before and after which.

The path depends on three choices: whether there was an order to choose (several could be
returned), the reason (``other`` asks for the customer's words) and what the customer wants
(a refund to a bank account asks for the IBAN and the holder, an exchange for the wish).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.returns import Resolution, ReturnReason


class Step(StrEnum):
    """In the order the customer meets them; values are the names of the FSM states."""

    order = "order"
    items = "items"
    reason = "reason"
    reason_text = "reason_text"
    photos = "photos"
    comment = "comment"
    resolution = "resolution"
    iban = "iban"
    holder = "holder"
    exchange = "exchange"
    summary = "summary"


# Steps answered by typing (the others by buttons; photos by photos).
TYPED = frozenset({Step.reason_text, Step.comment, Step.iban, Step.holder, Step.exchange})


@dataclass(frozen=True)
class Route:
    several_orders: bool = False
    reason: ReturnReason | None = None
    resolution: Resolution | None = None


def path(route: Route) -> tuple[Step, ...]:
    """Every step this customer goes through, first to last."""
    steps = [Step.order] if route.several_orders else []
    steps += [Step.items, Step.reason]
    if route.reason is ReturnReason.other:
        steps.append(Step.reason_text)
    steps += [Step.photos, Step.comment, Step.resolution]
    if route.resolution is Resolution.refund_iban:
        steps += [Step.iban, Step.holder]
    elif route.resolution is Resolution.exchange:
        steps.append(Step.exchange)
    steps.append(Step.summary)
    return tuple(steps)


def previous(step: Step, route: Route) -> Step | None:
    """Where Back leads: the nearest earlier step on the path; None on the first one."""
    order = list(Step)
    earlier = [s for s in path(route) if order.index(s) < order.index(step)]
    return earlier[-1] if earlier else None


def following(step: Step, route: Route) -> Step | None:
    """The step after ``step`` on the path; None after the summary."""
    order = list(Step)
    later = [s for s in path(route) if order.index(s) > order.index(step)]
    return later[0] if later else None
