"""The customer's words a return waits for: the answer to a manager's question, the waybill.

Only plain text in the private chat, outside any other dialog, and only while one of the
person's returns waits for it (the service decides); anything else passes on to the next handler.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import StateFilter
from aiogram.types import Message

from bot.i18n import Translator
from bot.services.context import ServiceContext
from bot.services.people import TelegramUser
from bot.services.returns import followups as return_followups
from bot.services.returns.followups import Expecting, InvalidWaybill
from bot.telegram.dialogs import WRITTEN
from bot.texts.returns import updates as texts
from storage.uow import Database


async def text_written(
    message: Message, db: Database, ctx: ServiceContext, person: TelegramUser, t: Translator
) -> None:
    try:
        followup = await return_followups.take_text(db, ctx, person, message.text or "")
    except InvalidWaybill as error:
        await message.answer(texts.waybill_invalid(t, error.carrier))
        return
    if followup is None:
        raise SkipHandler()
    if followup.expected is Expecting.answer:
        await message.answer(texts.answer_passed_on(t, followup.return_))
    else:
        await message.answer(texts.waybill_saved(t, followup.return_))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(text_written, F.chat.type == "private", StateFilter(None), WRITTEN)
    return router
