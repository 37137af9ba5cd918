"""Wiring: one process runs long polling, the shop API, the timers and the delivery worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramAPIError
from aiohttp import web

from bot.carriers.base import CarrierUpdate, TrackingQuery
from bot.carriers.novaposhta.client import NovaPoshtaClient
from bot.carriers.poller import TrackingPoller
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.delivery.daily import DailyDigest
from bot.delivery.rate_limit import Pacing, RateLimiter
from bot.delivery.scheduler import TimerScheduler
from bot.delivery.worker import OutboxWorker
from bot.i18n import Catalogs
from bot.services.carrier_sync import apply_carrier_update, parcels_to_track
from bot.services.context import ServiceContext
from bot.services.reachability import mark_unreachable
from bot.telegram.commands import publish_commands
from bot.telegram.middlewares import LanguageMiddleware
from bot.telegram.pacing import PacedRequests
from bot.templates import Templates, load_templates
from bot.web.app import create_web_app
from handlers import build_router
from storage.db import create_engine
from storage.fsm import DatabaseStorage
from storage.uow import Database

log = logging.getLogger(__name__)


def create_bot(settings: Settings, limiter: RateLimiter | None = None) -> Bot:
    """A bot client; with ``limiter`` its sends are paced and survive a 429 (for direct replies)."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url.rstrip("/")))
    if limiter is not None:
        session.middleware(PacedRequests(limiter))
    return Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode="HTML"),
    )


def create_dispatcher(db: Database, ctx: ServiceContext) -> Dispatcher:
    dispatcher = Dispatcher(storage=DatabaseStorage(db), db=db, ctx=ctx)
    dispatcher.update.outer_middleware(LanguageMiddleware(db, ctx))
    dispatcher.include_router(build_router())
    return dispatcher


@dataclass
class Application:
    """Everything one process runs; ``start`` and ``stop`` are safe to call from tests.

    Every resource is registered for closing the moment it exists, so a start that fails half-way
    (Telegram unreachable, port taken) closes what it had opened.
    """

    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    polling: bool = True
    pacing: Pacing | None = None  # None: real time; in-process tests pass a virtual clock
    db: Database = field(init=False)
    ctx: ServiceContext = field(init=False)
    bot: Bot = field(init=False)
    dispatcher: Dispatcher = field(init=False)
    worker: OutboxWorker = field(init=False)
    scheduler: TimerScheduler = field(init=False)
    digest: DailyDigest | None = field(init=False, default=None)
    poller: TrackingPoller | None = field(init=False, default=None)
    api_port: int = field(init=False, default=0)
    _resources: contextlib.AsyncExitStack = field(
        init=False, default_factory=contextlib.AsyncExitStack
    )
    _tasks: list[asyncio.Task[None]] = field(init=False, default_factory=list)

    async def start(self) -> None:
        try:
            await self._start()
        except BaseException:
            await self._resources.aclose()
            raise

    async def _start(self) -> None:
        settings = self.settings
        close = self._resources.push_async_callback
        # Checked first, so a bad file is reported as such, before anything else can fail.
        templates = (
            load_templates(settings.templates_file) if settings.templates_file else Templates()
        )
        self.db = Database(create_engine(settings.database_url), self.clock)
        close(self.db.dispose)
        limiter = RateLimiter(pacing=self.pacing)
        # Two clients, one pace: the worker handles 429 itself, replies wait inside their session.
        self.bot = create_bot(settings, limiter)
        close(self.bot.session.close)
        worker_bot = create_bot(settings)
        close(worker_bot.session.close)
        me = await self.bot.me()
        catalogs = Catalogs(settings.tz)
        self.ctx = ServiceContext(
            catalogs=catalogs,
            default_language=settings.default_language,
            manager_chat_id=settings.manager_chat_id,
            admin_ids=settings.admin_ids,
            webhook_url=settings.shop_webhook_url,
            reminder_after=settings.confirm_reminder_after,
            escalate_after=settings.confirm_escalate_after,
            bot_username=me.username or "",
            timezone=settings.tz,
            quiet_hours=settings.quiet_hours,
            quiet_mode=settings.quiet_hours_mode,
            pickup_rules=settings.pickup_reminders,
            templates=templates,
            risk_thresholds=settings.risk_thresholds,
            risk_policies=settings.risk_policies,
            return_rules=settings.return_rules,
            return_address=settings.return_address,
            return_photos_dir=settings.return_photos_dir,
        )
        if settings.manager_chat_id is None:
            log.warning("MANAGER_CHAT_ID is not set: alerts for managers are not sent anywhere")
        if not settings.shop_webhook_url:
            log.warning("SHOP_WEBHOOK_URL is not set: the shop is not told about answers")
        self.dispatcher = create_dispatcher(self.db, self.ctx)
        close(self.dispatcher.storage.close)
        http = await self._resources.enter_async_context(aiohttp.ClientSession())
        secret = settings.shop_webhook_secret
        self.worker = OutboxWorker(
            self.db,
            worker_bot,
            limiter=limiter,
            http=http,
            webhook_secret=secret.get_secret_value() if secret else None,
            on_unreachable=self._unreachable,
        )
        self.scheduler = TimerScheduler(self.db, self.ctx, self.clock)
        if settings.digest_at is not None:
            self.digest = DailyDigest(self.db, self.ctx, self.clock, settings.digest_at)
        self.db.on_commit(self.worker.wake)
        self.db.on_commit(self.scheduler.wake)

        token = settings.shop_api_token
        web_app = create_web_app(
            self.db, self.ctx, shop_api_token=token.get_secret_value() if token else None
        )
        runner = web.AppRunner(web_app, access_log=None)
        await runner.setup()
        close(runner.cleanup)
        await web.TCPSite(runner, settings.api_host, settings.api_port).start()
        self.api_port = _bound_port(runner, settings.api_port)

        try:
            await publish_commands(
                self.bot, catalogs, settings.default_language, settings.manager_chat_id
            )
        except TelegramAPIError as error:  # a menu is nice to have, never a reason not to start
            log.warning("could not publish the command menu: %s", error)
        self._spawn(self.worker.run(), "outbox worker")
        self._spawn(self.scheduler.run(), "timers")
        if self.digest is not None:
            self._spawn(self.digest.run(), "daily digest")
        if settings.nova_poshta_api_key is not None:
            self.poller = self._nova_poshta_poller(
                http, settings.nova_poshta_api_key.get_secret_value()
            )
            self._spawn(self.poller.run(), "Nova Poshta tracking")
        if self.polling:
            await self.bot.delete_webhook(drop_pending_updates=False)
            self._spawn(
                self.dispatcher.start_polling(
                    self.bot, handle_signals=False, close_bot_session=False, polling_timeout=10
                ),
                "polling",
            )
        log.info(
            "Vykup is running as @%s; shop API on http://%s:%s",
            me.username,
            settings.api_host,
            self.api_port,
        )

    def _nova_poshta_poller(self, http: aiohttp.ClientSession, api_key: str) -> TrackingPoller:
        client = NovaPoshtaClient(http, api_key=api_key, api_url=self.settings.nova_poshta_api_url)

        async def source() -> list[TrackingQuery]:
            return await parcels_to_track(self.db, client.name)

        async def sink(update: CarrierUpdate) -> None:
            await apply_carrier_update(self.db, self.ctx, update)

        interval = self.settings.nova_poshta_poll_interval.total_seconds()
        return TrackingPoller(client, source=source, sink=sink, interval=interval)

    async def _unreachable(self, chat_id: int) -> None:
        await mark_unreachable(self.db, self.ctx, chat_id)

    def _spawn(self, coroutine: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.create_task(coroutine, name=name)
        task.add_done_callback(_report_crash)
        self._tasks.append(task)

    async def stop(self) -> None:
        """Stop taking new work, let in-flight work finish, close everything."""
        if self.polling:
            with contextlib.suppress(RuntimeError):  # polling never started
                await self.dispatcher.stop_polling()
        self.worker.stop()
        self.scheduler.stop()
        if self.digest is not None:
            self.digest.stop()
        if self.poller is not None:
            self.poller.stop()
        if self._tasks:
            _done, pending = await asyncio.wait(self._tasks, timeout=15)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        await self._resources.aclose()


def _bound_port(runner: web.AppRunner, configured: int) -> int:
    for site in runner.sites:
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        for sock in sockets:
            return int(sock.getsockname()[1])
    return configured


def _report_crash(task: asyncio.Task[None]) -> None:
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        log.error("%s stopped unexpectedly", task.get_name(), exc_info=error)
