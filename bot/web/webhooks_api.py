"""``POST /api/v1/webhooks/redeliver``: the shop, its endpoint working again, asks for the
deliveries Vykup gave up on (the same as ``vykup webhooks --redeliver``)."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, Field

from bot.services.shop_deliveries import redeliver_failed
from bot.web.jsonio import json_response
from bot.web.keys import DB


class RedeliveredOut(BaseModel):
    queued: int = Field(
        description="Failed deliveries queued again; the worker sends each with its original "
        "`webhook-id`, ahead of its order's events still waiting."
    )


async def redeliver(request: web.Request) -> web.Response:
    queued = await redeliver_failed(request.app[DB])
    return json_response(RedeliveredOut(queued=queued).model_dump(mode="json"))
