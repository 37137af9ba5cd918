"""Every number in callback data is bounded where it is parsed: a forged one never unpacks."""

from __future__ import annotations

import inspect

import pytest
from aiogram.filters.callback_data import CallbackData

from bot.keyboards import callbacks

CLASSES = [
    cls
    for _, cls in inspect.getmembers(callbacks, inspect.isclass)
    if issubclass(cls, CallbackData) and cls is not CallbackData
]


# Fields that are text, not numbers: a valid value of each.
TEXTS = {"ref": "1ec09d88-e1c2-11e3-8c4a-0050568002cf"}  # a pickup point's ref (NP's sample)


def valid_fields(cls: type[CallbackData]) -> dict[str, str]:
    """One value that unpacks, per field: an enum's first member, 1 for a number."""
    values: dict[str, str] = {}
    for name, field in cls.model_fields.items():
        kind = field.annotation
        members = getattr(kind, "__members__", None)
        values[name] = next(iter(members.values())).value if members else TEXTS.get(name, "1")
    return values


def number_fields(cls: type[CallbackData]) -> list[str]:
    return [name for name, value in valid_fields(cls).items() if value == "1"]


def packed(cls: type[CallbackData], values: dict[str, str]) -> str:
    return cls.__separator__.join([cls.__prefix__, *values.values()])


def test_every_callback_data_class_is_checked():
    assert len(CLASSES) >= 15 and sum(len(number_fields(cls)) for cls in CLASSES) >= 20


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_numbers_past_the_database_or_below_zero_do_not_unpack(cls: type[CallbackData]):
    good = valid_fields(cls)
    cls.unpack(packed(cls, good))  # the valid shape unpacks
    for name in number_fields(cls):
        for forged in ("99999999999999999999", str(2**31), "-1"):
            with pytest.raises(ValueError):
                cls.unpack(packed(cls, good | {name: forged}))
        assert getattr(cls.unpack(packed(cls, good | {name: str(2**31 - 1)})), name) == 2**31 - 1
