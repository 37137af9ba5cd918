"""Outreach on a real database against the strict TurboSMS fake: the timers fire, the outbox
rows go through the real deliverer to the fake, the reports come back from it."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from bot.botapi.rate_limit import RateLimiter
from bot.channels.base import DeliveryKind
from bot.channels.turbosms import TurboSmsGateway
from bot.clock import ManualClock
from bot.delivery.outcomes import WEBHOOK_BACKOFF
from bot.delivery.outreach_calls import OutreachCalls
from bot.delivery.sender import Deliverer, DeliverySettings, DeliveryStats
from bot.domain.outreach import ChannelPreference, OutreachRules, Prices
from bot.services.context import ServiceContext
from bot.services.intake import intake_order
from bot.services.outreach.reports import check_reports
from bot.services.timers import run_due_timers
from storage.models import Order, OutboxMessage, OutreachMessage
from storage.repositories.outbox import OUTREACH, PENDING, TELEGRAM
from storage.uow import Database
from tests.channels.fakes.turbosms import DELIVERED, NOT_DELIVERED, FakeTurboSms, serve
from tests.factories import new_order

SECRET = "0123456789abcdef0123456789abcdef"
RULES = OutreachRules(
    preference=ChannelPreference.viber_then_sms,
    shop_name="Квітка",
    prices=Prices(sms=Decimal("0.80"), viber=Decimal("0.70")),
)


@dataclass
class Outreach:
    db: Database
    ctx: ServiceContext
    clock: ManualClock
    fake: FakeTurboSms
    http: aiohttp.ClientSession
    gateway: TurboSmsGateway
    deliverer: Deliverer

    def with_rules(self, **changes: Any) -> None:
        assert self.ctx.outreach is not None
        rules = dataclasses.replace(self.ctx.outreach, **changes)
        self.ctx = dataclasses.replace(self.ctx, outreach=rules)
        self.deliverer = _deliverer(self.db, self.ctx, self.http, self.gateway)

    async def order(self, external_id: str = "A-1001", **kwargs: Any) -> Order:
        result = await intake_order(self.db, self.ctx, new_order(external_id, **kwargs))
        assert result.order is not None
        return result.order

    async def run_timers(self) -> int:
        """Until none is due (a timer may plan another, due at once), as the scheduler does."""
        fired = 0
        for _ in range(10):
            count = await run_due_timers(self.db, self.ctx)
            if not count:
                return fired
            fired += count
        raise AssertionError("timers keep firing")

    async def pass_time(self, delta: timedelta) -> None:
        self.clock.advance(delta)
        await self.run_timers()

    async def send(self) -> list[Any]:
        """Every due outreach row through the real deliverer, once; the outcomes."""
        async with self.db.read() as uow:
            rows = (
                await uow.session.scalars(
                    select(OutboxMessage).where(
                        OutboxMessage.channel == OUTREACH,
                        OutboxMessage.state == PENDING,
                        OutboxMessage.next_attempt_at <= self.clock.now(),
                    )
                )
            ).all()
        outcomes = []
        for row in rows:
            ready = await self.deliverer.prepare(row)
            outcome = await self.deliverer.send(ready)  # type: ignore[arg-type]
            outcomes.append(await self.deliverer.record(row, outcome))
        return outcomes

    async def reports(self) -> int:
        return await check_reports(self.db, self.ctx, self.http, self.gateway)

    async def messages(self) -> list[OutreachMessage]:
        async with self.db.read() as uow:
            return list(
                (
                    await uow.session.scalars(select(OutreachMessage).order_by(OutreachMessage.id))
                ).all()
            )

    async def managers_texts(self) -> list[str]:
        async with self.db.read() as uow:
            rows = (
                await uow.session.scalars(
                    select(OutboxMessage)
                    .where(
                        OutboxMessage.channel == TELEGRAM,
                        OutboxMessage.chat_id == self.ctx.manager_chat_id,
                    )
                    .order_by(OutboxMessage.id)
                )
            ).all()
        return [row.payload["text"] for row in rows]


def _deliverer(
    db: Database, ctx: ServiceContext, http: aiohttp.ClientSession, gateway: TurboSmsGateway
) -> Deliverer:
    async def unreachable(chat_id: int) -> None:
        raise AssertionError("no Telegram call is made here")

    return Deliverer(
        db,
        bot=None,  # type: ignore[arg-type]  # only outreach rows are sent
        http=http,
        settings=DeliverySettings(
            webhook_secret=None,
            telegram_backoff=WEBHOOK_BACKOFF,
            webhook_backoff=WEBHOOK_BACKOFF,
            webhook_timeout=5,
            concurrency=4,
            draw=lambda: 0.5,
        ),
        limiter=RateLimiter(),
        on_unreachable=unreachable,
        outreach_calls=OutreachCalls(db, ctx, http, gateway, per_second=1000),
        stats=DeliveryStats(),
        logger=logging.getLogger("test.outreach"),
    )


@pytest.fixture
async def outreach(
    db: Database, ctx: ServiceContext, clock: ManualClock
) -> AsyncIterator[Outreach]:
    fake = FakeTurboSms()
    service_ctx = dataclasses.replace(
        ctx, public_url="https://bot.test", web_link_secret=SECRET, outreach=RULES
    )
    async with serve(fake) as api_url, aiohttp.ClientSession() as http:
        gateway = TurboSmsGateway(
            fake.token,
            fake.sms_sender,
            fake.viber_sender,
            api_url=api_url,
            status_texts={
                DELIVERED: DeliveryKind.delivered,
                NOT_DELIVERED: DeliveryKind.not_delivered,
            },
        )
        yield Outreach(
            db, service_ctx, clock, fake, http, gateway, _deliverer(db, service_ctx, http, gateway)
        )
