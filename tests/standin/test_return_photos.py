"""RETURN_PHOTOS_DIR: the return's photos, downloaded from Telegram into the return's folder."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from aiogram import Bot

from bot.services.returns.photos import archive
from bot.standin import FakeUser
from bot.standin.media import TINY_PNG


async def test_photos_are_kept_in_the_returns_folder(bot: Bot, olena: FakeUser, tmp_path: Path):
    album = olena.send_album(2)
    photos = [
        SimpleNamespace(file_id=message.photo[-1]["file_id"], position=index)
        for index, message in enumerate(album)
    ]
    photos.append(SimpleNamespace(file_id="no-such-file", position=2))
    return_ = SimpleNamespace(id=123, photos=photos)

    saved = await archive(bot, tmp_path, return_)  # type: ignore[arg-type]

    folder = tmp_path / "R-000123"
    assert saved == [folder / "1.jpg", folder / "2.jpg"]  # the unknown file is skipped, logged
    assert [path.read_bytes() for path in saved] == [TINY_PNG, TINY_PNG]
