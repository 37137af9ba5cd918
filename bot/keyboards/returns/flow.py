"""Buttons of the customer's return request: every step has Back (but the first) and Cancel."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.errors import N_
from bot.domain.returns import ItemLine, Resolution, ReturnReason, ReturnRules
from bot.i18n import Translator
from bot.keyboards.callbacks import (
    ReturnItemCD,
    ReturnOrderCD,
    ReturnReasonCD,
    ReturnResolutionCD,
    ReturnStartCD,
    ReturnStepAction,
    ReturnStepCD,
)
from bot.texts.returns import request as labels

if TYPE_CHECKING:
    from bot.views.returns import ReturnableOrder

Rows = list[list[InlineKeyboardButton]]

RETURN_AN_ITEM = N_("↩️ Return an item")
MAX_LABEL = 40  # characters of an item's name on its button
MAX_QUANTITY_BUTTONS = 50
PER_ROW = 5


def start_button(order_id: int, t: Translator) -> InlineKeyboardButton:
    """Starts a request: about ``order_id``, or (0) asks which order."""
    data = ReturnStartCD(order_id=order_id).pack()
    return InlineKeyboardButton(text=t.gettext(RETURN_AN_ITEM), callback_data=data)


def start_keyboard(order_id: int, t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[start_button(order_id, t)]])


def _step(
    text: str, action: ReturnStepAction, flow: int, order_id: int = 0
) -> InlineKeyboardButton:
    data = ReturnStepCD(action=action, flow=flow, order_id=order_id).pack()
    return InlineKeyboardButton(text=text, callback_data=data)


def _markup(rows: Rows, flow: int, t: Translator, *, back: bool = True) -> InlineKeyboardMarkup:
    last = [_step(t.gettext("❌ Cancel"), ReturnStepAction.cancel, flow)]
    if back:
        last.insert(0, _step(t.gettext("⬅️ Back"), ReturnStepAction.back, flow))
    return InlineKeyboardMarkup(inline_keyboard=[*rows, last])


def back_and_cancel(flow: int, t: Translator) -> InlineKeyboardMarkup:
    return _markup([], flow, t)


def orders(
    flow: int, open_orders: Iterable[ReturnableOrder], t: Translator
) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                text=t.gettext("Order {number}").format(number=described.order.external_id),
                callback_data=ReturnOrderCD(flow=flow, order_id=described.order.id).pack(),
            )
        ]
        for described in open_orders
    ]
    return _markup(rows, flow, t, back=False)


def _short(name: str) -> str:
    return name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1] + "…"


def _item_label(line: ItemLine, chosen: int) -> str:
    mark = "✅" if chosen else "▫️"
    if line.available == 1 and line.bought == 1:
        return f"{mark} {_short(line.name)}"
    return f"{mark} {_short(line.name)} · {chosen}/{line.available}"


def items(
    flow: int,
    lines: Sequence[ItemLine],
    quantities: Mapping[int, int],
    t: Translator,
    *,
    back: bool,
) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                text=_item_label(line, quantities.get(line.item_id, 0)),
                callback_data=ReturnItemCD(flow=flow, item_id=line.item_id).pack(),
            )
        ]
        for line in lines
        if line.available
    ]
    rows.append([_step(t.gettext("Next ➡️"), ReturnStepAction.next, flow)])
    return _markup(rows, flow, t, back=back)


def quantity(flow: int, line: ItemLine, chosen: int, t: Translator) -> InlineKeyboardMarkup:
    """1 … how many can be returned; "not this one" when it is chosen; Back to the list."""
    numbers = [
        InlineKeyboardButton(
            text=f"✅ {n}" if n == chosen else str(n),
            callback_data=ReturnItemCD(flow=flow, item_id=line.item_id, quantity=n).pack(),
        )
        for n in range(1, min(line.available, MAX_QUANTITY_BUTTONS) + 1)
    ]
    rows = [numbers[i : i + PER_ROW] for i in range(0, len(numbers), PER_ROW)]
    if chosen:
        data = ReturnItemCD(flow=flow, item_id=line.item_id, quantity=0).pack()
        rows.append([InlineKeyboardButton(text=t.gettext("✖️ Not this item"), callback_data=data)])
    rows.append([_step(t.gettext("⬅️ Back"), ReturnStepAction.items, flow)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def reasons(flow: int, rules: ReturnRules, t: Translator) -> InlineKeyboardMarkup:
    def label(reason: ReturnReason) -> str:
        text = labels.reason(t, reason)
        return f"{text} 📷" if rules.needs_photos(reason) else text

    rows = [
        [
            InlineKeyboardButton(
                text=label(reason),
                callback_data=ReturnReasonCD(flow=flow, reason=reason).pack(),
            )
        ]
        for reason in rules.reasons
    ]
    return _markup(rows, flow, t)


def photos(flow: int, count: int, required: bool, t: Translator) -> InlineKeyboardMarkup:
    rows: Rows = []
    if count:
        rows.append([_step(t.gettext("✅ Done"), ReturnStepAction.done, flow)])
        rows.append([_step(t.gettext("🗑 Remove the photos"), ReturnStepAction.clear, flow)])
    elif not required:
        rows.append([_step(t.gettext("Skip ➡️"), ReturnStepAction.done, flow)])
    return _markup(rows, flow, t)


def comment(flow: int, t: Translator) -> InlineKeyboardMarkup:
    return _markup([[_step(t.gettext("Skip ➡️"), ReturnStepAction.skip, flow)]], flow, t)


def resolutions(flow: int, offered: Iterable[Resolution], t: Translator) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(
                text=labels.resolution(t, resolution),
                callback_data=ReturnResolutionCD(flow=flow, resolution=resolution).pack(),
            )
        ]
        for resolution in offered
    ]
    return _markup(rows, flow, t)


def summary(flow: int, t: Translator) -> InlineKeyboardMarkup:
    return _markup([[_step(t.gettext("✅ Submit"), ReturnStepAction.submit, flow)]], flow, t)


def resume(flow: int, order_id: int, t: Translator) -> InlineKeyboardMarkup:
    """Continue the request left half-way, or start over (about ``order_id``, 0: choose)."""
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [_step(t.gettext("▶️ Continue"), ReturnStepAction.resume, flow)],
            [_step(t.gettext("🔄 Start over"), ReturnStepAction.restart, flow, order_id)],
        ]
    )
