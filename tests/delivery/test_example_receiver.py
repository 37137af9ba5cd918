"""examples/webhook_receiver.py, as a shop would run it, against the bot's real deliveries."""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.delivery.signing import Signer
from bot.delivery.webhooks import WebhookRejected, post_webhook
from bot.domain.shop_events import event_id, with_identity

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "webhook_receiver.py"
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
EVENT = {"event": "order.confirmed", "external_id": "A-1001", "status": "confirmed"}


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("webhook_receiver", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, list[dict[str, Any]]]]:
    handled: list[dict[str, Any]] = []
    server = TestServer(load_example().create_app(SECRET, handled.append))
    await server.start_server()
    try:
        yield str(server.make_url("/vykup")), handled
    finally:
        await server.close()


async def deliver(url: str, *, secret: str = SECRET, sent_at: datetime | None = None) -> int:
    msg_id = event_id(41)
    async with aiohttp.ClientSession() as http:
        return await post_webhook(
            http,
            url,
            with_identity(EVENT, msg_id),
            signer=Signer(secret),
            msg_id=msg_id,
            sent_at=sent_at or datetime.now(UTC),
        )


async def test_a_delivery_is_handled_once_and_its_repeat_acknowledged(
    receiver: tuple[str, list[dict[str, Any]]],
) -> None:
    url, handled = receiver
    assert await deliver(url) == 200
    assert await deliver(url) == 200  # Vykup did not hear the first 2xx: acknowledged…
    assert handled == [{"id": "evt_41", "type": "order.confirmed", **EVENT}]  # …not redone


async def test_a_stale_or_forged_delivery_is_refused(
    receiver: tuple[str, list[dict[str, Any]]],
) -> None:
    url, handled = receiver
    for attempt in (
        {"sent_at": datetime.now(UTC) - timedelta(minutes=6)},  # a captured one, replayed
        {"secret": "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"},  # someone else's key
    ):
        with pytest.raises(WebhookRejected) as refused:
            await deliver(url, **attempt)  # type: ignore[arg-type]
        assert refused.value.status == 401
    assert handled == []
