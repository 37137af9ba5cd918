"""Sending and editing through a real aiogram Bot."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.standin import TINY_PNG, FakeUser, StandinTimeout, TelegramStandin


def keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    row = [InlineKeyboardButton(text=text, callback_data=data) for text, data in buttons]
    return InlineKeyboardMarkup(inline_keyboard=[row])


async def test_send_message_records_visible_text_markup_and_entities(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    sent = await bot.send_message(
        olena.id, "<b>Замовлення</b> №42 &amp; більше", reply_markup=keyboard(("Так", "yes"))
    )

    stored = await standin.wait_for_message(olena.id, "№42")
    assert sent.text == stored.text == "Замовлення №42 & більше"
    assert sent.entities is not None and sent.entities[0].type == "bold"
    assert stored.raw == "<b>Замовлення</b> №42 &amp; більше"
    assert stored.parse_mode == "HTML"
    assert stored.inline_buttons == [{"text": "Так", "callback_data": "yes"}]
    assert standin.sent_count(olena.id) == 1
    standin.assert_no_violations()


async def test_user_who_never_started_is_chat_not_found(standin: TelegramStandin, bot: Bot) -> None:
    stranger = standin.add_user(2002, "Петро")

    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(stranger.id, "hi")
    assert standin.calls[-1].description == "Bad Request: chat not found"


async def test_blocked_user_gives_403(standin: TelegramStandin, bot: Bot, olena: FakeUser) -> None:
    olena.block_bot()

    with pytest.raises(TelegramForbiddenError) as caught:
        await bot.send_message(olena.id, "ще раз")
    assert caught.value.message == "Forbidden: bot was blocked by the user"
    olena.unblock_bot()
    await bot.send_message(olena.id, "знову")
    assert standin.sent_count(olena.id) == 1


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("я" * 4097, "Bad Request: message is too long"),
        ("<b>ok</b> <blink>no</blink>", 'Unsupported start tag "blink"'),
        ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("Tom & Jerry", "can't parse entities"),
        ("<b> </b>", "Bad Request: message text is empty"),
    ],
)
async def test_invalid_text_is_refused_and_counted_as_a_violation(
    standin: TelegramStandin, bot: Bot, olena: FakeUser, text: str, error: str
) -> None:
    with pytest.raises(TelegramBadRequest, match=error.replace("(", r"\(")):
        await bot.send_message(olena.id, text)

    assert standin.sent_count(olena.id) == 0
    assert [v.method for v in standin.violations] == ["sendMessage"]


async def test_longest_allowed_text_counts_visible_characters(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    await bot.send_message(olena.id, "<i>" + "я" * 4096 + "</i>")

    assert len((await standin.wait_for_message(olena.id)).visible) == 4096


@pytest.mark.parametrize("data", ["x" * 65, "я" * 33, ""])
async def test_callback_data_outside_1_to_64_bytes_is_refused(
    bot: Bot, olena: FakeUser, data: str
) -> None:
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(olena.id, "?", reply_markup=keyboard(("b", data)))


async def test_callback_data_of_64_bytes_is_fine(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    await bot.send_message(olena.id, "?", reply_markup=keyboard(("b", "я" * 32)))
    assert standin.sent_count(olena.id) == 1


async def test_inline_button_needs_exactly_one_action(bot: Bot, olena: FakeUser) -> None:
    text_only = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="x")]])
    both = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="a", url="https://a.ua")]]
    )

    with pytest.raises(TelegramBadRequest, match="Text buttons are unallowed"):
        await bot.send_message(olena.id, "?", reply_markup=text_only)
    with pytest.raises(TelegramBadRequest, match="exactly one"):
        await bot.send_message(olena.id, "?", reply_markup=both)


async def test_edit_text_and_markup(standin: TelegramStandin, bot: Bot, olena: FakeUser) -> None:
    sent = await bot.send_message(olena.id, "Підтвердіть", reply_markup=keyboard(("Так", "y")))

    await bot.edit_message_text(
        "Підтверджено ✅",
        chat_id=olena.id,
        message_id=sent.message_id,
        reply_markup=keyboard(("↩", "u")),
    )
    edit = await standin.wait_for_edit(olena.id, sent.message_id, "Підтверджено")
    assert edit.before.text == "Підтвердіть"
    assert edit.message.inline_buttons == [{"text": "↩", "callback_data": "u"}]

    await bot.edit_message_reply_markup(chat_id=olena.id, message_id=sent.message_id)
    edit = await standin.wait_for_edit(olena.id, sent.message_id)
    assert edit.after.reply_markup is None
    assert [v.text for v in edit.message.history] == ["Підтвердіть", "Підтверджено ✅"]
    standin.assert_no_violations()


async def test_edit_text_without_markup_drops_the_inline_keyboard(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    sent = await bot.send_message(olena.id, "a", reply_markup=keyboard(("Так", "y")))

    await bot.edit_message_text("b", chat_id=olena.id, message_id=sent.message_id)
    assert standin.chat(olena.id).find(sent.message_id).reply_markup is None  # type: ignore[union-attr]


async def test_same_edit_is_not_modified(bot: Bot, olena: FakeUser) -> None:
    sent = await bot.send_message(olena.id, "<b>a</b>", reply_markup=keyboard(("Так", "y")))

    with pytest.raises(TelegramBadRequest) as caught:
        await bot.edit_message_text(
            "<b>a</b>",
            chat_id=olena.id,
            message_id=sent.message_id,
            reply_markup=keyboard(("Так", "y")),
        )
    assert caught.value.message.startswith("Bad Request: message is not modified: specified new")


async def test_edit_of_foreign_or_missing_message(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    users_message = olena.send_text("привіт")

    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await bot.edit_message_text("x", chat_id=olena.id, message_id=users_message.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=olena.id, message_id=999)


async def test_delete_message(standin: TelegramStandin, bot: Bot, olena: FakeUser) -> None:
    sent = await bot.send_message(olena.id, "тимчасове")

    assert await bot.delete_message(olena.id, sent.message_id) is True
    assert standin.chat(olena.id).find(sent.message_id).deleted  # type: ignore[union-attr]
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(olena.id, sent.message_id)


async def test_flood_limit_raises_retry_after(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    for n in range(3):
        await bot.send_message(olena.id, f"burst {n}")

    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(olena.id, "one too many")
    assert caught.value.retry_after == 1
    assert standin.count_429 == 1
    assert standin.calls[-1].description == "Too Many Requests: retry after 1"


async def test_forced_storm_and_limits_off(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    standin.set_limits_enabled(False)
    for n in range(50):
        await bot.send_message(olena.id, f"fast {n}")
    standin.force_storm(1, retry_after=7)

    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(olena.id, "stormy")
    assert caught.value.retry_after == 7
    await bot.send_message(olena.id, "calm again")
    assert standin.sent_count(olena.id) == 51


async def test_group_allows_twenty_messages_per_minute(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    group = standin.add_group(-1001234, "Менеджери", [olena])
    for n in range(20):
        await bot.send_message(group.id, f"звіт {n}")

    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(group.id, "21-й")
    assert caught.value.retry_after == 60


async def test_photo_upload_file_id_and_caption_limit(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    sent = await bot.send_photo(
        olena.id, BufferedInputFile(TINY_PNG, "p.png"), caption="<b>Фото</b>"
    )
    assert sent.caption == "Фото" and sent.photo

    again = await bot.send_photo(olena.id, sent.photo[-1].file_id)
    assert again.photo is not None and again.photo[-1].file_id == sent.photo[-1].file_id
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_photo(olena.id, sent.photo[-1].file_id, caption="я" * 1025)
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_photo(olena.id, "no-such-file")


async def test_media_group_needs_two_to_ten_items(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    photo = olena.send_photo().photo[-1]["file_id"]  # type: ignore[index]

    with pytest.raises(TelegramBadRequest, match="2-10 items"):
        await bot.send_media_group(olena.id, [InputMediaPhoto(media=photo)])
    album = await bot.send_media_group(
        olena.id, [InputMediaPhoto(media=photo, caption="1"), InputMediaPhoto(media=photo)]
    )
    assert len({m.media_group_id for m in album}) == 1 and album[0].caption == "1"


async def test_copy_and_forward(standin: TelegramStandin, bot: Bot, olena: FakeUser) -> None:
    manager = standin.add_user(3003, "Менеджер")
    manager.send_command("/start")
    original = olena.send_text("моя адреса")

    copied = await bot.copy_message(manager.id, olena.id, original.message_id)
    forwarded = await bot.forward_message(manager.id, olena.id, original.message_id)

    assert standin.chat(manager.id).find(copied.message_id).text == "моя адреса"  # type: ignore[union-attr]
    assert forwarded.forward_origin is not None and forwarded.text == "моя адреса"


async def test_reply_keyboard_with_contact_button_and_removal(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    markup = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="📱 Поділитися номером", request_contact=True)]],
        resize_keyboard=True,
    )
    sent = await bot.send_message(olena.id, "Номер?", reply_markup=markup)

    assert sent.reply_markup is None  # Message.reply_markup only ever carries inline keyboards
    contact = olena.tap_keyboard("📱 Поділитися номером")
    assert contact.contact == {
        "phone_number": "380501112233",
        "first_name": "Олена",
        "user_id": 1001,
    }
    await bot.send_message(olena.id, "Дякуємо", reply_markup=ReplyKeyboardRemove())
    with pytest.raises(AssertionError, match="no reply keyboard"):
        olena.tap_keyboard("📱 Поділитися номером")


async def test_waiting_for_a_message_in_each_of_many_chats(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    petro, ivan, quiet = (standin.add_user(2000 + n, name) for n, name in enumerate("ПІТ"))
    for user in (petro, ivan, quiet):
        user.send_command("/start")
    await bot.send_message(olena.id, "раніше")  # there before the wait begins
    photo = BufferedInputFile(TINY_PNG, "a.png")

    waiting = asyncio.create_task(standin.wait_for_messages_in([olena.id, petro.id, ivan.id]))
    await bot.send_message(petro.id, "посилка")
    await bot.send_media_group(
        ivan.id, [InputMediaPhoto(media=photo), InputMediaPhoto(media=photo)]
    )
    await asyncio.wait_for(waiting, 5)

    with pytest.raises(StandinTimeout, match=r"1 chats got no message, e.g. \[2002\]"):
        await standin.wait_for_messages_in([olena.id, quiet.id], timeout=0.05)
