"""What every list of the API shares: ``limit``, the query string read, the page's cursor."""

from __future__ import annotations

from typing import Annotated, Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

MAX_LIMIT = 500
DEFAULT_LIMIT = 100


class PageQuery(BaseModel):
    """``limit`` of every list; unknown parameters are refused, as everywhere in the API."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT, description="At most this many.")] = (
        DEFAULT_LIMIT
    )


class Page(BaseModel):
    next_after: str = Field(
        description=(
            "Send it back as `after` for the next page; on the last page too, to hear later of "
            "what comes after it."
        )
    )
    has_more: bool = Field(description="Whether more wait right after this page.")


def query_of(request: web.Request) -> dict[str, Any]:
    """The query string, one value a parameter (a repeated one joined with commas)."""
    return {key: ",".join(request.query.getall(key)) for key in request.query}


def limit_parameter() -> dict[str, Any]:
    """``limit`` in the OpenAPI document."""
    return {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": f"At most this many (default {DEFAULT_LIMIT}).",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
    }
