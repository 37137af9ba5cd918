"""Every CallbackData of the bot, in one place: typed, short, checked against the database on use.

Callback data is untrusted: a modified client can send any text. Every number is bounded here,
where it is parsed, so a forged one (negative, or past what the database stores) does not unpack:
no filter matches, and the press is answered like any stale button, before it reaches a service.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.domain.feedback import CannotPickReason, RefusalReason
from bot.domain.languages import Language
from bot.domain.orders import CancelReason
from bot.domain.pickup_points import REF_PATTERN
from bot.domain.returns import Resolution, ReturnReason

INTEGER_MAX = 2**31 - 1  # storage's INTEGER columns (primary keys, quantities)

RowId = Annotated[int, Field(ge=0, le=INTEGER_MAX)]
"""A row's id (0: none, where a field says so)."""

Count = Annotated[int, Field(ge=0, le=INTEGER_MAX)]
"""A page, a quantity, a number of stars, a flow: never negative, never past INTEGER."""


class OrderAction(StrEnum):
    confirm = "c"
    cancel = "x"
    change = "h"
    back = "b"
    point = "p"  # "Change the branch": search the carrier's points


class OrderCD(CallbackData, prefix="o"):
    """A customer's button on an order card."""

    action: OrderAction
    order_id: RowId


PointRef = Annotated[str, Field(pattern=REF_PATTERN)]
"""A carrier's id of a pickup point (a GUID): a forged one does not unpack."""


class PointCD(CallbackData, prefix="pt"):
    """A pickup point chosen from a search's results (checked against the carrier's list)."""

    order_id: RowId
    ref: PointRef


class PointPageCD(CallbackData, prefix="pg"):
    """A page of a pickup point search (the query is in the conversation's state)."""

    order_id: RowId
    page: Count


class CancelCD(CallbackData, prefix="oc"):
    """A cancel reason chosen on an order card."""

    reason: CancelReason
    order_id: RowId


class ManagerAction(StrEnum):
    take_call = "t"


class ManagerCD(CallbackData, prefix="m"):
    """A button in the managers' chat."""

    action: ManagerAction
    order_id: RowId


class LanguageCD(CallbackData, prefix="l"):
    language: Language


class PickupAction(StrEnum):
    today = "t"
    cannot = "c"
    extend = "e"
    back = "b"


class PickupCD(CallbackData, prefix="p"):
    """A button on a pickup reminder."""

    action: PickupAction
    order_id: RowId


class ExtensionAction(StrEnum):
    confirm = "y"
    decline = "n"


class ExtensionCD(CallbackData, prefix="se"):
    """Confirm or decline the carrier's offer to extend the free storage (a storage_extensions
    row; checked against the database when pressed)."""

    action: ExtensionAction
    extension_id: RowId


class CannotPickCD(CallbackData, prefix="pc"):
    reason: CannotPickReason
    order_id: RowId


class RatingCD(CallbackData, prefix="r"):
    order_id: RowId
    stars: Count


class RefusalCD(CallbackData, prefix="rf"):
    reason: RefusalReason
    order_id: RowId


class RiskAction(StrEnum):
    approve = "a"
    prepay = "p"
    cancel = "x"
    blacklist = "b"  # asks "are you sure?"
    blacklist_confirmed = "y"
    back = "n"
    take = "t"


class RiskCD(CallbackData, prefix="rk"):
    """A button on a risky-order or blacklist alert in the managers' chat."""

    action: RiskAction
    order_id: RowId


class BlacklistPageCD(CallbackData, prefix="bp"):
    """A page of /blacklisted."""

    page: Count


class UnblockCD(CallbackData, prefix="ub"):
    """Unblock a customer from the /blacklisted list (then show ``page`` again)."""

    customer_id: RowId
    page: Count


class StallAction(StrEnum):
    take = "t"  # "I'll handle it"


class StallCD(CallbackData, prefix="sl"):
    """A button on a stalled parcel's announcement in the managers' chat."""

    action: StallAction
    stall_id: RowId


class StallPageCD(CallbackData, prefix="slp"):
    """A page of /stalled."""

    page: Count


class ForgetAction(StrEnum):
    erase = "e"  # erase the customer's personal data for good
    keep = "k"  # changed my mind: nothing is erased


class ForgetCD(CallbackData, prefix="fg"):
    """The confirmation under /forget: the customer by id (never by phone: no personal data in
    callback data); the admin is checked again when it is pressed."""

    action: ForgetAction
    customer_id: RowId


class ReturnAction(StrEnum):
    approve = "a"
    reject = "r"
    ask = "q"  # ask the customer for more information
    arrived = "v"  # the parcel is back at the shop
    inspected_ok = "k"
    inspected_bad = "b"
    refunded = "m"


class ReturnCD(CallbackData, prefix="rt"):
    """A button on a return's card in the managers' chat."""

    action: ReturnAction
    return_id: RowId


# Returns: the customer's flow (``flow`` tells one request's buttons from an earlier one's)


class ReturnStartCD(CallbackData, prefix="qs"):
    """The "Return an item" button: under the received-order message, or /orders (0: choose)."""

    order_id: RowId = 0


class ReturnStepAction(StrEnum):
    next = "n"  # the items are chosen
    items = "i"  # from the quantity picker back to the list of items
    done = "d"  # no more photos
    clear = "c"  # remove the photos sent so far
    skip = "k"  # no comment
    submit = "s"
    back = "b"
    cancel = "x"
    resume = "r"  # continue a request left half-way
    restart = "a"  # start over (``order_id``: the order the new one is about, 0: choose)


class ReturnStepCD(CallbackData, prefix="qf"):
    action: ReturnStepAction
    flow: Count
    order_id: RowId = 0


class ReturnOrderCD(CallbackData, prefix="qo"):
    flow: Count
    order_id: RowId


class ReturnItemCD(CallbackData, prefix="qi"):
    """An item: ``quantity`` None toggles it (or asks how many), a number sets it (0: not it)."""

    flow: Count
    item_id: RowId
    quantity: Count | None = None


class ReturnReasonCD(CallbackData, prefix="qr"):
    flow: Count
    reason: ReturnReason


class ReturnResolutionCD(CallbackData, prefix="qw"):
    flow: Count
    resolution: Resolution
