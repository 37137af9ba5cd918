"""``DELETE /api/v1/customers/{phone}``: the shop erases a customer's personal data
(README, "Personal data"). Thin: parse the phone, call the service, say what was done."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, Field

from bot.domain.new_order import PHONE_LENGTH  # the document's maxLength
from bot.services import forget
from bot.web.errors import ApiError, FieldError
from bot.web.jsonio import json_response
from bot.web.keys import DB, SERVICE_CONTEXT
from bot.web.paths import stored_name

NOT_FOUND_MESSAGE = "No customer has this phone number (or their data was erased already)."


class CustomerErasedOut(BaseModel):
    """What was erased: the customer's id (not the phone) and how many of their records."""

    customer_id: int = Field(description="The erased customer's id (the audit log names it).")
    orders: int = Field(description="Their orders, kept anonymised: statistics stay true.")
    open_orders: int = Field(
        description="Of those, orders not yet finished: each gets a `customer.erased` webhook "
        "event like the others; no more messages go to or about the customer."
    )
    returns: int = Field(description="Their returns, without IBANs, holder names and photos.")


async def erase(request: web.Request) -> web.Response:
    """200 with what was erased; 404 for a phone no customer has; 422 for one that is invalid."""
    raw = stored_name(request, "phone")
    try:
        if len(raw) > PHONE_LENGTH:
            raise forget.NotAPhoneNumber(target=raw)
        erased = await forget.forget_phone(
            request.app[DB], request.app[SERVICE_CONTEXT], raw, forget.SHOP_API
        )
    except forget.NotAPhoneNumber:
        raise ApiError(
            422,
            "validation_failed",
            "Invalid or missing fields: phone",
            fields=[FieldError(field="phone", message="not a valid phone number")],
        ) from None
    except forget.NoSuchCustomer:
        raise ApiError(404, "not_found", NOT_FOUND_MESSAGE) from None
    body = CustomerErasedOut(
        customer_id=erased.customer_id,
        orders=erased.orders,
        open_orders=erased.open_orders,
        returns=erased.returns,
    )
    return json_response(body.model_dump(mode="json"))
