"""The web confirmation page's side of an order: its link, opening it, and answering from it.

The answers are the Telegram card's own use cases (:mod:`bot.services.confirmation`) called for
the holder of the order's link, so both ways follow one set of rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.errors import N_, DomainError
from bot.domain.languages import Language
from bot.domain.orders import CancelReason
from bot.domain.page_tokens import (
    PageToken,
    PageTokenExpired,
    PageTokenInvalid,
    make_page_token,
    read_page_token,
)
from bot.services import confirmation
from bot.services.context import ServiceContext
from bot.services.languages import language_for
from bot.services.people import LinkHolder
from storage.models import Order
from storage.uow import Database


class PageOff(DomainError):
    message_key = N_("This page is not available.")
    code = "page_off"


class LinkInvalid(DomainError):
    message_key = N_("This link does not work. Please check that you opened it whole.")
    code = "link_invalid"


class LinkExpired(DomainError):
    message_key = N_(
        "This link has expired. You can still answer in our Telegram bot, or wait for the "
        "shop's call."
    )
    code = "link_expired"


@dataclass(frozen=True)
class PageOrder:
    order: Order
    language: Language  # the one its card in Telegram speaks


def page_url(ctx: ServiceContext, order: Order, now: datetime) -> str | None:
    """``<PUBLIC_URL>/c/<token>``, working for WEB_LINK_VALID from ``now``; None when the page
    is off (no WEB_LINK_SECRET) or the bot has no public address."""
    return page_url_until(ctx, order, now + ctx.web_link_valid)


def page_url_until(ctx: ServiceContext, order: Order, expires_at: datetime) -> str | None:
    """``<PUBLIC_URL>/c/<token>`` working until ``expires_at``; None when the page is off."""
    if not ctx.public_url or not ctx.web_link_secret:
        return None
    token = make_page_token(order.link_token, expires_at, _secret(ctx))
    return f"{ctx.public_url.rstrip('/')}/c/{token}"


async def page_path_of_code(db: Database, ctx: ServiceContext, code: str) -> str:
    """``/c/<token>`` for a Viber/SMS short code: the link works WEB_LINK_VALID from the first
    message (an expired one leads to the page that says so). Raise PageOff or LinkInvalid."""
    if not ctx.web_link_secret:
        raise PageOff()
    order = await _order_of_code(db, code)
    assert order.short_code_at is not None  # set with the code
    token = make_page_token(
        order.link_token, order.short_code_at + ctx.web_link_valid, _secret(ctx)
    )
    return f"/c/{token}"


async def telegram_link_of_code(db: Database, ctx: ServiceContext, code: str) -> str:
    """The bot's deep link for a Viber/SMS short code (it does not expire: linking is safe
    whenever). Raise LinkInvalid."""
    order = await _order_of_code(db, code)
    if not ctx.bot_username:
        raise PageOff()
    return ctx.deep_link(order.link_token)


async def _order_of_code(db: Database, code: str) -> Order:
    if not (0 < len(code) <= 16 and code.isalnum() and code.isascii()):
        raise LinkInvalid()
    async with db.read() as uow:
        order = await uow.outreach.by_short_code(code)
    if order is None:
        raise LinkInvalid()
    return order


def read_link(ctx: ServiceContext, token: str, now: datetime) -> PageToken:
    """The link's order token; raise PageOff, LinkInvalid or LinkExpired (no database needed)."""
    if not ctx.web_link_secret:
        raise PageOff()
    try:
        return read_page_token(token, _secret(ctx), now)
    except PageTokenInvalid:
        raise LinkInvalid() from None
    except PageTokenExpired:
        raise LinkExpired() from None


async def open_page(db: Database, ctx: ServiceContext, token: str) -> PageOrder:
    """The order behind a page token, and the language its customer reads."""
    link = read_link(ctx, token, db.clock.now())
    async with db.read() as uow:
        # An erased customer's orders get new link tokens: their old links lead nowhere.
        order = await uow.orders.by_link_token(link.link_token)
        if order is None:
            raise LinkInvalid()
        customer = order.customer
        language = await language_for(
            uow,
            ctx,
            telegram_id=customer.telegram_id,
            telegram_language=customer.telegram_language,
            order=order,
        )
        return PageOrder(order=order, language=language)


async def confirm(db: Database, ctx: ServiceContext, page: PageOrder) -> Order:
    return await confirmation.confirm(db, ctx, page.order.id, _holder(page), None)


async def cancel(
    db: Database, ctx: ServiceContext, page: PageOrder, reason: CancelReason, comment: str | None
) -> Order:
    return await confirmation.cancel(db, ctx, page.order.id, _holder(page), reason, comment, None)


async def request_change(db: Database, ctx: ServiceContext, page: PageOrder, text: str) -> Order:
    return await confirmation.request_change(db, ctx, page.order.id, _holder(page), text)


def _holder(page: PageOrder) -> LinkHolder:
    """The use case checks the link against the order again, under its lock."""
    return LinkHolder(page.order.link_token)


def _secret(ctx: ServiceContext) -> bytes:
    return (ctx.web_link_secret or "").encode()
