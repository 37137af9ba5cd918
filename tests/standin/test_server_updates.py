"""Updates: long polling, user actions, callback queries, a Dispatcher end to end."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.exceptions import TelegramBadRequest, TelegramConflictError
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.standin import FakeUser, StandinTimeout, StandinUsageError, TelegramStandin
from tests.standin.conftest import ManualSeconds


def one_button(text: str, data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=text, callback_data=data)]]
    )


@asynccontextmanager
async def polling(dp: Dispatcher, bot: Bot) -> AsyncIterator[None]:
    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, close_bot_session=False))
    try:
        yield
    finally:
        await dp.stop_polling()
        await asyncio.wait_for(task, 5)


async def test_long_poll_returns_as_soon_as_the_user_acts(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    start = await bot.get_updates(timeout=0)
    assert start[0].message is not None and start[0].message.text == "/start"
    offset = start[-1].update_id + 1

    poll = asyncio.create_task(bot.get_updates(offset=offset, timeout=30))
    await standin.wait_for_polling()
    loop = asyncio.get_running_loop()
    acted_at = loop.time()
    olena.send_text("де моя посилка?")
    updates = await asyncio.wait_for(poll, 5)

    assert loop.time() - acted_at < 1.0  # answered on the event, not at the 30 s timeout

    assert [u.message.text for u in updates if u.message] == ["де моя посилка?"]
    assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == []


async def test_updates_are_kept_until_confirmed_by_offset(bot: Bot, olena: FakeUser) -> None:
    olena.send_text("1")
    first = await bot.get_updates()
    again = await bot.get_updates()
    assert [u.update_id for u in first] == [u.update_id for u in again]
    assert len(await bot.get_updates(offset=first[-1].update_id)) == 1


async def test_second_poller_terminates_the_first(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    first = asyncio.create_task(bot.get_updates(offset=10**6, timeout=30))
    await standin.wait_for_polling()
    second = asyncio.create_task(bot.get_updates(offset=10**6, timeout=30))

    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, 5)
    olena.send_text("ще тут")
    assert [u.message.text for u in await asyncio.wait_for(second, 5) if u.message] == ["ще тут"]


async def test_user_actions_produce_real_updates(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    other = standin.add_user(4004, "Іван", phone="380671234567")
    olena.share_contact()
    olena.share_contact(user_id=other.id)
    photo = olena.send_photo(caption="чек")
    olena.send_sticker()
    olena.send_command("/start", "order_42")

    updates = [u.message for u in await bot.get_updates() if u.message][1:]
    assert updates[0].contact is not None and updates[0].contact.user_id == olena.id
    assert updates[1].contact is not None and updates[1].contact.phone_number == "380671234567"
    assert updates[1].contact.user_id == other.id
    assert updates[2].photo is not None and updates[2].caption == "чек"
    assert updates[3].sticker is not None
    assert updates[4].text == "/start order_42"

    file = await bot.get_file(photo.photo[-1]["file_id"])  # type: ignore[index]
    assert file.file_path is not None
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read().startswith(b"\x89PNG")


async def test_press_answer_and_query_expiry(
    bot: Bot, olena: FakeUser, seconds: ManualSeconds
) -> None:
    sent = await bot.send_message(olena.id, "Підтвердити?", reply_markup=one_button("Так", "ok:1"))
    handle = olena.press(sent, button_text="Так")

    query = next(u.callback_query for u in await bot.get_updates() if u.callback_query)
    assert query.data == "ok:1" and query.message is not None
    assert query.message.message_id == sent.message_id
    await bot.answer_callback_query(query.id, text="Готово", show_alert=True)
    answer = await handle.answer()
    assert (answer.text, answer.show_alert) == ("Готово", True)

    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query.id)
    late = olena.press(sent, callback_data="ok:1")
    seconds.advance(16)
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(late.id)
    with pytest.raises(TelegramBadRequest, match="MESSAGE_TOO_LONG"):
        await bot.answer_callback_query(late.id, text="я" * 201)


async def test_press_only_buttons_that_exist(bot: Bot, olena: FakeUser) -> None:
    sent = await bot.send_message(olena.id, "?", reply_markup=one_button("Так", "yes"))

    with pytest.raises(StandinUsageError, match="buttons now"):
        olena.press(sent, button_text="Ні")
    await bot.edit_message_reply_markup(chat_id=olena.id, message_id=sent.message_id)
    with pytest.raises(StandinUsageError):
        olena.press(sent, callback_data="yes")  # the keyboard is gone now
    forged = olena.press_forged(sent.message_id, "admin:delete_all")
    assert forged.record.data == "admin:delete_all"


async def test_blocking_sends_my_chat_member(bot: Bot, olena: FakeUser) -> None:
    olena.block_bot()

    updates = await bot.get_updates(allowed_updates=["my_chat_member"])
    member = next(u.my_chat_member for u in updates if u.my_chat_member)
    assert member.new_chat_member.status == "kicked"
    with pytest.raises(StandinUsageError, match="blocked the bot"):
        olena.send_text("hi")


async def test_echo_bot_through_dispatcher_polling(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    dp = Dispatcher()

    @dp.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"Ви написали: <i>{message.text}</i>")

    @dp.callback_query(F.data == "ping")
    async def pong(query: CallbackQuery) -> None:
        await query.answer("pong")

    async with polling(dp, bot):
        olena.send_text("привіт")
        reply = await standin.wait_for_message(olena.id, "привіт", timeout=5)
        assert reply.text == "Ви написали: привіт"

        prompt = await bot.send_message(olena.id, "ping?", reply_markup=one_button("ping", "ping"))
        handle = olena.press(prompt, callback_data="ping")
        assert (await handle.answer()).text == "pong"
    await standin.wait_for_polling(active=False)  # the hung-up long poll ended on the server
    standin.assert_no_violations()


async def test_start_restarts_a_blocked_chat_and_nothing_before_start(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    newcomer = standin.add_user(5005, "Марія")
    with pytest.raises(StandinUsageError, match="has not started the bot"):
        newcomer.send_text("привіт")
    olena.block_bot()
    olena.send_command("/start")  # the client's Restart button

    updates = await bot.get_updates(allowed_updates=["message", "my_chat_member"])
    assert [u.event_type for u in updates] == [
        "message",
        "my_chat_member",
        "my_chat_member",
        "message",
    ]
    await bot.send_message(olena.id, "з поверненням")


async def test_group_privacy_mode_delivers_only_commands_and_mentions(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    group = standin.add_group(-100777, "Покупці", [olena])
    olena.send_text("просто балачки", chat_id=group.id)
    olena.send_text("@vykup_test_bot де замовлення?", chat_id=group.id)
    olena.send_command("/status", chat_id=group.id)

    texts = [u.message.text for u in await bot.get_updates() if u.message and u.message.chat.id < 0]
    assert texts == ["@vykup_test_bot де замовлення?", "/status"]
    assert len(group.messages) == 3
    assert [m.reached_bot for m in group.messages] == [False, True, True]  # kept, for the sandbox
    reply = await bot.send_message(group.id, "Готово")
    assert (reply.chat.type, reply.chat.title) == ("supergroup", "Покупці")


async def test_wait_for_message_times_out_clearly(
    standin: TelegramStandin, olena: FakeUser
) -> None:
    with pytest.raises(StandinTimeout, match=r"timed out after 0\.05s: chat 1001"):
        await standin.wait_for_message(olena.id, timeout=0.05)


async def test_each_message_is_returned_once(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    await bot.send_message(olena.id, "перше")
    await bot.send_message(olena.id, "друге")

    assert (await standin.wait_for_message(olena.id, "друге")).text == "друге"
    assert (await standin.wait_for_message(olena.id)).text == "перше"
    with pytest.raises(AssertionError):
        await standin.wait_for_message(olena.id, timeout=0.01)
