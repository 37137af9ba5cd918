"""sendPhoto uploads: the spec's size and dimension limits, real dimensions, the bytes kept."""

from __future__ import annotations

import io

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile
from PIL import Image

from bot.standin import FakeUser, TelegramStandin


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, format="PNG")
    return buffer.getvalue()


async def test_an_uploaded_png_keeps_its_bytes_and_dimensions(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    content = png(900, 900)
    sent = await bot.send_photo(olena.id, BufferedInputFile(content, "chart.png"))
    assert sent.photo is not None
    assert (sent.photo[-1].width, sent.photo[-1].height) == (900, 900)
    assert (sent.photo[0].width, sent.photo[0].height) == (90, 90)
    assert standin.file_content(sent.photo[-1].file_id) == content

    wide = await bot.send_photo(olena.id, BufferedInputFile(png(2000, 100), "wide.png"))
    assert wide.photo is not None
    assert (wide.photo[-1].width, wide.photo[-1].height) == (1280, 64)  # ratio 20: allowed
    standin.assert_no_violations()


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (png(9000, 1001), "PHOTO_INVALID_DIMENSIONS"),  # width + height over 10000
        (png(2100, 100), "PHOTO_INVALID_DIMENSIONS"),  # ratio over 20
        (png(1, 1) + b"\0" * (10 * 1024 * 1024), "PHOTO_SAVE_FILE_INVALID"),  # over 10 MB
    ],
)
async def test_photos_beyond_the_limits_are_refused(
    standin: TelegramStandin, bot: Bot, olena: FakeUser, content: bytes, error: str
) -> None:
    with pytest.raises(TelegramBadRequest, match=error):
        await bot.send_photo(olena.id, BufferedInputFile(content, "big.png"))
    assert [call.kind for call in standin.violations] == ["validation"]
    assert standin.sent_count(olena.id) == 0
