"""The ceiling for ``bench.intake``: a bare aiohttp app with one handler for
``POST /api/v1/orders`` that parses the JSON body and answers 201 with a small JSON body.

No token check, no validation, no database: what aiohttp itself costs per request on this
machine, served the way the bot's web role serves (one process per core sharing the port with
``reuse_port``, no access log). Run by ``bench.intake``:
``python -m bench.intake_bare <port>``.
"""

from __future__ import annotations

import sys

from aiohttp import web


async def create_order(request: web.Request) -> web.Response:
    order = await request.json()
    return web.json_response(
        {"external_id": order["external_id"], "status": "new"},
        status=201,
        headers={"Location": f"/api/v1/orders/{order['external_id']}"},
    )


def create_app() -> web.Application:
    app = web.Application()
    app.router.add_post("/api/v1/orders", create_order)
    return app


def main() -> None:
    port = int(sys.argv[1])
    web.run_app(
        create_app(), host="127.0.0.1", port=port, reuse_port=True, access_log=None, print=None
    )


if __name__ == "__main__":
    main()
