"""Every TurboSMS response code in the refdata facts is taken on purpose."""

from __future__ import annotations

import pytest

from bot.channels.base import GatewayRejected, Refusal
from bot.channels.turbosms.client import (
    REFUSALS,
    SUCCESS_CODES,
    refusal_for,
    refusal_for_http,
    result_of,
)
from bot.standin.turbosms import STATUS_NAMES
from tests.channels.fakes.turbosms import load_facts, status_names


def test_every_code_in_the_facts_is_a_success_or_a_known_refusal() -> None:
    codes = {row["code"] for row in load_facts()["response_codes"]}
    assert codes == SUCCESS_CODES | set(REFUSALS)
    assert not SUCCESS_CODES & set(REFUSALS)


@pytest.mark.parametrize(
    ("code", "refusal"),
    [
        (103, Refusal.credentials),
        (105, Refusal.credentials),
        (106, Refusal.credentials),
        (301, Refusal.credentials),
        (203, Refusal.funds),
        (400, Refusal.sender),
        (401, Refusal.sender),
        (404, Refusal.recipient),
        (305, Refusal.recipient),
        (201, Refusal.bad_request),
        (306, Refusal.bad_request),
        (408, Refusal.bad_request),
        (413, Refusal.bad_request),
        (502, Refusal.bad_request),
        (503, Refusal.unavailable),
        (504, Refusal.unavailable),
        (999, Refusal.unavailable),
        (777, Refusal.unavailable),  # not in the facts: 5xx and up is the provider's trouble
        (250, Refusal.bad_request),
    ],
)
def test_refusals(code: int, refusal: Refusal) -> None:
    assert refusal_for(code) is refusal


@pytest.mark.parametrize(
    ("status", "refusal"),
    [
        (401, Refusal.credentials),
        (403, Refusal.credentials),
        (429, Refusal.unavailable),
        (408, Refusal.unavailable),
        (502, Refusal.unavailable),
        (404, Refusal.bad_request),
    ],
)
def test_http_statuses_in_front_of_the_api(status: int, refusal: Refusal) -> None:
    assert refusal_for_http(status) is refusal


def test_an_error_envelope_becomes_a_typed_refusal() -> None:
    raw = b'{"response_code": 105, "response_status": "REQUIRED_AUTH", "response_result": null}'
    with pytest.raises(GatewayRejected) as caught:
        result_of(raw, "https://api.example/user/balance.json")
    error = caught.value
    assert (error.code, error.message, error.status) == (105, "REQUIRED_AUTH", 200)
    assert error.credentials_refused and not error.worth_retrying and not error.bad_request


@pytest.mark.parametrize("raw", [b"<html>captive portal</html>", b"[]", b'{"response_code": "0"}'])
def test_a_body_without_an_envelope_is_worth_retrying(raw: bytes) -> None:
    with pytest.raises(GatewayRejected) as caught:
        result_of(raw, "https://api.example/message/send.json")
    assert caught.value.worth_retrying


def test_success_envelopes_give_their_result() -> None:
    assert result_of(b'{"response_code": 1, "response_status": "PONG"}', "u") is None
    partial = b'{"response_code": 802, "response_status": "X", "response_result": [1]}'
    assert result_of(partial, "u") == [1]


def test_the_standin_names_every_code_as_the_facts_do() -> None:
    # The stand-in ships in the package, without the facts: its copy of the names must not drift.
    assert dict(STATUS_NAMES) == status_names()
