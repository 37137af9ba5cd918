"""The error envelope every failure shares, and the middleware that makes every error JSON.

``{"error": {"code": "...", "message": "...", "fields": [{"field": "a.b", "message": "..."}]}}``
The messages are for the shop's developers, so they are English and specific.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from http import HTTPStatus

from aiohttp import web
from aiohttp.typedefs import Handler
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from bot.domain.errors import DomainError, IllegalTransition, NotAllowed, NotFound
from bot.domain.order_changes import OrderExistsWithDifferentData
from bot.web.jsonio import json_response
from storage.outage import database_unavailable

logger = logging.getLogger(__name__)

INTERNAL_ERROR_MESSAGE = "Internal server error. It has been logged; please try again later."
DATABASE_UNAVAILABLE_MESSAGE = (
    "The database is unavailable for a moment (restarting?). Nothing was stored; send it again."
)
DATABASE_RETRY_AFTER_SECONDS = 5


class FieldError(BaseModel):
    field: str
    message: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: list[FieldError] = []
    current_status: str | None = None


class ErrorBody(BaseModel):
    """The body of every 4xx/5xx answer."""

    error: ErrorDetail


class ApiError(Exception):
    """Raise from a handler to answer with the error envelope."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        fields: Iterable[FieldError] = (),
        current_status: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.detail = ErrorDetail(
            code=code, message=message, fields=list(fields), current_status=current_status
        )
        self.headers = dict(headers or {})

    def response(self) -> web.Response:
        return error_response(self.status, self.detail, headers=self.headers)


def error_response(
    status: int, detail: ErrorDetail, *, headers: Mapping[str, str] | None = None
) -> web.Response:
    body = ErrorBody(error=detail).model_dump(mode="json", exclude_none=True)
    return json_response(body, status=status, headers=headers)


def bad_json(message: str) -> ApiError:
    return ApiError(400, "bad_json", message)


def unauthorized(message: str) -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


def validation_failed(error: ValidationError) -> ApiError:
    fields = field_errors(error)
    named = ", ".join(dict.fromkeys(item.field for item in fields))
    return ApiError(422, "validation_failed", f"Invalid or missing fields: {named}", fields=fields)


def field_errors(error: ValidationError) -> list[FieldError]:
    """Pydantic's errors as ``{"field": "items.0.quantity", "message": ...}``, one per problem."""
    result: list[FieldError] = []
    for item in error.errors(include_url=False):
        entry = FieldError(field=_dotted(item["loc"]), message=_message(item))
        if entry not in result:
            result.append(entry)
    return result


def _dotted(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "body"


def _message(item: ErrorDetails) -> str:
    if item["type"] == "value_error":
        cause = (item.get("ctx") or {}).get("error")
        if cause is not None:
            return str(cause)
    if item["type"] == "missing":
        return "This field is required"
    if item["type"] == "extra_forbidden":
        return "Unknown field"
    return item["msg"]


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn every failure into the JSON envelope; never show a traceback to the client."""
    try:
        return await handler(request)
    except ApiError as exc:
        return exc.response()
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return _from_http_exception(request, exc)
    except DomainError as exc:
        return _from_domain_error(request, exc)
    except Exception as exc:
        if database_unavailable(exc):
            logger.warning(
                "%s %s: the database is unavailable: %s", request.method, request.path, exc
            )
            return error_response(
                503,
                ErrorDetail(code="database_unavailable", message=DATABASE_UNAVAILABLE_MESSAGE),
                headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
            )
        logger.exception("unhandled error in %s %s", request.method, request.path)
        return error_response(
            500, ErrorDetail(code="internal_error", message=INTERNAL_ERROR_MESSAGE)
        )


def _from_http_exception(request: web.Request, exc: web.HTTPException) -> web.Response:
    """aiohttp's own answers (unknown route, wrong method, body too large …) in our envelope."""
    headers: dict[str, str] = {}
    if isinstance(exc, web.HTTPNotFound):
        detail = ErrorDetail(code="not_found", message=f"No such resource: {request.path}")
    elif isinstance(exc, web.HTTPMethodNotAllowed):
        allowed = ", ".join(sorted(exc.allowed_methods))
        headers["Allow"] = allowed
        detail = ErrorDetail(
            code="method_not_allowed",
            message=f"Method {request.method} is not allowed here; use {allowed}",
        )
    elif isinstance(exc, web.HTTPRequestEntityTooLarge):
        detail = ErrorDetail(
            code="payload_too_large",
            message=f"The request body is too large: at most {request.client_max_size} bytes",
        )
    else:
        detail = ErrorDetail(code=_code_for(exc.status), message=exc.reason)
    return error_response(exc.status, detail, headers=headers)


def _code_for(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "http_error"


def _not_found(request: web.Request) -> str:
    """Name what was looked for: the route's one identifying path parameter."""
    if (external_id := request.match_info.get("external_id")) is not None:
        return f"No order with external_id {external_id!r}"
    if (tracking_number := request.match_info.get("tracking_number")) is not None:
        return f"No shipment with tracking_number {tracking_number!r}"
    return "Not found"


def _from_domain_error(request: web.Request, exc: DomainError) -> web.Response:
    if isinstance(exc, NotFound):
        return error_response(404, ErrorDetail(code="not_found", message=_not_found(request)))
    if isinstance(exc, IllegalTransition):
        message = (
            f"The order is {exc.current}; it cannot move to {exc.target}. Nothing was changed."
        )
        return error_response(
            409, ErrorDetail(code="conflict", message=message, current_status=exc.current)
        )
    if isinstance(exc, OrderExistsWithDifferentData):
        return error_response(409, _different_order(exc))
    if isinstance(exc, NotAllowed):
        return error_response(403, ErrorDetail(code="forbidden", message=str(exc)))
    return error_response(409, ErrorDetail(code=exc.code, message=str(exc)))


def _different_order(exc: OrderExistsWithDifferentData) -> ErrorDetail:
    """Say what differs, and what to do instead: intake never edits a stored order."""
    return ErrorDetail(
        code=exc.code,
        message=(
            f"An order with external_id {exc.external_id!r} already exists with different "
            f"{', '.join(exc.fields)}. Nothing was changed. Send the same body to read it back; "
            "move it with POST /api/v1/orders/{external_id}/status or /shipment; to change what "
            "it contains or who receives it, cancel it (status cancelled) and send the corrected "
            "order under a new external_id."
        ),
        fields=[
            FieldError(field=field, message="Differs from the stored order") for field in exc.fields
        ],
    )
