"""The adapter against the fake KeyCRM: what the operator reads, what the shop's admin shows."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from aiohttp import web

from bot.connectors.base import (
    ConnectFailed,
    ConnectionInfo,
    InboundKind,
    PlatformRejected,
    PlatformUpdate,
)
from bot.connectors.keycrm import KeyCrmAdapter
from bot.domain.orders import OrderStatus
from bot.domain.shop_events import ShopEvent
from tests.connectors.fakes.keycrm import FakeKeyCrm
from tests.connectors.keycrm.conftest import WEBHOOK_URL, connection

Http = aiohttp.ClientSession


async def connected(adapter: KeyCrmAdapter, http: Http, api_url: str) -> ConnectionInfo:
    registration = await adapter.register(http, connection(api_url))
    return connection(api_url, mapping=registration.mapping, options=registration.options)


def update(order_id: int, event: ShopEvent, note: str | None, marker: str) -> PlatformUpdate:
    return PlatformUpdate(remote_id=str(order_id), event=event, note=note, marker=marker)


# -- check ------------------------------------------------------------------------------------


async def test_check_names_the_account_by_its_statuses(
    adapter: KeyCrmAdapter, http: Http, api_url: str, fake: FakeKeyCrm
) -> None:
    assert await adapter.check(http, connection(api_url)) == "KeyCRM (14 order statuses)"
    assert fake.calls[-1].authorization == f"Bearer {next(iter(fake.api_keys))}"


async def test_check_with_a_wrong_key(adapter: KeyCrmAdapter, http: Http, api_url: str) -> None:
    with pytest.raises(ConnectFailed) as caught:
        await adapter.check(http, connection(api_url, api_key="wrong"))
    assert str(caught.value) == "KeyCRM refused the API key (401)"


async def test_check_without_the_permission(
    adapter: KeyCrmAdapter, http: Http, api_url: str, fake: FakeKeyCrm
) -> None:
    fake.forbid("/order/status")
    with pytest.raises(ConnectFailed) as caught:
        await adapter.check(http, connection(api_url))
    message = str(caught.value)
    assert "order statuses (GET /order/status)" in message and "403" in message
    assert "\n" not in message


async def test_check_of_an_unreachable_address(adapter: KeyCrmAdapter, http: Http) -> None:
    with socket.socket() as sock:  # a port nothing listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ConnectFailed) as caught:
        await adapter.check(http, connection(f"http://127.0.0.1:{port}/v1"))
    assert f"127.0.0.1:{port}" in str(caught.value)


# -- register / unregister --------------------------------------------------------------------


async def test_register_learns_the_accounts_statuses_and_gives_the_steps(
    adapter: KeyCrmAdapter, http: Http, api_url: str
) -> None:
    registration = await adapter.register(http, connection(api_url))
    assert registration.mapping == {
        "order.confirmed": "3",
        "order.cancelled": "11",
        "order.on_hold": "6",
        "order.prepayment_required": "4",
        "order.customer_unreachable": "5",
    }
    assert registration.options["cancelled_status_ids"] == "11,12,13"
    assert registration.options["cod_payment_method_ids"] == "1"
    assert "4:USD" in registration.options["source_currencies"]
    steps = "\n".join(registration.instructions)
    assert WEBHOOK_URL in steps and "«Відправити Webhook»" in steps and "POST" in steps
    assert registration.instructions[0].startswith("1. ")
    assert any("13 «Не забрав з пошти» group 6" in line for line in registration.done)


async def test_register_twice_changes_nothing_and_says_so(
    adapter: KeyCrmAdapter, http: Http, api_url: str, fake: FakeKeyCrm
) -> None:
    first = await adapter.register(http, connection(api_url))
    second = await adapter.register(http, connection(api_url))
    assert first == second
    assert fake.writes() == []
    assert "connecting again is safe" in second.done[0]


async def test_an_account_without_fitting_statuses_maps_to_notes_and_lists_them(
    adapter: KeyCrmAdapter, http: Http, api_url: str, fake: FakeKeyCrm
) -> None:
    fake.statuses = [s for s in fake.statuses if s["group_id"] in (1, 4, 5)]
    registration = await adapter.register(http, connection(api_url))
    assert set(registration.mapping.values()) == {""}
    assert registration.options["cancelled_status_ids"] == ""
    assert any("--map order.confirmed=<id>" in line for line in registration.done)
    assert any("8 «Відправлено» group 4" in line for line in registration.done)


async def test_statuses_are_read_across_pages(
    adapter: KeyCrmAdapter, http: Http, api_url: str, fake: FakeKeyCrm
) -> None:
    fake.statuses = [
        dict(fake.statuses[0], id=100 + n, name=f"Етап {n}", alias=f"stage_{n}") for n in range(60)
    ] + fake.statuses
    registration = await adapter.register(http, connection(api_url))
    assert registration.mapping["order.confirmed"] == "3"  # on the second page
    pages = [c.query.get("page") for c in fake.calls if c.path == "/order/status"]
    assert pages == ["1", "2"]


async def test_unregister_tells_what_to_remove_by_hand(
    adapter: KeyCrmAdapter, http: Http, api_url: str, fake: FakeKeyCrm
) -> None:
    lines = await adapter.unregister(http, connection(api_url))
    assert any(WEBHOOK_URL in line for line in lines)
    assert fake.calls == []


# -- apply ------------------------------------------------------------------------------------

EXPECTED_STATUS = {
    ShopEvent.order_confirmed: "Підтверджено",
    ShopEvent.order_cancelled: "Скасовано",
    ShopEvent.order_on_hold: "Відкладено",
    ShopEvent.order_prepayment_required: "Очікує передоплату",
    ShopEvent.order_customer_unreachable: "Недодзвон",
}


@pytest.mark.parametrize("event", list(ShopEvent))
async def test_apply_every_event(
    adapter: KeyCrmAdapter, http: Http, api_url: str, fake: FakeKeyCrm, event: ShopEvent
) -> None:
    shop = await connected(adapter, http, api_url)
    order = await fake.create_order(notify=False)
    note = f"Vykup: {event.value}"
    await adapter.apply(http, shop, update(order["id"], event, note, "vykup:evt_7"))
    assert fake.status_of(order["id"])["name"] == EXPECTED_STATUS.get(event, "Новий")
    assert fake.manager_comment(order["id"]) == f"{note} vykup:evt_7"
    assert fake.tag_names(order["id"]) == []


async def test_the_same_update_twice_adds_one_note(
    adapter: KeyCrmAdapter, http: Http, api_url: str, fake: FakeKeyCrm
) -> None:
    shop = await connected(adapter, http, api_url)
    order = await fake.create_order(notify=False)
    fake.orders[order["id"]]["manager_comment"] = "Клієнтка просила дзвонити після 18:00"
    confirmed = update(order["id"], ShopEvent.order_confirmed, "Покупець підтвердив", "vykup:evt_1")
    await adapter.apply(http, shop, confirmed)
    await adapter.apply(http, shop, confirmed)
    assert fake.manager_comment(order["id"]) == (
        "Клієнтка просила дзвонити після 18:00\nПокупець підтвердив vykup:evt_1"
    )
    puts = [c for c in fake.writes() if c.method == "PUT"]
    assert len(puts) == 1 and puts[0].body == {
        "status_id": 3,
        "manager_comment": fake.manager_comment(order["id"]),
    }


async def test_a_second_event_appends_its_own_line(
    adapter: KeyCrmAdapter, http: Http, api_url: str, fake: FakeKeyCrm
) -> None:
    shop = await connected(adapter, http, api_url)
    order = await fake.create_order(notify=False)
    await adapter.apply(
        http, shop, update(order["id"], ShopEvent.order_on_hold, "Ризик", "vykup:evt_1")
    )
    await adapter.apply(
        http, shop, update(order["id"], ShopEvent.order_approved, "Можна", "vykup:evt_2")
    )
    assert fake.manager_comment(order["id"]) == "Ризик vykup:evt_1\nМожна vykup:evt_2"


async def test_an_update_without_a_note_only_moves_the_status(
    adapter: KeyCrmAdapter, http: Http, api_url: str, fake: FakeKeyCrm
) -> None:
    shop = await connected(adapter, http, api_url)
    order = await fake.create_order(notify=False)
    await adapter.apply(
        http, shop, update(order["id"], ShopEvent.order_cancelled, None, "vykup:evt_3")
    )
    assert fake.status_of(order["id"])["name"] == "Скасовано"
    assert fake.manager_comment(order["id"]) is None


async def test_a_tag_mapping_attaches_the_tag_once(
    adapter: KeyCrmAdapter, http: Http, api_url: str, fake: FakeKeyCrm
) -> None:
    shop = connection(api_url, mapping={"customer.blacklisted": "tag:2"})
    order = await fake.create_order(notify=False)
    blacklisted = update(
        order["id"], ShopEvent.customer_blacklisted, "Чорний список", "vykup:evt_4"
    )
    await adapter.apply(http, shop, blacklisted)
    await adapter.apply(http, shop, blacklisted)
    assert fake.tag_names(order["id"]) == ["Чорний список"]
    assert [c.path for c in fake.writes() if c.method == "POST"] == [f"/order/{order['id']}/tag/2"]


async def test_a_mapping_that_is_no_id_is_refused_without_a_call(
    adapter: KeyCrmAdapter, http: Http, api_url: str, fake: FakeKeyCrm
) -> None:
    shop = connection(api_url, mapping={"order.confirmed": "Підтверджено"})
    with pytest.raises(PlatformRejected) as caught:
        await adapter.apply(http, shop, update(1, ShopEvent.order_confirmed, "x", "vykup:evt_5"))
    assert caught.value.status == 422 and "order.confirmed" in caught.value.message
    assert not caught.value.worth_retrying
    assert fake.calls == []


async def test_429_is_refused_with_its_retry_after(
    adapter: KeyCrmAdapter, http: Http, api_url: str, fake: FakeKeyCrm
) -> None:
    order = await fake.create_order(notify=False)
    fake.fail_next(429, retry_after=7)
    with pytest.raises(PlatformRejected) as caught:
        await adapter.apply(
            http, connection(api_url), update(order["id"], ShopEvent.order_confirmed, "x", "m")
        )
    assert caught.value.status == 429 and caught.value.worth_retrying
    assert caught.value.retry_after == timedelta(seconds=7)
    assert caught.value.message == "Too Many Attempts."


async def test_the_rate_limit_of_60_a_minute(
    adapter: KeyCrmAdapter, http: Http, api_url: str, fake: FakeKeyCrm
) -> None:
    fake.rate_limit_per_minute = 2
    await adapter.check(http, connection(api_url))
    await adapter.check(http, connection(api_url))
    with pytest.raises(ConnectFailed) as caught:
        await adapter.check(http, connection(api_url))
    assert "429" in str(caught.value)


async def test_a_revoked_key_is_credentials_refused(
    adapter: KeyCrmAdapter, http: Http, api_url: str, fake: FakeKeyCrm
) -> None:
    order = await fake.create_order(notify=False)
    fake.revoke()
    with pytest.raises(PlatformRejected) as caught:
        await adapter.apply(
            http, connection(api_url), update(order["id"], ShopEvent.order_confirmed, "x", "m")
        )
    assert caught.value.status == 401 and caught.value.credentials_refused
    assert caught.value.message == "Unauthenticated."


async def test_a_lost_permission_is_credentials_refused(
    adapter: KeyCrmAdapter, http: Http, api_url: str, fake: FakeKeyCrm
) -> None:
    order = await fake.create_order(notify=False)
    fake.forbid("/order")
    with pytest.raises(PlatformRejected) as caught:
        await adapter.fetch(http, connection(api_url), str(order["id"]))
    assert caught.value.status == 403 and caught.value.credentials_refused


async def test_a_server_error_is_worth_retrying(
    adapter: KeyCrmAdapter, http: Http, api_url: str, fake: FakeKeyCrm
) -> None:
    order = await fake.create_order(notify=False)
    fake.fail_next(500)
    with pytest.raises(PlatformRejected) as caught:
        await adapter.fetch(http, connection(api_url), str(order["id"]))
    assert caught.value.status == 500 and caught.value.worth_retrying


async def test_an_unknown_order_is_404(adapter: KeyCrmAdapter, http: Http, api_url: str) -> None:
    with pytest.raises(PlatformRejected) as caught:
        await adapter.fetch(http, connection(api_url), "999999")
    assert caught.value.status == 404 and not caught.value.worth_retrying


# -- the whole way in: KeyCRM's trigger → parse → fetch ----------------------------------------


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, asyncio.Queue[tuple[dict[str, str], bytes]]]]:
    """A stand-in for Vykup's /connect/keycrm/<key>: keeps what arrives."""
    received: asyncio.Queue[tuple[dict[str, str], bytes]] = asyncio.Queue()

    async def keep(request: web.Request) -> web.Response:
        await received.put((dict(request.headers), await request.read()))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/connect/keycrm/{key}", keep)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}/connect/keycrm/k3y", received
    finally:
        await runner.cleanup()


async def test_a_status_change_in_keycrm_reaches_vykup_as_an_order(
    adapter: KeyCrmAdapter,
    http: Http,
    api_url: str,
    fake: FakeKeyCrm,
    receiver: tuple[str, asyncio.Queue[tuple[dict[str, str], bytes]]],
) -> None:
    url, received = receiver
    shop = await connected(adapter, http, api_url)
    fake.add_trigger(url)
    order = await fake.create_order()
    await fake.change_status(order["id"], 12)
    assert [d.status for d in fake.deliveries] == [200, 200]
    headers, body = await asyncio.wait_for(received.get(), 5)
    assert headers["Content-Type"] == "application/json"
    assert adapter.verify(shop, headers, body)
    inbound = adapter.parse(shop, headers, body)
    assert inbound.kind is InboundKind.fetch and inbound.remote_id == str(order["id"])
    assert set(json.loads(body)["context"]) >= {"id", "status_id", "client_id", "updated_at"}
    _, second = await asyncio.wait_for(received.get(), 5)
    remote = await adapter.fetch(http, shop, adapter.parse(shop, {}, second).remote_id or "")
    assert remote.status is OrderStatus.cancelled
    assert remote.status_comment == "Відмова при отриманні"
    assert remote.order is not None and remote.order.phone == "+380501234567"
    includes = [c.query["include"] for c in fake.calls if c.path == f"/order/{order['id']}"]
    assert includes == ["buyer,products.offer,shipping.deliveryService,payments,status"]
