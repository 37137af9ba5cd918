"""The message/send.json body built for each preference, and the answer's line read."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.channels.base import OutboundMessage
from bot.channels.turbosms.messages import (
    InvalidMessage,
    RecipientAnswer,
    recipient_answer,
    recipient_digits,
    send_body,
)
from bot.domain.outreach import ChannelPreference

MESSAGE = OutboundMessage(
    recipient="+380501234567",
    preference=ChannelPreference.viber_then_sms,
    sms_text="Замовлення 1042: підтвердіть t.me/x",
    viber_text="Замовлення 1042 у «Квіти Полтави». Підтвердіть або скасуйте.",
    viber_button_caption="Підтвердити",
    viber_button_url="https://vykup.example/c/tok",
    ttl=timedelta(minutes=10),
)


def body(message: OutboundMessage) -> dict[str, object]:
    return send_body(message, sms_sender="Vykup", viber_sender="Vykup Shop")


def test_hybrid_puts_both_blocks_in_one_request() -> None:
    assert body(MESSAGE) == {
        "recipients": ["380501234567"],
        "sms": {"sender": "Vykup", "text": MESSAGE.sms_text},
        "viber": {
            "sender": "Vykup Shop",
            "text": MESSAGE.viber_text,
            "ttl": 600,
            "caption": "Підтвердити",
            "action": "https://vykup.example/c/tok",
        },
    }


def test_sms_only_has_no_viber_block() -> None:
    assert body(replace(MESSAGE, preference=ChannelPreference.sms, viber_text=None)) == {
        "recipients": ["380501234567"],
        "sms": {"sender": "Vykup", "text": MESSAGE.sms_text},
    }


def test_viber_only_has_no_sms_block() -> None:
    built = body(replace(MESSAGE, preference=ChannelPreference.viber, sms_text=None))
    assert set(built) == {"recipients", "viber"}
    assert built["viber"] == body(MESSAGE)["viber"]


@pytest.mark.parametrize(
    ("caption", "url"), [("Підтвердити", None), (None, "https://x.example"), ("", "https://x")]
)
def test_the_button_needs_both_caption_and_url(caption: str | None, url: str | None) -> None:
    viber = body(replace(MESSAGE, viber_button_caption=caption, viber_button_url=url))["viber"]
    assert isinstance(viber, dict)
    assert "caption" not in viber and "action" not in viber


def test_a_caption_of_30_characters_goes_and_31_is_refused_here() -> None:
    viber = body(replace(MESSAGE, viber_button_caption="к" * 30))["viber"]
    assert isinstance(viber, dict) and viber["caption"] == "к" * 30
    with pytest.raises(InvalidMessage, match="30"):
        body(replace(MESSAGE, viber_button_caption="к" * 31))


def test_ttl_is_whole_seconds_and_left_out_when_not_given() -> None:
    viber = body(replace(MESSAGE, ttl=timedelta(seconds=90.7)))["viber"]
    assert isinstance(viber, dict) and viber["ttl"] == 90 and type(viber["ttl"]) is int
    viber = body(replace(MESSAGE, ttl=None))["viber"]
    assert isinstance(viber, dict) and "ttl" not in viber
    with pytest.raises(InvalidMessage):
        body(replace(MESSAGE, ttl=timedelta(0)))


def test_the_idempotency_key_becomes_sequence_id() -> None:
    assert body(replace(MESSAGE, idempotency_key="outbox-77"))["sequence_id"] == "outbox-77"
    assert "sequence_id" not in body(MESSAGE)


@pytest.mark.parametrize(
    ("preference", "missing"),
    [
        (ChannelPreference.sms, "sms_text"),
        (ChannelPreference.viber, "viber_text"),
        (ChannelPreference.viber_then_sms, "sms_text"),
        (ChannelPreference.viber_then_sms, "viber_text"),
    ],
)
def test_a_text_the_preference_needs_is_required(
    preference: ChannelPreference, missing: str
) -> None:
    with pytest.raises(InvalidMessage):
        body(replace(MESSAGE, preference=preference, **{missing: None}))  # type: ignore[arg-type]


@pytest.mark.parametrize("phone", ["380501234567", "+38 050 123 45 67", "+", "+12", "0501234567"])
def test_recipient_must_be_e164(phone: str) -> None:
    with pytest.raises(InvalidMessage):
        recipient_digits(phone)


def test_the_answer_line_is_read_from_the_list_or_the_object_keyed_by_phone() -> None:
    line = {"response_code": 800, "message_id": "bbb-222", "response_status": "ACCEPTED"}
    expected = RecipientAnswer(800, "ACCEPTED", "bbb-222")
    assert recipient_answer([{"phone": "380961111111", **line}], "380961111111") == expected
    assert recipient_answer({"380961111111": line}, "380961111111") == expected
    assert recipient_answer([{"phone": "380960000000", **line}], "380961111111") is None
    assert recipient_answer(None, "380961111111") is None
    refused = {"phone": "380961111111", "response_code": 404, "message_id": None}
    assert recipient_answer([refused], "380961111111") == RecipientAnswer(404, "", None)
