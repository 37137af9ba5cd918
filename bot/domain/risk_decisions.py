"""What managers may decide about an order of a risky or blacklisted customer, and when.

A decision is possible while the order has not left the shop (new, on hold or confirmed):

* approve — let it go: an order on hold goes back to the customer to confirm;
* prepay — put it on hold until the customer has paid in advance;
* cancel — cancel it.

Approving and cancelling close the matter; after "prepay" the managers can still approve (the
money came) or cancel (it did not). Blacklisting the customer and taking the alert are not
decisions about the order and stay possible alongside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from bot.domain.orders import OrderStatus

# The reason of an event the rating caused (held, prepayment asked, cancelled), as the shop sees it.
RISK_REASON = "risk"


class RiskDecision(StrEnum):
    approve = "approve"
    prepay = "prepay"
    cancel = "cancel"


OPEN_STATUSES: Final = frozenset({OrderStatus.new, OrderStatus.on_hold, OrderStatus.confirmed})
CLOSING: Final = frozenset({RiskDecision.approve, RiskDecision.cancel})


@dataclass(frozen=True)
class AlertState:
    status: OrderStatus
    decision: RiskDecision | None
    customer_blacklisted_by_hand: bool
    handled: bool

    def allowed(self) -> frozenset[RiskDecision]:
        if self.status not in OPEN_STATUSES or self.decision in CLOSING:
            return frozenset()
        if self.decision is RiskDecision.prepay:
            return frozenset({RiskDecision.approve, RiskDecision.cancel})
        return frozenset(RiskDecision)

    def may(self, decision: RiskDecision) -> bool:
        return decision in self.allowed()

    @property
    def can_blacklist(self) -> bool:
        return not self.customer_blacklisted_by_hand

    @property
    def can_take(self) -> bool:
        return not self.handled and bool(self.allowed())
