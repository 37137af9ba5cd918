"""Replies: the bot replies to a message, people reply to the bot (privacy mode lets those in)."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import ForceReply, ReplyParameters

from bot.standin import FakeUser, StandinUsageError, TelegramStandin


async def test_a_reply_to_the_bot_reaches_it_in_a_private_group(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    other = standin.add_user(1002, "Марія")
    group = standin.add_group(-100777, "Менеджери", [olena, other])
    question = await bot.send_message(group.id, "Чому?", reply_markup=ForceReply(selective=True))
    chatter = olena.send_text("між собою", chat_id=group.id)
    olena.send_text("відповідь людині", chat_id=group.id, reply_to=chatter)
    olena.send_text("Бо так", chat_id=group.id, reply_to=question.message_id)

    updates = [u.message for u in await bot.get_updates() if u.message and u.message.chat.id < 0]
    assert [m.text for m in updates] == ["Бо так"]
    replied = updates[0].reply_to_message
    assert replied is not None
    assert (replied.message_id, replied.text) == (question.message_id, "Чому?")
    with pytest.raises(StandinUsageError):
        olena.send_text("нікуди", chat_id=group.id, reply_to=999)


async def test_the_bot_replies_to_a_message_that_exists(
    standin: TelegramStandin, bot: Bot, olena: FakeUser
) -> None:
    card = await bot.send_message(olena.id, "Картка")
    reply = await bot.send_message(
        olena.id, "Нагадування", reply_parameters=ReplyParameters(message_id=card.message_id)
    )
    assert reply.reply_to_message is not None
    assert reply.reply_to_message.message_id == card.message_id
    assert standin.chat(olena.id).find(reply.message_id).reply_to == card.message_id

    with pytest.raises(TelegramBadRequest, match="message to be replied not found"):
        await bot.send_message(olena.id, "x", reply_parameters=ReplyParameters(message_id=999))
    lenient = ReplyParameters(message_id=999, allow_sending_without_reply=True)
    sent = await bot.send_message(olena.id, "y", reply_parameters=lenient)
    assert sent.reply_to_message is None
