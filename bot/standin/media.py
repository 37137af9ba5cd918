"""Photos: uploaded bytes, URLs and file_ids turned into PhotoSize arrays.

sendPhoto (spec): "The photo must be at most 10 MB in size. The photo's width and height must not
exceed 10000 in total. Width and height ratio must be at most 20."
"""

from __future__ import annotations

import struct
from typing import Any

from bot.standin.errors import (
    PHOTO_INVALID_DIMENSIONS,
    PHOTO_TOO_BIG,
    WRONG_FILE_ID,
    bad_request,
)
from bot.standin.params import Upload
from bot.standin.state import World

_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"RIFF")
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # spec: "at most 10 MB in size"
MAX_PHOTO_SIDES = 10_000  # spec: width + height
MAX_PHOTO_RATIO = 20  # spec: width and height ratio
MAX_PHOTO_SIDE = 1280  # the largest PhotoSize the stand-in reports (the stand-in's choice)
#: the smallest valid PNG (1x1, transparent) — handy for tests and user photos
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)


def new_photo_set(
    world: World, content: bytes, width: int = 1280, height: int = 960
) -> list[dict[str, Any]]:
    """Register a photo as Telegram does: a thumbnail and the full size."""
    thumb_w, thumb_h = (
        max(1, width * 90 // max(width, height)),
        max(1, height * 90 // max(width, height)),
    )
    thumb = world.new_file(content, width=thumb_w, height=thumb_h)
    full = world.new_file(content, width=width, height=height)
    sizes = [thumb.photo_size(), full.photo_size()]
    for size in sizes:
        world.photo_sets[size["file_id"]] = sizes
    return sizes


def image_size(content: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG or GIF header; None for other formats."""
    if (
        content.startswith(b"\x89PNG\r\n\x1a\n")
        and content[12:16] == b"IHDR"
        and len(content) >= 24
    ):
        width, height = struct.unpack(">II", content[16:24])
        return width, height
    if content.startswith((b"GIF87a", b"GIF89a")) and len(content) >= 10:
        width, height = struct.unpack("<HH", content[6:10])
        return width, height
    return None


def _uploaded_photo(world: World, content: bytes) -> list[dict[str, Any]]:
    if len(content) > MAX_PHOTO_BYTES:
        raise bad_request(PHOTO_TOO_BIG)
    if not content.startswith(_IMAGE_MAGIC):
        raise bad_request("IMAGE_PROCESS_FAILED")
    size = image_size(content)
    if size is None:
        return new_photo_set(world, content)
    width, height = size
    if (
        min(width, height) < 1
        or width + height > MAX_PHOTO_SIDES
        or max(width, height) > MAX_PHOTO_RATIO * min(width, height)
    ):
        raise bad_request(PHOTO_INVALID_DIMENSIONS)
    scale = min(1.0, MAX_PHOTO_SIDE / max(width, height))
    return new_photo_set(
        world, content, max(1, round(width * scale)), max(1, round(height * scale))
    )


def photo_sizes(world: World, ref: Upload | str) -> list[dict[str, Any]]:
    if isinstance(ref, Upload):
        return _uploaded_photo(world, ref.content)
    if ref.startswith(("http://", "https://")):
        return new_photo_set(world, b"")
    sizes = world.photo_sets.get(ref)
    if sizes is None:
        raise bad_request(WRONG_FILE_ID)
    return sizes
