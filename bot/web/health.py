"""``GET /healthz`` for load balancers: the process answers and the database does too."""

from __future__ import annotations

import asyncio
import logging
from typing import Literal

from aiohttp import web
from pydantic import BaseModel
from sqlalchemy import text

from bot.web.errors import ErrorDetail
from bot.web.jsonio import json_response
from bot.web.keys import DB

logger = logging.getLogger(__name__)

DATABASE_TIMEOUT_SECONDS = 5.0


class HealthOut(BaseModel):
    status: Literal["ok", "unavailable"]
    error: ErrorDetail | None = None


async def healthz(request: web.Request) -> web.Response:
    """200 ``{"status": "ok"}`` after ``SELECT 1``; 503 when the database does not answer."""
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT_SECONDS):
            async with request.app[DB].engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except Exception:  # whatever the driver raises, the answer is "not healthy", never a 500
        logger.warning("health check: the database does not answer", exc_info=True)
        down = HealthOut(
            status="unavailable",
            error=ErrorDetail(code="database_unavailable", message="The database does not answer"),
        )
        return json_response(down.model_dump(mode="json", exclude_none=True), status=503)
    return json_response(HealthOut(status="ok").model_dump(mode="json", exclude_none=True))
