"""Update throughput: how many "✅ Confirm" presses a second the whole bot handles, against a bare
aiogram echo bot polling the same Telegram stand-in.

Run: ``.venv/bin/python -m bench.update_throughput [presses] [rounds]`` (default 1,000 presses a
round, 3 rounds of each bot). SQLite (a temporary file) always; PostgreSQL too when
``BENCH_POSTGRES_URL`` names a database that may be wiped, e.g.
``BENCH_POSTGRES_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/bench``. With
``BENCH_PROFILE=<folder>`` the bot's and the echo bot's rounds are profiled with pyinstrument
(``pip install pyinstrument``) into that folder.

The Telegram stand-in (``bot.standin``, strict validation on) runs in a process of its own, as
Telegram would, with its flood limits off and callback queries that do not expire while the
backlog drains; the shop's webhook receiver runs there too. The bot under test runs in this
process:

* **the bot**: the whole application as in production (``bot.app.Application``: long polling,
  its middlewares, the FSM in the database, i18n, the delivery worker, timers, the shop API), on a
  migrated database. Each press is the customer confirming their pending order on the card the
  bot itself sent them (seeded through the real services: the shop's order comes in, the worker
  delivers the card), with the card's own ``OrderCD`` button. Per press it calls Telegram twice
  (``answerCallbackQuery`` from the handler; ``editMessageText`` of the card from the delivery
  worker, through the outbox) and posts one signed webhook to the shop. Its own pace is set to
  its maximum (``TELEGRAM_MAX_PER_SECOND=1000``), as Telegram's limits are off.
* **the echo bot**: a bare aiogram ``Dispatcher`` (memory FSM, no middlewares of ours) with one
  callback-query handler that answers the query and edits the pressed message: the same two
  Bot API calls per press, no database, no webhook.

A round pushes all presses at once (N customers, N cards) while the bot's long poll waits, then
times from that moment to the last answer Telegram received (**answered**: the person sees the
answer) and to the last of every call and webhook (**all done**: the cards edited and, for the
bot, the shop told). Rounds alternate (echo, bot, bot, echo, echo, bot …). Printed per engine:
the medians of each, the ratio of the bot's median to the echo bot's, and the correctness
checks: every press answered without an error, every order confirmed in the database with one
history entry, every card edited, one ``order.confirmed`` webhook per order, nothing left in the
outbox, no refused request. Target: the bot at >= 50 % of the echo bot's updates/s (answered).
Record the figures in ``bench/RESULTS.md``; run it on a quiet machine.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, Message
from aiohttp import web
from sqlalchemy import func, select

from bench.host import load, machine, wipe_postgres
from bot.app import Application
from bot.config import Settings
from bot.delivery.webhooks import sign
from bot.domain.languages import Language
from bot.domain.new_order import NewItem, NewOrder
from bot.domain.orders import Carrier, Payment
from bot.keyboards.callbacks import OrderAction, OrderCD
from bot.services.intake import intake_order
from bot.standin import TelegramStandin
from bot.standin.methods_send import send_message
from bot.standin.params import Params
from storage.migrate import upgrade
from storage.models import Customer, Order, OrderEvent
from storage.uow import Database

PRESSES = 1000
ROUNDS = 3
TOKEN = "123456789:BENCH-token-abcdefghijklmnopqrstuvwxyz"
HOOK_SECRET = "bench-hook-secret"
BOT_CUSTOMERS = 100_000  # Telegram ids of the customers whose orders the bot confirms
ECHO_CUSTOMERS = 600_000  # Telegram ids of the customers pressing the echo bot's cards
MANAGERS_CHAT = -1001234567890
MANAGER_ID = 900
CALLBACK_TTL = 3600.0  # a press stays answerable while the whole backlog drains
SETTLE = 0.5  # seconds between the first long poll and the presses: the start's work is over
INTAKE_AT_ONCE = 16


# -- the stand-in's side: a process of its own ----------------------------------------------------


@dataclass
class Round:
    """What the stand-in saw of one round; times in seconds from the moment of the presses."""

    presses: int
    answered: int = 0
    alerts: int = 0  # answers with show_alert: the bot refused the press
    edited: int = 0
    hooks: int = 0
    duplicate_hooks: int = 0
    refused: dict[str, int] = field(default_factory=dict)  # method: requests answered not ok
    last_answer: float = 0.0
    last_edit: float = 0.0
    last_hook: float = 0.0
    cpu: float = 0.0  # CPU seconds the bot's process used from the presses until all was done

    @property
    def all_done(self) -> float:
        return max(self.last_answer, self.last_edit, self.last_hook)


class StandinSide:
    """The stand-in and the shop's webhook receiver, driven by commands from the bot's process."""

    def __init__(self) -> None:
        self.telegram = TelegramStandin(
            TOKEN, bot_username="vykup_bench_bot", limits=False, callback_ttl=CALLBACK_TTL
        )
        self.hook_times: list[float] = []  # one per order.confirmed received
        self.hooked: set[str] = set()
        self.duplicate_hooks = 0
        self.bad_hooks = 0

    async def receive_hook(self, request: web.Request) -> web.Response:
        body = await request.read()
        if request.headers.get("X-Vykup-Signature") != sign(body, HOOK_SECRET):
            self.bad_hooks += 1
            return web.Response(status=401)
        event = json.loads(body)
        if event.get("event") == "order.confirmed":
            if event["external_id"] in self.hooked:
                self.duplicate_hooks += 1
            self.hooked.add(event["external_id"])
            self.hook_times.append(time.perf_counter())
            self.telegram.world.changed()
        return web.json_response({"ok": True})

    @asynccontextmanager
    async def serve_hooks(self) -> AsyncIterator[str]:
        app = web.Application()
        app.router.add_post("/hooks/vykup", self.receive_hook)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        try:
            yield f"http://{host}:{port}/hooks/vykup"
        finally:
            await runner.cleanup()

    # -- commands --------------------------------------------------------------------------------
    async def add_customers(self, first: int, count: int) -> None:
        """Customers who opened the bot (their chats exist), each with a language."""
        for n in range(count):
            user = self.telegram.add_user(first + n, f"Покупець {n}", language_code="uk")
            user.record.has_started = True

    async def add_managers(self) -> None:
        manager = self.telegram.add_user(MANAGER_ID, "Марія", language_code="uk")
        manager.record.has_started = True
        self.telegram.add_group(MANAGERS_CHAT, "Менеджери", [manager])

    async def generation(self) -> int:
        return self.telegram.world.poll_generation

    async def polling(self, after: int, timeout: float = 30.0) -> None:
        """Until a long poll begun after generation ``after`` is waiting."""
        world = self.telegram.world
        deadline = time.monotonic() + timeout
        while not (world.poll_generation > after and world.active_polls > 0):
            if time.monotonic() > deadline:
                raise TimeoutError("the bot never started polling")
            await world.pulse.wait(1.0)

    async def cards_sent(self, first: int, count: int) -> int:
        return sum(1 for n in range(count) if self.telegram.bot_messages(first + n))

    async def card(self, user_id: int) -> tuple[str, dict[str, Any]]:
        """The HTML and the buttons of the last message the bot sent this customer."""
        message = self.telegram.bot_messages(user_id)[-1]
        assert message.raw is not None and message.reply_markup is not None
        return message.raw, message.reply_markup

    async def post_cards(
        self, first: int, count: int, html: str, markup: dict[str, Any]
    ) -> dict[int, int]:
        """Cards for the echo bot's customers, as if the bot had sent them (same validation)."""
        sent = {}
        for n in range(count):
            params = {
                "chat_id": first + n,
                "text": html,
                "parse_mode": "HTML",
                "reply_markup": json.dumps(markup),
            }
            sent[first + n] = (await send_message(self.telegram.world, Params(params)))[
                "message_id"
            ]
        return sent

    async def press(
        self, presses: list[tuple[int, int, str]], hooks_expected: bool, timeout: float
    ) -> Round:
        """Each customer presses the button with this data on this card, all at once; then
        watch the bot's calls until every press is answered and every card edited (and the shop
        told, when ``hooks_expected``)."""
        world = self.telegram.world
        if world.updates.items:
            raise RuntimeError(f"{len(world.updates)} updates are left from the round before")
        calls, read = world.calls, len(world.calls)
        hooks_read, duplicates_before = len(self.hook_times), self.duplicate_hooks
        queries = {}
        cards = set()
        for user_id, message_id, data in presses:
            handle = self.telegram.user(user_id).press(message_id, callback_data=data)
            queries[handle.id] = handle.record
            cards.add((user_id, message_id))
        began = time.perf_counter()
        result = Round(presses=len(presses))
        edited: set[tuple[int, int]] = set()
        while True:
            now = time.perf_counter() - began
            for call in calls[read:]:
                if not call.ok:
                    result.refused[call.method] = result.refused.get(call.method, 0) + 1
                elif call.method == "answerCallbackQuery":
                    record = queries.get(call.params.get("callback_query_id", ""))
                    if record is not None and record.answer is not None:
                        result.answered += 1
                        result.alerts += record.answer.show_alert
                        result.last_answer = now
                elif call.method == "editMessageText":
                    key = (int(call.params["chat_id"]), int(call.params["message_id"]))
                    if key in cards and key not in edited:
                        edited.add(key)
                        result.last_edit = now
            read = len(calls)
            result.edited = len(edited)
            hooks = self.hook_times[hooks_read:]
            result.hooks = len(hooks)
            result.duplicate_hooks = self.duplicate_hooks - duplicates_before
            if hooks:
                result.last_hook = hooks[-1] - began
            done = result.answered == result.presses and result.edited == result.presses
            if hooks_expected:
                done = done and result.hooks >= result.presses
            if done or now > timeout:
                return result
            await world.pulse.wait(min(1.0, timeout - now))

    async def violations(self) -> list[str]:
        found = [f"{c.method}: {c.description}" for c in self.telegram.violations]
        if self.bad_hooks:
            found.append(f"{self.bad_hooks} webhooks with a bad signature")
        return found


def standin_process(conn: Connection) -> None:
    """The child process: serve the stand-in and run commands until told to stop."""
    asyncio.run(_serve_commands(conn))


async def _serve_commands(conn: Connection) -> None:
    side = StandinSide()
    loop = asyncio.get_running_loop()
    async with side.telegram.serve() as telegram_url, side.serve_hooks() as hooks_url:
        conn.send(("ok", (telegram_url, hooks_url)))
        with ThreadPoolExecutor(1) as reader:
            while True:
                command, args = await loop.run_in_executor(reader, conn.recv)
                if command == "stop":
                    break
                try:
                    result = await getattr(side, command)(*args)
                except Exception:
                    conn.send(("error", traceback.format_exc()))
                else:
                    conn.send(("ok", result))
    conn.send(("ok", None))


class Standin:
    """This process's handle on the stand-in's process."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=standin_process, args=(child,), daemon=True)
        self._io = ThreadPoolExecutor(1)
        self.telegram_url = ""
        self.hooks_url = ""

    async def start(self) -> None:
        self._process.start()
        self.telegram_url, self.hooks_url = await self._receive()

    async def call(self, command: str, *args: Any) -> Any:
        self._conn.send((command, args))
        return await self._receive()

    async def _receive(self) -> Any:
        status, value = await asyncio.get_running_loop().run_in_executor(self._io, self._conn.recv)
        if status == "error":
            raise RuntimeError(f"the stand-in failed:\n{value}")
        return value

    async def stop(self) -> None:
        if self._process.is_alive():
            self._conn.send(("stop", ()))
            await self._receive()
        self._process.join(timeout=10)
        self._io.shutdown()


# -- the two bots ---------------------------------------------------------------------------------


def echo_router() -> Router:
    router = Router(name="echo")

    @router.callback_query()
    async def pressed(query: CallbackQuery) -> None:
        await query.answer(f"Pressed: {query.data}")
        if isinstance(query.message, Message):
            await query.message.edit_text(f"✅ Pressed: <code>{query.data}</code>")

    return router


def settings_for(standin: Standin, database_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=TOKEN,
        telegram_api_url=standin.telegram_url,
        database_url=database_url,
        api_port=0,
        manager_chat_id=MANAGERS_CHAT,
        admin_ids=str(MANAGER_ID),
        shop_api_token="bench-shop-token",
        shop_webhook_url=standin.hooks_url,
        shop_webhook_secret=HOOK_SECRET,
        telegram_max_per_second=1000,  # Telegram's limits are off: so is the bot's own pace
        quiet_hours="00:00-00:00",  # no quiet hours: the card edits go out at once at any hour
        confirm_reminder_after=timedelta(days=1),  # no reminder fires during the benchmark
        confirm_escalate_after=timedelta(days=2),
        digest_at=None,
    )


@contextmanager
def profiled(folder: str | None, name: str) -> Iterator[None]:
    """Profile what runs inside into ``folder/name.html`` and ``.txt``, if asked to."""
    if not folder:
        yield
        return
    from pyinstrument import Profiler  # only when profiling: not a dependency of the bot

    profiler = Profiler(interval=0.0005, async_mode="disabled")
    profiler.start()
    try:
        yield
    finally:
        profiler.stop()
        Path(folder).mkdir(parents=True, exist_ok=True)
        Path(folder, f"{name}.html").write_text(profiler.output_html())
        Path(folder, f"{name}.txt").write_text(profiler.output_text(unicode=True, color=False))
        profiler.last_session.save(str(Path(folder, f"{name}.pyisession")))


@dataclass
class Sample:
    bot: str  # "bot" or "echo"
    round: Round

    @property
    def answered_per_second(self) -> float:
        return self.round.presses / self.round.last_answer

    @property
    def done_per_second(self) -> float:
        return self.round.presses / self.round.all_done

    @property
    def cpu_per_press(self) -> float:
        """Milliseconds of CPU time of the bot's process per press (all done)."""
        return self.round.cpu / self.round.presses * 1000


@dataclass
class Bench:
    standin: Standin
    database_url: str
    engine: str
    presses: int
    rounds: int
    profile: str | None
    bot_cards: dict[int, tuple[int, int]] = field(default_factory=dict)  # user: (order, card)
    echo_cards: dict[int, int] = field(default_factory=dict)  # user: card
    samples: list[Sample] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def customers(self) -> int:
        return self.presses * self.rounds

    def timeout(self) -> float:
        return 120.0 + self.presses * 0.2

    # -- seeding ---------------------------------------------------------------------------------
    async def seed(self) -> None:
        """N × rounds customers each with an order waiting for confirmation and its card in the
        chat, all through the real services and the real worker; cards for the echo bot too."""
        await self.standin.call("add_managers")
        await self.standin.call("add_customers", BOT_CUSTOMERS, self.customers)
        await self.standin.call("add_customers", ECHO_CUSTOMERS, self.customers)
        app = Application(settings_for(self.standin, self.database_url))
        await app.start()
        try:
            gate = asyncio.Semaphore(INTAKE_AT_ONCE)

            async def intake(n: int) -> None:
                async with gate:
                    await intake_order(app.db, app.ctx, new_order(n))

            await asyncio.gather(*(intake(n) for n in range(self.customers)))
            deadline = time.monotonic() + 60 + self.customers * 0.05
            while await self.standin.call("cards_sent", BOT_CUSTOMERS, self.customers) < (
                self.customers
            ):
                if time.monotonic() > deadline:
                    raise TimeoutError("the worker did not deliver every card")
                await asyncio.sleep(0.2)
            assert app.worker is not None
            await app.worker.drain(timeout=60)  # the cards' "sent" marks record where they are
            async with app.db.uow() as uow:
                rows = await uow.session.execute(
                    select(Customer.telegram_id, Order.id, Order.card_message_id)
                    .join(Order.customer)
                    .where(Order.status == "new")
                )
                for user_id, order_id, message_id in rows:
                    assert message_id is not None, f"order {order_id} has no card"
                    self.bot_cards[user_id] = (order_id, message_id)
        finally:
            await app.stop()
        if len(self.bot_cards) != self.customers:
            raise RuntimeError(f"{len(self.bot_cards)} cards for {self.customers} customers")
        html, markup = await self.standin.call("card", BOT_CUSTOMERS)
        self.echo_cards = await self.standin.call(
            "post_cards", ECHO_CUSTOMERS, self.customers, html, markup
        )

    # -- rounds ----------------------------------------------------------------------------------
    def _slice(self, first: int, number: int) -> range:
        start = first + number * self.presses
        return range(start, start + self.presses)

    async def echo_round(self, number: int) -> Sample:
        # The echo bot's cards are copies of the first customer's card: the same button.
        data = confirm_data(self.bot_cards[BOT_CUSTOMERS][0])
        users = self._slice(ECHO_CUSTOMERS, number)
        presses = [(user_id, self.echo_cards[user_id], data) for user_id in users]
        session = AiohttpSession(api=TelegramAPIServer.from_base(self.standin.telegram_url))
        bot = Bot(TOKEN, session=session, default=DefaultBotProperties(parse_mode="HTML"))
        dispatcher = Dispatcher()
        dispatcher.include_router(echo_router())
        generation = await self.standin.call("generation")
        polling = asyncio.create_task(
            dispatcher.start_polling(
                bot, handle_signals=False, close_bot_session=False, polling_timeout=10
            )
        )
        try:
            result = await self._run(generation, presses, hooks=False, name="echo")
        finally:
            await dispatcher.stop_polling()
            await polling
            await bot.session.close()
        self._check_answers("echo", number, result)
        return Sample("echo", result)

    async def bot_round(self, number: int) -> Sample:
        users = self._slice(BOT_CUSTOMERS, number)
        presses = []
        for user_id in users:
            order_id, card = self.bot_cards[user_id]
            presses.append((user_id, card, confirm_data(order_id)))
        app = Application(settings_for(self.standin, self.database_url))
        generation = await self.standin.call("generation")
        await app.start()
        try:
            result = await self._run(generation, presses, hooks=True, name="bot")
            assert app.worker is not None
            await app.worker.drain(timeout=60)
            await self._check_orders(app.db, number, [self.bot_cards[u][0] for u in users])
        finally:
            await app.stop()
        self._check_answers("bot", number, result)
        if result.hooks != result.presses or result.duplicate_hooks:
            self.problems.append(
                f"bot round {number}: {result.hooks} order.confirmed webhooks for"
                f" {result.presses} presses ({result.duplicate_hooks} duplicated)"
            )
        return Sample("bot", result)

    async def _run(
        self, generation: int, presses: list[tuple[int, int, str]], *, hooks: bool, name: str
    ) -> Round:
        await self.standin.call("polling", generation)
        await asyncio.sleep(SETTLE)
        with profiled(self.profile, f"{name}-{self.engine}-{len(self.samples)}"):
            cpu = time.process_time()
            result: Round = await self.standin.call("press", presses, hooks, self.timeout())
            result.cpu = time.process_time() - cpu
            return result

    def _check_answers(self, bot: str, number: int, result: Round) -> None:
        if result.answered != result.presses or result.alerts or result.refused:
            self.problems.append(
                f"{bot} round {number}: {result.answered} of {result.presses} presses answered,"
                f" {result.alerts} with an error; refused requests: {result.refused}"
            )
        if result.edited != result.presses:
            self.problems.append(
                f"{bot} round {number}: {result.edited} of {result.presses} cards edited"
            )

    async def _check_orders(self, db: Database, number: int, order_ids: list[int]) -> None:
        async with db.uow() as uow:
            confirmed = await uow.session.scalar(
                select(func.count())
                .select_from(Order)
                .where(Order.id.in_(order_ids), Order.status == "confirmed")
            )
            events = await uow.session.scalar(
                select(func.count())
                .select_from(OrderEvent)
                .where(OrderEvent.order_id.in_(order_ids), OrderEvent.to_status == "confirmed")
            )
            pending, _ = await uow.outbox.depth()
        self.checked.append(
            f"bot round {number}: {confirmed} of {len(order_ids)} orders confirmed in the"
            f" database, {events} history entries, {pending} messages left in the outbox"
        )
        if confirmed != len(order_ids) or events != len(order_ids) or pending:
            self.problems.append(self.checked[-1])

    async def run(self) -> None:
        await self.seed()
        for number in range(self.rounds):
            # echo, bot, bot, echo, echo, bot …: neither always goes first
            order: list[Callable[[int], Awaitable[Sample]]] = [self.echo_round, self.bot_round]
            if number % 2:
                order.reverse()
            for run_round in order:
                sample = await run_round(number)
                self.samples.append(sample)
                print(f"  {self.engine} round {number + 1}: {describe(sample)}", flush=True)
        self.problems.extend(await self.standin.call("violations"))


def new_order(n: int) -> NewOrder:
    return NewOrder(
        external_id=f"T-{n:06d}",
        phone=f"+38050{n:07d}",
        customer_name=f"Покупець {n}",
        items=(
            NewItem(name="Футболка M", quantity=2, price=Decimal("450.00"), sku="TS-M"),
            NewItem(name="Шкарпетки", quantity=1, price=Decimal("120.00")),
        ),
        total=Decimal("1020.00"),
        currency="UAH",
        payment=Payment.cod,
        carrier=Carrier.nova_poshta,
        city="Київ",
        point="Відділення №12",
        telegram_id=BOT_CUSTOMERS + n,
        language=Language.uk,
    )


def confirm_data(order_id: int) -> str:
    return OrderCD(action=OrderAction.confirm, order_id=order_id).pack()


def describe(sample: Sample) -> str:
    r = sample.round
    return (
        f"{sample.bot:>4}: {r.presses} presses answered in {r.last_answer:.2f} s"
        f" ({sample.answered_per_second:,.0f}/s), all done in {r.all_done:.2f} s"
        f" ({sample.done_per_second:,.0f}/s); CPU {sample.cpu_per_press:.2f} ms a press"
    )


# -- the run --------------------------------------------------------------------------------------


async def bench_engine(
    database_url: str, engine: str, presses: int, rounds: int, profile: str | None
) -> Bench:
    standin = Standin()
    await standin.start()
    try:
        bench = Bench(standin, database_url, engine, presses, rounds, profile)
        await bench.run()
        return bench
    finally:
        await standin.stop()


def report(bench: Bench) -> bool:
    def median(bot: str, rate: Callable[[Sample], float]) -> float:
        return statistics.median(rate(s) for s in bench.samples if s.bot == bot)

    echo = median("echo", lambda s: s.answered_per_second)
    full = median("bot", lambda s: s.answered_per_second)
    echo_done = median("echo", lambda s: s.done_per_second)
    full_done = median("bot", lambda s: s.done_per_second)
    print(
        f"{bench.engine}: answered — bot {full:,.0f} updates/s, echo bot {echo:,.0f} updates/s:"
        f" ratio {full / echo:.1%}"
    )
    print(
        f"{bench.engine}: all done — bot {full_done:,.0f} updates/s, echo bot"
        f" {echo_done:,.0f} updates/s: ratio {full_done / echo_done:.1%}"
    )
    echo_cpu = median("echo", lambda s: s.cpu_per_press)
    full_cpu = median("bot", lambda s: s.cpu_per_press)
    print(
        f"{bench.engine}: CPU time of the bot's process per press — bot {full_cpu:.2f} ms,"
        f" echo bot {echo_cpu:.2f} ms: {full_cpu / echo_cpu:.1f} times as much"
    )
    for line in bench.checked:
        print(f"  {line}")
    if bench.problems:
        print(f"{bench.engine}: PROBLEMS:")
        for problem in bench.problems:
            print(f"  {problem}")
    else:
        print(
            f"{bench.engine}: every press answered and every card edited, every order confirmed"
            " with one history entry and one webhook; no refused request"
        )
    return full / echo >= 0.5 and not bench.problems


def main() -> None:
    presses = int(sys.argv[1]) if len(sys.argv) > 1 else PRESSES
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else ROUNDS
    profile = os.environ.get("BENCH_PROFILE") or None
    logging.basicConfig(level=logging.ERROR)
    print(f"machine: {machine()}")
    print(f"before: {load()}")
    print(f"{presses} presses a round, {rounds} rounds of each bot")
    met = []
    with tempfile.TemporaryDirectory(prefix="vykup-bench-") as folder:
        sqlite_url = f"sqlite+aiosqlite:///{folder}/bench.db"
        upgrade(sqlite_url)
        bench = asyncio.run(bench_engine(sqlite_url, "SQLite", presses, rounds, profile))
        met.append(report(bench))
    postgres_url = os.environ.get("BENCH_POSTGRES_URL")
    if postgres_url:
        asyncio.run(wipe_postgres(postgres_url))
        upgrade(postgres_url)
        bench = asyncio.run(bench_engine(postgres_url, "PostgreSQL", presses, rounds, profile))
        met.append(report(bench))
    else:
        print("PostgreSQL: skipped (set BENCH_POSTGRES_URL to a database that may be wiped)")
    print(f"after: {load()}")
    print("target (the bot at >= 50 % of the echo bot, answered; all correct):", end=" ")
    print("met" if all(met) else "MISSED")


if __name__ == "__main__":
    main()
