"""What the shop may send about returns: the list's query, and a move of one return.

Field by field like ``schemas.py``; the fields a status needs (the customer's reason or question,
the refund, the waybill) are checked against the status here, so every problem is named at once.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from bot.domain.returns import ReturnStatus
from bot.services.returns.shop import NEEDS_COMMENT, ShopMove
from bot.web.cursors import ReturnCursor
from bot.web.errors import FieldError
from bot.web.pages import PageQuery
from bot.web.schemas import Comment, Money, Strict, TrackingNumber


def _comma_separated(value: Any) -> Any:
    """``requested,received`` (or the parameter repeated) → a list; a list is left alone."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class ReturnListQuery(PageQuery):
    """``GET /api/v1/returns`` query parameters."""

    status: Annotated[
        list[ReturnStatus] | None,
        BeforeValidator(_comma_separated),
        Field(
            description="Only returns in these statuses, comma-separated, e.g. requested,received.",
            examples=["requested,received"],
        ),
    ] = None
    after: ReturnCursor | None = None


class ReturnStatusIn(Strict):
    """``POST /api/v1/returns/{number}/status``: the same moves as the managers' buttons."""

    status: ReturnStatus
    comment: Comment | None = Field(
        default=None,
        description=(
            "For the customer: the reason of `rejected`, the question of `info_requested` "
            "(required for those two); a note in the history otherwise."
        ),
    )
    refund_amount: Money | None = Field(
        default=None,
        description="Required with `refunded`: more than 0, at most the order's total.",
    )
    waybill: TrackingNumber | None = Field(
        default=None,
        description="Required with `shipped`: the return parcel's waybill, in the order's carrier's format.",
    )

    def problems(self) -> list[FieldError]:
        """Fields the status needs and lacks, or carries without needing them."""
        found: list[FieldError] = []
        if self.status in NEEDS_COMMENT and not self.comment:
            found.append(
                FieldError(
                    field="comment",
                    message=f"Required with status {self.status.value}: the customer reads it",
                )
            )
        if self.status is ReturnStatus.refunded:
            if self.refund_amount is None:
                found.append(
                    FieldError(field="refund_amount", message="Required with status refunded")
                )
            elif self.refund_amount <= 0:
                found.append(FieldError(field="refund_amount", message="Must be more than 0"))
        elif self.refund_amount is not None:
            found.append(FieldError(field="refund_amount", message="Only with status refunded"))
        if self.status is ReturnStatus.shipped and self.waybill is None:
            found.append(FieldError(field="waybill", message="Required with status shipped"))
        elif self.status is not ReturnStatus.shipped and self.waybill is not None:
            found.append(FieldError(field="waybill", message="Only with status shipped"))
        return found

    def to_move(self) -> ShopMove:
        return ShopMove(
            status=self.status,
            comment=self.comment or None,
            refund_amount=self.refund_amount,
            waybill=self.waybill,
        )
