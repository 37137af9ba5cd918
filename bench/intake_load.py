"""The load generator of ``bench.intake``, in a process of its own: a fixed number of keep-alive
HTTP/1.1 connections, each sending ``POST /api/v1/orders`` as soon as its previous answer arrived
(a closed loop). The client is a minimal one on asyncio's transports, not aiohttp's: aiohttp's
client spent more CPU per request (0.26 ms) than the bare server it measured (0.20 ms), so on a
2-core machine it, not the server, would have set the ceiling. Every request is a distinct, valid order as the README's example:
a unique ``external_id``, one to three items, Nova Poshta or another carrier, and about one order
in three from a customer who ordered earlier in the same run (the same phone).

First ``--warmup`` seconds unmeasured, then ``--seconds`` measured: requests answered within the
window, their latency (from sending to the whole answer read) and status; the servers' CPU time
(``--pids``, read with psutil at the window's edges) and this process's own. Requests still under
way when the window closes are waited for, so every accepted order is known. Written to ``--out``
as JSON, with the numbers of the orders answered 201 (for the check that each is stored once).

``python -m bench.intake_load URL --token T --prefix P --out FILE [--pids 1,2]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import psutil

FIRST_NAMES = ["Олена", "Андрій", "Марія", "Іван", "Оксана", "Петро", "Наталія", "Юрій", "Ірина"]
LAST_NAMES = ["Коваль", "Шевченко", "Бондаренко", "Мельник", "Ткаченко", "Кравченко", "Бойко"]
CITIES = ["Київ", "Львів", "Одеса", "Дніпро", "Харків", "Вінниця", "Полтава", "Черкаси"]
PRODUCTS = [
    ("TSHIRT-M", "Футболка M", "450.00"),
    ("HOODIE-L", "Худі L", "1250.00"),
    ("SOCKS-3", "Шкарпетки, 3 пари", "180.00"),
    ("CAP-01", "Кепка", "320.50"),
    ("JEANS-32", "Джинси 32/34", "1599.99"),
    ("BAG-TOTE", "Сумка-шопер", "275.00"),
]
CARRIERS = ["nova_poshta"] * 7 + ["ukrposhta", "meest", "rozetka"]
REPEAT_SHARE = 0.3  # orders from a customer seen earlier in the run
TIMEOUT_SECONDS = 60


class Orders:
    """Distinct valid order bodies, made cheaply on the fly: the id and the customer change with
    every order; the rest comes from a few hundred orders' worth of items and deliveries."""

    SHAPES = 512

    def __init__(self, prefix: str, seed: int) -> None:
        self._prefix = prefix
        self._rng = random.Random(seed)
        self._customers: list[bytes] = []  # '"phone": ..., "name": ...' of each customer so far
        self._phone_base = 1_000_000 + (seed % 8_000) * 1_000
        self._names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
        self._shapes = [self._shape() for _ in range(self.SHAPES)]
        self.made = 0

    def _shape(self) -> bytes:
        """Everything after the customer: items, total, payment, delivery, language."""
        rng = self._rng
        items = rng.sample(PRODUCTS, rng.randint(1, 3))
        quantities = [rng.randint(1, 2) for _ in items]
        total = sum(
            Decimal(price) * qty for (_, _, price), qty in zip(items, quantities, strict=True)
        )
        rest = {
            "items": [
                {"sku": sku, "name": name, "quantity": qty, "price": price}
                for (sku, name, price), qty in zip(items, quantities, strict=True)
            ],
            "total": f"{total:.2f}",
            "currency": "UAH",
            "payment": "cod" if rng.random() < 0.85 else "prepaid",
            "delivery": {
                "carrier": rng.choice(CARRIERS),
                "city": rng.choice(CITIES),
                "point": f"Відділення №{rng.randint(1, 300)}",
                "address": None,
            },
            "language": rng.choice(["uk", "uk", "uk", "ru", "en", None]),
        }
        return json.dumps(rest, ensure_ascii=False).encode()[1:]  # without the opening brace

    def _customer(self) -> bytes:
        rng = self._rng
        if self._customers and rng.random() < REPEAT_SHARE:
            return rng.choice(self._customers)
        phone = f"+38050{(self._phone_base + len(self._customers)) % 10_000_000:07d}"
        customer = f'"phone": "{phone}", "name": "{rng.choice(self._names)}"'.encode()
        self._customers.append(customer)
        return customer

    def next(self) -> tuple[int, bytes]:
        number = self.made
        self.made += 1
        return number, b"".join(
            (
                f'{{"external_id": "{self._prefix}-{number:07d}", "customer": {{'.encode(),
                self._customer(),
                b', "telegram_id": null}, ',
                self._rng.choice(self._shapes),
            )
        )


@dataclass
class Tally:
    window_start: float = 0.0
    window_end: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds, answered within the window
    statuses: Counter[str] = field(default_factory=Counter)  # within the window
    accepted: list[int] = field(default_factory=list)  # every 201, warm-up and tail included
    other_answers: Counter[str] = field(default_factory=Counter)  # everything else, all phases
    sent: int = 0

    def record(self, number: int, began: float, ended: float, status: str) -> None:
        if status == "201":
            self.accepted.append(number)
        else:
            self.other_answers[status] += 1
        if self.window_start <= ended <= self.window_end:
            self.latencies.append(ended - began)
            self.statuses[status] += 1


class Answer(asyncio.Protocol):
    """One keep-alive connection: send a request, read one answer (``Content-Length`` framed,
    as aiohttp's server frames JSON), resolve its future with the status code."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self._buffer = bytearray()
        self._waiting: asyncio.Future[int] | None = None
        self._status = 0
        self._needed = -1  # bytes of header + body, once the header is in

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        if self._waiting is not None and not self._waiting.done():
            self._waiting.set_exception(exc or ConnectionResetError("closed by the server"))

    def request(self, data: bytes) -> asyncio.Future[int]:
        assert self.transport is not None
        self._buffer.clear()
        self._needed = -1
        self._waiting = asyncio.get_running_loop().create_future()
        self.transport.write(data)
        return self._waiting

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if self._needed < 0:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self._buffer[:end]).decode("latin-1").split("\r\n")
            self._status = int(head[0].split(" ", 2)[1])
            length = next(
                (
                    int(line.split(":", 1)[1])
                    for line in head
                    if line.lower().startswith("content-length:")
                ),
                None,
            )
            if length is None:
                assert self._waiting is not None and self.transport is not None
                self._waiting.set_exception(ValueError("an answer without Content-Length"))
                self.transport.close()
                return
            self._needed = end + 4 + length
        if len(self._buffer) >= self._needed and self._waiting is not None:
            self._waiting.set_result(self._status)


async def connection(target: Target, orders: Orders, tally: Tally, stop_at: list[float]) -> None:
    loop = asyncio.get_running_loop()
    answer: Answer | None = None
    while time.perf_counter() < stop_at[0]:
        number, body = orders.next()
        tally.sent += 1
        began = time.perf_counter()
        try:
            if answer is None or answer.transport is None:
                _, answer = await loop.create_connection(Answer, target.host, target.port)
            async with asyncio.timeout(TIMEOUT_SECONDS):
                status = str(await answer.request(target.head(len(body)) + body))
        except (OSError, TimeoutError, ValueError) as error:
            status = type(error).__name__
            if answer is not None and answer.transport is not None:
                answer.transport.close()
            answer = None
        tally.record(number, began, time.perf_counter(), status)
    if answer is not None and answer.transport is not None:
        answer.transport.close()


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    path: str
    token: str

    @classmethod
    def parse(cls, url: str, token: str) -> Target:
        parts = urlsplit(url)
        assert parts.scheme == "http" and parts.hostname and parts.port, url
        return cls(parts.hostname, parts.port, parts.path, token)

    def head(self, length: int) -> bytes:
        return (
            f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n\r\n"
        ).encode()


def cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        times = process.cpu_times()
        total += times.user + times.system
    return total


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(share * len(sorted_values)) - 1))
    return sorted_values[index]


async def run(args: argparse.Namespace) -> dict[str, object]:
    orders = Orders(args.prefix, args.seed)
    tally = Tally()
    servers = [psutil.Process(int(pid)) for pid in args.pids.split(",") if pid]
    target = Target.parse(args.url, args.token)
    began = time.perf_counter()
    tally.window_start = began + args.warmup
    tally.window_end = tally.window_start + args.seconds
    stop_at = [tally.window_end]
    tasks = [
        asyncio.create_task(connection(target, orders, tally, stop_at))
        for _ in range(args.concurrency)
    ]
    await asyncio.sleep(max(0.0, tally.window_start - time.perf_counter()))
    server_cpu, own_cpu = cpu_seconds(servers), own_cpu_seconds()
    await asyncio.sleep(max(0.0, tally.window_end - time.perf_counter()))
    server_cpu, own_cpu = cpu_seconds(servers) - server_cpu, own_cpu_seconds() - own_cpu
    await asyncio.gather(*tasks)
    latencies = sorted(tally.latencies)
    measured = len(latencies)
    return {
        "url": args.url,
        "concurrency": args.concurrency,
        "seconds": args.seconds,
        "measured": measured,
        "rps": measured / args.seconds,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": (latencies[-1] if latencies else float("nan")) * 1000,
        "statuses": dict(tally.statuses),
        "non_2xx": sum(n for status, n in tally.statuses.items() if not status.startswith("2")),
        "server_cpu_ms_per_request": server_cpu * 1000 / measured if measured else float("nan"),
        "client_cpu_ms_per_request": own_cpu * 1000 / measured if measured else float("nan"),
        "sent": tally.sent,
        "accepted": tally.accepted,
        "other_answers": dict(tally.other_answers),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.intake_load")
    parser.add_argument("url")
    parser.add_argument("--token", required=True)
    parser.add_argument("--prefix", required=True, help="external ids are <prefix>-<number>")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--pids", default="", help="the servers' process ids, for their CPU time")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.out.write_text(json.dumps(asyncio.run(run(args))))


if __name__ == "__main__":
    main()
