"""Each step of a return request as a message: its text and its buttons.

Steps about the order (its items, what can be asked for, the summary) read it again through the
service, so what is shown is what the database says now, not what the draft remembers.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.types import InlineKeyboardMarkup

from bot.domain.return_draft import Album, Draft
from bot.domain.return_steps import Step, previous
from bot.domain.returns import ItemLine, resolutions_for
from bot.i18n import Translator
from bot.keyboards.returns import flow as kb
from bot.services.context import ServiceContext
from bot.services.people import TelegramUser
from bot.services.returns import flow as return_flow
from bot.texts.returns import flow as texts
from bot.views.returns import Offer, ReturnableOrder
from storage.uow import Database


@dataclass(frozen=True)
class Screen:
    text: str
    markup: InlineKeyboardMarkup | None = None


def orders(draft: Draft, offer: Offer, t: Translator) -> Screen:
    return Screen(texts.choose_order(t, offer.closed), kb.orders(draft.flow, offer.open, t))


def items(draft: Draft, described: ReturnableOrder, t: Translator) -> Screen:
    back = previous(Step.items, draft.route) is not None
    markup = kb.items(draft.flow, described.lines, draft.quantities, t, back=back)
    return Screen(texts.choose_items(t, described), markup)


def how_many(draft: Draft, line: ItemLine, t: Translator) -> Screen:
    chosen = draft.quantities.get(line.item_id, 0)
    return Screen(texts.choose_quantity(t, line), kb.quantity(draft.flow, line, chosen, t))


def photos_received(draft: Draft, ctx: ServiceContext, t: Translator, album: Album) -> Screen:
    """The answer to a photo (or a whole album), with the photo step's buttons again."""
    required = draft.reason is not None and ctx.return_rules.needs_photos(draft.reason)
    return Screen(
        texts.photos_received(t, album, len(draft.photos)),
        kb.photos(draft.flow, len(draft.photos), required, t),
    )


def summary(draft: Draft, described: ReturnableOrder, t: Translator) -> Screen:
    return Screen(texts.summary(t, draft, described), kb.summary(draft.flow, t))


async def screen(
    step: Step,
    draft: Draft,
    *,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> Screen:
    """The message that asks for ``step``."""
    flow, rules = draft.flow, ctx.return_rules
    if step is Step.order:
        return orders(draft, await return_flow.offer(db, ctx, person), t)
    if step is Step.items:
        return items(draft, await return_flow.order_of(db, ctx, person, draft), t)
    if step is Step.reason:
        return Screen(texts.choose_reason(t, rules), kb.reasons(flow, rules, t))
    if step is Step.photos:
        required = draft.reason is not None and rules.needs_photos(draft.reason)
        return Screen(
            texts.photos_prompt(t, draft, required),
            kb.photos(flow, len(draft.photos), required, t),
        )
    if step is Step.comment:
        return Screen(texts.comment_prompt(t), kb.comment(flow, t))
    if step is Step.resolution:
        described = await return_flow.order_of(db, ctx, person, draft)
        offered = resolutions_for(return_flow.is_prepaid(described))
        return Screen(texts.choose_resolution(t), kb.resolutions(flow, offered, t))
    if step is Step.summary:
        return summary(draft, await return_flow.order_of(db, ctx, person, draft), t)
    prompts = {
        Step.reason_text: texts.reason_text,
        Step.iban: texts.iban_prompt,
        Step.holder: texts.holder_prompt,
        Step.exchange: texts.exchange_prompt,
    }
    return Screen(prompts[step](t), kb.back_and_cancel(flow, t))
