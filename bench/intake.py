"""Intake: how many ``POST /api/v1/orders`` a second the bot's web processes take, and the p99
latency, with 1 and 2 processes, on SQLite and on PostgreSQL — against a bare aiohttp handler
(``bench/intake_bare.py``: parse the JSON, answer 201) served the same way on the same machine,
the ceiling any aiohttp service stands under.

Run: ``.venv/bin/python -m bench.intake [--rounds 3] [--seconds 10] [--concurrency 32]``.
PostgreSQL too when ``BENCH_POSTGRES_URL`` names a database that may be wiped, e.g.
``postgresql+asyncpg://postgres@127.0.0.1:5432/bench`` (its schema is dropped and migrated
afresh for every configuration); without it, or with ``--engines sqlite``, SQLite only. ``--profile FILE`` runs the
bot's processes under pyinstrument and writes its text report to ``FILE-<engine>-<n>x-<i>.txt``.
``--base DIR`` adds a third contender taking turns with the two: the bot from another copy of
the project (``git worktree add /tmp/base <commit>``), for a before/after measured side by side.

What runs: the real ``run_bot.py --role web`` as separate processes (webhook mode, as the README's
"Running at scale"; Telegram is the project's stand-in, served by this process, and is needed
only at start: getMe, the command menu, setWebhook) against a migrated database (a temporary
SQLite file, or PostgreSQL); two processes share the port with ``reuse_port`` as the web role
does, and the kernel spreads the connections. No worker runs: the orders' messages and timers stay
queued. The bare app runs in as many processes on another port. The load comes from
``bench/intake_load.py`` in a process of its own: 32 keep-alive connections in a closed loop,
every request a distinct valid order (about one in three from a returning customer), 3 s of
warm-up, then 10 s measured. Bot and bare take turns, ABBA (bare, bot, bot, bare, …), so a
change in the machine's load hits both alike; each configuration prints every round and the
medians: requests/s, p50 and p99 latency, non-2xx answers, the servers' CPU time per request, and
the ratio bot/bare of each (per round, then the median).

Afterwards every order answered 201 is looked up in the database: stored exactly once, and
nothing stored that was not answered 201. The processes' warnings and errors are counted and the
first few printed (a "database is locked" would show there). The machine has 2 cores shared with
the load generator (and, here, with other sessions): the absolute figures say little, the ratios
and the CPU per request more. Record the figures in ``bench/RESULTS.md``, section "Intake".
There is no target in the issue; the ceiling is what the bot is measured against.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import psutil
from sqlalchemy import text

from bench.host import load, machine, wipe_postgres
from bot.standin import TelegramStandin
from storage.db import create_engine
from storage.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456789:BENCH-token-abcdefghijklmnopqrstuvwxyz"
SHOP_TOKEN = "bench-shop-api-token"
WEBHOOK_SECRET = "bench-webhook-secret"
PATH = "/api/v1/orders"
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Servers:
    """``count`` processes of one kind listening on one port."""

    kind: str  # "bot" or "bare"
    port: int
    processes: list[asyncio.subprocess.Process]
    logs: list[Path]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PATH}"

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self.processes]

    def alive(self) -> bool:
        return all(process.returncode is None for process in self.processes)

    async def ready(self) -> None:
        """Every process listens on the port (asked of the kernel: with ``reuse_port`` an answer
        on the port says only that one of them does)."""
        async with asyncio.timeout(START_TIMEOUT):
            while not all(listens(pid, self.port) for pid in self.pids):
                if not self.alive():
                    raise RuntimeError(f"a {self.kind} process exited:\n{self.tail()}")
                await asyncio.sleep(0.1)

    async def stop(self) -> None:
        for process in self.processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()
                await process.wait()

    def tail(self, lines: int = 20) -> str:
        text = [line for log in self.logs for line in log.read_text(errors="replace").splitlines()]
        return "\n".join(text[-lines:])

    def problems(self) -> list[str]:
        """The processes' warnings and errors (JSON log lines), and anything not JSON."""
        found = []
        for log in self.logs:
            for line in log.read_text(errors="replace").splitlines():
                try:
                    record = json.loads(line)
                except ValueError:
                    found.append(line)
                    continue
                if record.get("level") in ("WARNING", "ERROR", "CRITICAL"):
                    found.append(f"{record.get('level')}: {record.get('message')}")
        return found


def listens(pid: int, port: int) -> bool:
    try:
        connections = psutil.Process(pid).net_connections(kind="tcp")
    except psutil.Error:
        return False
    return any(c.status == psutil.CONN_LISTEN and c.laddr.port == port for c in connections)


async def spawn(
    kind: str, port: int, argvs: list[list[str]], env: dict[str, str], cwd: Path, folder: Path
) -> Servers:
    """One process per command line, output to a log file each; back when all listen."""
    processes, logs = [], []
    for index, argv in enumerate(argvs):
        log = folder / f"{kind}-{port}-{index}.log"
        with log.open("wb") as output:
            processes.append(
                await asyncio.create_subprocess_exec(
                    *argv,
                    cwd=cwd,
                    env=env,
                    stdin=asyncio.subprocess.DEVNULL,
                    stdout=output,
                    stderr=output,
                )
            )
        logs.append(log)
    servers = Servers(kind, port, processes, logs)
    await servers.ready()
    return servers


async def start_bare(count: int, folder: Path) -> Servers:
    port = free_port()
    argv = [sys.executable, "-m", "bench.intake_bare", str(port)]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)}
    return await spawn("bare", port, [argv] * count, env, ROOT, folder)


async def start_bot(
    count: int,
    folder: Path,
    database_url: str,
    telegram_url: str,
    profile: Path | None,
    *,
    root: Path = ROOT,
    kind: str = "bot",
) -> Servers:
    """``run_bot.py --role web`` × ``count`` on one port, configured by the environment (which
    wins over the project's ``.env``, if there is one)."""
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(root),
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": telegram_url,
        "DATABASE_URL": database_url,
        "API_HOST": "127.0.0.1",
        "API_PORT": str(port),
        "SHOP_API_TOKEN": SHOP_TOKEN,
        "BOT_MODE": "webhook",
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "DIGEST_AT": "off",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "WARNING",
    }
    argvs = []
    for index in range(count):
        argv = [sys.executable, str(root / "run_bot.py"), "--role", "web"]
        if profile is not None:
            argv[1:1] = ["-m", "pyinstrument", "-r", "text", "-o", f"{profile}-{index}.txt"]
        argvs.append(argv)
    servers = await spawn(kind, port, argvs, env, folder, folder)
    # Listening comes before setWebhook: wait until the API answers through the shared port.
    async with aiohttp.ClientSession() as http, asyncio.timeout(START_TIMEOUT):
        while True:
            with contextlib.suppress(aiohttp.ClientError):
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        break
            await asyncio.sleep(0.1)
    return servers


@dataclass
class Run:
    kind: str
    prefix: str
    figures: dict[str, Any]

    @property
    def accepted(self) -> list[int]:
        return self.figures["accepted"]


async def measure(servers: Servers, prefix: str, args: argparse.Namespace, seed: int) -> Run:
    if not servers.alive():
        raise RuntimeError(f"a {servers.kind} process exited:\n{servers.tail()}")
    out = Path(tempfile.mkstemp(prefix="vykup-intake-", suffix=".json")[1])
    try:
        load_process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.intake_load",
            servers.url,
            "--token",
            SHOP_TOKEN,
            "--prefix",
            prefix,
            "--out",
            str(out),
            "--pids",
            ",".join(str(pid) for pid in servers.pids),
            "--concurrency",
            str(args.concurrency),
            "--warmup",
            str(args.warmup),
            "--seconds",
            str(args.seconds),
            "--seed",
            str(seed),
            cwd=ROOT,
        )
        if await load_process.wait() != 0:
            raise RuntimeError("the load generator failed")
        return Run(servers.kind, prefix, read_figures(out))
    finally:
        remove(out)


def read_figures(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


def remove(path: Path) -> None:
    path.unlink(missing_ok=True)


async def stored_ids(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT external_id FROM orders"))
            return [row[0] for row in rows]
    finally:
        await engine.dispose()


@dataclass
class Check:
    accepted: int = 0
    stored: int = 0
    missing: int = 0  # answered 201, not in the database
    doubled: int = 0  # stored more than once
    unanswered_stored: int = 0  # in the database without a 201 (a timeout, a 5xx after commit)


def verify(runs: list[Run], stored: list[str]) -> Check:
    check = Check(stored=len(stored))
    counts: dict[str, int] = {}
    for external_id in stored:
        counts[external_id] = counts.get(external_id, 0) + 1
    check.doubled = sum(n - 1 for n in counts.values() if n > 1)
    accepted_ids = {f"{run.prefix}-{n:07d}" for run in runs for n in run.accepted}
    check.accepted = len(accepted_ids)
    check.missing = len(accepted_ids - counts.keys())
    check.unanswered_stored = len(counts.keys() - accepted_ids)
    return check


@dataclass
class Configuration:
    engine: str
    processes: int
    runs: list[Run] = field(default_factory=list)
    check: Check | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.engine} × {self.processes}"

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [run.figures for run in self.runs if run.kind == kind]

    def median(self, kind: str, key: str) -> float:
        return statistics.median(figures[key] for figures in self.of(kind))

    def paired_ratio(self, key: str, kind: str = "bot", reference: str = "bare") -> float:
        """The median over the rounds of kind/reference (each round's runs sat side by side)."""
        pairs = zip(self.of(kind), self.of(reference), strict=True)
        return statistics.median(one[key] / other[key] for one, other in pairs)


async def prepare(engine: str, folder: Path, index: int, postgres_url: str) -> str:
    if engine == "SQLite":
        url = f"sqlite+aiosqlite:///{folder}/intake-{index}.db"
    else:
        url = postgres_url
        await wipe_postgres(url)
    await asyncio.to_thread(upgrade, url)
    return url


async def configuration(
    config: Configuration,
    index: int,
    folder: Path,
    telegram_url: str,
    args: argparse.Namespace,
) -> None:
    database_url = await prepare(config.engine, folder, index, args.postgres_url)
    profile = (
        Path(f"{args.profile}-{config.engine.lower()}-{config.processes}x")
        if args.profile
        else None
    )
    contenders = [await start_bare(config.processes, folder)]
    try:
        contenders.append(
            await start_bot(config.processes, folder, database_url, telegram_url, profile)
        )
        if args.base is not None:  # the same database: they take turns, never run at once
            contenders.append(
                await start_bot(
                    config.processes,
                    folder,
                    database_url,
                    telegram_url,
                    None,
                    root=args.base,
                    kind="base",
                )
            )
        for round_ in range(args.rounds):
            for servers in contenders if round_ % 2 == 0 else contenders[::-1]:
                prefix = f"C{index}R{round_}-{servers.kind}"
                run = await measure(servers, prefix, args, seed=index * 100 + round_)
                config.runs.append(run)
                print_run(config, run, round_)
    finally:
        for servers in contenders:
            await servers.stop()
    config.problems = [line for servers in contenders for line in servers.problems()]
    bot_runs = [run for run in config.runs if run.kind != "bare"]
    config.check = verify(bot_runs, await stored_ids(database_url))


def print_run(config: Configuration, run: Run, round_: int) -> None:
    f = run.figures
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(f["statuses"].items()))
    print(
        f"  {config.name} round {round_ + 1} {run.kind:4}: {f['rps']:7.1f} req/s,"
        f" p50 {f['p50_ms']:6.1f} ms, p99 {f['p99_ms']:6.1f} ms, max {f['max_ms']:6.1f} ms,"
        f" non-2xx {f['non_2xx']}, server CPU {f['server_cpu_ms_per_request']:.3f} ms/req,"
        f" client CPU {f['client_cpu_ms_per_request']:.3f} ms/req ({statuses}) — {load()}",
        flush=True,
    )


def summary(configs: list[Configuration]) -> None:
    print()
    print(
        "| configuration | bot req/s | bot p50 | bot p99 | non-2xx | bare req/s | bare p99 |"
        " ratio req/s | bot CPU/req | bare CPU/req | CPU ratio | stored once |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for c in configs:
        check = c.check
        stored = (
            f"{check.accepted - check.missing}/{check.accepted}, {check.doubled} doubled,"
            f" {check.unanswered_stored} unanswered"
            if check
            else "?"
        )
        non_2xx = sum(f["non_2xx"] for f in c.of("bot"))
        print(
            f"| {c.name} | {c.median('bot', 'rps'):.0f} | {c.median('bot', 'p50_ms'):.1f} ms"
            f" | {c.median('bot', 'p99_ms'):.1f} ms | {non_2xx} | {c.median('bare', 'rps'):.0f}"
            f" | {c.median('bare', 'p99_ms'):.1f} ms | {c.paired_ratio('rps'):.3f}"
            f" | {c.median('bot', 'server_cpu_ms_per_request'):.2f} ms"
            f" | {c.median('bare', 'server_cpu_ms_per_request'):.2f} ms"
            f" | {c.paired_ratio('server_cpu_ms_per_request'):.1f}× | {stored} |"
        )
    if any(c.of("base") for c in configs):
        print()
        print(
            "| configuration | base req/s | bot req/s | bot/base req/s | base p99 | bot p99 |"
            " base CPU/req | bot CPU/req | bot/base CPU |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for c in configs:
            cpu = "server_cpu_ms_per_request"
            print(
                f"| {c.name} | {c.median('base', 'rps'):.0f} | {c.median('bot', 'rps'):.0f}"
                f" | {c.paired_ratio('rps', 'bot', 'base'):.2f}"
                f" | {c.median('base', 'p99_ms'):.1f} ms | {c.median('bot', 'p99_ms'):.1f} ms"
                f" | {c.median('base', cpu):.2f} ms | {c.median('bot', cpu):.2f} ms"
                f" | {c.paired_ratio(cpu, 'bot', 'base'):.2f} |"
            )
    for c in configs:
        if c.problems:
            distinct = list(dict.fromkeys(c.problems))
            print(f"{c.name}: {len(c.problems)} warnings/errors logged; first distinct ones:")
            for line in distinct[:5]:
                print(f"    {line[:300]}")


async def main_async(args: argparse.Namespace) -> list[Configuration]:
    configs = [
        Configuration(engine, processes) for engine in args.engines for processes in args.processes
    ]
    telegram = TelegramStandin(TOKEN, bot_username="vykup_bench_bot", limits=False, local_mode=True)
    with tempfile.TemporaryDirectory(prefix="vykup-intake-") as folder:
        async with telegram.serve() as telegram_url:
            for index, config in enumerate(configs):
                began = time.perf_counter()
                await configuration(config, index, Path(folder), telegram_url, args)
                print(f"  {config.name}: {time.perf_counter() - began:.0f} s", flush=True)
    return configs


async def postgres_version(url: str) -> str:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return str((await connection.execute(text("SHOW server_version"))).scalar())
    finally:
        await engine.dispose()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.intake", description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="bot/bare pairs per configuration")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured, per run")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured, per run")
    parser.add_argument("--concurrency", type=int, default=32, help="connections")
    parser.add_argument(
        "--engines",
        type=lambda value: [
            {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[name] for name in value.split(",")
        ],
        default=["SQLite", "PostgreSQL"],
        help="sqlite,postgresql (default both)",
    )
    parser.add_argument(
        "--processes",
        type=lambda value: [int(n) for n in value.split(",")],
        default=[1, 2],
        help="process counts, e.g. 1,2",
    )
    parser.add_argument(
        "--profile", type=lambda value: Path(value).resolve(), help="pyinstrument: FILE-*.txt"
    )
    parser.add_argument(
        "--base",
        type=lambda value: Path(value).resolve(),
        help="another copy of the project whose bot takes turns too (before/after)",
    )
    args = parser.parse_args()
    args.postgres_url = os.environ.get("BENCH_POSTGRES_URL")
    if args.postgres_url is None and "PostgreSQL" in args.engines:
        print("PostgreSQL: skipped (set BENCH_POSTGRES_URL to a database that may be wiped)")
        args.engines = [engine for engine in args.engines if engine != "PostgreSQL"]
    return args


def main() -> None:
    args = parse_args()
    print(f"machine: {machine()}")
    if "PostgreSQL" in args.engines:
        print(f"PostgreSQL {asyncio.run(postgres_version(args.postgres_url))}")
    print(
        f"{args.concurrency} connections, {args.warmup:g} s warm-up + {args.seconds:g} s measured"
        f" per run, {args.rounds} rounds (bot and bare in turn) per configuration"
    )
    print(f"before: {load()}")
    configs = asyncio.run(main_async(args))
    print(f"after: {load()}")
    summary(configs)
    once = all(
        c.check is not None and c.check.missing == 0 and c.check.doubled == 0 for c in configs
    )
    print("every accepted order stored exactly once:", "yes" if once else "NO")


if __name__ == "__main__":
    main()
