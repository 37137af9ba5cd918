"""Messages outside any conversation: the customer is told what to do, once, not once a photo."""

from __future__ import annotations

from tests.e2e.conftest import World
from tests.e2e.test_confirmation import open_deep_link

PHOTO_ANSWER = (
    "Дякуємо за фото. Щоб повернути товар або розповісти, що з ним не так, надішліть /return:"
    " там ми попросимо фото."
)


async def test_photos_out_of_any_conversation_get_one_answer_per_album(world: World):
    await open_deep_link(world)
    chat = world.olena.id

    def photo_answers() -> int:
        return sum(m.visible == PHOTO_ANSWER for m in world.telegram.bot_messages(chat))

    world.olena.send_album(3)  # five photos of a damaged parcel arrive as five messages
    await world.telegram.wait_for_message(chat, "Дякуємо за фото")
    world.olena.send_sticker()  # an answer after the album's: the album has been handled
    await world.telegram.wait_for_message(chat, "не зрозумів")

    world.olena.send_photo()  # later, one photo alone: answered again
    await world.telegram.wait_for_message(chat, lambda _m: photo_answers() == 2)
    world.olena.send_album(2)  # and a new album: once more
    await world.telegram.wait_for_message(chat, lambda _m: photo_answers() == 3)
    world.olena.send_text("ще щось")
    await world.telegram.wait_for_message(
        chat,
        lambda _m: sum("не зрозумів" in m.visible for m in world.telegram.bot_messages(chat)) == 2,
    )
    assert photo_answers() == 3
