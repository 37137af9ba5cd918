"""What the managers read when something needs a person, and when it clears.

An alert can reach the chat late (when the cause is Telegram itself, it waits in the outbox with
everything else), so each one says since when, never "now", and what to do.
"""

from __future__ import annotations

import html
from datetime import datetime

from bot.domain.incidents import IncidentKind
from bot.i18n import Translator

REDELIVER = "vykup webhooks --redeliver"


def _when(t: Translator, moment: datetime, today: datetime) -> str:
    """HH:MM in the bot's time zone; with the date when it was not the same day as ``today``."""
    local = moment.astimezone(t.timezone)
    if local.date() == today.astimezone(t.timezone).date():
        return f"{local:%H:%M}"
    return t.datetime(moment)


def opened(t: Translator, kind: IncidentKind, detail: str, since: datetime, now: datetime) -> str:
    shown = html.escape(detail[:300])
    if kind is IncidentKind.shop_webhooks:
        return t.gettext(
            "⚠️ <b>The shop's server does not take Vykup's events</b>, so customers' answers "
            "may be missing from the shop's order list.\n"
            "Last answer: <code>{detail}</code>\n"
            "Check SHOP_WEBHOOK_URL and the shop's server. Vykup keeps trying for a while; "
            "events it gave up on can be sent again once it works: <code>{command}</code>"
        ).format(detail=shown, command=REDELIVER)
    if kind is IncidentKind.outbox_stale and not detail:  # nothing was even tried
        return t.gettext(
            "⚠️ <b>Vykup's messages are held up</b>: since {since} messages have waited more "
            "than 15 minutes, and none of them was tried: the Vykup worker does not seem to run.\n"
            "Check the worker process (its logs; vykup_leader on /metrics). If this alert itself "
            "arrives late, the all-clear follows it."
        ).format(since=_when(t, since, now))
    if kind is IncidentKind.outbox_stale:
        return t.gettext(
            "⚠️ <b>Vykup's messages are held up</b>: since {since} messages have waited more "
            "than 15 minutes to be sent.\n"
            "Last error: <code>{detail}</code>\n"
            "Check that the Vykup worker runs (its logs) and that Telegram accepts the bot "
            "(BOT_TOKEN). If this alert itself arrives late, Telegram was not taking messages; "
            "the all-clear follows it."
        ).format(since=_when(t, since, now), detail=shown)
    if kind is IncidentKind.novaposhta_key:
        return t.gettext(
            "⚠️ <b>Nova Poshta rejects Vykup's API key</b> (since {since}), so parcels are not "
            "tracked: customers get no status updates or pickup reminders.\n"
            "Nova Poshta said: <code>{detail}</code>\n"
            "Create a new API key in the Nova Poshta business account (Settings → Security), "
            "put it in NOVA_POSHTA_API_KEY and restart Vykup."
        ).format(since=_when(t, since, now), detail=shown)
    if kind is IncidentKind.ukrposhta_key:
        return t.gettext(
            "⚠️ <b>Ukrposhta rejects Vykup's tracking token</b> (since {since}), so Ukrposhta "
            "parcels are not tracked: customers get no status updates or pickup reminders.\n"
            "Ukrposhta said: <code>{detail}</code>\n"
            "Ask Ukrposhta (your contract manager) for a valid StatusTracking token — not the eCom "
            "one — put it in UKRPOSHTA_TRACKING_TOKEN and restart Vykup."
        ).format(since=_when(t, since, now), detail=shown)
    if kind is IncidentKind.outreach_budget:
        return t.gettext(
            "💸 <b>Viber and SMS are stopped for {month}</b>: this month's outreach budget "
            "(OUTREACH_MONTHLY_BUDGET) is spent. Customers outside Telegram are not texted until "
            "the next month or a larger budget; their orders come to you to call."
        ).format(month=shown)
    if kind is IncidentKind.outreach_provider:
        return t.gettext(
            "⚠️ <b>The Viber/SMS provider refuses to send</b> (since {since}): messages to "
            "customers outside Telegram wait.\n"
            "It said: <code>{detail}</code>\n"
            "Check TURBOSMS_TOKEN, SMS_SENDER and VIBER_SENDER, and the account's balance in the "
            "TurboSMS cabinet."
        ).format(since=_when(t, since, now), detail=shown)
    raise ValueError(kind)


def resolved(t: Translator, kind: IncidentKind, since: datetime, until: datetime) -> str:
    span = {"since": _when(t, since, until), "until": _when(t, until, until)}
    if kind is IncidentKind.shop_webhooks:
        return t.gettext(
            "✅ <b>The shop's server takes Vykup's events again.</b> Events missed meanwhile: "
            "<code>{command}</code>"
        ).format(command=REDELIVER)
    if kind is IncidentKind.outbox_stale:
        return t.gettext(
            "✅ <b>Vykup's messages go out again.</b> They were held up from {since} to {until}."
        ).format(**span)
    if kind is IncidentKind.novaposhta_key:
        return t.gettext(
            "✅ <b>Nova Poshta accepts Vykup's API key again</b>; parcels are tracked again. "
            "It was rejected from {since} to {until}."
        ).format(**span)
    if kind is IncidentKind.ukrposhta_key:
        return t.gettext(
            "✅ <b>Ukrposhta accepts Vykup's tracking token again</b>; Ukrposhta parcels are "
            "tracked again. It was rejected from {since} to {until}."
        ).format(**span)
    if kind is IncidentKind.telegram_token:
        return t.gettext(
            "✅ <b>Telegram accepts the bot again.</b> It rejected the bot's token from {since} "
            "to {until}, so nothing could be sent meanwhile; the messages that waited go out now."
        ).format(**span)
    if kind is IncidentKind.database:
        return t.gettext(
            "⚠️ <b>The database could not be reached from {since} to {until}.</b> The shop API "
            "answered 503 meanwhile (the shop sends again) and nothing was lost. If it happens "
            "again, check the database server (its logs, disk and connections)."
        ).format(**span)
    if kind is IncidentKind.outreach_budget:
        return t.gettext("✅ <b>Viber and SMS go out again</b>: the outreach budget has room.")
    if kind is IncidentKind.outreach_provider:
        return t.gettext(
            "✅ <b>The Viber/SMS provider sends again.</b> It refused from {since} to {until}; "
            "the messages that waited go out now."
        ).format(**span)
    raise ValueError(kind)
