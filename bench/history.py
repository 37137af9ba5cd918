"""A shop's past, generated: customers, their orders and everything the live bot stores about them,
as rows ready for a bulk insert (``bench/generate.py`` writes them into SQLite or PostgreSQL).

Deterministic for a seed and a moment ``now``. Each order walks the path the live bot records:
created, confirmed (by the customer in the chat, or by a manager's call), shipped, arrived at the
branch, then picked up, or refused and sent back; some are cancelled before or after confirming.
The steps that would fall after ``now`` have not happened yet, so recent orders are still new,
confirmed, shipped or waiting at the branch. Each reached step leaves what the services leave:
``order_events`` rows, the shipment and its ``shipment_events``, the timers that fired (done) or
are still ahead (pending), the outbox rows that were sent (order cards, arrival notices, the shop's
webhooks), the customer's feedback, and now and then a return, a flag, a note, a blacklist.

Customers differ: a few order a lot (the number of orders per customer is heavy-tailed), most
pick their parcels up, a minority refuses often. Time is in whole seconds since the epoch (UTC);
an :class:`Encoding` turns times, dates and money into what the writer passes to the engine.
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Protocol

DAY = 86_400
HOUR = 3_600
MINUTE = 60

# Which columns each table gets, in the order of the tuples below; the rest are left NULL.
COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": (
        "id", "phone", "name", "telegram_id", "telegram_username", "telegram_language",
        "unreachable_at", "created_at", "updated_at", "blacklist_state", "blacklist_reason",
        "blacklist_changed_at", "blacklist_changed_by", "blacklist_changed_by_name",
        "unblock_refusals",
    ),
    "chat_preferences": ("telegram_id", "language", "updated_at"),
    "orders": (
        "id", "external_id", "customer_id", "status", "total", "currency", "payment", "carrier",
        "city", "point", "language", "link_token", "shop_created_at", "created_at", "updated_at",
        "cancel_reason", "card_chat_id", "card_message_id", "card_queued_at", "escalated_at",
        "risk_level", "risk_score", "recipient_name",
    ),
    "order_items": (
        "id", "order_id", "position", "sku", "name", "quantity", "price", "returnable",
    ),
    "order_events": (
        "id", "order_id", "kind", "from_status", "to_status", "source", "actor_id", "reason",
        "comment", "occurred_at",
    ),
    "shipments": (
        "id", "order_id", "carrier", "tracking_number", "status", "point", "expected_delivery",
        "paid_storage_from", "cod_amount", "can_extend_storage", "arrived_at", "final_at",
        "last_event_at", "created_at", "updated_at",
    ),
    "shipment_events": (
        "id", "shipment_id", "status", "source", "carrier_code", "occurred_at", "recorded_at",
    ),
    "feedback": ("id", "order_id", "customer_id", "kind", "value", "comment", "created_at"),
    "timers": ("id", "kind", "order_id", "due_at", "done_at", "created_at"),
    "outbox": (
        "id", "channel", "chat_id", "method", "payload", "purpose", "order_id", "customer_id",
        "state", "attempts", "next_attempt_at", "last_error", "created_at", "sent_at",
        "sent_message_id",
    ),
    "customer_flags": ("id", "customer_id", "flag", "actor_id", "actor_name", "created_at"),
    "customer_notes": ("id", "customer_id", "text", "actor_id", "actor_name", "created_at"),
    "audit_log": (
        "id", "actor_id", "actor_name", "action", "customer_id", "order_id", "detail",
        "created_at",
    ),
    "returns": (
        "id", "order_id", "customer_id", "status", "reason", "comment", "resolution", "iban",
        "account_holder", "carrier", "waybill", "parcel_status", "refund_amount",
        "decided_by_name", "waiting_since", "created_at", "updated_at",
    ),
    "return_items": ("id", "return_id", "order_item_id", "quantity"),
    "return_events": (
        "id", "return_id", "from_status", "to_status", "source", "actor_id", "actor_name",
        "comment", "occurred_at",
    ),
}  # fmt: skip
# Written in this order: every row's foreign keys point at rows written before it.
TABLES = tuple(COLUMNS)

FIRST_NAMES = ["Олена", "Андрій", "Марія", "Іван", "Оксана", "Петро", "Наталія", "Юрій", "Ірина"]
LAST_NAMES = ["Коваль", "Шевченко", "Бондаренко", "Мельник", "Ткаченко", "Кравченко", "Бойко"]
CITIES = ["Київ", "Львів", "Одеса", "Дніпро", "Харків", "Вінниця", "Полтава", "Черкаси"]
PREFIXES = ["50", "66", "67", "68", "63", "73", "93", "95", "97", "98", "99"]
PRODUCTS = [
    ("Сукня літня", 89_900), ("Кросівки", 189_900), ("Футболка", 39_900), ("Рюкзак", 119_900),
    ("Навушники", 79_900), ("Чохол для телефону", 19_900), ("Куртка", 259_900),
    ("Парфуми", 149_900), ("Набір косметики", 69_900), ("Годинник", 219_900),
]  # fmt: skip
REFUSAL_REASONS = ["mind", "price", "differs", "wrong", "slow", "notmine", "other"]
CANCEL_REASONS = ["mind", "cheaper", "mistake", "slow", "other"]
RETURN_REASONS = ["size", "defect", "damaged", "differs", "wrong", "mind"]
MANAGERS = [(900_001, "Менеджер Оксана"), (900_002, "Менеджер Тарас")]
WEBHOOK_URL = "https://shop.example.com/vykup/webhook"

# Who the customers are: (share, chance to refuse a parcel, stored rating level and score).
GROUPS = [(0.80, 0.03, "ok", 0), (0.15, 0.20, "ok", 20), (0.05, 0.55, "risky", 60)]
CANCELLED_SHARE = 0.07  # of all orders; 40 % of them after the customer had confirmed
STAYS_REFUSED = 0.1  # refused parcels the carrier never reported back
COD_SHARE = 0.85
LINKED_SHARE = 0.65  # customers who opened the bot


class Encoding(Protocol):
    """Values as the writer passes them on: times (seconds since the epoch), days (a moment in
    that day) and money (in kopiykas). Flags are bools and JSON columns get their text."""

    def time(self, ts: int | None) -> Any: ...
    def day(self, ts: int) -> Any: ...
    def money(self, cents: int | None) -> Any: ...


class RawEncoding:
    """Everything as it is: the SQLite writer's SQL turns the numbers into what SQLAlchemy's types
    would store (``bench.generate.sqlite_value``), at C speed."""

    def time(self, ts: int | None) -> int | None:
        return ts

    def day(self, ts: int) -> int:
        return ts

    def money(self, cents: int | None) -> int | None:
        return cents


class PostgresEncoding:
    """asyncpg's COPY takes aware datetimes, dates and Decimals."""

    def time(self, ts: int | None) -> datetime | None:
        return None if ts is None else datetime.fromtimestamp(ts, UTC)

    def day(self, ts: int) -> date:
        return date.fromordinal(EPOCH_ORDINAL + ts // DAY)

    def money(self, cents: int | None) -> Decimal | None:
        return None if cents is None else Decimal(cents).scaleb(-2)


EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


@dataclass
class Plan:
    """Who ordered when, and how each order ends; drawn first so customers can be written first.

    Orders are numbered in time order, as a live database numbers them.
    """

    now: int
    order_time: array[int]
    order_customer: array[int]
    refuses: bytearray  # 1: this parcel will be refused (if it gets that far)
    cancels: bytearray  # 0: no, 1: before confirming, 2: after confirming
    customer_group: bytearray
    customer_first: array[int]
    customer_last: array[int]
    customer_refusals: array[int]

    @property
    def orders(self) -> int:
        return len(self.order_time)

    @property
    def customers(self) -> int:
        return len(self.customer_group)


def plan(orders: int, customers: int, *, now: int, days: int, rng: random.Random) -> Plan:
    """``orders`` orders of ``customers`` customers over the last ``days`` days."""
    customers = min(customers, orders)
    group_weights = [share for share, *_ in GROUPS]
    groups = bytearray(rng.choices(range(len(GROUPS)), group_weights, k=customers))
    # Everyone ordered once; the rest go to customers with a heavy-tailed appetite.
    appetite = list(
        itertools.accumulate(min(rng.paretovariate(1.2), 500) for _ in range(customers))
    )
    extra = rng.choices(range(customers), cum_weights=appetite, k=orders - customers)
    start = now - days * DAY
    placed = sorted(
        (rng.randrange(start, now - MINUTE), customer)
        for customer in itertools.chain(range(customers), extra)
    )
    order_time = array("q", (at for at, _ in placed))
    order_customer = array("l", (customer for _, customer in placed))
    del placed, extra, appetite
    refuses = bytearray(orders)
    cancels = bytearray(orders)
    first = array("q", [0]) * customers
    last = array("q", [0]) * customers
    refusals = array("l", [0]) * customers
    for index in range(orders):
        customer = order_customer[index]
        if not first[customer]:
            first[customer] = order_time[index]
        last[customer] = order_time[index]
        roll = rng.random()
        if roll < CANCELLED_SHARE:
            cancels[index] = 2 if roll < CANCELLED_SHARE * 0.4 else 1
        elif rng.random() < GROUPS[groups[customer]][1]:
            refuses[index] = 1
            refusals[customer] += 1
    return Plan(now, order_time, order_customer, refuses, cancels, groups, first, last, refusals)


Batch = dict[str, list[tuple[Any, ...]]]


class History:
    """Turns a :class:`Plan` into rows, table by table, in batches of orders."""

    def __init__(self, plan: Plan, encoding: Encoding, rng: random.Random) -> None:
        self.plan = plan
        self.enc = encoding
        self.rng = rng
        self._counters = {table: itertools.count(1) for table in TABLES}
        self._telegram: dict[int, int] = {}  # customer index → Telegram id (linked ones)
        self._names: dict[int, str] = {}  # customer index → name (each order's recipient)
        self._unreachable: set[int] = set()
        self._message_id = 1000
        self._last_item = 0
        self._json_text: dict[str, str] = {}
        self._iso_days: dict[int, str] = {}

    def _next(self, table: str) -> int:
        return next(self._counters[table])

    @property
    def ids(self) -> dict[str, int]:
        """The last id given in each table (how many rows it got)."""
        last = {}
        for table, counter in self._counters.items():
            last[table] = next(counter) - 1
            self._counters[table] = itertools.count(last[table] + 1)
        return last

    # -- customers -----------------------------------------------------------------------------
    def customers(self) -> Batch:
        """Every customer, with their link to Telegram, flags, notes and blacklist decisions."""
        p, enc, rng = self.plan, self.enc, self.rng
        rows: Batch = {table: [] for table in TABLES}
        self._counters["customers"] = itertools.count(p.customers + 1)
        phones = rng.sample(range(len(PREFIXES) * 10_000_000), p.customers)
        for index in range(p.customers):
            customer_id = index + 1
            prefix, number = divmod(phones[index], 10_000_000)
            telegram_id = username = language = unreachable = None
            if rng.random() < LINKED_SHARE:
                telegram_id = 5_000_000_000 + customer_id
                self._telegram[index] = telegram_id
                username = f"buyer{customer_id}" if rng.random() < 0.3 else None
                language = rng.choice(("uk", "uk", "uk", "ru", "en"))
                if rng.random() < 0.02:
                    unreachable = p.customer_last[index] + DAY
                    self._unreachable.add(index)
                if rng.random() < 0.05:
                    rows["chat_preferences"].append(
                        (telegram_id, language, enc.time(p.customer_first[index] + HOUR))
                    )
            manual = self._manual_decision(index, customer_id, rows)
            name = self._names[index] = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            rows["customers"].append(
                (
                    customer_id,
                    f"+380{PREFIXES[prefix]}{number:07d}",
                    name,
                    telegram_id,
                    username,
                    language,
                    enc.time(min(unreachable, p.now - HOUR)) if unreachable else None,
                    enc.time(p.customer_first[index]),
                    enc.time(p.customer_last[index]),
                    *manual,
                )
            )
        return rows

    def _manual_decision(self, index: int, customer_id: int, rows: Batch) -> tuple[Any, ...]:
        """Flags, notes and a blacklist or an unblock now and then, mostly for risky customers."""
        p, enc, rng = self.plan, self.enc, self.rng
        bad = p.customer_group[index] == 2
        at = min(p.customer_last[index] + 2 * DAY, p.now - HOUR)
        actor_id, actor = rng.choice(MANAGERS)
        if rng.random() < (0.10 if bad else 0.002):
            flag = rng.choice(("fraud", "rude", "address", "address"))
            rows["customer_flags"].append(
                (self._next("customer_flags"), customer_id, flag, actor_id, actor, enc.time(at))
            )
            self._audit(rows, actor_id, actor, "flag", customer_id, flag, at)
        if rng.random() < (0.05 if bad else 0.005):
            text = "Просить дзвонити після 18:00" if not bad else "Не бере трубку, двічі відмова"
            rows["customer_notes"].append(
                (self._next("customer_notes"), customer_id, text, actor_id, actor, enc.time(at))
            )
            self._audit(rows, actor_id, actor, "note", customer_id, text, at)
        roll = rng.random()
        if bad and roll < 0.05:
            reason = "Відмовляється від посилок"
            self._audit(rows, actor_id, actor, "blacklist", customer_id, reason, at)
            return ("blacklisted", reason, enc.time(at), actor_id, actor, None)
        if roll > 1 - (0.02 if bad else 0.0005):
            self._audit(rows, actor_id, actor, "unblock", customer_id, None, at)
            refusals = p.customer_refusals[index]
            return ("unblocked", None, enc.time(at), actor_id, actor, refusals)
        return (None,) * 6

    def _audit(
        self,
        rows: Batch,
        actor_id: int,
        actor: str,
        action: str,
        customer_id: int | None,
        detail: str | None,
        at: int,
        order_id: int | None = None,
    ) -> None:
        rows["audit_log"].append(
            (
                self._next("audit_log"),
                actor_id,
                actor,
                action,
                customer_id,
                order_id,
                detail,
                self.enc.time(at),
            )
        )

    # -- orders --------------------------------------------------------------------------------
    def orders(self, batch: int) -> Iterator[tuple[int, Batch]]:
        """Rows of ``batch`` orders at a time, with how many orders each batch holds."""
        for begin in range(0, self.plan.orders, batch):
            rows: Batch = {table: [] for table in TABLES}
            end = min(begin + batch, self.plan.orders)
            for index in range(begin, end):
                self._order(index, rows)
            self._counters["orders"] = itertools.count(end + 1)
            yield end - begin, rows

    def _order(self, index: int, rows: Batch) -> None:
        p, enc, rng = self.plan, self.enc, self.rng
        now = p.now
        order_id = index + 1
        created = p.order_time[index]
        customer = p.order_customer[index]
        customer_id = customer + 1
        _, _, risk_level, risk_score = GROUPS[p.customer_group[customer]]
        telegram_id = self._telegram.get(customer)
        reachable = telegram_id is not None and customer not in self._unreachable
        cod = rng.random() < COD_SHARE
        carrier = "nova_poshta" if rng.random() < 0.75 else rng.choice(("ukrposhta", "meest"))

        # The path and when each step happens; steps after ``now`` have not happened yet.
        steps: list[tuple[str, int, str]] = []  # (status, at, source)
        confirm_delay = rng.randrange(MINUTE, 90 * MINUTE)
        confirmed_at = created + confirm_delay
        confirm_source = "customer" if reachable and rng.random() < 0.8 else "manager"
        cancel = p.cancels[index]
        if cancel == 1:
            steps.append(("cancelled", created + rng.randrange(5 * MINUTE, 2 * HOUR), "customer"))
        else:
            steps.append(("confirmed", confirmed_at, confirm_source))
            if cancel == 2:
                steps.append(
                    ("cancelled", confirmed_at + rng.randrange(HOUR, 20 * HOUR), "manager")
                )
            else:
                shipped = confirmed_at + rng.randrange(4 * HOUR, 30 * HOUR)
                arrived = shipped + rng.randrange(DAY, 3 * DAY)
                steps += [("shipped", shipped, "shop"), ("arrived", arrived, "system")]
                if p.refuses[index]:
                    refused = arrived + rng.randrange(DAY, 6 * DAY)
                    steps.append(("refused", refused, "system"))
                    if rng.random() >= STAYS_REFUSED:
                        returning = refused + rng.randrange(2 * HOUR, DAY)
                        steps.append(("returning", returning, "system"))
                        steps.append(
                            ("returned", returning + rng.randrange(2 * DAY, 5 * DAY), "system")
                        )
                else:
                    steps.append(("received", arrived + rng.randrange(HOUR, 4 * DAY), "system"))
        reached = steps[: bisect.bisect_right([at for _, at, _ in steps], now)]
        status = reached[-1][0] if reached else "new"
        updated = reached[-1][1] if reached else created
        at_of = {name: at for name, at, _ in reached}

        items = rng.choices(PRODUCTS, k=rng.choice((1, 1, 1, 2, 2, 3)))
        total = 0
        for position, (name, price) in enumerate(items):
            quantity = 1 if rng.random() < 0.85 else 2
            total += price * quantity
            self._last_item = self._next("order_items")
            rows["order_items"].append(
                (
                    self._last_item,
                    order_id,
                    position,
                    f"SKU-{PRODUCTS.index((name, price)):03d}",
                    name,
                    quantity,
                    enc.money(price),
                    True,
                )
            )
        card_message = self._message() if reachable else None
        # Unanswered for 15 minutes: reminded; for an hour: escalated to the managers.
        answered = steps[0][1]
        reminded = created + 15 * MINUTE
        reminded = reminded if answered > reminded and reminded <= now else None
        escalated = created + HOUR if answered > created + HOUR and created + HOUR <= now else None
        rows["orders"].append(
            (
                order_id,
                f"S-{order_id:08d}",
                customer_id,
                status,
                enc.money(total),
                "UAH",
                "cod" if cod else "prepaid",
                carrier,
                rng.choice(CITIES),
                f"Відділення №{rng.randrange(1, 300)}",
                None,
                f"{order_id:x}{rng.getrandbits(48):012x}",
                enc.time(created - rng.randrange(10, 600)),
                enc.time(created),
                enc.time(updated),
                rng.choice(CANCEL_REASONS) if status == "cancelled" else None,
                telegram_id if card_message else None,
                card_message,
                enc.time(created) if card_message else None,
                enc.time(escalated),
                risk_level,
                risk_score,
                self._names[customer],
            )
        )

        event = rows["order_events"]
        event.append(
            (self._next("order_events"), order_id, "created", None, "new", "shop", None, None, None, enc.time(created))
        )  # fmt: skip
        if reminded is not None:
            event.append(
                (self._next("order_events"), order_id, "reminded", None, None, "system", None, None, None, enc.time(reminded))
            )  # fmt: skip
        if escalated is not None:
            event.append(
                (self._next("order_events"), order_id, "escalated", None, None, "system", None, "no_answer", None, enc.time(escalated))
            )  # fmt: skip
        previous = "new"
        for name, at, source in reached:
            actor = (
                telegram_id
                if source == "customer"
                else MANAGERS[0][0]
                if source == "manager"
                else None
            )
            reason = (
                "risk"
                if name == "cancelled" and source == "manager" and risk_level == "risky"
                else None
            )
            event.append(
                (self._next("order_events"), order_id, "status", previous, name, source, actor, reason, None, enc.time(at))
            )  # fmt: skip
            previous = name

        # Timers: the confirmation ones fire even after an answer (and then do nothing).
        timers = rows["timers"]
        self._timer(timers, "confirm_reminder", order_id, created, created + 15 * MINUTE)
        self._timer(timers, "confirm_escalation", order_id, created, created + HOUR)

        outbox = rows["outbox"]
        if card_message:
            self._telegram_row(outbox, order_id, customer_id, telegram_id, created, "order_card", card_message, f"Замовлення S-{order_id:08d} на суму {total // 100} грн. Підтвердіть, будь ласка.")  # fmt: skip
        if "confirmed" in at_of:
            self._webhook_row(outbox, order_id, customer_id, at_of["confirmed"], "order.confirmed", order_id, "confirmed")  # fmt: skip
        if "cancelled" in at_of:
            self._webhook_row(outbox, order_id, customer_id, at_of["cancelled"], "order.cancelled", order_id, "cancelled")  # fmt: skip

        if "shipped" in at_of:
            self._shipment(
                rows,
                order_id,
                customer_id,
                telegram_id if reachable else None,
                at_of,
                cod,
                total,
                carrier,
            )

    def _shipment(
        self,
        rows: Batch,
        order_id: int,
        customer_id: int,
        telegram_id: int | None,
        at_of: dict[str, int],
        cod: bool,
        total: int,
        carrier: str,
    ) -> None:
        p, enc, rng = self.plan, self.enc, self.rng
        shipment_id = self._next("shipments")
        statuses = [("in_transit", at_of["shipped"])] + [
            (name, at_of[name])
            for name in ("arrived", "received", "refused", "returning", "returned")
            if name in at_of
        ]
        status, last = statuses[-1]
        arrived = at_of.get("arrived")
        final = at_of.get("received") or at_of.get("returned")
        storage_from = arrived + 5 * DAY if arrived else None
        rows["shipments"].append(
            (
                shipment_id,
                order_id,
                carrier,
                f"2045{order_id:010d}",
                status,
                f"Відділення №{rng.randrange(1, 300)}",
                enc.day(at_of["shipped"] + 2 * DAY),
                enc.day(storage_from) if storage_from else None,
                enc.money(total) if cod else None,
                True if arrived else None,
                enc.time(arrived),
                enc.time(final),
                enc.time(last),
                enc.time(at_of["shipped"]),
                enc.time(last),
            )
        )
        for name, at in statuses:
            rows["shipment_events"].append(
                (self._next("shipment_events"), shipment_id, name, "system", None, enc.time(at), enc.time(at + 30))
            )  # fmt: skip
        timers, outbox = rows["timers"], rows["outbox"]
        if arrived is not None:
            self._timer(timers, "track:arrived", order_id, arrived, arrived)
            self._timer(timers, "pickup:0", order_id, arrived, arrived + DAY)
            self._timer(timers, "pickup:1", order_id, arrived, storage_from - DAY)
            if telegram_id is not None:
                self._telegram_row(outbox, order_id, customer_id, telegram_id, arrived + 5, None, self._message(), "Ваша посилка вже у відділенні. Заберіть її, будь ласка.")  # fmt: skip
            self._webhook_row(outbox, order_id, customer_id, arrived, "shipment.arrived", order_id, "arrived")  # fmt: skip
        outcome = at_of.get("received") or at_of.get("refused")
        if outcome is None:
            return
        received = "received" in at_of
        self._timer(
            timers, "track:received" if received else "track:why", order_id, outcome, outcome
        )
        self._webhook_row(outbox, order_id, customer_id, outcome, f"shipment.{'received' if received else 'refused'}", order_id, status)  # fmt: skip
        told = rng.random() < (0.25 if received else 0.55)
        if told and telegram_id is not None and outcome + HOUR < p.now:
            kind = "rating" if received else "refusal"
            value = (
                str(rng.choice((5, 5, 5, 4, 4, 3, 2, 1)))
                if received
                else rng.choice(REFUSAL_REASONS)
            )
            comment = "Не відповідає опису" if value == "other" else None
            rows["feedback"].append(
                (self._next("feedback"), order_id, customer_id, kind, value, comment, enc.time(outcome + HOUR))
            )  # fmt: skip
            rows["order_events"].append(
                (self._next("order_events"), order_id, kind, None, None, "customer", telegram_id, value, comment, enc.time(outcome + HOUR))
            )  # fmt: skip
        if received and telegram_id is not None and rng.random() < 0.02:
            self._return(rows, order_id, customer_id, telegram_id, outcome)

    def _return(
        self, rows: Batch, order_id: int, customer_id: int, telegram_id: int, received: int
    ) -> None:
        p, enc, rng = self.plan, self.enc, self.rng
        created = received + rng.randrange(DAY, 10 * DAY)
        if created >= p.now:
            return
        return_id = self._next("returns")
        manager_id, manager = rng.choice(MANAGERS)
        if created > p.now - 2 * DAY:
            path = ["requested"]
        else:
            path = rng.choice(
                (
                    ["requested", "approved", "shipped", "received", "accepted", "refunded"],
                    ["requested", "approved", "shipped", "received", "accepted", "refunded"],
                    ["requested", "rejected"],
                    ["requested", "cancelled"],
                )
            )
        at = created
        previous = None
        for step in path:
            by_customer = step in ("requested", "shipped", "cancelled")
            rows["return_events"].append(
                (
                    self._next("return_events"),
                    return_id,
                    previous,
                    step,
                    "customer" if by_customer else "manager",
                    telegram_id if by_customer else manager_id,
                    None if by_customer else manager,
                    None,
                    enc.time(at),
                )
            )
            previous, last = step, at
            at += rng.randrange(HOUR, 2 * DAY)
        status = path[-1]
        waybill = f"5900{return_id:010d}" if "shipped" in path else None
        rows["returns"].append(
            (
                return_id,
                order_id,
                customer_id,
                status,
                rng.choice(RETURN_REASONS),
                None,
                "credit" if rng.random() < 0.3 else "iban",
                None,
                None,
                "nova_poshta" if waybill else None,
                waybill,
                "returned" if waybill else None,
                enc.money(rng.randrange(19_900, 259_900)) if status == "refunded" else None,
                manager if len(path) > 1 else None,
                enc.time(created) if status == "requested" else None,
                enc.time(created),
                enc.time(last),
            )
        )
        rows["return_items"].append((self._next("return_items"), return_id, self._last_item, 1))
        if status == "requested":
            self._timer(rows["timers"], "return_review", order_id, created, created + DAY)

    # -- rows the services write along the way ----------------------------------------------------
    def _timer(
        self, rows: list[tuple[Any, ...]], kind: str, order_id: int, made: int, due: int
    ) -> None:
        done = due + 1 if due <= self.plan.now else None
        enc = self.enc
        rows.append(
            (self._next("timers"), kind, order_id, enc.time(due), enc.time(done), enc.time(made))
        )

    def _message(self) -> int:
        self._message_id += 1
        return self._message_id

    def _telegram_row(
        self,
        rows: list[tuple[Any, ...]],
        order_id: int,
        customer_id: int,
        chat_id: int,
        at: int,
        purpose: str | None,
        message_id: int,
        text: str,
    ) -> None:
        enc = self.enc
        quoted = self._json_text.get(text)
        if quoted is None:
            quoted = self._json_text[text] = json.dumps(text)
        payload = f'{{"chat_id": {chat_id}, "text": {quoted}, "parse_mode": "HTML"}}'
        rows.append(
            (
                self._next("outbox"), "telegram", chat_id, "sendMessage", payload,
                purpose, order_id, customer_id, "sent", 1, enc.time(at), None, enc.time(at),
                enc.time(at + 1), message_id,
            )
        )  # fmt: skip

    def _webhook_row(
        self,
        rows: list[tuple[Any, ...]],
        order_id: int,
        customer_id: int,
        at: int,
        event: str,
        number: int,
        status: str,
    ) -> None:
        enc = self.enc
        day, second = divmod(at, DAY)
        iso_day = self._iso_days.get(day)
        if iso_day is None:
            iso_day = self._iso_days[day] = date.fromordinal(EPOCH_ORDINAL + day).isoformat()
        hours, rest = divmod(second, HOUR)
        occurred = f"{iso_day}T{hours:02d}:{rest // MINUTE:02d}:{rest % MINUTE:02d}+00:00"
        payload = (
            f'{{"url": "{WEBHOOK_URL}", "body": {{"event": "{event}", "external_id":'
            f' "S-{number:08d}", "status": "{status}", "reason": null, "comment": null,'
            f' "occurred_at": "{occurred}"}}}}'
        )
        rows.append(
            (
                self._next("outbox"), "webhook", None, "POST",
                payload, None, order_id, customer_id,
                "sent", 1, enc.time(at), None, enc.time(at), enc.time(at + 1), None,
            )
        )  # fmt: skip
