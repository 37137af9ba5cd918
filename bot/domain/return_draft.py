"""A return request being put together in the chat, kept in FSM data between steps.

Pure functions, no I/O: FSM data (plain JSON) ↔ ``Draft``, the one shape of a request from the
first button to ``returns.request.submit``. Each change is checked here against the rules, so the
chat cannot store a choice the rules do not allow; ``submit`` checks everything again against the
database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Final

from bot.domain.errors import N_, ButtonExpired, DomainError
from bot.domain.return_steps import Route
from bot.domain.returns import (
    MAX_PHOTOS,
    IbanProblem,
    ItemLine,
    NothingChosen,
    NotReturnable,
    QuantityTooLarge,
    Resolution,
    ReturnReason,
    ReturnRules,
    check_iban,
    check_quantities,
    resolutions_for,
)

VERSION: Final = 1
MAX_TEXT: Final = 1000  # characters of the customer's words that are kept
MAX_NAME: Final = 200  # the account holder column


class ReasonNotOffered(DomainError):
    message_key = N_("Please choose one of the reasons offered.")
    code = "reason_not_offered"


class ReasonTextMissing(DomainError):
    message_key = N_("Please tell us the reason in a few words.")
    code = "reason_text_missing"


class PhotosRequired(DomainError):
    message_key = N_("For this reason we need at least one photo.")
    code = "photos_required"


class TooManyPhotos(DomainError):
    message_key = N_("At most {limit} photos, please.")
    code = "too_many_photos"


class ResolutionNotOffered(DomainError):
    message_key = N_("This option is not available for this order.")
    code = "resolution_not_offered"


class InvalidIban(DomainError):
    code = "invalid_iban"

    MESSAGES = {  # noqa: RUF012 — a class constant
        IbanProblem.not_ukrainian: N_(
            "A Ukrainian IBAN starts with UA, for example UA21 3223 1300 0002 6007 2335 6600 1."
        ),
        IbanProblem.wrong_length: N_(
            "A Ukrainian IBAN has 29 characters: UA and 27 more. Please check it."
        ),
        IbanProblem.wrong_checksum: N_(
            "This IBAN has a typo: its check digits do not match. Please check it."
        ),
        IbanProblem.bad_characters: N_(
            "An IBAN has only Latin letters and digits. Please check it."
        ),
    }

    def __init__(self, problem: IbanProblem) -> None:
        self.problem = problem
        super().__init__(self.MESSAGES[problem])


class DetailMissing(DomainError):
    message_key = N_("Please fill in every detail of the refund or exchange.")
    code = "detail_missing"


@dataclass(frozen=True)
class Photo:
    """A photo the customer sent: the largest size, and where it was in the chat (photos of an
    album are handled concurrently; they keep the order they were sent in). A request stores
    the two ids; ``message_id`` only orders the photos while the request is put together."""

    file_id: str
    file_unique_id: str
    message_id: int = 0


@dataclass(frozen=True)
class Album:
    """Photos of one album (``media_group_id``) so far; ``tail`` is the latest one's unique id."""

    tail: str
    added: int = 0
    refused: int = 0


@dataclass(frozen=True)
class Draft:
    """Everything the customer chose so far; ``returns.request.submit`` takes a complete one."""

    flow: int  # tells this request's buttons from those of an earlier one
    order_id: int | None = None
    several_orders: bool = False
    quantities: Mapping[int, int] = field(default_factory=dict)
    reason: ReturnReason | None = None
    reason_text: str | None = None
    photos: tuple[Photo, ...] = ()
    comment: str | None = None
    resolution: Resolution | None = None
    iban: str | None = None
    account_holder: str | None = None
    exchange_wish: str | None = None
    albums: Mapping[str, Album] = field(default_factory=dict)

    @property
    def route(self) -> Route:
        return Route(self.several_orders, self.reason, self.resolution)


# --- FSM data ------------------------------------------------------------------------------------


def to_data(draft: Draft) -> dict[str, Any]:
    """JSON-serialisable: keys are strings, photos are pairs."""
    return {
        "v": VERSION,
        "flow": draft.flow,
        "order_id": draft.order_id,
        "several_orders": draft.several_orders,
        "quantities": {str(item_id): n for item_id, n in draft.quantities.items()},
        "reason": draft.reason.value if draft.reason else None,
        "reason_text": draft.reason_text,
        "photos": [[p.file_id, p.file_unique_id, p.message_id] for p in draft.photos],
        "comment": draft.comment,
        "resolution": draft.resolution.value if draft.resolution else None,
        "iban": draft.iban,
        "account_holder": draft.account_holder,
        "exchange_wish": draft.exchange_wish,
        "albums": {
            group: [album.tail, album.added, album.refused] for group, album in draft.albums.items()
        },
    }


def from_data(data: Mapping[str, Any]) -> Draft | None:
    """The draft stored by ``to_data``; None for anything else (another dialog's data, garbage)."""
    if data.get("v") != VERSION:
        return None
    try:
        return Draft(
            flow=int(data["flow"]),
            order_id=_optional_int(data.get("order_id")),
            several_orders=bool(data.get("several_orders")),
            quantities={int(k): int(v) for k, v in (data.get("quantities") or {}).items()},
            reason=ReturnReason(data["reason"]) if data.get("reason") else None,
            reason_text=data.get("reason_text"),
            photos=tuple(Photo(str(a), str(b), int(c)) for a, b, c in data.get("photos") or ()),
            comment=data.get("comment"),
            resolution=Resolution(data["resolution"]) if data.get("resolution") else None,
            iban=data.get("iban"),
            account_holder=data.get("account_holder"),
            exchange_wish=data.get("exchange_wish"),
            albums={
                str(group): Album(str(tail), int(added), int(refused))
                for group, (tail, added, refused) in (data.get("albums") or {}).items()
            },
        )
    except (KeyError, TypeError, ValueError):
        return None


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _text(value: str | None, limit: int = MAX_TEXT) -> str | None:
    value = (value or "").strip()
    return value[:limit] or None


# --- 1. the order and the items ------------------------------------------------------------------


def for_order(draft: Draft, order_id: int) -> Draft:
    """The order chosen; a different one than before forgets the items chosen from that one."""
    if order_id == draft.order_id:
        return draft
    return replace(draft, order_id=order_id, quantities={})


def line_of(lines: Sequence[ItemLine], item_id: int) -> ItemLine:
    for line in lines:
        if line.item_id == item_id:
            return line
    raise ButtonExpired()


def set_quantity(draft: Draft, lines: Sequence[ItemLine], item_id: int, quantity: int) -> Draft:
    """How many of one item to return; 0 takes it off the list."""
    line = line_of(lines, item_id)
    if quantity < 0:
        raise ButtonExpired()
    if quantity and not line.returnable:
        raise NotReturnable(name=line.name)
    if quantity > line.available:
        raise QuantityTooLarge(available=line.available, name=line.name)
    chosen = {k: v for k, v in draft.quantities.items() if k != item_id}
    if quantity:
        chosen[item_id] = quantity
    return replace(draft, quantities=chosen)


def toggle(draft: Draft, lines: Sequence[ItemLine], item_id: int) -> Draft:
    """An item there is one of to return: in, or out again."""
    chosen = draft.quantities.get(item_id, 0)
    return set_quantity(draft, lines, item_id, 0 if chosen else 1)


def check_items(draft: Draft, lines: Sequence[ItemLine]) -> None:
    """Something is chosen, and no more of anything than can still be returned."""
    check_quantities(lines, {k: v for k, v in draft.quantities.items() if v})


# --- 2. the reason -------------------------------------------------------------------------------


def set_reason(draft: Draft, rules: ReturnRules, reason: ReturnReason) -> Draft:
    if reason not in rules.reasons:
        raise ReasonNotOffered()
    text = draft.reason_text if reason is ReturnReason.other else None
    return replace(draft, reason=reason, reason_text=text)


def set_reason_text(draft: Draft, text: str | None) -> Draft:
    words = _text(text)
    if words is None:
        raise ReasonTextMissing()
    return replace(draft, reason_text=words)


# --- 3. photos -----------------------------------------------------------------------------------


class PhotoOutcome(StrEnum):
    added = "added"
    duplicate = "duplicate"  # the same photo again (Telegram delivered the update twice)
    refused = "refused"  # over MAX_PHOTOS


def add_photo(draft: Draft, photo: Photo, album: str | None = None) -> tuple[Draft, PhotoOutcome]:
    """One more photo (up to MAX_PHOTOS), counted in its album when it is part of one."""
    if any(p.file_unique_id == photo.file_unique_id for p in draft.photos):
        outcome = PhotoOutcome.duplicate
    elif len(draft.photos) >= MAX_PHOTOS:
        outcome = PhotoOutcome.refused
    else:
        outcome = PhotoOutcome.added
        photos = sorted((*draft.photos, photo), key=lambda p: p.message_id)
        draft = replace(draft, photos=tuple(photos))
    if album is not None:
        tally = draft.albums.get(album, Album(tail=photo.file_unique_id))
        tally = replace(
            tally,
            tail=photo.file_unique_id,
            added=tally.added + (outcome is PhotoOutcome.added),
            refused=tally.refused + (outcome is PhotoOutcome.refused),
        )
        draft = replace(draft, albums={**draft.albums, album: tally})
    return draft, outcome


def finish_album(draft: Draft, album: str, file_unique_id: str) -> tuple[Draft, Album | None]:
    """The album's tally, once, to whoever holds its latest photo; None to everyone else."""
    tally = draft.albums.get(album)
    if tally is None or tally.tail != file_unique_id:
        return draft, None
    rest = {group: other for group, other in draft.albums.items() if group != album}
    return replace(draft, albums=rest), tally


def clear_photos(draft: Draft) -> Draft:
    return replace(draft, photos=(), albums={})


def check_photos(draft: Draft, rules: ReturnRules) -> None:
    if draft.reason is not None and rules.needs_photos(draft.reason) and not draft.photos:
        raise PhotosRequired()


# --- 4. the comment, 5. what the customer wants --------------------------------------------------


def set_comment(draft: Draft, text: str | None) -> Draft:
    return replace(draft, comment=_text(text))


def set_resolution(draft: Draft, prepaid: bool, resolution: Resolution) -> Draft:
    """The wish; details that belong to another wish are forgotten."""
    if resolution not in resolutions_for(prepaid):
        raise ResolutionNotOffered()
    iban = resolution is Resolution.refund_iban
    return replace(
        draft,
        resolution=resolution,
        iban=draft.iban if iban else None,
        account_holder=draft.account_holder if iban else None,
        exchange_wish=draft.exchange_wish if resolution is Resolution.exchange else None,
    )


def set_iban(draft: Draft, text: str | None) -> Draft:
    iban, problem = check_iban(text or "")
    if problem is not None:
        raise InvalidIban(problem)
    return replace(draft, iban=iban)


def set_holder(draft: Draft, text: str | None) -> Draft:
    name = _text(text, MAX_NAME)
    if name is None:
        raise DetailMissing()
    return replace(draft, account_holder=name)


def set_exchange_wish(draft: Draft, text: str | None) -> Draft:
    wish = _text(text)
    if wish is None:
        raise DetailMissing()
    return replace(draft, exchange_wish=wish)


# --- 6. submitting -------------------------------------------------------------------------------


def to_submission(draft: Draft) -> Draft:
    """What ``returns.request.submit`` takes: the items chosen (none taken off again); a draft
    that skipped a step cannot be submitted."""
    if draft.order_id is None or not any(draft.quantities.values()):
        raise NothingChosen()
    if draft.reason is None or draft.resolution is None:
        raise DetailMissing()
    return replace(draft, quantities={k: v for k, v in draft.quantities.items() if v})
