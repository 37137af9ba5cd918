"""The fake Nova Poshta's "extend free storage" desk: AdditionalService
CheckPossibilityTermExtension and save with OrderType orderTermExtension.

refdata/novaposhta names the two requests (from daaner/NovaPoshta) but holds no answer to
either. Where it is silent this desk follows the refdata's other AdditionalService samples: the
NP envelope (HTTP 200, success:false with errors/errorCodes for a "no" — the returns
error_example), save answering ``data: [{Number, Ref}]`` like the return orders; the check
answers ``data: [{StorageFinalDate, Cost}]`` as bot/carriers/novaposhta/storage.py expects.
It is strict: an unknown method, a missing field, a wrong OrderType or a save without a check
of the same number and date is refused.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from aiohttp import web

VALID_NUMBER = re.compile(r"^\d{14}$")
SAVE_FIELDS = frozenset(
    {"IntDocNumber", "OrderType", "PayerType", "StorageFinalDate", "PaymentMethod", "Note"}
)
# The returns error_example of the refdata (additional-services-and-storage-facts.json).
NOT_FOUND = ("Експрес-накладна не знайдена або не існує. Перевірте номер", "20000301849")
# No sample of a "not possible" answer exists: an error text of the kind NP gives.
NOT_POSSIBLE = "Продовження терміну зберігання для цієї накладної неможливе"


class StorageMode(StrEnum):
    normal = "normal"
    not_possible = "not_possible"  # success:false with NP's reason
    refused_save = "refused_save"  # the check passes, the save is refused
    slow = "slow"  # never answers: client timeouts
    garbage = "garbage"  # HTTP 200 with an HTML page
    no_date = "no_date"  # success:true, data[0] without StorageFinalDate


@dataclass
class StorageDesk:
    mode: StorageMode = StorageMode.normal
    offers: dict[str, tuple[date, Decimal]] = field(default_factory=dict)  # number → terms
    checked: set[tuple[str, str]] = field(default_factory=set)
    orders: list[dict[str, Any]] = field(default_factory=list)  # every save taken
    requests: list[dict[str, Any]] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def offer(self, number: str, last_day: date, cost: Decimal | str) -> None:
        self.offers[number] = (last_day, Decimal(cost))

    async def handle(self, body: dict[str, Any]) -> web.StreamResponse:
        self.requests.append(body)
        if self.mode is StorageMode.slow:
            await self.release.wait()
        if self.mode is StorageMode.garbage:
            return web.Response(text="<html>Технічні роботи</html>", content_type="text/html")
        return web.json_response(self.answer(body))

    def answer(self, body: dict[str, Any]) -> dict[str, Any]:
        props = body.get("methodProperties")
        if not body.get("apiKey"):
            return refusal("API auth fail")
        if not isinstance(props, dict):
            return refusal("MethodProperties is not an object")
        number = props.get("IntDocNumber")
        if not isinstance(number, str) or not VALID_NUMBER.match(number):
            return refusal("IntDocNumber is invalid")
        method = body.get("calledMethod")
        if method == "CheckPossibilityTermExtension":
            return self._check(number)
        if method == "save":
            return self._save(number, props)
        return refusal(f"Method {method} is not supported")

    def _check(self, number: str) -> dict[str, Any]:
        if number not in self.offers:
            return refusal(*NOT_FOUND)
        if self.mode is StorageMode.not_possible:
            return refusal(NOT_POSSIBLE)
        last_day, cost = self.offers[number]
        self.checked.add((number, last_day.strftime("%d.%m.%Y")))
        terms: dict[str, Any] = {"StorageFinalDate": last_day.strftime("%d.%m.%Y")}
        if self.mode is StorageMode.no_date:
            terms = {"Cost": str(cost)}
        else:
            terms["Cost"] = str(cost)
        return success([terms])

    def _save(self, number: str, props: dict[str, Any]) -> dict[str, Any]:
        missing = SAVE_FIELDS - props.keys()
        if missing:
            return refusal(f"{sorted(missing)[0]} is required")
        if props["OrderType"] != "orderTermExtension":
            return refusal("OrderType is invalid")
        if (number, props["StorageFinalDate"]) not in self.checked:
            return refusal("StorageFinalDate is invalid")
        if self.mode is StorageMode.refused_save:
            return refusal(NOT_POSSIBLE)
        self.orders.append(props)
        order_number = f"102-{len(self.orders):08d}"
        return success([{"Number": order_number, "Ref": f"ref-{order_number}"}])


def success(data: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "success": True,
        "data": data,
        "errors": [],
        "warnings": [],
        "info": [],
        "messageCodes": [],
        "errorCodes": [],
        "warningCodes": [],
        "infoCodes": [],
    }


def refusal(error: str, code: str | None = None) -> dict[str, Any]:
    answer = success([])
    answer.update(success=False, errors=[error], errorCodes=[code] if code else [])
    return answer
