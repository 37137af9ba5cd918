from __future__ import annotations

from decimal import Decimal

from bot.domain.pickup_points import (
    PAGE_SIZE,
    PickupPoint,
    PointCheck,
    find_point,
    number_in,
    page_of,
    search,
    valid_ref,
    verdict,
)

REF = "1ec09d88-e1c2-11e3-8c4a-0050568002cf"


def point(number: str, street: str, **fields: object) -> PickupPoint:
    values: dict[str, object] = {
        "ref": f"00000000-0000-0000-0000-{int(number or 0):012d}",
        "number": number,
        "description": f"Відділення №{number}: {street}",
        "short_address": f"Київ, {street}",
    }
    values.update(fields)
    return PickupPoint(**values)  # type: ignore[arg-type]


KYIV = [
    point("1", "вул. Пирогівський шлях, 135"),
    point("12", "вул. Хрещатик, 22"),
    point("112", "вул. Хрещатик, 5", working=False),
    point(
        "5501",
        "вул. Хрещатик, 1",
        locker=True,
        max_weight=Decimal("20"),
        description="Поштомат №5501: вул. Хрещатик, 1",
    ),
]


def test_the_number_people_and_shops_write() -> None:
    assert number_in("Відділення №12") == "12"
    assert number_in("Відділення № 012: вул. Хрещатик") == "12"
    assert number_in("#7") == "7"
    assert number_in("12") == "12"
    assert number_in("відділення 12") == "12"
    assert number_in("Хрещатик 22") is None  # a street and its house, not a branch
    assert number_in("") is None


def test_an_order_names_its_point_by_text_number_or_ref() -> None:
    assert find_point(KYIV, "Відділення №12") is KYIV[1]
    assert find_point(KYIV, "Відділення №1: вул. Пирогівський шлях, 135") is KYIV[0]
    assert find_point(KYIV, "Поштомат №5501") is KYIV[3]
    assert find_point(KYIV, "Відділення №404") is None
    assert find_point(KYIV, "десь біля метро") is None
    assert find_point(KYIV, "anything", KYIV[1].ref) is KYIV[1]
    assert find_point(KYIV, "Відділення №12", REF) is None  # a ref decides: not this city's


def test_the_verdict() -> None:
    assert verdict(None, None) is PointCheck.unknown
    assert verdict(KYIV[2], None) is PointCheck.closed
    assert verdict(KYIV[3], Decimal("25")) is PointCheck.too_heavy
    assert verdict(KYIV[3], Decimal("20")) is PointCheck.ok
    assert verdict(KYIV[1], Decimal("999")) is PointCheck.ok  # no limit given: none assumed


def test_search_by_number_or_street_keeps_only_usable_points() -> None:
    assert search(KYIV, "12") == [KYIV[1]]
    assert search(KYIV, "№ 12") == [KYIV[1]]
    assert search(KYIV, "хрещатик") == [KYIV[1], KYIV[3]]  # not the closed №112
    assert search(KYIV, "Хрещатик", Decimal("25")) == [KYIV[1]]  # the locker takes ≤ 20 kg
    assert search(KYIV, "вул. Хрещатик, 22") == [KYIV[1]]
    assert search(KYIV, "Сумська") == []
    assert search(KYIV, "  ,  ") == []


def test_pages_of_eight() -> None:
    many = [point(str(n), "вул. Довга") for n in range(1, 20)]
    first, pages = page_of(many, 0)
    assert len(first) == PAGE_SIZE == 8 and pages == 3
    last, _ = page_of(many, 2)
    assert [p.number for p in last] == ["17", "18", "19"]
    assert page_of(many, 99)[0] == last  # a forged page shows the last one
    assert page_of([], 0) == ([], 1)


def test_a_ref_is_a_guid() -> None:
    assert valid_ref(REF)
    assert not valid_ref("1ec09d88")
    assert not valid_ref(REF + "0")
