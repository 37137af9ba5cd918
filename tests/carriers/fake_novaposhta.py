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
        return cls(
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
    storage: StorageDesk = field(default_factory=StorageDesk)  # "extend free storage" requests

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
        if body.get("modelName") != "TrackingDocument" or not body.get("apiKey"):
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
