"""What customers tell us about parcels: why they cannot pick one up, why they refused, a rating."""

from __future__ import annotations

from enum import StrEnum


class FeedbackKind(StrEnum):
    rating = "rating"
    refusal = "refusal"
    cannot_pick_up = "cannot_pick_up"
    pickup_promise = "pickup_promise"
    storage_extension = "storage_extension"


class CannotPickReason(StrEnum):
    away = "away"
    no_money = "money"
    not_needed = "unneeded"
    other = "other"


class RefusalReason(StrEnum):
    changed_mind = "mind"
    too_expensive = "price"
    not_as_described = "differs"
    wrong_item = "wrong"
    too_long = "slow"
    did_not_order = "notmine"
    other = "other"


RATINGS = range(1, 6)
LOW_RATING = 3  # this or lower: the managers hear about it


def is_low(stars: int) -> bool:
    return stars <= LOW_RATING
