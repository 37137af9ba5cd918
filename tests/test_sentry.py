"""SENTRY_DSN: every event leaves with phones and IBANs masked as in the logs; nothing is sent
over the network here (a transport that keeps the envelopes stands in for Sentry's)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
import sentry_sdk
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from bot.sentry import before_send, init_sentry

PHONE = "+380501234567"
IBAN = "UA213223130000026007233566001"
DSN = "https://public@sentry.example.invalid/1"


def realistic_event() -> dict[str, Any]:
    """The shape of an event the aiohttp and logging integrations send (trimmed)."""
    return {
        "level": "error",
        "logger": "bot.web.errors",
        "logentry": {
            "message": "refund for %s to %s failed",
            "params": [PHONE, IBAN],
            "formatted": f"refund for {PHONE} to {IBAN} failed",
        },
        "exception": {
            "values": [
                {
                    "type": "IllegalTransition",
                    "value": f"customer {PHONE}: refund to UA21 3223 1300 0002 6007 2335 6600 1",
                    "stacktrace": {
                        "frames": [
                            {
                                "filename": "bot/services/returns/refund.py",
                                "lineno": 42,
                                "vars": {"phone": f"'{PHONE}'", "amount": 1200, "ok": False},
                            }
                        ]
                    },
                }
            ]
        },
        "request": {
            "method": "POST",
            "url": "http://127.0.0.1:8080/api/v1/orders",
            "data": {"customer": {"phone": "0501234567", "name": "Олена"}, "iban": IBAN},
            "headers": {"Content-Type": "application/json"},
        },
        "breadcrumbs": {
            "values": [
                {"category": "bot.delivery", "message": f"outbox 7 sent (chat 5001, {PHONE})"},
            ]
        },
        "extra": {"chat_id": -1001234567890, "waybill": "20450000000000"},
    }


def test_before_send_masks_every_string_and_keeps_the_rest() -> None:
    event = before_send(realistic_event(), {})  # type: ignore[arg-type]
    assert event is not None
    text = json.dumps(event, ensure_ascii=False)
    for secret in (PHONE, "0501234567", IBAN, "3223 1300 0002"):
        assert secret not in text
    # (params, or the message already formatted by the logs' own masking filter: masked either way)
    entry = json.dumps(event["logentry"], ensure_ascii=False)
    assert "+38050***4567" in entry and "UA21***6001" in entry
    assert event["logentry"]["formatted"] == "refund for +38050***4567 to UA21***6001 failed"
    (exception,) = event["exception"]["values"]
    assert exception["value"] == "customer +38050***4567: refund to UA21***6001"
    (frame,) = exception["stacktrace"]["frames"]
    assert frame["vars"] == {"phone": "'+38050***4567'", "amount": 1200, "ok": False}
    assert frame["lineno"] == 42
    assert event["request"]["data"] == {
        "customer": {"phone": "050***4567", "name": "Олена"},
        "iban": "UA21***6001",
    }
    assert (
        event["breadcrumbs"]["values"][0]["message"] == "outbox 7 sent (chat 5001, +38050***4567)"
    )
    assert event["extra"] == {"chat_id": -1001234567890, "waybill": "20450000000000"}


class Kept(Transport):
    """Keeps what would be sent to Sentry."""

    envelopes: ClassVar[list[Envelope]] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        Kept.envelopes.append(envelope)


@pytest.fixture
def sentry() -> Iterator[None]:
    Kept.envelopes = []
    yield
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


@pytest.mark.usefixtures("sentry")
def test_an_error_logged_reaches_sentry_masked_and_sentry_starts_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.test.sentry")
    assert init_sentry(DSN, transport=Kept) is True
    assert init_sentry(DSN, transport=Kept) is False  # once per process

    log = logging.getLogger("bot.test.sentry")
    log.info("return 7 of %s: refund asked", PHONE)  # a breadcrumb of the event below
    log.error("refund for %s to %s failed", PHONE, IBAN)
    sentry_sdk.get_client().flush(timeout=5)

    (envelope,) = Kept.envelopes  # one event, and no separate log item
    event = envelope.get_event()
    assert event is not None and event["level"] == "error"
    # (params, or the message already formatted by the logs' own masking filter: masked either way)
    entry = json.dumps(event["logentry"], ensure_ascii=False)
    assert "+38050***4567" in entry and "UA21***6001" in entry
    crumbs = [crumb["message"] for crumb in event["breadcrumbs"]["values"]]
    assert "return 7 of +38050***4567: refund asked" in crumbs
    text = json.dumps(event, ensure_ascii=False, default=str)
    assert PHONE not in text and IBAN not in text
