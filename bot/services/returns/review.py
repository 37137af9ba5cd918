"""RETURN_REVIEW_SLA: a return that waits on a manager for too long is announced again.

Whenever a return starts waiting on a manager, a timer ``return_review:<return id>`` (on the
return's order, in the timers table) is set for one SLA later. When it fires it checks again: a
return still waiting and not announced for a whole SLA is announced in the managers' chat, under
its card, and the timer is set for the next period. A return that moved on is left alone.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.domain.returns import WAITING_ON_MANAGER, ReturnStatus
from bot.services.context import ServiceContext
from bot.services.notifier import Notifier
from bot.texts.returns import desk as texts
from storage.models import Return
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

REVIEW = "return_review"


def kind_for(return_id: int) -> str:
    return f"{REVIEW}:{return_id}"


async def schedule(uow: UnitOfWork, ctx: ServiceContext, return_: Return) -> None:
    """One SLA from now (moves the return's timer if it has one)."""
    now = uow.clock.now()
    await uow.timers.schedule(
        kind=kind_for(return_.id),
        order_id=return_.order_id,
        due_at=now + ctx.return_rules.review_sla,
        now=now,
    )


async def fire(uow: UnitOfWork, ctx: ServiceContext, kind: str, order_id: int) -> None:
    _, _, detail = kind.partition(":")
    if not detail.isdigit():
        log.error("return review timer %r names no return; dropped", kind)
        return
    return_ = await uow.returns.get(int(detail), for_update=True)
    if (
        return_ is None
        or ReturnStatus(return_.status) not in WAITING_ON_MANAGER
        or return_.waiting_since is None
    ):
        return
    sla = ctx.return_rules.review_sla
    now = uow.clock.now()
    last = max(return_.waiting_since, return_.announced_at or return_.waiting_since)
    if last + sla > now:  # the clock restarted since the timer was set
        await uow.timers.schedule(kind=kind, order_id=order_id, due_at=last + sla, now=now)
        return
    return_.announced_at = now
    notifier = Notifier(uow, ctx)
    text = texts.overdue(notifier.managers_translator, return_, now - return_.waiting_since)
    reply_to_card(notifier, return_, text)
    await uow.timers.schedule(kind=kind, order_id=order_id, due_at=now + sla, now=now)


def reply_to_card(notifier: Notifier, return_: Return, text: str) -> None:
    """A message in the managers' chat, shown as a reply to the return's card when it has one."""
    chat_id = notifier.ctx.manager_chat_id
    if chat_id is None:
        return
    params: dict[str, Any] = {"text": text, "parse_mode": "HTML"}
    if return_.card_message_id is not None:
        params["reply_parameters"] = {
            "message_id": return_.card_message_id,
            "allow_sending_without_reply": True,
        }
    notifier.queue_call("sendMessage", chat_id, params, order=return_.order, return_id=return_.id)
