"""Every CallbackData of the bot, in one place: typed, short, checked against the database on use."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.domain.feedback import CannotPickReason, RefusalReason
from bot.domain.languages import Language
from bot.domain.orders import CancelReason


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
