"""Who lives in the sandbox: a customer, the managers' chat, and a past that makes risk visible."""

from __future__ import annotations

import copy
from dataclasses import dataclass
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
RETURN_ADDRESS: Final = "Нова пошта, Київ, відділення №5, ТОВ «Приклад», +380441234567"


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
# parcels (risky), Петро refused three of four (blacklisted).
HISTORY_CSV: Final = f"""external_id,phone,name,status,created_at,finished_at,total,carrier,city,refusal_reason
H-1,{RISKY_PHONE},Ірина Мельник,received,2026-08-02T10:15,2026-08-05T16:40,650.00,nova_poshta,Київ,
H-2,{RISKY_PHONE},Ірина Мельник,refused,2026-09-03T12:05,2026-09-08T11:20,1200.00,nova_poshta,Київ,mind
H-3,{RISKY_PHONE},Ірина Мельник,refused,2026-10-10T09:40,2026-10-15T18:10,980.00,nova_poshta,Київ,price
H-4,{BLACKLISTED_PHONE},Петро Сидоренко,refused,2026-07-01T10:00,2026-07-06T10:00,1500.00,nova_poshta,Одеса,
H-5,{BLACKLISTED_PHONE},Петро Сидоренко,refused,2026-08-01T10:00,2026-08-06T10:00,900.00,nova_poshta,Одеса,
H-6,{BLACKLISTED_PHONE},Петро Сидоренко,received,2026-09-01T10:00,2026-09-04T10:00,400.00,nova_poshta,Одеса,
H-7,{BLACKLISTED_PHONE},Петро Сидоренко,refused,2026-10-01T10:00,2026-10-06T10:00,2100.00,nova_poshta,Одеса,
"""

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
}


def example_order(number: int, who: str = "customer") -> dict[str, Any]:
    """The prefilled order of the shop panel: the next number, for one of the known customers."""
    phone, name = CUSTOMERS.get(who, CUSTOMERS["customer"])
    order = copy.deepcopy(ORDER_TEMPLATE)
    order["external_id"] = f"S-{number}"
    order["customer"] = {"phone": phone, "name": name, "telegram_id": None}
    return order
