"""Conversation state in Redis (``REDIS_URL``): how its keys are laid out, and forgetting a person.

The bot's aiogram storage and the erasure of a customer must agree on the keys, so both take them
from here: ``vykup:<bot id>:<chat id>:<user id>:state|data`` (aiogram's ``DefaultKeyBuilder``).
"""

from __future__ import annotations

from aiogram.fsm.storage.base import DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis

PREFIX = "vykup"
TTL_SECONDS = 30 * 24 * 3600  # a conversation left half-way for a month is forgotten


def redis_storage(url: str) -> RedisStorage:
    return RedisStorage.from_url(
        url,
        key_builder=DefaultKeyBuilder(prefix=PREFIX, with_bot_id=True),
        state_ttl=TTL_SECONDS,
        data_ttl=TTL_SECONDS,
    )


async def forget_conversations(url: str, telegram_id: int) -> int:
    """Delete a person's conversation state and data in their private chat, whatever bot token
    wrote them (the command line knows no bot id); how many keys went."""
    pattern = f"{PREFIX}:*:{telegram_id}:{telegram_id}:*"
    async with Redis.from_url(url) as redis:
        keys = [key async for key in redis.scan_iter(match=pattern, count=1000)]
        return int(await redis.delete(*keys)) if keys else 0
