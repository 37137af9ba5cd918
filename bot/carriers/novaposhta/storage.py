"""Nova Poshta "extend free storage": AdditionalService.CheckPossibilityTermExtension, then save
with OrderType ``orderTermExtension``.

Sources: refdata/novaposhta/additional-services-and-storage-facts.json ("storage_extension"),
which found this pair in one client library only (daaner/NovaPoshta: the check takes
``IntDocNumber``; the save takes ``IntDocNumber, OrderType, PayerType, StorageFinalDate,
PaymentMethod, Note``) and not in Nova Poshta's own docs. Neither shows an *answer*. Where the
refdata is silent this module follows the sibling AdditionalService methods of the same refdata
(the envelope of every NP answer; ``save`` answering ``data: [{Number, Ref}]`` like the return
and redirect orders) and, for the check, expects ``data[0]`` to carry the date it allows as
``StorageFinalDate`` (the save's field name) and the price as ``Cost``. Anything else — no data,
no date, a date not after today's last free day — is treated as "not possible", so Vykup only
ever acts behind a check it understood; the manager gets the task otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

import aiohttp

from bot.carriers.base import CarrierKeyRejected, CarrierUnavailable
from bot.carriers.novaposhta import values
from bot.carriers.novaposhta.client import DEFAULT_API_URL, KEY_ERROR, np_number
from bot.carriers.novaposhta.parse import Envelope, MalformedResponse, read_envelope
from bot.carriers.storage_extension import ExtensionOffer, ExtensionOrdered, ExtensionRefused

MODEL: Final = "AdditionalService"
CHECK: Final = "CheckPossibilityTermExtension"
ORDER_TYPE: Final = "orderTermExtension"
# Who pays and how (daaner's defaults for AdditionalService orders): the recipient, in cash at
# the branch — the customer asked for it and sees the cost before confirming.
PAYER_TYPE: Final = "Recipient"
PAYMENT_METHOD: Final = "Cash"
NOTE: Final = "Vykup: the customer asked to extend the storage"
MAX_REASON: Final = 300


def _short(text: str) -> str:
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


class NovaPoshtaStorageExtension:
    """A :class:`~bot.carriers.storage_extension.StorageExtension` for Nova Poshta."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        *,
        api_key: str,
        api_url: str = DEFAULT_API_URL,
        timeout: float = 15.0,
    ) -> None:
        self._http = http
        self._api_key = api_key
        self._api_url = api_url
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    def __repr__(self) -> str:  # never show the key
        return f"NovaPoshtaStorageExtension(api_url={self._api_url!r})"

    async def check_extension(self, tracking_number: str) -> ExtensionOffer:
        number = np_number(tracking_number)
        envelope = await self._call(CHECK, {"IntDocNumber": number})
        first = envelope.documents[0] if envelope.documents else None
        if not isinstance(first, Mapping):
            raise ExtensionRefused("Nova Poshta gave no extension terms")
        last_day = values.day(first.get("StorageFinalDate"))
        if last_day is None:
            raise ExtensionRefused("Nova Poshta gave no new storage date")
        return ExtensionOffer(
            tracking_number=number, last_free_day=last_day, cost=values.decimal(first.get("Cost"))
        )

    async def order_extension(self, offer: ExtensionOffer) -> ExtensionOrdered:
        envelope = await self._call(
            "save",
            {
                "IntDocNumber": offer.tracking_number,
                "OrderType": ORDER_TYPE,
                "PayerType": PAYER_TYPE,
                "PaymentMethod": PAYMENT_METHOD,
                "StorageFinalDate": offer.last_free_day.strftime("%d.%m.%Y"),
                "Note": NOTE,
            },
        )
        first = envelope.documents[0] if envelope.documents else None
        reference = None
        if isinstance(first, Mapping):
            reference = values.text(first.get("Number")) or values.text(first.get("Ref"))
        return ExtensionOrdered(offer.tracking_number, offer.last_free_day, reference)

    async def _call(self, method: str, properties: dict[str, Any]) -> Envelope:
        body = {
            "apiKey": self._api_key,
            "modelName": MODEL,
            "calledMethod": method,
            "methodProperties": properties,
        }
        try:
            async with self._http.post(self._api_url, json=body, timeout=self._timeout) as resp:
                status = resp.status
                raw = await resp.read()
        except TimeoutError as exc:
            raise CarrierUnavailable(f"no answer within {self._timeout.total} s") from exc
        except aiohttp.ClientError as exc:
            raise CarrierUnavailable(f"connection failed: {type(exc).__name__}") from exc
        if status >= 400:
            raise CarrierUnavailable(f"HTTP {status}")
        try:
            envelope = read_envelope(json.loads(raw))
        except (ValueError, MalformedResponse) as exc:
            raise CarrierUnavailable(f"unexpected answer: {exc}") from exc
        if not envelope.success:
            errors = "; ".join(envelope.errors) or "no errors given"
            if any(KEY_ERROR.search(error) for error in envelope.errors):
                raise CarrierKeyRejected(_short(f"Nova Poshta refused: {errors}"))
            # NP answers a logical "no" with success:false and its reason (always HTTP 200).
            raise ExtensionRefused(_short(errors))
        return envelope
