"""Many customers with notices waiting in the outbox, and what Telegram made of them."""

from __future__ import annotations

from collections import Counter

from bot.standin import TelegramStandin
from storage.repositories.outbox import TELEGRAM
from storage.uow import Database

FIRST_CUSTOMER = 200_000


def customers(telegram: TelegramStandin, count: int, first: int = FIRST_CUSTOMER) -> list[int]:
    """``count`` customers who opened the bot long ago."""
    ids = []
    for user_id in range(first, first + count):
        user = telegram.add_user(user_id, f"Покупець {user_id}", language_code="uk")
        user.record.has_started = True
        ids.append(user_id)
    return ids


def notice(chat_id: int, number: int) -> str:
    return f"📦 Посилка <b>№{number}</b> для {chat_id} чекає у відділенні"


def seen(chat_id: int, number: int) -> str:
    """The notice as the customer sees it."""
    return f"📦 Посилка №{number} для {chat_id} чекає у відділенні"


async def queue_notices(db: Database, chat_ids: list[int], *, per_chat: int = 1) -> int:
    """One transaction, like a carrier's batch of arrivals; returns how many were queued."""
    async with db.uow() as uow:
        for number in range(per_chat):
            for chat_id in chat_ids:
                uow.outbox.add(
                    channel=TELEGRAM,
                    method="sendMessage",
                    payload={"chat_id": chat_id, "text": notice(chat_id, number)},
                    chat_id=chat_id,
                    purpose="fault_test_notice",
                    now=uow.clock.now(),
                )
        await uow.commit()
    return len(chat_ids) * per_chat


def received(telegram: TelegramStandin, chat_ids: list[int]) -> Counter[str]:
    """How many times each chat's customer saw each distinct text."""
    return Counter(
        message.visible for chat_id in chat_ids for message in telegram.bot_messages(chat_id)
    )


def accepted_sends(telegram: TelegramStandin) -> int:
    return sum(1 for call in telegram.calls if call.method == "sendMessage" and call.ok)
