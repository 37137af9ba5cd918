"""A local fake of api.novaposhta.ua answering getStatusDocuments from the real samples.

Per requested DocumentNumber it answers with the sample document of that number (the variant
that matches the phone sent, like NP, which shows full details only for the right phone), with
a document registered by the test, or with the sample's "number not found" document. Numbers
that are not 14 digits make it refuse the whole request the way NP does. ``mode`` breaks it.
"""

from __future__ import annotations

import asyncio
import copy
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from aiohttp import web

from tests.carriers import refdata
from tests.carriers.fake_np_storage import StorageDesk

PATH = "/v2.0/json/"
VALID_NUMBER = re.compile(r"^\d{14}$")
PHONE_FIELDS = ("PhoneRecipient", "PhoneSender")
# No sample of these answers exists (refdata/novaposhta is silent on them): the error sample's
# shape with texts of the kind NP gives; a key NP no longer takes is refused as expired.
KEY_REJECTED = "API key expired"
REFUSED = "Service is temporarily unavailable"


class Mode(StrEnum):
    normal = "normal"
    slow = "slow"  # never answers (until the server closes): for client timeouts
    server_error = "server_error"  # HTTP 500 with an HTML page
    not_json = "not_json"  # HTTP 200 with an HTML page
    refused = "refused"  # success:false with an error about neither a number nor the key
    bad_number = "bad_number"  # the sample "Document number is not correct", for any request
    wrong_types = "wrong_types"  # every document with fields of the wrong type, plus junk items
    no_data = "no_data"  # success:true without "data"
    data_not_list = "data_not_list"  # "data" is an object
    not_object = "not_object"  # the JSON answer is a list
    not_found = "not_found"  # every number answered with the "number not found" document


@dataclass
class Samples:
    documents: dict[str, list[dict[str, Any]]]  # Number → the sample variants of that document
    envelope: dict[str, Any]  # a successful answer with no documents and no warnings
    not_found: dict[str, Any]
    error: dict[str, Any]
    error_invalid_number: dict[str, Any]
    phone_warning: str

    warehouse: dict[str, Any] = field(default_factory=dict)  # the getWarehouses sample's branch
    warehouses_envelope: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Samples:
        documents: dict[str, list[dict[str, Any]]] = {}
        not_found: dict[str, Any] | None = None
        phone_warning = ""
        for name in refdata.STATUS_SAMPLES:
            answer = refdata.load(name)
            for doc in answer["data"]:
                if doc["StatusCode"] == "3":
                    not_found = doc
                else:
                    documents.setdefault(doc["Number"], []).append(doc)
            for warning in answer["warnings"]:
                phone_warning = phone_warning or next(iter(warning.values()))
        assert not_found is not None and phone_warning
        envelope = refdata.load(refdata.STATUS9_WITH_PHONE)
        envelope.update(data=[], warnings=[])
        warehouses = refdata.load(refdata.WAREHOUSES)
        warehouse = warehouses["data"][0]
        warehouses.update(data=[], info={"totalCount": 0})
        return cls(
            warehouse=warehouse,
            warehouses_envelope=warehouses,
            documents=documents,
            envelope=envelope,
            not_found=not_found,
            error=refdata.load(refdata.ERROR),
            error_invalid_number=refdata.load(refdata.ERROR_INVALID_NUMBER),
            phone_warning=phone_warning,
        )

    def template(self, number: str = "20400048799001") -> dict[str, Any]:
        """A copy of a sample document to build registered documents from."""
        return copy.deepcopy(self.documents[number][0])


@dataclass
class FakeNovaPoshta:
    samples: Samples
    mode: Mode = Mode.normal
    name_invalid_numbers: bool = True  # like the romabilka sample; False: like platx (unnamed)
    requests: list[dict[str, Any]] = field(default_factory=list)
    registered: dict[str, dict[str, Any]] = field(default_factory=dict)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    rejected_keys: set[str] = field(default_factory=set)  # answered KEY_REJECTED
    warehouses: FakeWarehouses = field(init=False)
    storage: StorageDesk = field(default_factory=StorageDesk)  # "extend free storage" requests

    def __post_init__(self) -> None:
        self.warehouses = FakeWarehouses(self.samples)

    @property
    def warehouse_requests(self) -> list[dict[str, Any]]:
        return [body for body in self.requests if body.get("calledMethod") == "getWarehouses"]

    def register(self, number: str, status_code: str | int, **fields: Any) -> dict[str, Any]:
        """Answer ``number`` with a sample document changed to this status and these fields."""
        doc = self.samples.template()
        doc.update(Number=number, StatusCode=status_code, **fields)
        self.registered[number] = doc
        return doc

    @property
    def requested_numbers(self) -> list[list[str]]:
        return [
            [item["DocumentNumber"] for item in body["methodProperties"]["Documents"]]
            for body in self.requests
            if body.get("modelName") == "TrackingDocument"
        ]

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        if body.get("modelName") == "AdditionalService":
            return await self.storage.handle(body)
        self.requests.append(body)
        if self.mode is Mode.slow:
            await self.release.wait()
        if self.mode is Mode.server_error:
            return web.Response(status=500, text="<html>500 Internal Server Error</html>")
        if self.mode is Mode.not_json:
            return web.Response(text="<html>Технічні роботи</html>", content_type="text/html")
        if self.mode is Mode.not_object:
            return web.json_response([])
        return web.json_response(self.answer(body))

    def answer(self, body: dict[str, Any]) -> dict[str, Any]:
        if not body.get("apiKey"):
            return self._refusal("API auth fail")
        if (body.get("modelName"), body.get("calledMethod")) == ("Address", "getWarehouses"):
            if body["apiKey"] in self.rejected_keys:
                return self._refusal(KEY_REJECTED)
            return self.warehouses.answer(body, self.mode)
        if body.get("modelName") != "TrackingDocument":
            return self._refusal("API auth fail")
        if body["apiKey"] in self.rejected_keys:
            return self._refusal(KEY_REJECTED)
        documents = body["methodProperties"]["Documents"]
        if self.mode is Mode.refused:
            return self._refusal(REFUSED)
        invalid = [
            d["DocumentNumber"] for d in documents if not VALID_NUMBER.match(d["DocumentNumber"])
        ]
        if self.mode is Mode.bad_number or invalid:
            return self._bad_number(invalid)
        answer = copy.deepcopy(self.samples.envelope)
        for item in documents:
            doc, hidden = self._document(item["DocumentNumber"], item.get("Phone"))
            answer["data"].append(doc)
            if hidden:
                key = f"ID_{item['DocumentNumber']}"
                answer["warnings"].append({key: self.samples.phone_warning})
        if self.mode is Mode.wrong_types:
            answer["data"] = [garble(doc) for doc in answer["data"]] + junk()
        if self.mode is Mode.no_data:
            del answer["data"]
        if self.mode is Mode.data_not_list:
            answer["data"] = {"0": answer["data"]}
        return answer

    def _document(self, number: str, phone: str | None) -> tuple[dict[str, Any], bool]:
        """The document for ``number`` and whether details were hidden for a wrong phone."""
        if self.mode is Mode.not_found:
            return self._not_found(number), False
        if number in self.registered:
            return copy.deepcopy(self.registered[number]), False
        variants = self.samples.documents.get(number)
        if not variants:
            return self._not_found(number), True
        for variant in variants:
            if phone and phone in (variant.get(name) for name in PHONE_FIELDS):
                return copy.deepcopy(variant), False
        bare = [v for v in variants if not any(v.get(name) for name in PHONE_FIELDS)]
        return copy.deepcopy((bare or variants)[0]), True

    def _not_found(self, number: str) -> dict[str, Any]:
        return {**copy.deepcopy(self.samples.not_found), "Number": number}

    def _refusal(self, error: str) -> dict[str, Any]:
        # The shape of the platx error sample with another error text (no sample of it exists).
        return {**copy.deepcopy(self.samples.error), "errors": [error], "errorCodes": []}

    def _bad_number(self, invalid: list[str]) -> dict[str, Any]:
        if not self.name_invalid_numbers:
            return copy.deepcopy(self.samples.error)
        answer = copy.deepcopy(self.samples.error_invalid_number)
        answer["warnings"] = [f"Invalid DocumentNumber: {number}" for number in invalid]
        return answer


def garble(doc: dict[str, Any]) -> dict[str, Any]:
    """Every kind of wrong type NP could send, keeping the number and the code readable."""
    garbled = dict(doc)
    garbled.update(
        Number=int(doc["Number"]),  # a number instead of a string: still readable
        StatusCode=int(doc["StatusCode"]),  # likewise
        Status={"uk": doc.get("Status")},
        DateScan=1646745360,
        TrackingUpdateDate=["2022-03-08 15:16:53"],
        RecipientDateTime=None,
        ScheduledDeliveryDate=True,
        AdjustedDate={"date": "2022-03-07"},
        DatePayedKeeping=20220316,
        RecipientAddress=["м. Шир"],
        WarehouseRecipient={"ua": "Відділення №1"},
        AfterpaymentOnGoodsCost=[500],
        RedeliverySum="five hundred",
        PossibilityTermExtension="maybe",
    )
    return garbled


def junk() -> list[Any]:
    return ["garbage", 42, None, [], {"Number": {"x": 1}, "StatusCode": "9"}, {"StatusCode": "7"}]


class FakeWarehouses:
    """``Address.getWarehouses`` as NP answers it (refdata/novaposhta: the platx request and
    response samples; the filters as NP's devcenter page lists them): the directory starts with
    the sample's branch (Київ, №1) and tests add more with :meth:`add`.

    Filters: ``CityName`` (the city's name, any case — refdata does not say whether NP matches
    more loosely), ``CityRef``, ``Ref``, ``WarehouseId`` (the number), ``TypeOfWarehouseRef`` and
    ``FindByString`` (in the description; named in NP's current docs, absent from refdata);
    ``Limit``/``Page`` page the matches and ``info.totalCount`` counts them all.
    """

    def __init__(self, samples: Samples) -> None:
        self.samples = samples
        self.directory: list[dict[str, Any]] = [copy.deepcopy(samples.warehouse)]

    def add(
        self,
        city: str,
        number: int | str,
        street: str,
        *,
        locker: bool = False,
        city_ref: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """A branch (or a parcel locker) like the sample's, in ``city`` at ``street``."""
        raw = copy.deepcopy(self.samples.warehouse)
        kind = "Поштомат" if locker else "Відділення"
        raw.update(
            Ref=str(uuid.uuid4()),
            Number=str(number),
            Description=f"{kind} №{number}: {street}",
            ShortAddress=f"{city}, {street}",
            CityDescription=city,
            SettlementDescription=city,
            CityRef=city_ref or str(uuid.uuid5(uuid.NAMESPACE_URL, city)),
            CategoryOfWarehouse="Postomat" if locker else "Branch",
            TypeOfWarehouse=LOCKER_TYPE if locker else raw["TypeOfWarehouse"],
            PlaceMaxWeightAllowed="20" if locker else "30",
            TotalMaxWeightAllowed="0",
        )
        raw.update(fields)
        self.directory.append(raw)
        return raw

    def matches(self, properties: dict[str, Any]) -> list[dict[str, Any]]:
        def keep(raw: dict[str, Any]) -> bool:
            for name, value in properties.items():
                if value in (None, "") or name not in FILTERS:
                    continue
                field_name, how = FILTERS[name]
                have, wanted = str(raw.get(field_name, "")), str(value)
                if how == "same" and have != wanted:
                    return False
                if how == "any case" and have.casefold() != wanted.casefold():
                    return False
                if how == "contains" and wanted.casefold() not in have.casefold():
                    return False
            return True

        return [raw for raw in self.directory if keep(raw)]

    def answer(self, body: dict[str, Any], mode: Mode) -> dict[str, Any]:
        if mode is Mode.refused:
            return {
                **copy.deepcopy(self.samples.error),
                "errors": [REFUSED],
                "errorCodes": [],
            }
        properties = body.get("methodProperties") or {}
        found = self.matches(properties)
        limit = int(properties.get("Limit") or 0) or len(found) or 1
        page = max(int(properties.get("Page") or 1), 1)
        answer = copy.deepcopy(self.samples.warehouses_envelope)
        answer["data"] = copy.deepcopy(found[(page - 1) * limit : page * limit])
        answer["info"] = {"totalCount": len(found)}
        if mode is Mode.wrong_types:
            answer["data"] = [garble_warehouse(raw) for raw in answer["data"]] + junk()
        if mode is Mode.no_data:
            del answer["data"]
        if mode is Mode.data_not_list:
            answer["data"] = {"0": answer["data"]}
        return answer


# getWarehouses filter → (the warehouse's field, how it matches).
FILTERS = {
    "CityName": ("CityDescription", "any case"),
    "CityRef": ("CityRef", "same"),
    "Ref": ("Ref", "same"),
    "WarehouseId": ("Number", "same"),
    "TypeOfWarehouseRef": ("TypeOfWarehouse", "same"),
    "FindByString": ("Description", "contains"),
}

# A parcel locker's TypeOfWarehouse (refdata: "Поштомат", from third-party code).
LOCKER_TYPE = "f9316480-5f2d-425d-bc2c-ac7cd29decf0"


def garble_warehouse(raw: dict[str, Any]) -> dict[str, Any]:
    """Wrong types NP could send, keeping Ref and Description readable."""
    garbled = dict(raw)
    garbled.update(
        Number=int(raw["Number"]),
        WarehouseStatus=["Working"],
        PlaceMaxWeightAllowed={"kg": 30},
        TotalMaxWeightAllowed="lots",
        CategoryOfWarehouse=None,
        ShortAddress={"ua": raw["ShortAddress"]},
        DenyToSelect="maybe",
    )
    return garbled


@asynccontextmanager
async def serve(fake: FakeNovaPoshta) -> AsyncIterator[str]:
    """Serve ``fake`` on 127.0.0.1, port 0; yield the API URL."""
    app = web.Application()
    app.router.add_post(PATH, fake.handle)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}{PATH}"
    finally:
        fake.release.set()
        fake.storage.release.set()
        await runner.cleanup()
