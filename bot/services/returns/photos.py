"""Copies of return photos on disk, only when RETURN_PHOTOS_DIR asks for them.

Telegram keeps the photos; the database keeps their file ids. A shop that wants its own copies
(for a dispute, months later) gets ``<RETURN_PHOTOS_DIR>/R-000123/1.jpg, 2.jpg …``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.domain.returns import return_number
from storage.models import Return

log = logging.getLogger(__name__)


async def archive(bot: Bot, directory: Path, return_: Return) -> list[Path]:
    """Download the return's photos into their folder; a failed one is logged, not fatal."""
    folder = directory / return_number(return_.id)
    folder.mkdir(parents=True, exist_ok=True)
    saved = []
    for photo in return_.photos:
        target = folder / f"{photo.position + 1}.jpg"
        try:
            await bot.download(photo.file_id, destination=target)
        except (TelegramAPIError, OSError) as error:
            log.warning("could not keep photo %s of %s: %s", photo.position + 1, folder.name, error)
            continue
        saved.append(target)
    return saved
