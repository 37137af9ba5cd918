"""The shop's return endpoints: list, read one with its history, move one.

Thin: parse, call one service, serialise. A return is named by its number (``R-000123``; ``r123``
works too); a number that names no return is 404, a move the status table forbids 409 with the
current status, a missing or wrong field 422 naming it, a well-formed value that does not fit the
stored return (its order's carrier or total) 409 naming it.
"""

from __future__ import annotations

from aiohttp import web

from bot.domain.return_desk import AmountOutOfRange
from bot.domain.returns import IllegalReturnMove, parse_return_number
from bot.services.returns.desk import ReturnNotFound
from bot.services.returns.followups import InvalidWaybill, WaybillOfDelivery, WaybillTaken
from bot.services.returns.shop import list_returns, move_by_shop, return_with_history
from bot.web.body import parse_model, read_model
from bot.web.cursors import return_cursor
from bot.web.errors import ApiError, FieldError
from bot.web.jsonio import json_response
from bot.web.keys import DB, SERVICE_CONTEXT
from bot.web.pages import query_of
from bot.web.return_schemas import ReturnListQuery, ReturnStatusIn
from bot.web.return_serializers import return_json, return_list_json, return_with_history_json

RETURN_ROUTE = "returns-one"


def _return_id(request: web.Request) -> int:
    number = request.match_info["number"]
    return_id = parse_return_number(number)
    if return_id is None:
        raise _not_found(number)
    return return_id


def _not_found(number: str) -> ApiError:
    return ApiError(404, "not_found", f"No return with number {number!r}")


def _fields(*fields: FieldError) -> ApiError:
    named = ", ".join(dict.fromkeys(item.field for item in fields))
    return ApiError(422, "validation_failed", f"Invalid or missing fields: {named}", fields=fields)


def _mismatch(field: str, message: str) -> ApiError:
    """409: the value is well formed but does not fit this return (its order's carrier or
    total, the parcels already known); the document cannot know those, so it is not a 422."""
    return ApiError(
        409,
        "return_mismatch",
        f"{message}. Nothing was changed.",
        fields=[FieldError(field=field, message=message)],
    )


async def list_all(request: web.Request) -> web.Response:
    """``?status=requested,received&after=<cursor>&limit=100``: oldest first."""
    params = parse_model(ReturnListQuery, query_of(request))
    after = params.after or 0
    found = await list_returns(request.app[DB], params.status, params.limit + 1, after_id=after)
    returns = found[: params.limit]
    last = returns[-1].id if returns else after
    return json_response(
        return_list_json(
            returns, next_after=return_cursor(last), has_more=len(found) > params.limit
        )
    )


async def get_one(request: web.Request) -> web.Response:
    try:
        return_, events = await return_with_history(request.app[DB], _return_id(request))
    except ReturnNotFound:
        raise _not_found(request.match_info["number"]) from None
    return json_response(return_with_history_json(return_, events))


async def set_status(request: web.Request) -> web.Response:
    """The same moves as the managers' buttons; the customer hears, the card follows."""
    return_id = _return_id(request)
    payload = await read_model(request, ReturnStatusIn)
    problems = payload.problems()
    if problems:
        raise _fields(*problems)
    try:
        return_ = await move_by_shop(
            request.app[DB], request.app[SERVICE_CONTEXT], return_id, payload.to_move()
        )
    except ReturnNotFound:
        raise _not_found(request.match_info["number"]) from None
    except IllegalReturnMove as exc:
        message = (
            f"The return is {exc.current.value}; it cannot move to {exc.target.value}. "
            "Nothing was changed."
        )
        raise ApiError(409, "conflict", message, current_status=exc.current.value) from None
    except InvalidWaybill:
        raise _mismatch(
            "waybill", f"{payload.waybill!r} is not a valid waybill number for this carrier"
        ) from None
    except (WaybillOfDelivery, WaybillTaken):
        raise _mismatch(
            "waybill", "This waybill belongs to a parcel to the customer or to another return"
        ) from None
    except AmountOutOfRange as exc:
        raise _mismatch(
            "refund_amount",
            f"Must be more than 0 and at most the order's total, {exc.params['total']}",
        ) from None
    return json_response(return_json(return_))
