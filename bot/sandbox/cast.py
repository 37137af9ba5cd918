"""Who lives in the sandbox: a customer, the managers' chat, a customer outside Telegram, and a
past that makes risk visible."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Final

from bot.standin import FakeGroup, FakeUser, TelegramStandin

TOKEN: Final = "700000001:SANDBOX-not-a-real-token-xxxxxxxxxxxx"
BOT_USERNAME: Final = "vykup_sandbox_bot"
MANAGERS_CHAT_ID: Final = -1001000000001
CUSTOMER_ID: Final = 5001
CUSTOMER_PHONE: Final = "+380501234567"
MANAGER_ID: Final = 900  # an admin: the buttons and commands of the managers' chat work for her
RISKY_PHONE: Final = "+380671112233"  # refused most parcels in the seeded history
BLACKLISTED_PHONE: Final = "+380931112233"
# Тарас has no Telegram here (no account in the stand-in): the bot reaches him by Viber or SMS only.
OFFLINE_PHONE: Final = "+380661234567"
RETURN_ADDRESS: Final = "Нова пошта, Київ, відділення №5, ТОВ «Приклад», +380441234567"


# The TurboSMS stand-in's account: a sandbox token (never a real one), one sender name for both
# channels, and demo prices (hryvnias per Viber message, per SMS part).
TURBOSMS_TOKEN: Final = "sandbox-turbosms-not-a-real-token"
SENDER: Final = "Vykup"
VIBER_PRICE: Final = Decimal("0.90")
SMS_PRICE: Final = Decimal("1.20")
SMS_BALANCE: Final = Decimal("500.00")
NO_VIBER: Final = frozenset({RISKY_PHONE})  # Ірина has no Viber: hers go by SMS


@dataclass(frozen=True)
class Cast:
    customer: FakeUser
    manager: FakeUser
    managers: FakeGroup


def populate(standin: TelegramStandin) -> Cast:
    customer = standin.add_user(
        CUSTOMER_ID,
        "Олена",
        username="olena_k",
        language_code="uk",
        phone=CUSTOMER_PHONE,
        last_name="Коваль",
    )
    manager = standin.add_user(MANAGER_ID, "Марія", username="maria_shop", language_code="uk")
    colleague = standin.add_user(901, "Андрій", username="andrii_shop", language_code="uk")
    managers = standin.add_group(MANAGERS_CHAT_ID, "Менеджери", [manager, colleague])
    return Cast(customer, manager, managers)


# Past orders imported at start (the format of ``run_bot.py import``): Ірина refused two of three
# parcels (risky), Петро refused three of four (blacklisted). Days count back from the sandbox's
# today, so the refusals stay recent enough to count whatever the date: (id, who, status, ordered,
# finished, total, city, refusal reason).
_HISTORY: Final = (
    ("H-1", "risky", "received", 60, 57, "650.00", "Київ", ""),
    ("H-2", "risky", "refused", 40, 35, "1200.00", "Київ", "mind"),
    ("H-3", "risky", "refused", 20, 15, "980.00", "Київ", "price"),
    ("H-4", "blacklisted", "refused", 80, 75, "1500.00", "Одеса", ""),
    ("H-5", "blacklisted", "refused", 60, 55, "900.00", "Одеса", ""),
    ("H-6", "blacklisted", "received", 40, 37, "400.00", "Одеса", ""),
    ("H-7", "blacklisted", "refused", 20, 15, "2100.00", "Одеса", ""),
)
_HISTORY_HEADER: Final = (
    "external_id,phone,name,status,created_at,finished_at,total,carrier,city,refusal_reason"
)


def history_csv(today: datetime) -> str:
    """The seeded past as an import file, dated back from ``today`` (local time)."""

    def day(days_ago: int) -> str:
        return (today - timedelta(days=days_ago)).strftime("%Y-%m-%dT10:00")

    rows = [_HISTORY_HEADER]
    for external_id, who, status, ordered, finished, total, city, reason in _HISTORY:
        phone, name = CUSTOMERS[who]
        rows.append(
            f"{external_id},{phone},{name},{status},{day(ordered)},{day(finished)},"
            f"{total},nova_poshta,{city},{reason}"
        )
    return "\n".join(rows) + "\n"


ORDER_TEMPLATE: Final[dict[str, Any]] = {
    "external_id": "S-1001",
    "customer": {"phone": CUSTOMER_PHONE, "name": "Олена Коваль", "telegram_id": None},
    "items": [
        {"sku": "TSHIRT-M", "name": "Футболка M", "quantity": 2, "price": "450.00"},
        {"sku": "CAP-01", "name": "Кепка", "quantity": 1, "price": "300.00"},
    ],
    "total": "1200.00",
    "currency": "UAH",
    "payment": "cod",
    "delivery": {"carrier": "nova_poshta", "city": "Київ", "point": "Відділення №12"},
    "language": "uk",
}

CUSTOMERS: Final = {
    "customer": (CUSTOMER_PHONE, "Олена Коваль"),
    "risky": (RISKY_PHONE, "Ірина Мельник"),
    "blacklisted": (BLACKLISTED_PHONE, "Петро Сидоренко"),
    "offline": (OFFLINE_PHONE, "Тарас Бондар"),
}


def name_of(phone: str) -> str:
    """The known customer's name for a phone (``+380…``), else empty."""
    return next((name for known, name in CUSTOMERS.values() if known == phone), "")


def example_order(number: int, who: str = "customer") -> dict[str, Any]:
    """The prefilled order of the shop panel: the next number, for one of the known customers."""
    phone, name = CUSTOMERS.get(who, CUSTOMERS["customer"])
    order = copy.deepcopy(ORDER_TEMPLATE)
    order["external_id"] = f"S-{number}"
    order["customer"] = {"phone": phone, "name": name, "telegram_id": None}
    return order
