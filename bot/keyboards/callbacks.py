"""Every CallbackData of the bot, in one place: typed, short, checked against the database on use."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.domain.feedback import CannotPickReason, RefusalReason
from bot.domain.languages import Language
from bot.domain.orders import CancelReason
from bot.domain.returns import Resolution, ReturnReason


class OrderAction(StrEnum):
    confirm = "c"
    cancel = "x"
    change = "h"
    back = "b"


class OrderCD(CallbackData, prefix="o"):
    """A customer's button on an order card."""

    action: OrderAction
    order_id: int


class CancelCD(CallbackData, prefix="oc"):
    """A cancel reason chosen on an order card."""

    reason: CancelReason
    order_id: int


class ManagerAction(StrEnum):
    take_call = "t"


class ManagerCD(CallbackData, prefix="m"):
    """A button in the managers' chat."""

    action: ManagerAction
    order_id: int


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
    order_id: int


class CannotPickCD(CallbackData, prefix="pc"):
    reason: CannotPickReason
    order_id: int


class RatingCD(CallbackData, prefix="r"):
    order_id: int
    stars: int


class RefusalCD(CallbackData, prefix="rf"):
    reason: RefusalReason
    order_id: int


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
    order_id: int


class BlacklistPageCD(CallbackData, prefix="bp"):
    """A page of /blacklisted."""

    page: int


class UnblockCD(CallbackData, prefix="ub"):
    """Unblock a customer from the /blacklisted list (then show ``page`` again)."""

    customer_id: int
    page: int


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
    return_id: int


# Returns: the customer's flow (``flow`` tells one request's buttons from an earlier one's)


class ReturnStartCD(CallbackData, prefix="qs"):
    """The "Return an item" button: under the received-order message, or /orders (0: choose)."""

    order_id: int = 0


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
    flow: int
    order_id: int = 0


class ReturnOrderCD(CallbackData, prefix="qo"):
    flow: int
    order_id: int


class ReturnItemCD(CallbackData, prefix="qi"):
    """An item: ``quantity`` None toggles it (or asks how many), a number sets it (0: not it)."""

    flow: int
    item_id: int
    quantity: int | None = None


class ReturnReasonCD(CallbackData, prefix="qr"):
    flow: int
    reason: ReturnReason


class ReturnResolutionCD(CallbackData, prefix="qw"):
    flow: int
    resolution: Resolution
