"""One sandbox: the stand-ins (Telegram, TurboSMS), the real application on its own database, a
shop, a movable clock."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from bot.app import Application
from bot.clock import ShiftedClock
from bot.config import Settings
from bot.delivery.signing import new_secret
from bot.domain.languages import Language
from bot.importer.pipeline import import_orders
from bot.importer.sources import CsvSource
from bot.sandbox import cast
from bot.sandbox.phone import phones_view
from bot.sandbox.shop import ShopClient, ShopState
from bot.sandbox.views import chat_view, violations_view
from bot.services.customers import set_language
from bot.services.people import TelegramUser
from bot.standin import FakeUser, TelegramStandin
from bot.standin.errors import StandinUsageError
from bot.standin.state import World
from bot.standin.turbosms import DELIVERED, TurboSmsStandin
from bot.standin.turbosms import serve as serve_turbosms
from storage.migrate import upgrade

log = logging.getLogger("vykup.sandbox")

DAY_STARTS = time(10, 0)  # the sandbox opens in the shop's working hours, out of quiet hours
DAY_ENDS = time(20, 0)
# A customer who has not opened the bot gets the Viber/SMS this long after the order (the real
# default is 2 minutes): the clock's "+15 min" shows it at once, and a minute's wait does too.
OUTREACH_AFTER = timedelta(minutes=1)


class NotPossible(Exception):
    """What a Telegram user could not do (press a button that is gone, write before /start)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def opening_time(now: datetime, settings: Settings) -> datetime:
    """Now, if the shop is open; otherwise the next 10:00 in the shop's time zone."""
    local = now.astimezone(settings.tz)
    if DAY_STARTS <= local.time() < DAY_ENDS:
        return now
    day = local.date() if local.time() < DAY_STARTS else local.date() + timedelta(days=1)
    return datetime.combine(day, DAY_STARTS, settings.tz)


@dataclass(frozen=True)
class SandboxOptions:
    workdir: Path  # the SQLite file and the imported history live here
    database_url: str | None = None  # None: a fresh SQLite file in workdir
    read_env_file: bool = True  # the shop's .env (templates, quiet hours…); tests leave it out
    env_file: Path | None = None  # which .env; None: beside run_bot.py (vykup passes ./.env)


class Sandbox:
    def __init__(self, options: SandboxOptions, clock: ShiftedClock | None = None) -> None:
        self.options = options
        self.clock = clock or ShiftedClock()
        self.standin = TelegramStandin(cast.TOKEN, bot_username=cast.BOT_USERNAME)
        self.standin.world.wall = lambda: self.clock.now().timestamp()
        self.people = cast.populate(self.standin)
        self.sms = TurboSmsStandin(
            token=cast.TURBOSMS_TOKEN,
            sms_sender=cast.SENDER,
            viber_sender=cast.SENDER,
            balance=cast.SMS_BALANCE,
            sms_price=cast.SMS_PRICE,
            viber_price=cast.VIBER_PRICE,
            no_viber={phone.removeprefix("+") for phone in cast.NO_VIBER},
            report_at_once=DELIVERED,  # every phone here takes its messages
            clock=self.clock.now,
            on_change=self.changed,
        )
        self.shop = ShopState(
            api_url="", token=secrets.token_urlsafe(16), webhook_secret=new_secret()
        )
        self.app: Application | None = None
        self.settings: Settings | None = None
        self.managers_language = Language.uk
        self.page_url = ""  # where the page is served: the shop's webhooks are received there
        self.ready = asyncio.Event()
        self.closing = False  # stopping: the page's long polls answer at once
        self.customer_link: str | None = None  # the shop panel's "Open link" (kept on reload)
        self._http: aiohttp.ClientSession | None = None
        self._lock = asyncio.Lock()  # one restart (language switch) at a time

    @property
    def world(self) -> World:
        return self.standin.world

    def changed(self) -> None:
        self.world.changed()

    @property
    def http(self) -> aiohttp.ClientSession:
        assert self._http is not None
        return self._http

    def app_url(self) -> str | None:
        """Where the real bot's web app listens now; None while it (re)starts."""
        return self.shop.api_url if self.app is not None and self.shop.api_url else None

    def close(self) -> None:
        """Stopping: wake every waiting long poll, so none holds up the page server's exit."""
        self.closing = True
        self.changed()

    # -- life ----------------------------------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[Sandbox]:
        async with (
            self.standin.serve() as telegram_url,
            serve_turbosms(self.sms) as turbosms_url,
            aiohttp.ClientSession() as http,
        ):
            self._http = http
            self.settings = self._settings(telegram_url, turbosms_url)
            self.managers_language = (
                self.settings.manager_language or self.settings.default_language
            )
            self._shift_into_opening_hours(self.settings)
            await asyncio.to_thread(upgrade, self.settings.database_url)
            await self._start_app()
            await self._import_history()
            self.ready.set()
            try:
                yield self
            finally:
                self.ready.clear()
                if self.app is not None:
                    await asyncio.wait_for(self.app.stop(), timeout=20)

    def _settings(self, telegram_url: str, turbosms_url: str) -> Settings:
        database_url = self.options.database_url or (
            f"sqlite+aiosqlite:///{self.options.workdir / 'sandbox.db'}"
        )
        values: dict[str, Any] = {
            "bot_token": cast.TOKEN,
            "telegram_api_url": telegram_url,
            "database_url": database_url,
            "manager_chat_id": cast.MANAGERS_CHAT_ID,
            "admin_ids": str(cast.MANAGER_ID),
            "api_host": "127.0.0.1",
            "api_port": 0,
            "shop_api_token": self.shop.token,
            "shop_webhook_url": f"{self.page_url}/shop/webhook",
            "shop_webhook_secret": self.shop.webhook_secret,
            "bot_mode": "polling",
            "redis_url": None,
            "nova_poshta_api_key": None,  # parcels move by the shop panel's buttons only
            "return_photos_dir": None,
            # Viber/SMS go to the TurboSMS stand-in, never to the real one, and their links lead
            # to this page's address, which passes them on to the bot's real web pages.
            "turbosms_token": cast.TURBOSMS_TOKEN,
            "turbosms_api_url": turbosms_url,
            "turbosms_status_texts": {DELIVERED: "delivered"},
            "sms_sender": cast.SENDER,
            "viber_sender": cast.SENDER,
            "public_url": self.page_url,
            "web_link_secret": secrets.token_hex(32),
            "outreach_after": OUTREACH_AFTER,
            "sms_price": cast.SMS_PRICE,
            "viber_price": cast.VIBER_PRICE,
        }
        # The rest (templates, quiet hours, reminders, risk thresholds, OUTREACH_CHANNELS…) comes
        # from .env and the environment as for the real bot, so a shop sees its own configuration
        # at work.
        if self.options.read_env_file and self.options.env_file is not None:
            settings = Settings(_env_file=self.options.env_file, **values)  # type: ignore[call-arg]
        elif self.options.read_env_file:
            settings = Settings(**values)
        else:
            settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
        if settings.return_address is None:  # returns tell the customer where to send the parcel
            settings = settings.model_copy(update={"return_address": cast.RETURN_ADDRESS})
        return settings

    def _shift_into_opening_hours(self, settings: Settings) -> None:
        now = self.clock.now()
        opening = opening_time(now, settings)
        if opening > now:
            self.clock.advance(opening - now)

    async def _start_app(self) -> None:
        assert self.settings is not None
        settings = self.settings.model_copy(update={"manager_language": self.managers_language})
        app = Application(settings, clock=self.clock)
        await app.start()
        self.app = app
        self.shop.api_url = f"http://127.0.0.1:{app.api_port}"
        await self.standin.wait_for_polling(timeout=10)

    async def _import_history(self) -> None:
        assert self.app is not None and self.settings is not None
        path = self.options.workdir / "history.csv"
        today = self.clock.now().astimezone(self.settings.tz)
        path.write_text(cast.history_csv(today), encoding="utf-8")
        report = await import_orders(self.app.db, CsvSource(path), tz=self.settings.tz)
        if report.bad:
            log.warning("sandbox history: %s", report.bad)

    # -- the chats -----------------------------------------------------------------------------------
    def actor(self, chat: str) -> tuple[FakeUser, int | None]:
        if chat == "customer":
            return self.people.customer, None
        if chat == "managers":
            return self.people.manager, self.people.managers.id
        raise NotPossible("unknown_chat")

    def send_text(self, chat: str, text: str, reply_to: int | None = None) -> None:
        """Text as typed; ``reply_to`` makes it a reply to that message (it carries
        reply_to_message, and in the group only such a reply to the bot reaches it)."""
        user, chat_id = self.actor(chat)
        text = text.strip()
        if not text:
            raise NotPossible("empty")
        with _as_user_would():
            if reply_to is not None:
                user.send_text(text, chat_id=chat_id, reply_to=reply_to)
            elif text.startswith("/"):
                command, _, payload = text.partition(" ")
                user.send_command(command, payload or None, chat_id=chat_id)
            else:
                user.send_text(text, chat_id=chat_id)

    def start(self, payload: str | None = None) -> None:
        with _as_user_would():
            self.people.customer.send_command("/start", payload)

    def press(self, chat: str, message_id: int, row: int, column: int) -> None:
        user, chat_id = self.actor(chat)
        record = self.world.chats[chat_id or user.id]
        message = record.find(message_id)
        if message is None or message.deleted:
            raise NotPossible("gone")
        rows = (message.reply_markup or {}).get("inline_keyboard") or []
        try:
            button = rows[row][column]
        except (IndexError, TypeError):
            raise NotPossible("gone") from None
        if "callback_data" not in button:
            raise NotPossible("not_a_callback")
        with _as_user_would():
            user.press(message, callback_data=button["callback_data"])

    def tap(self, text: str) -> None:
        with _as_user_would():
            self.people.customer.tap_keyboard(text)

    def share_contact(self) -> None:
        with _as_user_would():
            self.people.customer.share_contact()

    def send_photos(self, chat: str, contents: Sequence[bytes], caption: str | None) -> None:
        """One photo, or several picked together: an album, as Telegram sends them."""
        user, chat_id = self.actor(chat)
        with _as_user_would():
            if len(contents) == 1:
                user.send_photo(caption=caption or None, content=contents[0], chat_id=chat_id)
            else:
                user.send_album(contents, caption=caption or None, chat_id=chat_id)

    async def set_language(self, chat: str, language: Language) -> None:
        """Switch a chat's language: the customer's choice, or the managers' chat's setting."""
        user, _ = self.actor(chat)
        async with self._lock:
            assert self.app is not None
            user.record.language_code = language.value
            person = TelegramUser(user.id, user.record.first_name, user.record.username)
            await set_language(self.app.db, person, language)
            if chat == "managers" and language is not self.managers_language:
                self.managers_language = language
                await self.app.stop()  # the managers' language is a setting: start again with it
                self.app = None
                await self._start_app()
        self.changed()

    # -- the clock -------------------------------------------------------------------------------------
    def advance(self, minutes: int) -> None:
        if not 1 <= minutes <= 7 * 24 * 60:
            raise NotPossible("clock")
        self.clock.advance(timedelta(minutes=minutes))
        self.changed()

    # -- the shop ----------------------------------------------------------------------------------------
    def shop_client(self) -> ShopClient:
        assert self._http is not None
        return ShopClient(self.shop, self._http)

    def order_created(self, status: int, answer: Any) -> None:
        """Offer the new order's link, if it is for the sandbox's customer: only she has a
        Telegram here, so other customers' links lead nowhere."""
        if status not in (200, 201) or not isinstance(answer, dict):
            return
        customer = answer.get("customer")
        link = answer.get("telegram_link")
        ours = (
            isinstance(customer, dict)
            and customer.get("phone") == self.people.customer.record.phone
        )
        self.customer_link = link if ours and isinstance(link, str) else None

    async def wait_for_change(self, timeout: float) -> None:
        await self.world.pulse.wait(timeout)

    # -- what the page shows -------------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        assert self.settings is not None
        tz = self.settings.tz
        customer = self.people.customer
        world = self.world
        now = self.clock.now().astimezone(tz)
        return {
            "clock": now.strftime("%Y-%m-%d %H:%M"),
            "bot": {"username": world.bot.username, "name": world.bot.first_name},
            "customer": chat_view(world, customer.chat, tz)
            | {
                "started": customer.record.has_started,
                "name": f"{customer.record.first_name} {customer.record.last_name or ''}".strip(),
                "phone": customer.record.phone,
                "language": customer.record.language_code,
            },
            "managers": chat_view(world, self.people.managers.chat, tz)
            | {
                "language": self.managers_language.value,
                "as": self.people.manager.record.first_name,
            },
            "phone": {
                "on": self.settings.outreach_rules is not None,
                "phones": phones_view(self.sms, tz),
            },
            "violations": violations_view(world.calls),
            "shop": {
                "entries": [entry.view(tz) for entry in self.shop.entries[-60:]],
                "orders": [
                    {"external_id": number, "waybill": self.shop.waybills.get(number)}
                    for number in self.shop.orders
                ],
                "link": self.customer_link,
                "next_order": cast.example_order(self.shop.next_number),
                "examples": {
                    who: cast.example_order(self.shop.next_number, who) for who in cast.CUSTOMERS
                },
            },
        }

    def file(self, file_id: str) -> bytes:
        try:
            return self.standin.file_content(file_id)
        except StandinUsageError:
            raise NotPossible("gone") from None


@contextlib.contextmanager
def _as_user_would() -> Iterator[None]:
    """The stand-in refuses what no Telegram client could send; the page hears why, briefly."""
    try:
        yield
    except StandinUsageError as error:
        text = str(error)
        if "has not started" in text or "blocked the bot" in text:
            raise NotPossible("not_started") from None
        if "no reply keyboard" in text or "no reply button" in text:
            raise NotPossible("no_keyboard") from None
        raise NotPossible("gone") from None


def deep_link_payload(url: str, bot_username: str) -> str | None:
    """The ``start`` payload of ``https://t.me/<bot>?start=<payload>``, else None."""
    prefix = f"https://t.me/{bot_username}?start="
    return url[len(prefix) :] if url.startswith(prefix) and len(url) > len(prefix) else None
