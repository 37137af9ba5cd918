"""aiohttp application serving ``/bot{token}/{method}`` and ``/file/bot{token}/{path}``."""

from __future__ import annotations

from typing import Any, Protocol

from aiohttp import web

from bot.standin.errors import (
    BAD_GATEWAY_PAGE,
    ApiError,
    bad_gateway,
    bad_request,
    method_not_found,
    unauthorized,
)
from bot.standin.methods_bot import BOT_METHODS
from bot.standin.methods_edit import EDIT_METHODS
from bot.standin.methods_send import SEND_METHODS, Handler
from bot.standin.params import Params, Upload
from bot.standin.state import World

HANDLERS: dict[str, tuple[str, Handler]] = {
    name.lower(): (name, handler)
    for name, handler in {**BOT_METHODS, **SEND_METHODS, **EDIT_METHODS}.items()
}
WORLD_KEY = web.AppKey("standin_world", World)
MAX_BODY = 60 * 1024 * 1024


class HasWorld(Protocol):
    @property
    def world(self) -> World: ...


def create_app(standin: HasWorld) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY)
    app[WORLD_KEY] = standin.world
    app.router.add_route("GET", "/bot{token}/{method}", handle_method)
    app.router.add_route("POST", "/bot{token}/{method}", handle_method)
    app.router.add_get("/file/bot{token}/{path:.+}", handle_file)
    return app


async def read_params(request: web.Request) -> Params:
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.method == "POST" and request.body_exists:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON encoded request body") from None
            if not isinstance(body, dict):
                raise bad_request("JSON object expected as the request body")
            values.update(body)
        else:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    content = value.file.read()
                    uploads[key] = Upload(value.filename, content, value.content_type)
                else:
                    values[key] = value
    return Params(values, uploads)


def _reply(world: World, method: str, params: Params, error: ApiError) -> web.Response:
    world.record_call(method, params.log_view(), error=error)
    return web.json_response(error.envelope(), status=error.status)


async def handle_method(request: web.Request) -> web.Response:
    world = request.app[WORLD_KEY]
    method = request.match_info["method"]
    try:
        params = await read_params(request)
    except ApiError as error:
        return _reply(world, method, Params({}), error)
    if world.outage:
        world.record_call(method, params.log_view(), error=bad_gateway())
        return web.Response(status=502, text=BAD_GATEWAY_PAGE, content_type="text/html")
    if request.match_info["token"] != world.bot.token:
        return _reply(world, method, params, unauthorized())
    found = HANDLERS.get(method.lower())
    if found is None:
        return _reply(world, method, params, method_not_found())
    name, handler = found
    try:
        result = await handler(world, params)
    except ApiError as error:
        return _reply(world, name, params, error)
    world.record_call(name, params.log_view(), result=result)
    held = world.answers_held.get(name)
    if held is not None:
        await held.wait()
    return web.json_response({"ok": True, "result": result})


async def handle_file(request: web.Request) -> web.Response:
    world = request.app[WORLD_KEY]
    if request.match_info["token"] != world.bot.token:
        return web.json_response(unauthorized().envelope(), status=401)
    path = request.match_info["path"]
    for record in world.files.values():
        if record.file_path == path:
            return web.Response(body=record.content, content_type="application/octet-stream")
    return web.json_response(
        {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
    )
