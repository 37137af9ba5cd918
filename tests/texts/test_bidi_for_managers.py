"""Bidi controls in what shops and customers typed never reach the managers' chat."""

from __future__ import annotations

from decimal import Decimal

from bot.domain.languages import Language
from bot.domain.visible import BIDI_CONTROLS
from bot.texts import manager
from bot.texts.templates.samples import plain_translator
from storage.models import Customer, Order, OrderItem

# "Олена" written backwards behind a right-to-left override reads "Олена" in a chat.
TRICK = "\u202eанелО\u202c \u2066\u200f"


def _order() -> Order:
    customer = Customer(phone="+380501234567", name=f"Ірина {TRICK}")
    return Order(
        external_id="A-1",
        customer=customer,
        recipient_name=customer.name,
        total=Decimal("450.00"),
        currency="UAH",
        payment="cod",
        carrier="nova_poshta",
        city=f"Київ{TRICK}",
        point=None,
        address=None,
        items=[OrderItem(position=0, name=f"Сукня{TRICK}", quantity=1, price=Decimal("450.00"))],
    )


def test_a_change_request_shows_names_and_the_comment_without_bidi_controls() -> None:
    text = manager.change_request(_order(), f"розмір M {TRICK}", plain_translator(Language.uk))

    assert BIDI_CONTROLS.isdisjoint(text)
    assert "Ірина анелО" in text
    assert "розмір M анелО" in text
    assert "Сукня" in text
