"""Photos: uploaded bytes, URLs and file_ids turned into PhotoSize arrays."""

from __future__ import annotations

from typing import Any

from bot.standin.errors import WRONG_FILE_ID, bad_request
from bot.standin.params import Upload
from bot.standin.state import World

_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"RIFF")
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


def photo_sizes(world: World, ref: Upload | str) -> list[dict[str, Any]]:
    if isinstance(ref, Upload):
        if not ref.content.startswith(_IMAGE_MAGIC):
            raise bad_request("IMAGE_PROCESS_FAILED")
        return new_photo_set(world, ref.content)
    if ref.startswith(("http://", "https://")):
        return new_photo_set(world, b"")
    sizes = world.photo_sets.get(ref)
    if sizes is None:
        raise bad_request(WRONG_FILE_ID)
    return sizes
