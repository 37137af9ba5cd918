"""Every word of the sandbox page, translated like the bot's own messages (uk, ru, en)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from bot.domain.errors import N_
from bot.i18n import Translator

LABELS: Final[Mapping[str, str]] = {
    "title": N_("Vykup sandbox"),
    "subtitle": N_("The real bot against a Telegram stand-in: nothing leaves this computer."),
    "page_language": N_("Page language"),
    "customer_chat": N_("Customer"),
    "managers_chat": N_("Managers' chat"),
    "shop_panel": N_("Shop"),
    "chat_language": N_("Language of this chat"),
    "start": N_("Start"),
    "not_started": N_(
        "The customer has not opened the bot yet: press Start or open an order's link."
    ),
    "type_message": N_("Message"),
    "send": N_("Send"),
    "share_contact": N_("Share my phone number"),
    "photo": N_("Photo"),
    "as_manager": N_("You write as {name}, an admin."),
    "edited": N_("edited"),
    "reply": N_("Reply"),
    "replying_to": N_("Replying to {name}"),
    "cancel_reply": N_("Cancel the reply"),
    "unseen": N_("The bot does not see this"),
    "unseen_why": N_(
        "In a group the bot sees only commands, mentions of it and replies to its own messages "
        "(Telegram's privacy mode): to answer its question, reply to the question."
    ),
    "contact": N_("Contact"),
    "clock": N_("Clock"),
    "plus_15_min": N_("+15 min"),
    "plus_1_hour": N_("+1 hour"),
    "plus_1_day": N_("+1 day"),
    "create_order": N_("Create order"),
    "order_for": N_("Order for"),
    "order_json": N_("Order (JSON, as the shop's site sends it)"),
    "who_customer": N_("Olena (new customer)"),
    "who_risky": N_("Iryna (refused 2 of 3 parcels)"),
    "who_blacklisted": N_("Petro (refused 3 of 4 parcels)"),
    "who_offline": N_("Taras (no Telegram: Viber and SMS)"),
    "orders": N_("Orders"),
    "no_orders": N_("No orders yet: create one above."),
    "ship": N_("Shipped"),
    "arrived": N_("Arrived"),
    "received": N_("Received"),
    "refused": N_("Refused"),
    "open_link": N_("Open the link in the customer's Telegram"),
    "phone_panel": N_("Customers' phones: Viber and SMS"),
    "phone_hint": N_(
        "The bot writes here to a customer it cannot reach in Telegram (one who has not opened "
        "the bot) soon after the order: +15 min shows it at once. Links open the real pages."
    ),
    "phone_off": N_("Viber and SMS are off: OUTREACH_CHANNELS=off in your .env."),
    "no_phone_messages": N_("No Viber messages or SMS yet."),
    "by_viber": N_("Viber"),
    "by_sms": N_("SMS"),
    "log": N_("API calls and webhooks"),
    "webhook": N_("webhook"),
    "violations": N_("Telegram would refuse these"),
    "no_violations": N_("No violations: everything the bot sent would pass in Telegram."),
    "error_not_started": N_("The customer has to press Start first."),
    "error_gone": N_("That message or button is no longer there."),
    "error_not_a_callback": N_("This button opens a link."),
    "error_no_keyboard": N_("That keyboard is no longer shown."),
    "error_empty": N_("Type a message first."),
    "error_clock": N_("The clock moves forward by 1 minute to 7 days at a time."),
    "error_json": N_("That is not valid JSON."),
    "error_not_image": N_("Choose a JPEG, PNG, GIF or WebP picture (up to 10 MB)."),
    "error_no_waybill": N_("Mark the order shipped first."),
    "error_unknown_chat": N_("There is no such chat."),
    "error_language": N_("Choose uk, ru or en."),
    "error_link": N_("That is not a link to this bot."),
    "error_foreign": N_(
        "Refused: only the sandbox's own page, opened at its address, may do this."
    ),
    "error_token": N_("This page is from an earlier run of the sandbox: reload it."),
    "error_failed": N_("Something went wrong; the details are in the terminal."),
}


def labels(t: Translator) -> dict[str, str]:
    return {key: t.gettext(text) for key, text in LABELS.items()}
