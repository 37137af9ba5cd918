"""How long Ukrposhta keeps a parcel free of charge, since its tracking does not say.

Ukrposhta's StatusTracking answer has no paid-storage date (refdata ``status_object`` lists every
field; none is a date but the event's), so the first day of paid storage is derived from the
arrival by Ukrposhta's published rule: storage is free for **5 working days after the day the
parcel arrived at the office**; from the next day on every day is paid.

Sources (refdata/ukrposhta is silent on storage):

- Ukrposhta's tariffs for "Укрпошта Стандарт", as republished at https://eto.com.ua/stoimost-dostavki-ukrposhta/:
  "Зберігання відправлення понад 5 робочих днів (за кожну добу) — 10 грн/доба, але не більше ніж
  50 грн".
- Ukrposhta's order No. 659 of 23.12.2010 on tariffs, quoted at
  https://shophelp.ru/forum/threads/ukraina-voprosy-po-dostavke-i-tamozhne-zakazov-iherb-3.71043/page-77:
  storage of a parcel "свыше 5 рабочих дней после поступления отправления" is paid per day; the
  parcel is kept 30 days, then sent back.

Working days are Monday to Friday. Public holidays are not skipped: under martial law they are
working days in Ukraine, and a reminder a day early is better than a day late.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

FREE_WORKING_DAYS: Final = 5
KEPT_DAYS: Final = 30  # then the parcel goes back to the sender (order No. 659, above)
_SATURDAY: Final = 5


def paid_storage_from(arrived: date) -> date:
    """The first paid day for a parcel that arrived on ``arrived`` (a day in Kyiv).

    Arrived on Monday 2026-11-16 → free Tue 17 … Mon 23 (five working days) → paid from Tue 24.
    """
    day = arrived
    left = FREE_WORKING_DAYS
    while left:
        day += timedelta(days=1)
        if day.weekday() < _SATURDAY:
            left -= 1
    return day + timedelta(days=1)
