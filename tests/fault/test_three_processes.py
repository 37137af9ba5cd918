"""The README's deployment: two web processes behind a load balancer and a worker, on PostgreSQL
and Redis, Telegram posting to a webhook. A customer's updates land on either web process; her
half-finished dialog follows her from one to the other; the worker alone sends."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from bot.standin import TelegramStandin
from tests.e2e.conftest import MANAGER_ID, MANAGERS_CHAT, OLENA_ID, TOKEN
from tests.e2e.shop import SHOP_TOKEN, WEBHOOK_SECRET, serve_webhooks
from tests.factories import order_payload
from tests.fault.balancer import round_robin
from tests.fault.processes import BotProcess, start_bot
from tests.net import free_port

TELEGRAM_SECRET = "three-processes-secret"


async def handled_updates(process: BotProcess) -> float:
    samples = await process.metrics()
    return sum(v for (name, _), v in samples.items() if name == "vykup_updates_handled_total")


async def create_order(http: aiohttp.ClientSession, base: str, **overrides: object) -> dict:
    async with http.post(
        f"{base}/api/v1/orders",
        json=order_payload(**overrides),
        headers={"Authorization": f"Bearer {SHOP_TOKEN}"},
    ) as response:
        assert response.status == 201
        return await response.json()


async def test_two_web_processes_and_a_worker_serve_one_customer(
    postgres_url: str, redis_url: str, tmp_path: Path
):
    telegram = TelegramStandin(TOKEN, local_mode=True)
    olena = telegram.add_user(OLENA_ID, "Олена", language_code="uk", phone="+380501234567")
    manager = telegram.add_user(MANAGER_ID, "Марія", language_code="uk")
    telegram.add_group(MANAGERS_CHAT, "Менеджери", [manager])
    front = free_port()  # where nginx would listen
    public = f"http://127.0.0.1:{front}"
    processes: list[BotProcess] = []
    async with telegram.serve() as telegram_url, serve_webhooks() as hooks:
        common = {
            "telegram_url": telegram_url,
            "database_url": postgres_url,
            "cwd": tmp_path,
            "extra": {
                "BOT_MODE": "webhook",
                "WEBHOOK_URL": f"{public}/telegram",
                "WEBHOOK_SECRET": TELEGRAM_SECRET,
                "REDIS_URL": redis_url,
                "MANAGER_CHAT_ID": str(MANAGERS_CHAT),
                "ADMIN_IDS": str(MANAGER_ID),
                "SHOP_WEBHOOK_URL": hooks.url,
                "SHOP_WEBHOOK_SECRET": WEBHOOK_SECRET,
                "LEADER_TAKEOVER": "3s",
            },
        }
        try:
            worker = await start_bot(role="worker", **common)  # type: ignore[arg-type]
            web = [await start_bot(role="web", **common) for _ in range(2)]  # type: ignore[arg-type]
            processes = [worker, *web]
            for process in processes:
                await process.ready()
            assert await worker.leads("worker")
            assert telegram.world.webhook is not None
            assert telegram.world.webhook["url"] == f"{public}/telegram"

            async with round_robin(front, [p.url for p in web]), aiohttp.ClientSession() as http:
                order = await create_order(http, public, external_id="T-1")
                olena.send_command("/start", order["telegram_link"].rsplit("=", 1)[1])
                card = await telegram.wait_for_message(olena.id, "T-1", timeout=15)
                await olena.press(card, "✅ Підтвердити").answer(timeout=15)
                assert (await hooks.wait_for("order.confirmed", timeout=15))["external_id"] == "T-1"

                await create_order(http, public, external_id="T-2")
                second = await telegram.wait_for_message(olena.id, "T-2", timeout=15)
                await olena.press(second, "✏️ Змінити").answer(timeout=15)
                await telegram.wait_for_message(olena.id, "змінити", timeout=15)
                olena.send_text("Розмір L замість M")  # lands on the other web process
                alert = await telegram.wait_for_message(MANAGERS_CHAT, "Розмір L", timeout=15)
                assert "T-2" in alert.visible
                await telegram.wait_for_delivered_updates(timeout=15)

            assert all(d.status == 200 for d in telegram.webhook_deliveries)
            assert [await handled_updates(p) > 0 for p in web] == [True, True]
            assert await handled_updates(worker) == 0
            assert [await p.sent() for p in web] == [0, 0]  # only the worker sends
            assert await worker.sent() > 0
        finally:
            for process in processes:
                await process.stop()
    telegram.assert_no_violations()
