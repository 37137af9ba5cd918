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

from collections.abc import Mapping
from typing import Any, Final

from bot.carriers.base import CarrierKeyRejected
from bot.carriers.novaposhta import values
from bot.carriers.novaposhta.api import NovaPoshtaApi, refusal, short
from bot.carriers.novaposhta.client import np_number
from bot.carriers.novaposhta.parse import Envelope
from bot.carriers.storage_extension import ExtensionOffer, ExtensionOrdered, ExtensionRefused

MODEL: Final = "AdditionalService"
CHECK: Final = "CheckPossibilityTermExtension"
ORDER_TYPE: Final = "orderTermExtension"
# Who pays and how (daaner's defaults for AdditionalService orders): the recipient, in cash at
# the branch — the customer asked for it and sees the cost before confirming.
PAYER_TYPE: Final = "Recipient"
PAYMENT_METHOD: Final = "Cash"
NOTE: Final = "Vykup: the customer asked to extend the storage"


class NovaPoshtaStorageExtension(NovaPoshtaApi):
    """A :class:`~bot.carriers.storage_extension.StorageExtension` for Nova Poshta."""

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
        envelope, _ = await self._post(MODEL, method, properties)
        if not envelope.success:
            reason = refusal(envelope)
            if isinstance(reason, CarrierKeyRejected):
                raise reason
            # NP answers a logical "no" with success:false and its reason (always HTTP 200).
            raise ExtensionRefused(short("; ".join(envelope.errors) or "no errors given"))
        return envelope
