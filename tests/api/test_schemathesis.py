"""Schemathesis against the shop API's own OpenAPI document, on a live app and a real database.

Every operation gets schemathesis's examples, coverage (boundary values, wrong types, missing
fields, wrong methods, no token) and fuzzing phases, positive and negative, with the shop's
bearer token. The checks: never a 5xx; every status code, content type, header and body as the
document says; invalid input refused with a 4xx; a call without the token refused; and
conformance both ways (``positive_data_acceptance``): a request the document allows is never
refused as invalid (no 422, no 400) — only 404 for a name that names nothing and 409 for a move
the stored state does not allow. The document's format ``phone`` gets its
generator from ``fuzz_inputs``, and ``fuzz_seed`` stores rows for the path parameters to name.
"""

from __future__ import annotations

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings

from bot.services.context import ServiceContext
from bot.web.openapi import build_document
from tests.api import fuzz_inputs
from tests.api.conftest import AUTH
from tests.api.fuzz_seed import seed
from tests.api.live import LiveApi

EXAMPLES_PER_OPERATION = 40

CONFIG = schemathesis.Config.from_dict(
    {
        "headers": AUTH,
        "generation": {
            "max-examples": EXAMPLES_PER_OPERATION,
            "deterministic": True,
            "database": "none",
        },
        # The document declares no links between operations; the state machines in
        # test_order_status_machine.py and test_return_status_machine.py cover sequences.
        "phases": {"stateful": {"enabled": False}},
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ["2xx", "401", "404", "409"]},
        },
    }
)
# The document as the app builds it; the test below proves the app serves exactly this one.
fuzz_inputs.register_formats()
schema = schemathesis.openapi.from_dict(build_document(), config=CONFIG)
fuzz_inputs.register(schema)


@pytest.fixture
def seeded_api(live_api: LiveApi, ctx: ServiceContext) -> LiveApi:
    """The live app with orders, parcels and returns stored (``fuzz_seed``)."""
    live_api.run(seed(live_api.db, ctx))
    return live_api


def test_the_fuzzed_document_is_the_served_one(live_api: LiveApi) -> None:
    served = requests.get(f"{live_api.base_url}/api/v1/openapi.json", timeout=10)

    assert served.status_code == 200
    assert served.json() == build_document()


@schema.parametrize()
# One app and database per operation: the rows the examples create stay for the next ones.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_api(case: schemathesis.Case, seeded_api: LiveApi) -> None:
    case.call_and_validate(base_url=seeded_api.base_url)
