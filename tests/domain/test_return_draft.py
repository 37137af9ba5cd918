"""The return draft kept in FSM data: JSON both ways, every change checked, photos counted once."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import return_draft as d
from bot.domain.errors import ButtonExpired
from bot.domain.return_draft import (
    Album,
    DetailMissing,
    Draft,
    InvalidIban,
    Photo,
    PhotoOutcome,
    PhotosRequired,
    ReasonNotOffered,
    ReasonTextMissing,
    ResolutionNotOffered,
)
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
)

VALID_IBAN = "UA21 3223 1300 0002 6007 2335 6600 1"
LINES = (
    ItemLine(11, "Футболка M", bought=2, returnable=True),
    ItemLine(12, "Шапка", bought=1, returnable=True),
    ItemLine(13, "Крем", bought=1, returnable=False),
    ItemLine(14, "Шкарпетки", bought=3, returnable=True, in_returns=3),
)


def photo(n: int) -> Photo:
    return Photo(f"file-{n}", f"unique-{n}", message_id=n)


def full_draft() -> Draft:
    return Draft(
        flow=42,
        order_id=7,
        several_orders=True,
        quantities={11: 2, 12: 1},
        reason=ReturnReason.other,
        reason_text="Не той колір",
        photos=(photo(1), photo(2)),
        comment="<b>дякую</b>",
        resolution=Resolution.refund_iban,
        iban="UA213223130000026007233566001",
        account_holder="Олена Коваль",
        albums={"album-1": Album("unique-2", added=2)},
    )


def test_fsm_data_is_json_and_comes_back_the_same() -> None:
    draft = full_draft()
    data = json.loads(json.dumps(d.to_data(draft)))
    assert data["quantities"] == {"11": 2, "12": 1}
    assert d.from_data(data) == draft
    assert d.from_data(d.to_data(Draft(flow=1))) == Draft(flow=1)


def test_a_draft_stored_by_an_earlier_release_still_loads() -> None:
    """A customer half-way through a request when the bot is upgraded goes on where she was:
    the FSM data as version 1 of the draft has always been written."""
    stored = {
        "v": 1,
        "flow": 42,
        "order_id": 7,
        "several_orders": True,
        "quantities": {"11": 2, "12": 1},
        "reason": "other",
        "reason_text": "Не той колір",
        "photos": [["file-1", "unique-1", 1], ["file-2", "unique-2", 2]],
        "comment": "<b>дякую</b>",
        "resolution": "iban",
        "iban": "UA213223130000026007233566001",
        "account_holder": "Олена Коваль",
        "exchange_wish": None,
        "albums": {"album-1": ["unique-2", 2, 0]},
    }
    assert d.from_data(stored) == full_draft()
    assert d.to_data(full_draft()) == stored


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"order_id": 1},  # another dialog's data
        {"v": 1},
        {"v": 1, "flow": 1, "reason": "bogus"},
        {"v": 1, "flow": 1, "quantities": {"x": 1}},
        {"v": 1, "flow": 1, "photos": [["only-one"]]},
        {"v": 99, "flow": 1},
    ],
)
def test_anything_else_is_no_draft(data: dict) -> None:
    assert d.from_data(data) is None


def test_items_are_toggled_or_counted_within_what_is_left() -> None:
    draft = Draft(flow=1, order_id=7)
    draft = d.toggle(draft, LINES, 12)
    assert draft.quantities == {12: 1}
    assert d.toggle(draft, LINES, 12).quantities == {}
    draft = d.set_quantity(draft, LINES, 11, 2)
    assert draft.quantities == {12: 1, 11: 2}
    assert d.set_quantity(draft, LINES, 11, 0).quantities == {12: 1}
    with pytest.raises(QuantityTooLarge):
        d.set_quantity(draft, LINES, 11, 3)
    with pytest.raises(NotReturnable):
        d.toggle(draft, LINES, 13)
    with pytest.raises(QuantityTooLarge):  # all three already in a return request
        d.set_quantity(draft, LINES, 14, 1)
    with pytest.raises(ButtonExpired):  # not an item of this order
        d.set_quantity(draft, LINES, 999, 1)
    with pytest.raises(ButtonExpired):
        d.set_quantity(draft, LINES, 11, -1)
    d.check_items(draft, LINES)
    with pytest.raises(NothingChosen):
        d.check_items(Draft(flow=1, order_id=7), LINES)


def test_another_order_forgets_the_items() -> None:
    draft = Draft(flow=1, order_id=7, quantities={11: 1})
    assert d.for_order(draft, 7) == draft
    assert d.for_order(draft, 8) == Draft(flow=1, order_id=8)


def test_reasons_are_the_configured_ones_and_other_needs_words() -> None:
    rules = ReturnRules(reasons=(ReturnReason.wrong_size, ReturnReason.other))
    draft = Draft(flow=1)
    with pytest.raises(ReasonNotOffered):
        d.set_reason(draft, rules, ReturnReason.defective)
    draft = d.set_reason(draft, rules, ReturnReason.other)
    with pytest.raises(ReasonTextMissing):
        d.set_reason_text(draft, "   ")
    draft = d.set_reason_text(draft, "  " + "я" * 2000)
    assert draft.reason_text == "я" * 1000
    assert d.set_reason(draft, rules, ReturnReason.other).reason_text == draft.reason_text
    assert d.set_reason(draft, rules, ReturnReason.wrong_size).reason_text is None


def test_photos_up_to_the_limit_each_once() -> None:
    draft = Draft(flow=1)
    for n in range(MAX_PHOTOS):
        draft, outcome = d.add_photo(draft, photo(n))
        assert outcome is PhotoOutcome.added
    again, outcome = d.add_photo(draft, photo(0))
    assert outcome is PhotoOutcome.duplicate and again == draft
    over, outcome = d.add_photo(draft, photo(99))
    assert outcome is PhotoOutcome.refused and over.photos == draft.photos
    assert d.clear_photos(draft).photos == ()


def test_an_album_is_answered_once_by_its_latest_photo() -> None:
    draft = Draft(flow=1, photos=(photo(0), photo(1), photo(2)))
    for n in (10, 11, 12):
        draft, _ = d.add_photo(draft, photo(n), album="g")
    assert draft.albums["g"] == Album("unique-12", added=2, refused=1)
    assert len(draft.photos) == MAX_PHOTOS
    unchanged, tally = d.finish_album(draft, "g", "unique-10")
    assert tally is None and unchanged == draft
    done, tally = d.finish_album(draft, "g", "unique-12")
    assert tally == Album("unique-12", added=2, refused=1) and done.albums == {}
    assert d.finish_album(done, "g", "unique-12") == (done, None)


@given(st.lists(st.tuples(st.integers(0, 8), st.sampled_from([None, "a", "b"])), max_size=20))
def test_photos_are_never_lost_nor_counted_twice(sends: list[tuple[int, str | None]]) -> None:
    """Handled in any order (an album's photos are handled at once), each photo counts once,
    the first five handled are kept, in the order they were sent."""
    draft = Draft(flow=1)
    outcomes = []
    for n, album in sends:
        draft, outcome = d.add_photo(draft, photo(n), album)
        outcomes.append(outcome)
        draft = d.from_data(d.to_data(draft)) or Draft(flow=0)  # every step goes through FSM data
    distinct = list(dict.fromkeys(n for n, _ in sends))
    assert [p.file_id for p in draft.photos] == [f"file-{n}" for n in sorted(distinct[:MAX_PHOTOS])]
    assert outcomes.count(PhotoOutcome.added) == len(draft.photos)
    kept = set(distinct[:MAX_PHOTOS])
    assert outcomes.count(PhotoOutcome.refused) == sum(n not in kept for n, _ in sends)
    tallied = sum(album.added + album.refused for album in draft.albums.values())
    assert tallied == sum(
        outcome is not PhotoOutcome.duplicate
        for outcome, (_, album) in zip(outcomes, sends, strict=True)
        if album is not None
    )


def test_photos_are_required_only_for_the_photo_reasons() -> None:
    rules = ReturnRules()
    with pytest.raises(PhotosRequired):
        d.check_photos(Draft(flow=1, reason=ReturnReason.defective), rules)
    d.check_photos(Draft(flow=1, reason=ReturnReason.wrong_size), rules)
    d.check_photos(Draft(flow=1, reason=ReturnReason.defective, photos=(photo(1),)), rules)


def test_the_wish_is_one_offered_and_keeps_only_its_own_details() -> None:
    draft = full_draft()
    with pytest.raises(ResolutionNotOffered):
        d.set_resolution(draft, prepaid=False, resolution=Resolution.refund_original)
    assert d.set_resolution(draft, True, Resolution.refund_original).iban is None
    kept = d.set_resolution(draft, False, Resolution.refund_iban)
    assert kept.iban == draft.iban and kept.account_holder == draft.account_holder
    exchange = d.set_resolution(draft, False, Resolution.exchange)
    assert (exchange.iban, exchange.account_holder) == (None, None)
    with pytest.raises(DetailMissing):
        d.set_exchange_wish(exchange, " ")
    assert d.set_exchange_wish(exchange, " L, синя ").exchange_wish == "L, синя"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("UA21 3223 1300 0002 6007 2335 6600 2", IbanProblem.wrong_checksum),
        ("UA21 3223 1300 0002 6007 2335 6600", IbanProblem.wrong_length),
        ("DE89 3704 0044 0532 0130 00", IbanProblem.not_ukrainian),
        ("UA21 3223 1300 0002 6007 2335 66ЖЖ 1", IbanProblem.bad_characters),
    ],
)
def test_a_wrong_iban_is_refused_and_says_why(text: str, problem: IbanProblem) -> None:
    with pytest.raises(InvalidIban) as error:
        d.set_iban(Draft(flow=1), text)
    assert error.value.problem is problem


def test_a_valid_iban_is_kept_compact_and_the_holder_is_needed() -> None:
    draft = d.set_iban(Draft(flow=1), "ua21-3223-1300-0002-6007-2335-6600-1")
    assert draft.iban == "UA213223130000026007233566001"
    with pytest.raises(DetailMissing):
        d.set_holder(draft, "  ")
    assert d.set_holder(draft, " Олена Коваль ").account_holder == "Олена Коваль"


def test_a_complete_draft_becomes_what_submit_takes() -> None:
    draft = replace(full_draft(), quantities={11: 2, 12: 0})
    assert d.to_submission(draft) == Draft(
        flow=42,
        order_id=7,
        several_orders=True,
        quantities={11: 2},
        reason=ReturnReason.other,
        resolution=Resolution.refund_iban,
        reason_text="Не той колір",
        photos=(photo(1), photo(2)),
        comment="<b>дякую</b>",
        iban="UA213223130000026007233566001",
        account_holder="Олена Коваль",
        albums={"album-1": Album("unique-2", added=2)},
    )
    with pytest.raises(NothingChosen):
        d.to_submission(Draft(flow=1, order_id=7))
    with pytest.raises(DetailMissing):
        d.to_submission(Draft(flow=1, order_id=7, quantities={11: 1}))
