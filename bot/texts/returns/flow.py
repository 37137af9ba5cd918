"""What the customer reads while putting a return request together, step by step."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.domain.returns import MAX_PHOTOS, ItemLine, ReturnReason, ReturnRules, mask_iban
from bot.i18n import Translator
from bot.texts.escaping import escape
from bot.texts.returns import request as labels

if TYPE_CHECKING:
    from bot.domain.return_draft import Album, Draft
    from bot.views.returns import ReturnableOrder


def _order_head(t: Translator, described: ReturnableOrder) -> str:
    return t.gettext("↩️ <b>Return from order {number}</b>").format(
        number=escape(described.order.external_id)
    )


def closed_lines(t: Translator, closed: Iterable[ReturnableOrder]) -> list[str]:
    """Received orders that cannot be returned from any more, and why."""
    lines = []
    for described in closed:
        number = escape(described.order.external_id)
        if not described.window_open:
            line = t.gettext("• <b>{number}</b>: the return period ended on {day}").format(
                number=number, day=t.date(described.last_day)
            )
        else:
            line = t.gettext("• <b>{number}</b>: nothing left to return").format(number=number)
        lines.append(line)
    return lines


def nothing_received(t: Translator) -> str:
    return t.gettext(
        "You have no received orders yet. Once you pick up an order, you can return items "
        "from it here."
    )


def nothing_open(t: Translator, closed: Iterable[ReturnableOrder]) -> str:
    return "\n".join(
        [t.gettext("None of your orders can be returned now:"), *closed_lines(t, closed)]
    )


def choose_order(t: Translator, closed: Iterable[ReturnableOrder]) -> str:
    lines = [
        t.gettext("↩️ <b>Return an item</b>"),
        t.gettext("Which order would you like to return something from?"),
    ]
    ended = closed_lines(t, closed)
    if ended:
        lines += ["", *ended]
    return "\n".join(lines)


def _not_offered(t: Translator, line: ItemLine) -> str:
    name = escape(line.name)
    if not line.returnable:
        return t.gettext("• {name}: the shop does not take this item back").format(name=name)
    return t.gettext("• {name}: already in a return request").format(name=name)


def choose_items(t: Translator, described: ReturnableOrder) -> str:
    lines = [
        _order_head(t, described),
        t.gettext("You can return items until {day} inclusive.").format(
            day=t.date(described.last_day)
        ),
    ]
    unavailable = [line for line in described.lines if not line.available]
    if unavailable:
        lines += ["", *(_not_offered(t, line) for line in unavailable), ""]
    lines.append(t.gettext("Choose what to return, then press Next."))
    return "\n".join(lines)


def choose_quantity(t: Translator, line: ItemLine) -> str:
    return t.gettext(
        "How many of “{name}” would you like to return? You can return up to {count}."
    ).format(name=escape(line.name), count=line.available)


def choose_reason(t: Translator, rules: ReturnRules) -> str:
    lines = [t.gettext("Why are you returning it?")]
    if any(rules.needs_photos(reason) for reason in rules.reasons):
        lines.append(t.gettext("📷 marks the reasons we need a photo for."))
    return "\n".join(lines)


def reason_text(t: Translator) -> str:
    return t.gettext("Please tell us the reason in a few words.")


def photos_prompt(t: Translator, draft: Draft, required: bool) -> str:
    if required:
        lines = [
            t.gettext(
                "📷 Please send photos of the item that show the problem: at least one, "
                "at most {limit}. You can send several at once."
            ).format(limit=MAX_PHOTOS)
        ]
    else:
        lines = [
            t.gettext(
                "📷 You can add photos of the item (up to {limit}), or skip this step."
            ).format(limit=MAX_PHOTOS)
        ]
    if draft.photos:
        lines.append(so_far(t, len(draft.photos)))
    return "\n".join(lines)


def so_far(t: Translator, count: int) -> str:
    return t.gettext("Photos so far: {count} of {limit}.").format(count=count, limit=MAX_PHOTOS)


def photos_received(t: Translator, album: Album, total: int) -> str:
    """The answer to a photo or a whole album: how many were taken, how many were not."""
    lines = []
    if album.added:
        lines.append(
            t.ngettext(
                "📷 {count} photo received.", "📷 {count} photos received.", album.added
            ).format(count=album.added)
        )
    if album.refused:
        lines.append(too_many(t, album.refused))
    lines.append(so_far(t, total))
    if total < MAX_PHOTOS:
        lines.append(t.gettext("Send more, or press Done."))
    else:
        lines.append(t.gettext("That is all we need: press Done."))
    return "\n".join(lines)


def too_many(t: Translator, refused: int) -> str:
    return t.ngettext(
        "At most {limit} photos, please: {count} more photo was not added.",
        "At most {limit} photos, please: {count} more photos were not added.",
        refused,
    ).format(limit=MAX_PHOTOS, count=refused)


def not_a_photo(t: Translator) -> str:
    return t.gettext(
        "Please send a photo of the item: as a photo, not as a file, sticker or text. "
        "Or use the buttons above."
    )


def comment_prompt(t: Translator) -> str:
    return t.gettext("💬 Would you like to add a comment? Write it in one message, or press Skip.")


def choose_resolution(t: Translator) -> str:
    return t.gettext("What would you like: a refund, store credit or an exchange?")


def iban_prompt(t: Translator) -> str:
    return t.gettext(
        "Please send the IBAN of the account for the refund: UA and 27 more characters, "
        "for example UA21 3223 1300 0002 6007 2335 6600 1."
    )


def holder_prompt(t: Translator) -> str:
    return t.gettext("Whose account is it? Please send the account holder's full name.")


def exchange_prompt(t: Translator) -> str:
    return t.gettext("What would you like instead: which size, colour or variant?")


def use_buttons(t: Translator) -> str:
    return t.gettext("Please choose with the buttons above, or send /cancel to stop.")


def summary(
    t: Translator, draft: Draft, described: ReturnableOrder, sent_as: str | None = None
) -> str:
    """Everything chosen (the IBAN masked); ``sent_as``: the number it was submitted as."""
    names = {line.item_id: line.name for line in described.lines}
    lines = [
        t.gettext("📝 <b>Your return request</b>"),
        t.gettext("Order <b>{number}</b>").format(number=escape(described.order.external_id)),
        *(
            f"• {escape(names.get(item_id, '?'))} × {quantity}"
            for item_id, quantity in draft.quantities.items()
            if quantity
        ),
    ]
    if draft.reason is not None:
        reason = labels.reason(t, draft.reason)
        if draft.reason is ReturnReason.other and draft.reason_text:
            reason = f"{reason}: {escape(draft.reason_text)}"
        lines.append(t.gettext("Reason: {reason}").format(reason=reason))
    lines.append(t.gettext("Photos: {count}").format(count=len(draft.photos)))
    if draft.comment:
        lines.append(t.gettext("Comment: {comment}").format(comment=escape(draft.comment)))
    if draft.resolution is not None:
        wanted = labels.resolution(t, draft.resolution)
        if draft.iban:
            holder = escape(draft.account_holder or "")
            wanted = f"{wanted}: <code>{escape(mask_iban(draft.iban))}</code>, {holder}"
        elif draft.exchange_wish:
            wanted = f"{wanted}: {escape(draft.exchange_wish)}"
        lines.append(t.gettext("Wanted: {resolution}").format(resolution=wanted))
    if sent_as is None:
        lines += ["", t.gettext("Please check everything and press Submit.")]
    else:
        lines += [
            "",
            t.gettext("✅ Sent: return request <b>{number}</b>.").format(number=escape(sent_as)),
        ]
    return "\n".join(lines)


def cancelled(t: Translator) -> str:
    return t.gettext("The return request is cancelled; nothing was sent.")


def resume_question(t: Translator) -> str:
    return t.gettext(
        "You started a return request earlier and did not finish it. "
        "Continue where you left off, or start over?"
    )
