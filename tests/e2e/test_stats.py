"""/stats in the managers' chat: the figures and their chart for admins, usage help, refusals."""

from __future__ import annotations

import io
import re

from PIL import Image

from tests.e2e.conftest import MANAGERS_CHAT, World
from tests.e2e.test_tracking import shop_post


async def finished_orders(world: World) -> None:
    """Three orders of customers who never opened the bot: two picked up, one refused."""
    for n, outcome in enumerate(("received", "received", "refused"), start=1):
        external_id = f"ST-{n}"
        await world.shop.create_order(
            external_id=external_id, customer={"phone": f"+38067000000{n}", "name": f"Клієнт {n}"}
        )
        for status in ("confirmed", "shipped", outcome):
            await shop_post(world, f"/api/v1/orders/{external_id}/status", {"status": status})


def photos(world: World) -> list:
    return [m for m in world.telegram.bot_messages(MANAGERS_CHAT) if m.kind == "photo"]


async def test_admin_gets_figures_and_chart_others_get_usage_or_a_refusal(world: World):
    await finished_orders(world)
    # Replies to a group are paced (one per 3 s), so the private chat is used alongside.
    world.manager.send_command("/stats", "7d", chat_id=MANAGERS_CHAT)
    world.intern.send_command("/stats", "7d", chat_id=MANAGERS_CHAT)
    world.manager.send_command("/start")
    world.manager.send_command("/stats", "5y")

    chart = await world.telegram.wait_for_message(MANAGERS_CHAT, lambda m: m.kind == "photo")
    # 2 of 3 parcels picked up; all 3 orders created this week were confirmed.
    assert "67%" in chart.visible and "100%" in chart.visible
    assert {"2", "3"} <= set(re.findall(r"\d+", chart.visible))
    largest = chart.photo[-1]
    assert (largest["width"], largest["height"]) == (900, 900)
    png = world.telegram.file_content(largest["file_id"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(io.BytesIO(png)).size == (900, 900)

    usage = await world.telegram.wait_for_message(world.manager.id, "/stats")
    assert all(code in usage.visible for code in ("7d", "30d", "90d"))
    assert not any(m.kind == "photo" for m in world.telegram.bot_messages(world.manager.id))

    refused = await world.telegram.wait_for_message(MANAGERS_CHAT, "немає прав")
    assert refused.kind == "text" and "%" not in refused.visible
    assert len(photos(world)) == 1
