"""A repeated order is compared field by field with the stored one."""

from __future__ import annotations

from bot.domain.order_changes import changed_fields

ORDER = {"customer.phone": "+380501234567", "customer.name": "Олена", "total": "900.00"}
ITEM = {"name": "Футболка", "quantity": 2, "price": "450.00"}


def test_the_same_order_differs_in_nothing() -> None:
    assert changed_fields(ORDER, dict(ORDER), [ITEM], [dict(ITEM)]) == ()


def test_every_different_field_is_named_in_the_order_sent() -> None:
    sent = {**ORDER, "customer.phone": "+380671112233", "total": "950.00"}
    item = {**ITEM, "quantity": 3}

    assert changed_fields(sent, ORDER, [ITEM, item], [ITEM, ITEM]) == (
        "customer.phone",
        "total",
        "items.1.quantity",
    )


def test_another_number_of_items_is_named_as_items() -> None:
    assert changed_fields(ORDER, ORDER, [ITEM, ITEM], [ITEM]) == ("items",)
