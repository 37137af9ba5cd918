"""The fake is as strict as the facts say KeyCRM is: tests that pass against it mean something."""

from __future__ import annotations

import aiohttp

from tests.connectors.fakes.keycrm import DEFAULT_API_KEY, FakeKeyCrm

AUTH = {"Authorization": f"Bearer {DEFAULT_API_KEY}"}


async def test_lists_are_paginated_as_the_facts_say(
    http: aiohttp.ClientSession, api_url: str
) -> None:
    async with http.get(f"{api_url}/order/status?limit=5&page=3", headers=AUTH) as response:
        page = await response.json()
    assert set(page) == {
        "total",
        "current_page",
        "per_page",
        "data",
        "first_page_url",
        "last_page_url",
        "next_page_url",
    }
    assert (page["total"], page["current_page"], len(page["data"])) == (14, 3, 4)
    assert page["next_page_url"] is None


async def test_what_keycrm_refuses(
    http: aiohttp.ClientSession, api_url: str, fake: FakeKeyCrm
) -> None:
    order = await fake.create_order(notify=False)
    refused = [
        ("GET", "/order/status?limit=51", None, AUTH, 422),
        ("GET", f"/order/{order['id']}?include=secrets", None, AUTH, 400),
        ("PUT", f"/order/{order['id']}", {"note": "x"}, AUTH, 422),
        ("PUT", f"/order/{order['id']}", {"status_id": 999}, AUTH, 422),
        ("GET", "/order/hooks", None, AUTH, 404),
        ("GET", "/order/status", None, {"Authorization": "Bearer nope"}, 401),
        ("GET", "/order/status", None, {}, 401),
    ]
    for method, path, body, headers, status in refused:
        async with http.request(method, api_url + path, json=body, headers=headers) as response:
            assert response.status == status, path
            assert isinstance((await response.json())["message"], str)
    assert fake.manager_comment(order["id"]) is None and fake.status_of(order["id"])["id"] == 1


async def test_without_triggers_nothing_is_sent(fake: FakeKeyCrm) -> None:
    await fake.create_order()
    assert fake.deliveries == []
