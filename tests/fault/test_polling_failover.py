"""Two processes in polling mode on one database never fight over getUpdates (Telegram would answer
409 Conflict); when the one that polls dies, the other polls within LEADER_TAKEOVER."""

from __future__ import annotations

from pathlib import Path

from bot.standin import TelegramStandin
from tests.e2e.conftest import OLENA_ID, TOKEN
from tests.fault.processes import BotProcess, start_bot

TAKEOVER_SECONDS = 3


async def polls(process: BotProcess) -> bool:
    return await process.leads("updates")


async def test_one_process_polls_and_the_other_takes_over(postgres_url: str, tmp_path: Path):
    telegram = TelegramStandin(TOKEN)
    olena = telegram.add_user(OLENA_ID, "Олена", language_code="uk")
    async with telegram.serve() as telegram_url:
        start = {
            "telegram_url": telegram_url,
            "database_url": postgres_url,
            "cwd": tmp_path,
            "extra": {"LEADER_TAKEOVER": f"{TAKEOVER_SECONDS}s"},
        }
        first = await start_bot(role="all", **start)  # type: ignore[arg-type]
        second: BotProcess | None = None
        try:
            await first.wait_until(polls, 60, "poll")
            second = await start_bot(role="all", **start)  # type: ignore[arg-type]
            await second.ready()
            assert not await second.leads("updates") and not await second.leads("worker")

            olena.send_command("/start")
            assert "номер" in (await telegram.wait_for_message(olena.id, timeout=10)).visible

            first.kill()
            await first.process.wait()
            await second.wait_until(polls, TAKEOVER_SECONDS + 1, "take over polling")
            assert await second.leads("worker")

            olena.send_command("/help")
            await telegram.wait_for_message(olena.id, timeout=10)
        finally:
            for process in (first, second):
                if process is not None:
                    await process.stop()
    fights = [call for call in telegram.calls if call.kind == "conflict"]
    assert fights == [], [call.description for call in fights]
