"""Wiring: what one process runs, by its role.

``all`` (the default) runs everything in one process. At scale, ``web`` processes serve the shop API
and Telegram's updates and ``worker`` processes deliver messages and fire timers — one of them at a
time, chosen by leader election; the others stand by to take over (README, "Running at scale").
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import aiohttp
from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.fsm.storage.base import BaseStorage
from aiohttp import web
from pydantic import SecretStr

from bot.botapi.rate_limit import Pacing, RateLimiter
from bot.carriers.base import CarrierClient, CarrierUpdate, TrackingQuery
from bot.carriers.poller import TrackingPoller
from bot.carriers.registry import all_carriers
from bot.carriers.storage_extension import StorageExtension
from bot.carriers.tracked import TrackedCarrier
from bot.clock import Clock, SystemClock
from bot.cluster.duties import Duties, Loop
from bot.cluster.election import Election
from bot.cluster.locks import lock_for
from bot.cluster.roles import Role
from bot.cluster.timing import ElectionTiming
from bot.config import BotMode, Settings
from bot.connectors.base import Adapter, Platform
from bot.connectors.registry import all_adapters
from bot.delivery.catch_up import PlatformCatchUp
from bot.delivery.cleanup import Housekeeping
from bot.delivery.daily import DailyDigest
from bot.delivery.outreach_calls import OutreachCalls
from bot.delivery.outreach_reports import OutreachReports
from bot.delivery.platform_calls import PlatformCalls
from bot.delivery.point_checks import PointChecks
from bot.delivery.scheduler import TimerScheduler
from bot.delivery.stall_check import StallCheck
from bot.delivery.watchdog import DatabaseOutage, Watchdog
from bot.delivery.worker import OutboxWorker
from bot.domain.orders import Carrier
from bot.domain.webhook_secret import signing_key
from bot.i18n import Catalogs
from bot.metrics import Metrics
from bot.outreach_wiring import check_sms_texts, outreach_gateway
from bot.pickup_wiring import pickup_sources, point_carriers
from bot.services.carrier_keys import CarrierKeyWatch
from bot.services.carrier_sync import apply_carrier_update, parcels_to_track
from bot.services.context import ServiceContext
from bot.services.reachability import mark_unreachable
from bot.services.shop_deliveries import ShopDeliveryWatch
from bot.services.storage_extension import Extenders
from bot.services.telegram_token import TelegramTokenWatch
from bot.telegram.commands import publish_commands
from bot.telegram.middlewares import CountUpdates, LanguageMiddleware
from bot.telegram.pacing import PacedRequests
from bot.telegram.polling import PollingLoop
from bot.texts.templates import Templates, load_templates
from bot.web.app import create_web_app
from bot.web.openapi import signing_of
from bot.web.order_checks import validated
from bot.web.telegram_webhook import TelegramWebhook, WebhookRefused
from handlers import build_router
from storage.db import create_engine
from storage.fsm import DatabaseStorage
from storage.redis_fsm import redis_storage
from storage.signals import OUTBOX_WORK, TIMER_WORK
from storage.uow import Database

log = logging.getLogger(__name__)

LoopT = TypeVar("LoopT")
STOP_TIMEOUT = 15.0


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


def create_fsm_storage(settings: Settings, db: Database) -> BaseStorage:
    """Conversation state in Redis when REDIS_URL is set, else in the database; never in memory."""
    if settings.redis_url:
        return redis_storage(settings.redis_url)
    return DatabaseStorage(db)


def create_dispatcher(
    db: Database,
    ctx: ServiceContext,
    storage: BaseStorage,
    metrics: Metrics,
    extenders: Extenders | None = None,
) -> Dispatcher:
    """``extenders``: the carriers that can extend free storage, by ``shipment.carrier``."""
    dispatcher = Dispatcher(storage=storage, db=db, ctx=ctx, extenders=extenders or {})
    dispatcher.update.outer_middleware(CountUpdates(metrics.updates))
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
    role: Role = Role.all
    pacing: Pacing | None = None  # None: real time; in-process tests pass a virtual clock
    catalogs: Catalogs | None = None  # None: loaded at start (the CLI loads them before migrating)
    # The platforms a shop may connect (``vykup connect``); every one by default.
    adapters: dict[Platform, Adapter] = field(default_factory=all_adapters)
    db: Database = field(init=False)
    ctx: ServiceContext = field(init=False)
    bot: Bot = field(init=False)
    metrics: Metrics = field(init=False, default_factory=Metrics)
    dispatcher: Dispatcher | None = field(init=False, default=None)
    worker: OutboxWorker | None = field(init=False, default=None)
    worker_election: Election | None = field(init=False, default=None)
    updates_election: Election | None = field(init=False, default=None)
    api_port: int = field(init=False, default=0)
    # Outlives the worker's terms: a lost lock or an unanswered attempt at one starts it; the
    # watchdog, or the first attempt that is answered again, tells it.
    database_outage: DatabaseOutage = field(init=False, default_factory=DatabaseOutage)
    _duties: Duties | None = field(init=False, default=None)
    _resources: contextlib.AsyncExitStack = field(
        init=False, default_factory=contextlib.AsyncExitStack
    )

    # -- what the elected worker runs now (None while another process leads) ---------------------
    @property
    def scheduler(self) -> TimerScheduler | None:
        return self._current("timers", TimerScheduler)

    @property
    def digest(self) -> DailyDigest | None:
        return self._current("daily digest", DailyDigest)

    @property
    def stall_check(self) -> StallCheck | None:
        return self._current("stalled parcels", StallCheck)

    @property
    def housekeeping(self) -> Housekeeping | None:
        return self._current("housekeeping", Housekeeping)

    @property
    def watchdog(self) -> Watchdog | None:
        return self._current("watchdog", Watchdog)

    @property
    def poller(self) -> TrackingPoller | None:
        """Nova Poshta's tracking poller (:meth:`tracking` has every carrier's)."""
        return self.tracking(Carrier.nova_poshta)

    def tracking(self, carrier: Carrier) -> TrackingPoller | None:
        for entry in all_carriers():
            if entry.carrier is carrier:
                return self._current(entry.loop_name, TrackingPoller)
        return None

    def _current(self, name: str, kind: type[LoopT]) -> LoopT | None:
        loop = self._duties.loops.get(name) if self._duties is not None else None
        return loop if isinstance(loop, kind) else None

    # -- start and stop ----------------------------------------------------------------------------
    async def start(self) -> None:
        try:
            await self._start()
        except BaseException:
            await self._resources.aclose()
            raise

    async def stop(self) -> None:
        """Stop taking new work, let in-flight work finish, close everything."""
        await self._resources.aclose()

    async def _start(self) -> None:
        settings = self.settings
        close = self._resources.push_async_callback
        # Checked first, so a bad file is reported as such, before anything else can fail.
        templates = (
            load_templates(settings.templates_file) if settings.templates_file else Templates()
        )
        catalogs = self.catalogs or Catalogs(settings.tz)  # missing or broken: CatalogError
        check_sms_texts(settings, templates, catalogs)
        self.db = Database(create_engine(settings.database_url), self.clock)
        close(self.db.dispose)
        limiter = RateLimiter(
            per_second=float(settings.telegram_max_per_second), pacing=self.pacing
        )
        # Two clients, one pace: the worker handles 429 itself, replies wait inside their session.
        self.bot = create_bot(settings, limiter)
        close(self.bot.session.close)
        me = await self.bot.me()
        self.ctx = self._service_context(catalogs, templates, me.username or "")
        close(self.database_outage.close)
        if settings.manager_chat_id is None:
            log.warning("MANAGER_CHAT_ID is not set: alerts for managers are not sent anywhere")
        if not settings.shop_webhook_url:
            log.warning(
                "SHOP_WEBHOOK_URL is not set: events for the shop are only recorded; "
                "it reads them with GET /api/v1/events"
            )
        else:
            warn_about_signing(settings.shop_webhook_secret)
        http = await self._resources.enter_async_context(aiohttp.ClientSession())

        if self.role.serves_updates:
            storage = create_fsm_storage(settings, self.db)
            close(storage.close)
            self.dispatcher = create_dispatcher(
                self.db, self.ctx, storage, self.metrics, self._extenders(http)
            )
            # Pickup points ("Change the branch"): the carriers' directories, when configured.
            self.dispatcher["pickup_points"] = pickup_sources(settings, http)
        if self.role.runs_duties:
            worker_bot = create_bot(settings)
            close(worker_bot.session.close)
            self.worker = self._outbox_worker(worker_bot, limiter, http)
        await self._serve_http()
        if self.dispatcher is not None:
            try:
                await publish_commands(
                    self.bot,
                    catalogs,
                    settings.default_language,
                    settings.manager_chat_id,
                    managers=settings.manager_language,
                )
            except TelegramAPIError as error:  # a menu is nice to have, never a reason not to start
                log.warning("could not publish the command menu: %s", error)
        if self.worker is not None:
            await self._elect_worker(http)
        if self.dispatcher is not None:
            await self._receive_updates(self.dispatcher)
        log.info(
            "Vykup is running as @%s (role %s, %s); API on http://%s:%s",
            me.username,
            self.role,
            settings.bot_mode,
            settings.api_host,
            self.api_port,
        )

    def _extenders(self, http: aiohttp.ClientSession) -> Extenders:
        """Each configured carrier that can extend a waiting parcel's free storage."""
        extenders: dict[str, StorageExtension] = {}
        for entry in all_carriers():
            extender = entry.storage_extension(self.settings, http)
            if extender is not None:
                extenders[entry.carrier.value] = extender
        return extenders

    def _service_context(
        self, catalogs: Catalogs, templates: Templates, bot_username: str
    ) -> ServiceContext:
        settings = self.settings
        salt = settings.erased_phone_hash_salt
        return ServiceContext(
            catalogs=catalogs,
            default_language=settings.default_language,
            manager_language=settings.manager_language,
            manager_chat_id=settings.manager_chat_id,
            alerts_chat_id=settings.alerts_chat_id,
            admin_ids=settings.admin_ids,
            webhook_url=settings.shop_webhook_url,
            reminder_after=settings.confirm_reminder_after,
            escalate_after=settings.confirm_escalate_after,
            bot_username=bot_username,
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
            erased_phone_salt=salt.get_secret_value() if salt else None,
            redis_url=settings.redis_url,
            public_url=settings.public_url,
            web_link_secret=link.get_secret_value() if (link := settings.web_link_secret) else None,
            web_link_valid=settings.web_link_valid,
            outreach=settings.outreach_rules,
            stall_limits=settings.stall_limits,
            point_carriers=point_carriers(settings),
        )

    def _outbox_worker(
        self, bot: Bot, limiter: RateLimiter, http: aiohttp.ClientSession
    ) -> OutboxWorker:
        secret = self.settings.shop_webhook_secret
        worker = OutboxWorker(
            self.db,
            bot,
            limiter=limiter,
            http=http,
            webhook_secret=secret.get_secret_value() if secret else None,
            on_unreachable=self._unreachable,
            webhook_give_up=self.settings.webhook_give_up,
            shop_watch=ShopDeliveryWatch(self.db, self.ctx),
            telegram_watch=TelegramTokenWatch(self.db, self.ctx),
            platform_calls=PlatformCalls(self.db, self.ctx, http, self.adapters, validated),
            outreach_calls=self._outreach_calls(http),
        )
        self.metrics.watch_delivery(lambda: worker.stats)
        return worker

    def _outreach_calls(self, http: aiohttp.ClientSession) -> OutreachCalls | None:
        gateway = outreach_gateway(self.settings)
        if gateway is None:
            return None
        per_second = float(self.settings.outreach_per_second)
        return OutreachCalls(self.db, self.ctx, http, gateway, per_second=per_second)

    async def _serve_http(self) -> None:
        settings = self.settings
        token = settings.shop_api_token
        web_app = create_web_app(
            self.db,
            self.ctx,
            shop_api_token=token.get_secret_value() if token else None,
            metrics=self.metrics,
            shop_api=self.role.serves_updates,
            adapters=self.adapters,
            webhook_signing=signing_of(
                secret.get_secret_value() if (secret := settings.shop_webhook_secret) else None
            ),
        )
        if self.dispatcher is not None and settings.bot_mode is BotMode.webhook:
            assert settings.webhook_secret is not None  # the settings insist on it
            TelegramWebhook(
                self.dispatcher, self.bot, secret=settings.webhook_secret.get_secret_value()
            ).register(web_app, settings.webhook_path)
        runner = web.AppRunner(web_app, access_log=None, shutdown_timeout=10.0)
        await runner.setup()
        self._resources.push_async_callback(runner.cleanup)
        # Web processes on one machine may share the port: the kernel spreads connections.
        site = web.TCPSite(
            runner, settings.api_host, settings.api_port, reuse_port=self.role is Role.web
        )
        await site.start()
        self.api_port = _bound_port(runner, settings.api_port)

    async def _elect_worker(self, http: aiohttp.ClientSession) -> None:
        worker = self.worker
        assert worker is not None
        loops: dict[str, Callable[[], Loop]] = {
            "outbox worker": lambda: worker,  # the same worker every term: its counters go on
            "timers": lambda: TimerScheduler(self.db, self.ctx, self.clock),
            "watchdog": lambda: Watchdog(
                self.db, self.ctx, self.clock, outage=self.database_outage
            ),
        }
        digest_at = self.settings.digest_at
        if digest_at is not None:
            loops["daily digest"] = lambda: DailyDigest(self.db, self.ctx, self.clock, digest_at)
        loops["stalled parcels"] = lambda: StallCheck(self.db, self.ctx, self.clock)
        keep = self.settings.delivery_history_keep
        refund_details_keep = self.settings.refund_details_keep
        if keep is not None or refund_details_keep is not None:
            loops["housekeeping"] = lambda: Housekeeping(
                self.db,
                self.clock,
                keep,
                refund_details_keep=refund_details_keep,
                on_pruned=self.metrics.count_pruned,
            )
        catch_up = self.settings.connect_catch_up
        if catch_up is not None:
            loops["platforms' catch-up"] = lambda: PlatformCatchUp(
                self.db, self.ctx, self.clock, http, self.adapters, validated, catch_up
            )
        gateway = outreach_gateway(self.settings)
        if gateway is not None:
            loops["Viber/SMS delivery reports"] = lambda: OutreachReports(
                self.db, self.ctx, self.clock, http, gateway
            )
        for entry in all_carriers():
            client = entry.client(self.settings, http)
            if client is not None:
                loops[entry.loop_name] = self._tracking_loop(entry, client)
        # Pickup points: new orders' points checked after intake, when a carrier is configured.
        sources = pickup_sources(self.settings, http)
        if sources:
            loops["pickup point checks"] = lambda: PointChecks(
                self.db, self.ctx, self.clock, sources
            )
        self._duties = Duties(loops, stop_timeout=STOP_TIMEOUT)
        # A commit wakes the loop whose work it queued (the delivery worker's own commits, which
        # mark rows sent, queue nothing and wake nobody).
        self.db.on_commit(self._wake_worker, work={OUTBOX_WORK})
        self.db.on_commit(self._wake_timers, work={TIMER_WORK})
        self.worker_election = await self._elect("worker", self._duties, listen=True)

    async def _receive_updates(self, dispatcher: Dispatcher) -> None:
        settings = self.settings
        if settings.bot_mode is BotMode.webhook:
            assert settings.webhook_url is not None and settings.webhook_secret is not None
            try:
                await self.bot.set_webhook(
                    settings.webhook_url,
                    secret_token=settings.webhook_secret.get_secret_value(),
                    allowed_updates=dispatcher.resolve_used_update_types(),
                    drop_pending_updates=False,
                )
            except TelegramBadRequest as error:  # e.g. plain http to a server without --local
                raise WebhookRefused(error.message) from error
            return
        # Polling: Telegram serves getUpdates to one client at a time, so one process polls.
        polling = PollingDuty(dispatcher, self.bot)
        self.updates_election = await self._elect("updates", polling, listen=False)

    async def _elect(self, name: str, duty: Duties | PollingDuty, *, listen: bool) -> Election:
        """Run ``duty`` while this process holds the lock ``name``; ``listen``: wake the duties
        when another process queues work (PostgreSQL NOTIFY on the lock's connection)."""
        timing = ElectionTiming.for_takeover(self.settings.leader_takeover)
        election: Election | None = None

        def lost() -> None:
            self.database_outage.began(self.clock.now())  # the lock's connection broke
            if election is not None:
                election.wake()

        def reachable(answered: bool) -> None:
            if answered:
                self.database_outage.answered_soon(self.db, self.ctx, self.clock.now())
            else:
                self.database_outage.began(self.clock.now())

        lock = lock_for(
            self.settings.database_url,
            name,
            timing,
            on_lost=lost,
            on_wake=self._wake_duties if listen else None,
            on_reachable=reachable,
        )
        gauge = self.metrics.leader.labels(name)

        async def elected() -> None:
            gauge.set(1)
            await duty.start()

        async def deposed() -> None:
            gauge.set(0)
            await duty.stop()

        election = Election(name, lock, timing, on_elected=elected, on_deposed=deposed)
        gauge.set(0)
        if not await election.try_once():
            log.info("%s: another process leads; this one stands by to take over", name)
        task = asyncio.create_task(election.run(), name=f"{name} election")

        async def stop_election() -> None:
            election.stop()
            try:
                await asyncio.wait_for(asyncio.shield(task), timeout=STOP_TIMEOUT + 5)
            except TimeoutError:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)

        self._resources.push_async_callback(stop_election)
        return election

    def _wake_duties(self) -> None:
        self._wake_worker()
        self._wake_timers()

    def _wake_worker(self) -> None:
        if self.worker is not None:
            self.worker.wake()

    def _wake_timers(self) -> None:
        scheduler = self.scheduler
        if scheduler is not None:
            scheduler.wake()

    def _tracking_loop(self, entry: TrackedCarrier, client: CarrierClient) -> Callable[[], Loop]:
        """A fresh poller each term for a configured carrier, with its own key incident."""

        async def source() -> list[TrackingQuery]:
            return await parcels_to_track(self.db, entry.carrier.value)

        async def sink(update: CarrierUpdate) -> None:
            await apply_carrier_update(self.db, self.ctx, update)

        interval = entry.poll_interval(self.settings).total_seconds()

        def poller() -> TrackingPoller:
            watch = CarrierKeyWatch(self.db, self.ctx, entry.key_incident)
            return TrackingPoller(
                client, source=source, sink=sink, interval=interval, key_watch=watch
            )

        return poller

    async def _unreachable(self, chat_id: int) -> None:
        await mark_unreachable(self.db, self.ctx, chat_id)


class PollingDuty:
    """Long polling as a duty: the updates leader deletes any webhook and polls."""

    def __init__(self, dispatcher: Dispatcher, bot: Bot) -> None:
        self._dispatcher = dispatcher
        self._bot = bot
        self._duties = Duties({"polling": self._polling}, stop_timeout=STOP_TIMEOUT)

    def _polling(self) -> Loop:
        return PollingLoop(self._dispatcher, self._bot)

    async def start(self) -> None:
        await self._bot.delete_webhook(drop_pending_updates=False)
        await self._duties.start()

    async def stop(self) -> None:
        await self._duties.stop()


def _bound_port(runner: web.AppRunner, configured: int) -> int:
    for site in runner.sites:
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        for sock in sockets:
            return int(sock.getsockname()[1])
    return configured


def warn_about_signing(secret: SecretStr | None) -> None:
    """Say once at start when the shop cannot tell our webhooks from anyone's."""
    if secret is None:
        log.warning(
            "SHOP_WEBHOOK_SECRET is not set: webhooks to the shop go out unsigned "
            "(set a whsec_ secret; README: 'Events back to the shop')"
        )
    elif signing_key(secret.get_secret_value()) is None:
        log.warning(
            "SHOP_WEBHOOK_SECRET is not a whsec_ secret: webhooks carry only the deprecated "
            "X-Vykup-Signature, which a replay passes (README: 'Events back to the shop')"
        )
