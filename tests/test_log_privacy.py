from __future__ import annotations

import logging

import pytest

from bot.log_privacy import PhoneMaskingFilter, mask_phones, mask_private


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("customer +380501234567 blocked the bot", "customer +38050***4567 blocked the bot"),
        ("called 0501234567 twice", "called 050***4567 twice"),
        ("order A-1001, waybill 20450000000000", "order A-1001, waybill 20450000000000"),
        ("chat -1001234567890", "chat -1001234567890"),
    ],
)
def test_phones_are_masked_and_other_numbers_kept(text: str, expected: str) -> None:
    assert mask_phones(text) == expected


def test_the_filter_masks_formatted_records(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("vykup.test.privacy")
    caplog.handler.addFilter(PhoneMaskingFilter())
    with caplog.at_level(logging.INFO, logger=logger.name):
        logger.info("linked %s to chat %d", "+380501234567", 5001)
    assert caplog.messages == ["linked +38050***4567 to chat 5001"]
    assert "+380501234567" not in caplog.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("refund to UA213223130000026007233566001 queued", "refund to UA21***6001 queued"),
        ("IBAN UA21 3223 1300 0002 6007 2335 6600 1, done", "IBAN UA21***6001, done"),
        ("GB33BUKB20201555555555 and +380501234567", "GB33***5555 and +38050***4567"),
        ("order UA-1001, waybill 20450000000000", "order UA-1001, waybill 20450000000000"),
        ("status AB12 and HTTP 503", "status AB12 and HTTP 503"),
    ],
)
def test_ibans_are_masked_with_phones(text: str, expected: str) -> None:
    assert mask_private(text) == expected


def test_the_filter_masks_ibans_too(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("vykup.test.privacy")
    caplog.handler.addFilter(PhoneMaskingFilter())
    with caplog.at_level(logging.INFO, logger=logger.name):
        logger.info("refund of return %d to %s", 7, "UA213223130000026007233566001")
    assert caplog.messages == ["refund of return 7 to UA21***6001"]
