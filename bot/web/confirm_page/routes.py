"""``GET /c/<token>`` shows the order; ``POST /c/<token>/confirm|cancel|change`` answers it.

Thin handlers: read the link, check the form, call one service, render. Every refusal is a
translated page with its own status (404 unknown or off, 410 expired, 403 stale form, 409
already answered, 405 wrong method, 429 too many) and changes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final

from aiohttp import web

from bot.domain.errors import N_, DomainError, NotFound
from bot.domain.languages import Language
from bot.domain.orders import CancelReason
from bot.domain.outreach import OutreachPurpose
from bot.i18n import Translator
from bot.services import web_links
from bot.services.confirmation import EmptyChangeRequest, NotAwaitingConfirmation
from bot.services.context import ServiceContext
from bot.services.outreach import stops
from bot.services.outreach.plan import reaches
from bot.services.web_links import LinkExpired, LinkInvalid, PageOff, PageOrder
from bot.texts.errors import explain
from bot.texts.escaping import escape
from bot.web.confirm_page import csrf
from bot.web.confirm_page.limits import PageLimits
from bot.web.confirm_page.render import (
    Form,
    PageFrame,
    message_page,
    order_page,
    result_page,
    texting_block,
)
from bot.web.keys import DB, SERVICE_CONTEXT
from storage.models import Order
from storage.uow import Database

PAGE_LIMITS = web.AppKey("page_limits", PageLimits)
ACTIONS: Final = ("confirm", "cancel", "change", "stop")
HEADERS: Final = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'",
}


class BadForm(DomainError):
    """The form is not the one this page gave (stale, forged, or from another order)."""

    message_key = N_("This form is out of date. Please open the link again and answer once more.")
    code = "bad_form"


class NoReason(DomainError):
    message_key = N_("Please choose why you are cancelling.")
    code = "no_reason"


STATUS_OF: Final[dict[type[DomainError], int]] = {
    PageOff: 404,
    LinkInvalid: 404,
    NotFound: 404,
    LinkExpired: 410,
    NotAwaitingConfirmation: 409,
    EmptyChangeRequest: 400,
    NoReason: 400,
    BadForm: 403,
}


def add_page_routes(app: web.Application, limits: PageLimits | None = None) -> None:
    app[PAGE_LIMITS] = limits or PageLimits()
    app.router.add_route("*", "/c/{token}", show, name="confirm-page")
    app.router.add_route("*", "/c/{token}/{action}", answer, name="confirm-page-answer")
    # The short links of Viber/SMS messages: each leads to its long form.
    app.router.add_get("/p/{code}", short_page, name="short-page")
    app.router.add_get("/t/{code}", short_telegram, name="short-telegram")


async def short_page(request: web.Request) -> web.Response:
    """``/p/<code>`` → the order's page, working WEB_LINK_VALID from the first message."""
    return await _short(request, web_links.page_path_of_code)


async def short_telegram(request: web.Request) -> web.Response:
    """``/t/<code>`` → the bot's deep link for the order (the one the shop API returns)."""
    return await _short(request, web_links.telegram_link_of_code)


async def _short(
    request: web.Request,
    target: Callable[[Database, ServiceContext, str], Awaitable[str]],
) -> web.Response:
    db, ctx = request.app[DB], request.app[SERVICE_CONTEXT]
    code = request.match_info["code"]
    t = _translator(request, None)
    if not request.app[PAGE_LIMITS].allow(request.remote or "", code):
        return _refusal(request, t, 429, _too_many, headers={"Retry-After": "60"})
    try:
        location = await target(db, ctx, code)
    except DomainError as error:
        return _page(request, t, STATUS_OF.get(type(error), 400), error)
    raise web.HTTPFound(location, headers=HEADERS)


async def show(request: web.Request) -> web.Response:
    if request.method not in ("GET", "HEAD"):
        return _refusal(request, _translator(request, None), 405, _wrong_method)
    return await _guarded(request, _show)


async def answer(request: web.Request) -> web.Response:
    if request.method != "POST":
        return _refusal(request, _translator(request, None), 405, _wrong_method)
    if request.match_info["action"] not in ACTIONS:
        return _page(request, _translator(request, None), 404, LinkInvalid())
    return await _guarded(request, _answer)


async def _show(request: web.Request, page: PageOrder, t: Translator) -> web.Response:
    ctx = request.app[SERVICE_CONTEXT]
    now = request.app[DB].clock.now()
    token = request.match_info["token"]
    secret = ctx.web_link_secret or ""
    forms = {
        action: Form(
            action=f"/c/{token}/{action}?lang={t.language.value}",
            csrf=csrf.issue(secret, token, now),
        )
        for action in ACTIONS
    }
    texting = _texting(ctx, page.order, forms["stop"], t)
    return _html(order_page(_frame(request, t), page.order, forms, texting))


async def _answer(request: web.Request, page: PageOrder, t: Translator) -> web.Response:
    db, ctx = request.app[DB], request.app[SERVICE_CONTEXT]
    form = await request.post()
    token = request.match_info["token"]
    if not csrf.valid(ctx.web_link_secret or "", token, str(form.get("csrf", "")), db.clock.now()):
        raise BadForm()
    action = request.match_info["action"]
    if action == "stop":
        order = await stops.stop_from_page(db, page)
        message = t.gettext(
            "🔕 Done: we will not send you Viber or SMS messages any more. A manager may still "
            "call you about the order."
        )
        return _html(result_page(_frame(request, t), order, message, _telegram_link(ctx, order)))
    if action == "confirm":
        order = await web_links.confirm(db, ctx, page)
        done = t.gettext("Thank you! Order {number} is confirmed.")
    elif action == "cancel":
        try:
            reason = CancelReason(str(form.get("reason", "")))
        except ValueError:
            raise NoReason() from None
        order = await web_links.cancel(db, ctx, page, reason, str(form.get("comment", "")))
        done = t.gettext("Order {number} is cancelled.")
    else:
        order = await web_links.request_change(db, ctx, page, str(form.get("text", "")))
        done = t.gettext(
            "✏️ Thank you! We passed your request for order <b>{number}</b> to a manager, "
            "who will contact you soon. The order stays unconfirmed until then."
        )
    message = done.format(number=escape(order.external_id))
    stop = Form(
        action=f"/c/{token}/stop?lang={t.language.value}",
        csrf=csrf.issue(ctx.web_link_secret or "", token, db.clock.now()),
    )
    texting = _texting(ctx, order, stop, t)
    page_html = result_page(_frame(request, t), order, message, _telegram_link(ctx, order), texting)
    return _html(page_html)


Step = Callable[[web.Request, PageOrder, Translator], Awaitable[web.Response]]


async def _guarded(request: web.Request, step: Step) -> web.Response:
    """Rate limits, the link, the page's language; refusals as translated pages."""
    db, ctx = request.app[DB], request.app[SERVICE_CONTEXT]
    token = request.match_info["token"]
    t = _translator(request, None)
    if not request.app[PAGE_LIMITS].allow(request.remote or "", token):
        return _refusal(request, t, 429, _too_many, headers={"Retry-After": "60"})
    page: PageOrder | None = None
    try:
        page = await web_links.open_page(db, ctx, token)
        t = _translator(request, page.language)
        return await step(request, page, t)
    except DomainError as error:
        link = _telegram_link(ctx, page.order) if page is not None else None
        return _page(request, t, STATUS_OF.get(type(error), 400), error, link)


def _page(
    request: web.Request,
    t: Translator,
    status: int,
    error: DomainError,
    telegram_link: str | None = None,
) -> web.Response:
    text = explain(t, error)
    return _html(message_page(_frame(request, t), text, telegram_link), status=status)


def _refusal(
    request: web.Request,
    t: Translator,
    status: int,
    message: Callable[[Translator], str],
    headers: dict[str, str] | None = None,
) -> web.Response:
    page = message_page(_frame(request, t), message(t))
    return _html(page, status=status, headers=headers)


def _wrong_method(t: Translator) -> str:
    return t.gettext("Please answer with the buttons on the order's page.")


def _too_many(t: Translator) -> str:
    return t.gettext("Too many requests. Please wait a minute and try again.")


def _translator(request: web.Request, language: Language | None) -> Translator:
    """The language asked for with ``?lang=``, else the order's, else the shop's default."""
    ctx: ServiceContext = request.app[SERVICE_CONTEXT]
    asked = request.query.get("lang", "")
    chosen = Language(asked) if asked in {lang.value for lang in Language} else language
    return ctx.catalogs(chosen or ctx.default_language)


def _frame(request: web.Request, t: Translator) -> PageFrame:
    token = request.match_info.get("token")
    # The language switch links back to the page (a short link's refusal: to itself).
    return PageFrame(t=t, path=f"/c/{token}" if token is not None else request.path)


def _texting(ctx: ServiceContext, order: Order, form: Form, t: Translator) -> str:
    """The Viber/SMS block, for a customer outreach reaches (and who has not said stop)."""
    if ctx.outreach is None or not reaches(ctx, order.customer):
        return ""
    arrival = OutreachPurpose.arrived in ctx.outreach.notices
    return texting_block(t, form, arrival_by_sms=arrival)


def _telegram_link(ctx: ServiceContext, order: Order) -> str | None:
    return ctx.deep_link(order.link_token) if ctx.bot_username else None


def _html(text: str, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        text=text,
        status=status,
        content_type="text/html",
        charset="utf-8",
        headers={**HEADERS, **(headers or {})},
    )
