"""Request bodies in: a JSON object, then a pydantic model, or a 400/422 that says what is wrong."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, NoReturn, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from bot.web.errors import ApiError, bad_json, validation_failed

ModelT = TypeVar("ModelT", bound=BaseModel)


def _refuse_constant(name: str) -> NoReturn:
    # Python's json accepts NaN and Infinity; JSON does not, and neither do we.
    raise ValueError(f"{name} is not valid JSON")


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """Numbers with a fraction become ``Decimal``: ``450.10`` is never a float on its way in."""
    if not raw.strip():
        raise bad_json("The request body is empty; send a JSON object")
    try:
        data = json.loads(raw, parse_float=Decimal, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError too
        raise bad_json(f"The request body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise bad_json(f"The request body must be a JSON object, not {_json_type(data)}")
    return data


# The shop API's bodies; the application takes more only for platforms' webhooks (``/connect``).
MAX_API_BODY_BYTES = 1024 * 1024


async def read_json_object(request: web.Request) -> dict[str, Any]:
    """The body as a JSON object; too large → 413 (aiohttp's own past ``client_max_size``)."""
    raw = await request.read()
    if len(raw) > MAX_API_BODY_BYTES:
        raise ApiError(
            413,
            "payload_too_large",
            f"The request body is too large: at most {MAX_API_BODY_BYTES} bytes",
        )
    return parse_json_object(raw)


def parse_model(model: type[ModelT], data: dict[str, Any]) -> ModelT:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_failed(exc) from None


async def read_model(request: web.Request, model: type[ModelT]) -> ModelT:
    return parse_model(model, await read_json_object(request))


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return "a number"
