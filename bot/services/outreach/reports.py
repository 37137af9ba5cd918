"""Delivery reports: ask the provider what became of the messages it took, and act on a miss.

Run by the elected worker every OUTREACH_REPORTS_EVERY (``bot.delivery.outreach_reports``). A
message is asked about from a minute after it went until it is final or REPORT_WINDOW has passed;
the hybrid Viber→SMS message's price is set once the report names the channel that carried it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta

import aiohttp

from bot.channels.base import DeliveryKind, DeliveryState, Gateway, GatewayRejected
from bot.domain.outreach import Channel, OutreachState
from bot.services.context import ServiceContext
from bot.services.outreach.missed import on_missed
from storage.uow import Database, UnitOfWork

FIRST_CHECK_AFTER = timedelta(minutes=1)
REPORT_WINDOW = timedelta(days=2)  # a report that has not come by then will not
BATCH = 100

STATE_OF: Mapping[DeliveryKind, OutreachState | None] = {
    DeliveryKind.queued: OutreachState.sent,
    DeliveryKind.sent: OutreachState.sent,
    DeliveryKind.delivered: OutreachState.delivered,
    DeliveryKind.read: OutreachState.read,
    DeliveryKind.not_delivered: OutreachState.not_delivered,
    DeliveryKind.expired: OutreachState.expired,
    DeliveryKind.rejected: OutreachState.rejected,
    DeliveryKind.unknown: None,  # a status text not mapped (TURBOSMS_STATUS_TEXTS): kept as said
}

log = logging.getLogger(__name__)


async def check_reports(
    db: Database, ctx: ServiceContext, http: aiohttp.ClientSession, gateway: Gateway
) -> int:
    """One round: every message waiting for its report, asked in batches. Returns how many
    messages changed state."""
    changed = 0
    async with db.read() as uow:
        now = uow.clock.now()
        waiting = [
            (message.id, message.provider_message_id)
            for message in await uow.outreach.awaiting_report(
                sent_before=now - FIRST_CHECK_AFTER, sent_after=now - REPORT_WINDOW, limit=1000
            )
        ]
    for start in range(0, len(waiting), BATCH):
        batch = waiting[start : start + BATCH]
        provider_ids = [provider_id for _, provider_id in batch if provider_id]
        try:
            states = await gateway.statuses(http, provider_ids)
        except GatewayRejected as error:
            log.warning("delivery reports could not be read: %s", error)
            return changed
        by_id = {state.message_id: state for state in states}
        async with db.uow() as uow:
            for message_id, provider_id in batch:
                report = by_id.get(provider_id or "")
                if report is not None and await _apply(uow, ctx, message_id, report):
                    changed += 1
            await uow.commit()
    return changed


async def _apply(
    uow: UnitOfWork, ctx: ServiceContext, message_id: int, report: DeliveryState
) -> bool:
    message = await uow.outreach.get(message_id, for_update=True)
    if message is None:
        return False
    now = uow.clock.now()
    message.checked_at = now
    if report.channel is not None and message.channel != report.channel.value:
        message.channel = report.channel.value
        if ctx.outreach is not None:
            message.cost = ctx.outreach.prices.of(Channel(report.channel), message.parts)
    state = STATE_OF[report.state]
    if report.raw:
        message.detail = report.raw[:500]
    if state is None or state.value == message.state:
        return False
    before = OutreachState(message.state)
    if before.final and not (before is OutreachState.delivered and state is OutreachState.read):
        return False  # a final state stays (only "read" may follow "delivered")
    message.state = state.value
    if state.final:
        message.final_at = now
    if state.missed:
        order = await uow.orders.get(message.order_id)
        if order is not None:
            await on_missed(uow, ctx, order, message)
    return True
