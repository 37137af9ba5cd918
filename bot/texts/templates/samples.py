"""A sample order and parcel: what templates are checked with at start and shown with /preview."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.support import NullTranslations

from bot.domain.languages import Language
from bot.domain.orders import Carrier
from bot.i18n import Translator
from bot.texts import labels


def sample_values(t: Translator) -> dict[str, str]:
    """Every placeholder of every key, formatted for ``t``'s language (plain text, unescaped)."""
    money = t.money(Decimal("900.00"), "UAH")
    return {
        "number": "A-1001",
        "customer_name": "Олена Коваль",
        "total": money,
        "carrier": labels.carrier(t, Carrier.nova_poshta),
        "tracking": "20450000000000",
        "expected_delivery": t.date(date(2026, 11, 21)),
        "point": "Відділення №12, вул. Хрещатик, 1",
        "amount": money,
        "storage_until": t.date(date(2026, 11, 26)),
        "storage": t.ngettext(
            "Free storage until {day} inclusive: {days} day left, today included.",
            "Free storage until {day} inclusive: {days} days left, today included.",
            5,
        ).format(day=t.date(date(2026, 11, 26)), days=5),
        "waiting_since": "",  # the usual case: the arrival is news the day it happens
        "return_number": "R-000123",
        "address": "Нова пошта, Київ, відділення №5, ТОВ «Магазин», +380441234567",
        # Viber/SMS: the start check puts the shop's own name and address in their place.
        "shop": "Vykup Shop",
        "page_link": "https://bot.example.com/p/AbCdEfGh23",
        "telegram_link": "https://bot.example.com/t/AbCdEfGh23",
    }


def plain_translator(language: Language) -> Translator:
    """Formats money and dates for ``language`` without any catalog (for checks at start)."""
    return Translator(language, NullTranslations(), ZoneInfo("UTC"))
