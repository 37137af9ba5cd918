"""Only the sandbox's own page may drive it: other sites in the same browser are refused."""

from __future__ import annotations

from typing import Any

from bot.sandbox.guard import TOKEN_HEADER
from tests.sandbox.conftest import Page


async def refused(page: Page, headers: dict[str, str], body: Any = None, **kw: Any) -> dict:
    """A clock move as another site would send it: refused (403), in words, and nothing moves."""
    before = (await page.state())["clock"]
    response = await page.client.post(
        "/api/clock?lang=en", json=body or {"minutes": 60}, headers=headers, **kw
    )
    answer = await response.json()
    assert response.status == 403, answer
    assert (await page.state())["clock"] == before
    return answer["error"]


async def test_a_call_without_the_page_token_is_refused(page: Page):
    error = await refused(page, {})
    assert error == {
        "code": "token",
        "message": "This page is from an earlier run of the sandbox: reload it.",
    }
    assert (await refused(page, {TOKEN_HEADER: "guessed"}))["code"] == "token"


async def test_a_text_plain_post_from_another_site_is_refused(page: Page):
    response = await page.client.post(
        "/api/shop/orders",
        data='{"order": "{}"}',
        headers={"Content-Type": "text/plain", "Origin": "https://evil.example"},
    )
    assert response.status == 403
    assert (await page.state())["shop"]["entries"] == []  # no order was even tried


async def test_another_origin_or_host_is_refused_even_with_the_token(page: Page):
    error = await refused(page, page.headers | {"Origin": "https://evil.example"})
    assert error["code"] == "foreign"
    assert "only the sandbox's own page" in error["message"]
    assert (await refused(page, page.headers | {"Origin": "null"}))["code"] == "foreign"
    rebound = page.headers | {"Host": "evil.example:8090"}  # DNS rebinding: a name of theirs
    assert (await refused(page, rebound))["code"] == "foreign"
    read = await page.client.get("/api/state", headers={"Host": "evil.example:8090"})
    assert read.status == 403  # nor may it read the chats


async def test_the_page_itself_still_works(page: Page):
    port = page.client.server.port
    same = page.headers | {"Origin": f"http://127.0.0.1:{port}"}
    response = await page.client.post("/api/clock", json={"minutes": 15}, headers=same)
    assert response.status == 200, await response.json()
    alias = {"Host": f"localhost:{port}", "Origin": f"http://localhost:{port}"}
    response = await page.client.post(
        "/api/clock", json={"minutes": 15}, headers=page.headers | alias
    )
    assert response.status == 200
    plain = await page.client.post(
        "/api/clock", data='{"minutes": 15}', headers=page.headers | {"Content-Type": "text/plain"}
    )
    assert plain.status == 415  # the page sends JSON as JSON
