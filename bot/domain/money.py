"""An amount in a currency, as a value: errors carry it, and whoever shows it formats it in the
reader's language (the shop API and the command line read it as ``1200.00 UAH``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
