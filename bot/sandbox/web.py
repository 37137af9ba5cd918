"""The sandbox page and the JSON calls behind it (plain HTML/JS, served by aiohttp; no build step).

Every action answers ``{"ok": true}`` or ``{"error": {"code", "message"}}`` with the message in the
page's language; the page then reads ``GET /api/state`` (a long poll) to redraw.
"""

from __future__ import annotations

import asyncio
import json
import logging
from importlib import resources
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.domain.languages import Language
from bot.i18n import Catalogs
from bot.sandbox.guard import PageGuard, Refused, guard_middleware
from bot.sandbox.labels import labels
from bot.sandbox.pages import customer_pages
from bot.sandbox.refusals import refusal
from bot.sandbox.session import NotPossible, Sandbox, deep_link_payload
from bot.sandbox.shop import SHIPMENT_EVENTS, webhook_receiver
from bot.standin.media import MAX_PHOTO_BYTES

ALBUM_SIZE = 10  # photos in one post, as in Telegram: the page sends more in several

log = logging.getLogger("vykup.sandbox")

SANDBOX: web.AppKey[Sandbox] = web.AppKey("sandbox", Sandbox)
CATALOGS: web.AppKey[Catalogs] = web.AppKey("catalogs", Catalogs)
LONG_POLL_SECONDS = 20.0
STATIC_FILES = {
    "sandbox.js": "text/javascript",
    "sandbox.css": "text/css",
}
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")


class PageError(Exception):
    def __init__(self, code: str, status: int = 409) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


def page_language(request: web.Request) -> Language:
    try:
        return Language(request.query.get("lang") or request.cookies.get("lang") or "uk")
    except ValueError:
        return Language.uk


@web.middleware
async def answer_in_page_language(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except PageError as error:
        status, code = error.status, error.code
    except NotPossible as error:
        status, code = 409, error.code
    except Refused as error:  # another site, or a page of an earlier run
        status, code = 403, error.code
    except web.HTTPException:
        raise
    except Exception:
        log.exception("sandbox: %s %s failed", request.method, request.path)
        status, code = 500, "failed"
    t = request.app[CATALOGS](page_language(request))
    words = labels(t)
    message = words.get(f"error_{code}", words["error_failed"])
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


async def json_body(request: web.Request) -> dict[str, Any]:
    if request.content_type != "application/json":  # as the page sends it, never text/plain
        raise PageError("json", 415)
    try:
        body = await request.json()
    except ValueError:
        raise PageError("json", 400) from None
    if not isinstance(body, dict):
        raise PageError("json", 400)
    return body


def text_field(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str):
        raise PageError("json", 400)
    return value


def int_field(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise PageError("json", 400)
    return value


OK = {"ok": True}
TOKEN_SLOT = '<meta name="sandbox-token" content="">'


def create_page_app(
    sandbox: Sandbox, catalogs: Catalogs, guard: PageGuard | None = None
) -> web.Application:
    """The page and its calls; ``guard`` (a fresh token unless given) keeps other sites out."""
    guard = guard or PageGuard(lambda: sandbox.page_url)
    app = web.Application(
        middlewares=[answer_in_page_language, guard_middleware(guard)],
        client_max_size=ALBUM_SIZE * MAX_PHOTO_BYTES + 65536,
    )
    app[SANDBOX] = sandbox
    app[CATALOGS] = catalogs
    routes = web.RouteTableDef()

    @routes.get("/")
    async def page(request: web.Request) -> web.Response:
        html = resources.files("bot.sandbox").joinpath("static/index.html").read_text("utf-8")
        filled = f'<meta name="sandbox-token" content="{guard.token}">'
        headers = {"Cache-Control": "no-store"}  # a page kept from an earlier run has its token
        return web.Response(
            text=html.replace(TOKEN_SLOT, filled), content_type="text/html", headers=headers
        )

    @routes.get("/favicon.ico")
    async def favicon(request: web.Request) -> web.Response:
        return web.Response(status=204)

    @routes.get("/static/{name}")
    async def static(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in STATIC_FILES:
            raise web.HTTPNotFound()
        text = resources.files("bot.sandbox").joinpath(f"static/{name}").read_text("utf-8")
        return web.Response(text=text, content_type=STATIC_FILES[name])

    @routes.get("/api/labels")
    async def page_labels(request: web.Request) -> web.Response:
        language = page_language(request)
        return web.json_response({"language": language.value, "labels": labels(catalogs(language))})

    @routes.get("/api/state")
    async def state(request: web.Request) -> web.Response:
        """The whole page; with ``?version=`` it waits (up to 20 s) until something changed."""
        known = request.query.get("version")
        try:
            await asyncio.wait_for(sandbox.ready.wait(), LONG_POLL_SECONDS)
        except TimeoutError:
            raise PageError("failed", 503) from None
        loop_deadline = LONG_POLL_SECONDS
        snapshot = sandbox.snapshot()
        version = _version(snapshot)
        while known == version and loop_deadline > 0 and not sandbox.closing:
            await sandbox.wait_for_change(min(loop_deadline, 5.0))
            loop_deadline -= 5.0
            snapshot = sandbox.snapshot()
            version = _version(snapshot)
        return web.json_response(snapshot | {"version": version})

    @routes.get("/api/files/{file_id}")
    async def file(request: web.Request) -> web.Response:
        content = sandbox.file(request.match_info["file_id"])
        kind = "image/png" if content.startswith(b"\x89PNG") else "image/jpeg"
        return web.Response(body=content, content_type=kind)

    # -- chats --------------------------------------------------------------------------------------
    @routes.post("/api/chats/{chat}/text")
    async def text(request: web.Request) -> web.Response:
        body = await json_body(request)
        reply_to = int_field(body, "reply_to") if body.get("reply_to") is not None else None
        sandbox.send_text(request.match_info["chat"], text_field(body, "text"), reply_to)
        return web.json_response(OK)

    @routes.post("/api/chats/customer/start")
    async def start(request: web.Request) -> web.Response:
        sandbox.start()
        return web.json_response(OK)

    @routes.post("/api/chats/{chat}/press")
    async def press(request: web.Request) -> web.Response:
        body = await json_body(request)
        sandbox.press(
            request.match_info["chat"],
            int_field(body, "message_id"),
            int_field(body, "row"),
            int_field(body, "column"),
        )
        return web.json_response(OK)

    @routes.post("/api/chats/customer/tap")
    async def tap(request: web.Request) -> web.Response:
        sandbox.tap(text_field(await json_body(request), "text"))
        return web.json_response(OK)

    @routes.post("/api/chats/customer/contact")
    async def contact(request: web.Request) -> web.Response:
        sandbox.share_contact()
        return web.json_response(OK)

    @routes.post("/api/chats/{chat}/photo")
    async def photo(request: web.Request) -> web.Response:
        try:
            form = await request.post()
        except ValueError:
            raise PageError("not_image", 400) from None
        uploads = form.getall("file", [])
        if not uploads or len(uploads) > ALBUM_SIZE:
            raise PageError("not_image", 400)
        contents = []
        for upload in uploads:  # every one a picture, or none is sent
            if not isinstance(upload, web.FileField):
                raise PageError("not_image", 400)
            content = upload.file.read(MAX_PHOTO_BYTES + 1)
            if len(content) > MAX_PHOTO_BYTES or not _is_image(content):
                raise PageError("not_image", 400)
            contents.append(content)
        caption = form.get("caption")
        sandbox.send_photos(
            request.match_info["chat"], contents, caption if isinstance(caption, str) else None
        )
        return web.json_response(OK)

    @routes.post("/api/chats/{chat}/language")
    async def language(request: web.Request) -> web.Response:
        try:
            chosen = Language(text_field(await json_body(request), "language"))
        except ValueError:
            raise PageError("language", 400) from None
        await sandbox.set_language(request.match_info["chat"], chosen)
        return web.json_response(OK)

    @routes.post("/api/open-link")
    async def open_link(request: web.Request) -> web.Response:
        url = text_field(await json_body(request), "url")
        payload = deep_link_payload(url, sandbox.world.bot.username)
        if payload is None:
            raise PageError("link", 400)
        sandbox.start(payload)
        return web.json_response(OK)

    @routes.post("/api/clock")
    async def clock(request: web.Request) -> web.Response:
        sandbox.advance(int_field(await json_body(request), "minutes"))
        return web.json_response(OK)

    # -- the shop -------------------------------------------------------------------------------------
    @routes.post("/api/shop/orders")
    async def create_order(request: web.Request) -> web.Response:
        try:
            payload = json.loads(text_field(await json_body(request), "order"))
        except ValueError:
            raise PageError("json", 400) from None
        status, answer = await sandbox.shop_client().create_order(payload, sandbox.clock.now())
        sandbox.order_created(status, answer)
        sandbox.changed()
        number = payload.get("external_id") if isinstance(payload, dict) else None
        return shop_answer(request, "create_order", str(number) if number else None, status, answer)

    @routes.post("/api/shop/orders/{external_id}/{action}")
    async def order_action(request: web.Request) -> web.Response:
        external_id = request.match_info["external_id"]
        action = request.match_info["action"]
        client = sandbox.shop_client()
        now = sandbox.clock.now()
        if action == "ship":
            status, answer = await client.ship(external_id, now)
        elif action in SHIPMENT_EVENTS:
            try:
                today = (
                    now.astimezone(sandbox.settings.tz).date() if sandbox.settings else now.date()
                )
                status, answer = await client.event(external_id, action, now, today)
            except LookupError:
                raise PageError("no_waybill") from None
        else:
            raise web.HTTPNotFound()
        sandbox.changed()
        return shop_answer(request, action, external_id, status, answer)

    app.add_routes(routes)
    app.add_routes(webhook_receiver(sandbox.shop, sandbox.clock.now, sandbox.changed))
    app.add_routes(customer_pages(sandbox.app_url, lambda: sandbox.http))
    return app


def shop_answer(
    request: web.Request, action: str, number: str | None, status: int, answer: Any
) -> web.Response:
    """The shop API's answer for the panel's log, and its refusal in words for the banner."""
    t = request.app[CATALOGS](page_language(request))
    words = labels(t)
    said = refusal(t, words.get(action, action), number, status, answer)
    body: dict[str, Any] = {"status": status, "answer": answer}
    if said is not None:
        body["message"] = said
    return web.json_response(body)


def _is_image(content: bytes) -> bool:
    return content.startswith(IMAGE_MAGIC) or (content[:4] == b"RIFF" and content[8:12] == b"WEBP")


def _version(snapshot: dict[str, Any]) -> str:
    """Changes whenever anything on the page would: a cheap fingerprint of the snapshot."""
    return format(hash(json.dumps(snapshot, sort_keys=True, default=str)) & 0xFFFFFFFFFFFF, "x")
