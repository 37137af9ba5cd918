"""Admin commands: /blacklist, /unblock, /rating, /find, /note, /flag, /blacklisted, /audit,
/forget.

Handlers parse the arguments and render; the services check that the person is an admin.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.domain.risk import Flag
from bot.domain.targets import Target, parse_target
from bot.domain.visible import without_bidi
from bot.i18n import Translator
from bot.keyboards.callbacks import BlacklistPageCD, ForgetAction, ForgetCD, UnblockCD
from bot.keyboards.risk import blacklisted_keyboard, forget_keyboard
from bot.services import admin, forget
from bot.services.context import ServiceContext
from bot.services.managers import require_admin
from bot.services.people import TelegramUser
from bot.texts import admin as texts
from bot.texts.risk import flag as flag_label
from bot.views.customers import BlacklistPage
from storage.uow import Database

MAX_TEXT = 500
MIN_QUERY = 3


def _args(command: CommandObject) -> str:
    return (command.args or "").strip()


async def _target_or_usage(
    message: Message, command: CommandObject, name: str, t: Translator
) -> tuple[Target | None, str]:
    target, rest = parse_target(_args(command))
    if target is None:
        await message.answer(texts.usage(t, name))
    return target, rest


async def blacklist_command(
    message: Message,
    command: CommandObject,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    """/blacklist and /unblock: a customer and an optional reason."""
    require_admin(ctx, person)
    name = command.command
    target, reason = await _target_or_usage(message, command, name, t)
    if target is None:
        return
    if len(reason) > MAX_TEXT:
        await message.answer(texts.too_long(t, MAX_TEXT))
        return
    if name == "blacklist":
        rated = await admin.blacklist_customer(db, ctx, person, target, reason or None)
        await message.answer(texts.blacklisted_reply(t, rated))
    else:
        rated = await admin.unblock_customer(db, ctx, person, target, reason or None)
        await message.answer(texts.unblocked_reply(t, rated))


async def rating_command(
    message: Message,
    command: CommandObject,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    require_admin(ctx, person)
    target, _ = await _target_or_usage(message, command, "rating", t)
    if target is None:
        return
    await message.answer(texts.rating_reply(t, await admin.rating(db, ctx, person, target)))


async def find_command(
    message: Message,
    command: CommandObject,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    require_admin(ctx, person)
    query = _args(command)
    if len(query) < MIN_QUERY or len(query) > MAX_TEXT:
        await message.answer(texts.usage(t, "find"))
        return
    await message.answer(texts.found_reply(t, query, await admin.find(db, ctx, person, query)))


async def note_command(
    message: Message,
    command: CommandObject,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    require_admin(ctx, person)
    target, text = parse_target(_args(command))
    if target is None or not text:
        await message.answer(texts.usage(t, "note"))
        return
    if len(text) > MAX_TEXT:
        await message.answer(texts.too_long(t, MAX_TEXT))
        return
    customer = await admin.add_note(db, ctx, person, target, text)
    await message.answer(texts.note_saved(t, customer))


async def flag_command(
    message: Message,
    command: CommandObject,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    require_admin(ctx, person)
    target, rest = parse_target(_args(command))
    word = rest.strip().lower()
    if target is None or word not in Flag.__members__:
        await message.answer(texts.usage(t, "flag"))
        return
    flag = Flag(word)
    rated, added = await admin.add_flag(db, ctx, person, target, flag)
    await message.answer(texts.flag_reply(t, rated, flag_label(t, flag), added))


async def blacklisted_command(
    message: Message,
    command: CommandObject,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    require_admin(ctx, person)
    argument = _args(command)
    if argument and not (argument.isdigit() and 0 < int(argument) < 10_000):
        await message.answer(texts.usage(t, "blacklisted"))
        return
    page = await admin.blacklisted_page(db, ctx, person, int(argument) - 1 if argument else 0)
    await message.answer(
        texts.blacklist_page_reply(t, page),
        reply_markup=_page_keyboard(page, t),
    )


def _page_keyboard(page: BlacklistPage, t: Translator) -> InlineKeyboardMarkup | None:
    entries = [(one.customer.id, one.customer.name) for one in page.entries]
    return blacklisted_keyboard(entries, page.page, page.pages, t)


async def page_pressed(
    query: CallbackQuery,
    callback_data: BlacklistPageCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    page = await admin.blacklisted_page(db, ctx, person, callback_data.page)
    if isinstance(query.message, Message):
        await query.message.edit_text(
            texts.blacklist_page_reply(t, page), reply_markup=_page_keyboard(page, t)
        )
    await query.answer()


async def unblock_pressed(
    query: CallbackQuery,
    callback_data: UnblockCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    rated = await admin.unblock_by_id(db, ctx, person, callback_data.customer_id)
    page = await admin.blacklisted_page(db, ctx, person, callback_data.page)
    if isinstance(query.message, Message):
        await query.message.edit_text(
            texts.blacklist_page_reply(t, page), reply_markup=_page_keyboard(page, t)
        )
    await query.answer(
        t.gettext("{name} is unblocked.").format(name=without_bidi(rated.customer.name)),
        show_alert=False,
    )


async def audit_command(
    message: Message,
    command: CommandObject,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    require_admin(ctx, person)
    target, _ = parse_target(_args(command))
    customer, entries = await admin.audit_log(db, ctx, person, target)
    await message.answer(texts.audit_reply(t, customer, entries))


async def forget_command(
    message: Message,
    command: CommandObject,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    """/forget <phone>: who would be erased, with a confirmation button; nothing changes yet."""
    require_admin(ctx, person)
    phone = _args(command)
    if not phone or len(phone) > MAX_TEXT:
        await message.answer(texts.usage(t, "forget"))
        return
    found = await forget.candidate(db, ctx, person, phone)
    await message.answer(
        texts.forget_question(t, found), reply_markup=forget_keyboard(found.customer_id, t)
    )


async def forget_pressed(
    query: CallbackQuery,
    callback_data: ForgetCD,
    db: Database,
    ctx: ServiceContext,
    person: TelegramUser,
    t: Translator,
) -> None:
    """The question is replaced by the outcome: the name it showed does not stay in the chat."""
    require_admin(ctx, person)
    if callback_data.action is ForgetAction.erase:
        erased = await forget.forget_confirmed(db, ctx, person, callback_data.customer_id)
        reply = texts.forget_done(t, erased)
    else:
        reply = texts.forget_kept(t)
    if isinstance(query.message, Message):
        await query.message.edit_text(reply)
    await query.answer()


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(blacklist_command, Command("blacklist", "unblock"))
    commands = {
        "rating": rating_command,
        "find": find_command,
        "note": note_command,
        "flag": flag_command,
        "blacklisted": blacklisted_command,
        "audit": audit_command,
        "forget": forget_command,
    }
    for name, handler in commands.items():
        router.message.register(handler, Command(name))
    router.callback_query.register(page_pressed, BlacklistPageCD.filter())
    router.callback_query.register(unblock_pressed, UnblockCD.filter())
    router.callback_query.register(forget_pressed, ForgetCD.filter())
    return router
