"""One place that turns errors into replies: domain errors are explained, others apologised for."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent

from bot.domain.errors import N_, DomainError
from bot.i18n import Translator
from bot.services.context import ServiceContext
from bot.texts.errors import explain

log = logging.getLogger(__name__)

UNEXPECTED = N_("Sorry, something went wrong on our side. Please try again in a minute.")


async def _reply(event: ErrorEvent, text: str) -> None:
    update = event.update
    if update.callback_query is not None:
        await update.callback_query.answer(text[:200], show_alert=True)
    elif update.message is not None:
        await update.message.answer(text)


def _translator(data: dict[str, Any], ctx: ServiceContext) -> Translator:
    """The person's language, or when the error came before it was known (the database is
    down), the chat's: the managers' language in their chat, the default elsewhere."""
    t = data.get("t")
    if isinstance(t, Translator):
        return t
    chat = data.get("event_chat")
    in_managers_chat = chat is not None and chat.id == ctx.manager_chat_id
    return ctx.catalogs(ctx.managers_language if in_managers_chat else ctx.default_language)


async def domain_error(event: ErrorEvent, ctx: ServiceContext, **data: Any) -> None:
    error = event.exception
    assert isinstance(error, DomainError)
    t = _translator(data, ctx)
    await _reply(event, explain(t, error))


async def unexpected_error(event: ErrorEvent, ctx: ServiceContext, **data: Any) -> None:
    log.error("update %s failed", event.update.update_id, exc_info=event.exception)
    await _reply(event, _translator(data, ctx).gettext(UNEXPECTED))


def build_router() -> Router:
    router = Router(name=__name__)
    router.errors.register(domain_error, ExceptionTypeFilter(DomainError))
    router.errors.register(unexpected_error)
    return router
