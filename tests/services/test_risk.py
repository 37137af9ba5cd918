"""The rating read from storage, and what happens to a new order of a risky customer."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from bench import generate
from bot.domain.errors import NotAllowed, NotFound
from bot.domain.orders import OrderStatus, Payment
from bot.domain.periods import ReportPeriod
from bot.domain.risk import Flag, ReasonKind, RiskLevel, RiskPolicies, RiskPolicy
from bot.domain.risk_decisions import RiskDecision
from bot.domain.targets import parse_target
from bot.services import admin, linking, risk, risk_decisions
from bot.services.intake import intake_order
from bot.services.people import MessageRef
from bot.services.risk_decisions import AlreadyDecided, AlreadyHandled
from bot.services.shop_status import set_status_by_shop
from bot.services.stats import stats_report
from storage.models import Order
from storage.repositories.risk import FINISHED, RiskFacts
from tests.factories import MANAGER, OLENA, STRANGER, new_order
from tests.services.risk_history import past_order

S = OrderStatus
ALERT = MessageRef(chat_id=-100500, message_id=4242)


def target(text: str):
    found, _ = parse_target(text)
    assert found is not None
    return found


async def outbox(db):
    async with db.uow() as uow:
        return list(await uow.outbox.pending(1000))


async def timers_of(db, clock, order_id):
    async with db.uow() as uow:
        due = await uow.timers.due(clock.now() + timedelta(days=1), 1000)
        return [timer.kind for timer in due if timer.order_id == order_id]


async def rated(db, ctx, phone="+380501234567"):
    async with db.uow() as uow:
        customer = await uow.customers.by_phone(phone)
        return await risk.rate(uow, ctx, customer)


async def refuser(db, ctx, refusals=3, *, received=0):
    """Olena with ``refusals`` refused parcels (and ``received`` picked up), a day apart."""
    for index in range(received):
        await past_order(db, ctx, f"OK-{index}", S.received)
    for index in range(refusals):
        await past_order(db, ctx, f"NO-{index}", S.refused, refusal_reason="mind")


async def test_the_rating_reads_the_whole_history(db, ctx, clock):
    await past_order(db, ctx, "H-1", S.received)
    clock.advance(timedelta(days=3))
    await past_order(db, ctx, "H-2", S.refused, refusal_reason="price")
    clock.advance(timedelta(days=2))
    await past_order(db, ctx, "H-3", S.returned)
    await past_order(db, ctx, "H-4", S.cancelled, via=(S.confirmed,))
    await past_order(db, ctx, "H-5", S.cancelled)  # cancelled before confirming: not counted
    await past_order(db, ctx, "X-1", S.refused, phone="+380671112233", name="Інший")
    clock.advance(timedelta(days=4))

    one = await rated(db, ctx)
    record = one.record
    assert (record.orders, record.received, record.refused) == (5, 1, 2)
    assert record.cancelled_after_confirmation == 1
    assert record.last_outcomes == (False, False, True)
    assert [refusal.reason for refusal in record.refusals] == ["price", None]
    assessment = one.assessment
    # 2 recent refusals (40) + cancelled after confirming (10) + two in a row (10) − 1 received (10)
    assert (assessment.level, assessment.score) == (RiskLevel.risky, 50)
    last = next(r for r in assessment.reasons if r.kind is ReasonKind.last_refusal)
    assert last.days == 4


async def test_a_new_customer_is_ok_and_the_shop_sees_it(db, ctx):
    result = await intake_order(db, ctx, new_order(telegram_id=OLENA.id))
    assert (result.risk.level, result.risk.score) == (RiskLevel.ok, 0)
    assert result.order.risk_level == "ok"
    rows = await outbox(db)
    assert [(r.chat_id, r.purpose) for r in rows] == [(OLENA.id, "order_card")]


class Statements:
    """The SQL a block of code sends (to check what it reads, not how fast)."""

    def __init__(self, db):
        self.seen: list[str] = []
        self._engine = db.engine.sync_engine

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.seen.append(statement)

    def __enter__(self):
        event.listen(self._engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(self._engine, "before_cursor_execute", self._record)

    def reading(self, table: str) -> list[str]:
        return [s for s in self.seen if s.lstrip().upper().startswith("SELECT") and table in s]


async def test_a_new_customers_empty_history_is_not_read_at_intake_and_is_what_a_read_gives(
    db, ctx
):
    with Statements(db) as sql:
        first = await intake_order(db, ctx, new_order("F-1", telegram_id=OLENA.id))
    assert sql.reading("customer_notes") == [] and sql.reading("customer_flags") == []
    async with db.uow() as uow:
        assert await uow.risk.facts(first.order.customer_id) == RiskFacts.of_first_order()
        customer = await uow.customers.get(first.order.customer_id)
        assert (await risk.rate(uow, ctx, customer)).assessment == first.risk

    with Statements(db) as sql:  # her second order: now there is a history to read
        second = await intake_order(db, ctx, new_order("F-2", telegram_id=OLENA.id))
    assert len(sql.reading("customer_notes")) == 1 and len(sql.reading("customer_flags")) == 1
    assert second.order.customer_id == first.order.customer_id
    assert second.risk.reasons != first.risk.reasons  # two orders now, not one


def with_policy(ctx, **policies):
    return replace(ctx, risk_policies=RiskPolicies(**policies))


def buttons(row):
    markup = row.payload.get("reply_markup") or {"inline_keyboard": []}
    return [b["callback_data"] for line in markup["inline_keyboard"] for b in line]


async def test_risky_customer_alert_policy_warns_managers_and_asks_the_customer(db, ctx):
    await refuser(db, ctx, refusals=2)
    before = len(await outbox(db))
    result = await intake_order(db, ctx, new_order("N-1", telegram_id=OLENA.id))
    assert result.risk.level is RiskLevel.risky
    assert result.order.status == S.new
    rows = (await outbox(db))[before:]
    card = next(r for r in rows if r.purpose == "order_card")
    assert card.chat_id == OLENA.id
    alert = next(r for r in rows if r.chat_id == ctx.manager_chat_id)
    assert "N-1" in alert.payload["text"] and "2" in alert.payload["text"]
    order_id = result.order.id
    assert buttons(alert) == [
        f"rk:a:{order_id}",
        f"rk:p:{order_id}",
        f"rk:x:{order_id}",
        f"rk:b:{order_id}",
        f"rk:t:{order_id}",
    ]
    assert not [r for r in rows if r.channel == "webhook"]  # nothing changed for the shop


async def test_blacklisted_customer_hold_policy_keeps_the_order_until_a_manager_decides(
    db, ctx, clock
):
    await refuser(db, ctx)
    before = len(await outbox(db))
    result = await intake_order(db, ctx, new_order("N-1", telegram_id=OLENA.id))
    assert result.risk.level is RiskLevel.blacklisted
    assert result.order.status == S.on_hold
    rows = (await outbox(db))[before:]
    assert [r for r in rows if r.chat_id == OLENA.id] == []  # not asked to confirm yet
    hook = next(r for r in rows if r.channel == "webhook")
    assert (hook.payload["body"]["event"], hook.payload["body"]["reason"]) == (
        "order.on_hold",
        "risk",
    )
    assert await timers_of(db, clock, result.order.id) == []

    await risk_decisions.decide(db, ctx, result.order.id, RiskDecision.approve, MANAGER, ALERT)
    rows = (await outbox(db))[before:]
    card = next(r for r in rows if r.purpose == "order_card")
    assert card.chat_id == OLENA.id and buttons(card)[0] == f"o:c:{result.order.id}"
    edit = next(r for r in rows if r.method == "editMessageText")
    assert edit.payload["message_id"] == ALERT.message_id
    assert MANAGER.full_name in edit.payload["text"]
    assert f"rk:a:{result.order.id}" not in buttons(edit)
    assert [r.payload["body"]["event"] for r in rows if r.channel == "webhook"] == [
        "order.on_hold",
        "order.approved",
    ]
    async with db.uow() as uow:
        order = await uow.orders.get(result.order.id)
        assert (order.status, order.risk_decision) == (S.new, "approve")
    assert await timers_of(db, clock, result.order.id) == ["confirm_reminder", "confirm_escalation"]

    with pytest.raises(AlreadyDecided):
        await risk_decisions.decide(db, ctx, result.order.id, RiskDecision.cancel, MANAGER, ALERT)


async def test_prepay_policy_tells_the_customer_politely(db, ctx):
    await refuser(db, ctx)
    ctx = with_policy(ctx, blacklisted=RiskPolicy.prepay)
    before = len(await outbox(db))
    result = await intake_order(db, ctx, new_order("N-1", telegram_id=OLENA.id))
    assert (result.order.status, result.order.risk_decision) == (S.on_hold, "prepay")
    rows = (await outbox(db))[before:]
    card = next(r for r in rows if r.chat_id == OLENA.id)
    assert "900,00" in card.payload["text"] and buttons(card) == []
    hook = next(r for r in rows if r.channel == "webhook")
    assert hook.payload["body"]["event"] == "order.prepayment_required"
    alert = next(r for r in rows if r.chat_id == ctx.manager_chat_id)
    # after "prepay" the managers can still approve (paid) or cancel (not paid)
    assert buttons(alert)[:2] == [f"rk:a:{result.order.id}", f"rk:x:{result.order.id}"]


async def test_cancel_policy_cancels_at_once(db, ctx):
    await refuser(db, ctx)
    ctx = with_policy(ctx, blacklisted=RiskPolicy.cancel)
    before = len(await outbox(db))
    result = await intake_order(db, ctx, new_order("N-1", telegram_id=OLENA.id))
    assert (result.order.status, result.order.risk_decision) == (S.cancelled, "cancel")
    rows = (await outbox(db))[before:]
    assert buttons(next(r for r in rows if r.chat_id == OLENA.id)) == []
    hook = next(r for r in rows if r.channel == "webhook")
    assert (hook.payload["body"]["event"], hook.payload["body"]["status"]) == (
        "order.cancelled",
        "cancelled",
    )
    alert = next(r for r in rows if r.chat_id == ctx.manager_chat_id)
    assert buttons(alert) == [f"rk:b:{result.order.id}"]  # only blacklisting is left


async def test_prepaid_orders_carry_the_rating_but_no_policy(db, ctx):
    await refuser(db, ctx)
    result = await intake_order(
        db, ctx, replace(new_order("N-1", telegram_id=OLENA.id), payment=Payment.prepaid)
    )
    assert result.risk.level is RiskLevel.blacklisted
    assert result.order.status == S.new


async def test_managers_require_prepayment_then_cancel(db, ctx):
    await refuser(db, ctx, refusals=2)
    order = (await intake_order(db, ctx, new_order("N-1", telegram_id=OLENA.id))).order
    before = len(await outbox(db))
    await risk_decisions.decide(db, ctx, order.id, RiskDecision.prepay, MANAGER, ALERT)
    rows = (await outbox(db))[before:]
    assert [r.method for r in rows if r.chat_id == OLENA.id] == [
        "editMessageText",  # the card loses its Confirm button
        "sendMessage",  # and the customer reads why
    ]
    await risk_decisions.decide(db, ctx, order.id, RiskDecision.cancel, MANAGER, ALERT)
    async with db.uow() as uow:
        stored = await uow.orders.get(order.id)
        assert (stored.status, stored.risk_decision) == (S.cancelled, "cancel")
        log = await uow.audit.latest(10)
        assert [entry.action for entry, _, _ in log] == ["cancel", "prepay"]


async def test_blacklist_and_take_from_the_alert(db, ctx):
    await refuser(db, ctx, refusals=2)
    order = (await intake_order(db, ctx, new_order("N-1", telegram_id=OLENA.id))).order
    await risk_decisions.take(db, ctx, order.id, MANAGER, ALERT)
    await risk_decisions.take(db, ctx, order.id, MANAGER, ALERT)  # the same manager: no-op
    other = replace(MANAGER, id=901, full_name="Інна")
    with pytest.raises(AlreadyHandled):
        await risk_decisions.take(
            db, replace(ctx, admin_ids=frozenset({900, 901})), order.id, other, ALERT
        )

    await risk_decisions.blacklist_from_alert(db, ctx, order.id, MANAGER, ALERT)
    one = await rated(db, ctx)
    assert one.assessment.level is RiskLevel.blacklisted
    assert one.customer.blacklist_changed_by_name == MANAGER.full_name
    rows = await outbox(db)
    edit = [r for r in rows if r.method == "editMessageText" and r.chat_id == ctx.manager_chat_id][
        -1
    ]
    assert f"rk:b:{order.id}" not in buttons(edit) and f"rk:t:{order.id}" not in buttons(edit)
    assert f"rk:a:{order.id}" in buttons(edit)  # the order itself is still to be decided
    hooks = [r.payload["body"]["event"] for r in rows if r.channel == "webhook"]
    assert hooks[-1] == "customer.blacklisted"


async def test_forged_and_foreign_presses_change_nothing(db, ctx):
    ok_order = (await intake_order(db, ctx, new_order("OK-1", telegram_id=OLENA.id))).order
    before = await outbox(db)
    with pytest.raises(NotFound):  # no alert was ever sent for this order
        await risk_decisions.decide(db, ctx, ok_order.id, RiskDecision.cancel, MANAGER, ALERT)
    with pytest.raises(NotFound):
        await risk_decisions.decide(db, ctx, 999_999, RiskDecision.approve, MANAGER, ALERT)
    with pytest.raises(NotAllowed):
        await risk_decisions.decide(db, ctx, ok_order.id, RiskDecision.cancel, STRANGER, ALERT)
    assert len(await outbox(db)) == len(before)
    async with db.uow() as uow:
        assert (await uow.orders.get(ok_order.id)).status == S.new


async def test_unblock_wins_until_the_next_refusal(db, ctx):
    await refuser(db, ctx)
    assert (await rated(db, ctx)).assessment.level is RiskLevel.blacklisted

    after = await admin.unblock_customer(db, ctx, MANAGER, target("+380501234567"), "paid debts")
    assert after.assessment.level is RiskLevel.risky
    assert after.customer.unblock_refusals == 3

    await past_order(db, ctx, "NO-9", S.refused)
    assert (await rated(db, ctx)).assessment.level is RiskLevel.blacklisted


async def test_flags_notes_find_and_the_audit_log(db, ctx):
    await past_order(db, ctx, "A-1", S.received)
    await past_order(db, ctx, "B-1", S.received, phone="+380671112233", name="Петро Іваненко")

    first, added = await admin.add_flag(db, ctx, MANAGER, target("A-1"), Flag.fraud)
    again, added_again = await admin.add_flag(db, ctx, MANAGER, target("A-1"), Flag.fraud)
    assert (added, added_again) == (True, False)
    assert first.assessment.score == again.assessment.score == 40  # 50 for fraud − 10 received

    await admin.add_note(db, ctx, MANAGER, target("+380 50 123 45 67"), "asks to call after 18")
    with pytest.raises(admin.CustomerNotFound):  # she has not opened the bot: no username yet
        await admin.rating(db, ctx, MANAGER, target("@olena"))
    async with db.uow() as uow:
        token = (await uow.orders.by_external_id("A-1")).link_token
    await linking.link_by_token(db, ctx, token, OLENA)
    rating = await admin.rating(db, ctx, MANAGER, target("@Olena"))
    assert rating.rated.customer.phone == "+380501234567"
    assert [note.text for note in rating.notes] == ["asks to call after 18"]
    assert [order.external_id for order in rating.recent_orders] == ["A-1"]

    assert [one.customer.name for one in await admin.find(db, ctx, MANAGER, "4567")] == [
        "Олена Коваль"
    ]
    assert [one.customer.name for one in await admin.find(db, ctx, MANAGER, "іван")] == [
        "Петро Іваненко"
    ]
    assert await admin.find(db, ctx, MANAGER, "nobody") == []

    customer, entries = await admin.audit_log(db, ctx, MANAGER, target("A-1"))
    assert customer is not None and customer.name == "Олена Коваль"
    assert [(entry.action, entry.detail) for entry, _, _ in entries] == [
        ("note", "asks to call after 18"),
        ("flag", "fraud"),
    ]


async def test_the_rating_shows_the_latest_five_orders_newest_first(db, ctx):
    for index in range(7):
        await past_order(db, ctx, f"A-{index}", S.received)
    rating = await admin.rating(db, ctx, MANAGER, target("+380501234567"))
    assert [order.external_id for order in rating.recent_orders] == [
        "A-6", "A-5", "A-4", "A-3", "A-2"
    ]  # fmt: skip
    assert rating.rated.record.orders == 7


async def test_unknown_and_malformed_targets(db, ctx):
    await past_order(db, ctx, "A-1", S.received)
    with pytest.raises(admin.CustomerNotFound):
        await admin.rating(db, ctx, MANAGER, target("+380671112233"))
    with pytest.raises(admin.CustomerNotFound):
        await admin.rating(db, ctx, MANAGER, target("Z-404"))
    with pytest.raises(admin.NotAPhone):
        await admin.rating(db, ctx, MANAGER, target("+380 00 000 00 00"))
    with pytest.raises(admin.NotAUsername):
        await admin.rating(db, ctx, MANAGER, target("@x"))
    with pytest.raises(NotAllowed):
        await admin.rating(db, ctx, STRANGER, target("A-1"))
    with pytest.raises(NotAllowed):
        await admin.blacklist_customer(db, ctx, STRANGER, target("A-1"), None)
    async with db.uow() as uow:
        assert (await uow.customers.by_phone("+380501234567")).blacklist_state is None
        assert await uow.audit.latest(10) == []


async def test_blacklisted_list_pages_and_unblock_button(db, ctx):
    for index in range(12):
        phone = f"+38050000{index:04d}"
        await past_order(db, ctx, f"C-{index}", S.received, phone=phone, name=f"Клієнт {index:02d}")
        await admin.blacklist_customer(db, ctx, MANAGER, target(phone), "test")
    await refuser(db, ctx)  # Olena: blacklisted by the automatic rule

    first = await admin.blacklisted_page(db, ctx, MANAGER, 0)
    assert (first.total, first.pages, len(first.entries)) == (13, 2, 10)
    second = await admin.blacklisted_page(db, ctx, MANAGER, 5)  # past the end: the last page
    assert second.page == 1 and len(second.entries) == 3

    olena = next(one for one in second.entries if one.customer.name == "Олена Коваль")
    await admin.unblock_by_id(db, ctx, MANAGER, olena.customer.id)
    assert (await admin.blacklisted_page(db, ctx, MANAGER, 0)).total == 12
    with pytest.raises(admin.CustomerNotFound):
        await admin.unblock_by_id(db, ctx, MANAGER, 999_999)


async def test_top_risky_customers_reach_the_stats(db, ctx):
    await refuser(db, ctx)  # Olena: blacklisted by the rule
    for index in range(2):
        await past_order(db, ctx, f"P-{index}", S.refused, phone="+380671112233", name="Петро")
    await past_order(db, ctx, "I-1", S.received, phone="+380931112233", name="Іван")
    await past_order(db, ctx, "I-2", S.refused, phone="+380931112233", name="Іван")

    top = await stats_report(db, ctx, MANAGER, ReportPeriod.month)
    assert [(line.name, line.assessment.level) for line in top.top_risky] == [
        ("Олена Коваль", RiskLevel.blacklisted),
        ("Петро", RiskLevel.risky),
    ]


@pytest.mark.parametrize(
    "call",
    [
        lambda db, ctx, who: admin.rating(db, ctx, who, target("A-1")),
        lambda db, ctx, who: admin.blacklist_customer(db, ctx, who, target("A-1"), None),
        lambda db, ctx, who: admin.unblock_customer(db, ctx, who, target("A-1"), None),
        lambda db, ctx, who: admin.unblock_by_id(db, ctx, who, 1),
        lambda db, ctx, who: admin.add_note(db, ctx, who, target("A-1"), "note"),
        lambda db, ctx, who: admin.add_flag(db, ctx, who, target("A-1"), Flag.rude),
        lambda db, ctx, who: admin.find(db, ctx, who, "Олена"),
        lambda db, ctx, who: admin.blacklisted_page(db, ctx, who, 0),
        lambda db, ctx, who: admin.audit_log(db, ctx, who, None),
        lambda db, ctx, who: risk_decisions.take(db, ctx, 1, who, ALERT),
        lambda db, ctx, who: risk_decisions.current_alert(db, ctx, 1, who),
        lambda db, ctx, who: risk_decisions.blacklist_from_alert(db, ctx, 1, who, ALERT),
    ],
)
async def test_every_admin_action_checks_the_person_in_the_service(db, ctx, call):
    await past_order(db, ctx, "A-1", S.received)
    with pytest.raises(NotAllowed):
        await call(db, ctx, STRANGER)
    async with db.uow() as uow:
        assert await uow.audit.latest(10) == []
        customer = await uow.customers.by_phone("+380501234567")
        assert (customer.blacklist_state, await uow.customers.notes(customer.id, 5)) == (None, [])


async def test_the_shop_releasing_a_held_order_asks_the_customer_to_confirm(db, ctx, clock):
    await refuser(db, ctx)
    order = (await intake_order(db, ctx, new_order("N-1", telegram_id=OLENA.id))).order
    assert order.status == S.on_hold
    before = len(await outbox(db))
    await set_status_by_shop(db, ctx, "N-1", S.new, "prepayment received")
    rows = (await outbox(db))[before:]
    card = next(r for r in rows if r.purpose == "order_card")
    assert card.chat_id == OLENA.id and buttons(card)[0] == f"o:c:{order.id}"
    assert await timers_of(db, clock, order.id) == ["confirm_reminder", "confirm_escalation"]


async def test_a_customer_held_for_prepayment_learns_it_when_opening_the_bot(db, ctx):
    await refuser(db, ctx)
    ctx = with_policy(ctx, blacklisted=RiskPolicy.prepay)
    order = (await intake_order(db, ctx, new_order("N-1"))).order  # not linked yet
    before = len(await outbox(db))
    await linking.link_by_token(db, ctx, order.link_token, OLENA)
    rows = (await outbox(db))[before:]
    card = next(r for r in rows if r.purpose == "order_card")
    assert "N-1" in card.payload["text"] and "900,00" in card.payload["text"]
    assert buttons(card) == []


async def test_rating_many_customers_at_once_is_rating_each_alone(db, ctx, clock):
    """/blacklisted, /find and /stats rate many customers with a few queries: same answers."""
    await refuser(db, ctx, received=1)  # Olena: blacklisted by the rule, with reasons
    await past_order(db, ctx, "C-1", S.cancelled, via=(S.confirmed,))
    await past_order(db, ctx, "C-2", S.cancelled)
    clock.advance(timedelta(days=120))  # her refusals are old now
    await past_order(db, ctx, "P-1", S.returned, phone="+380671112233", name="Петро")
    await past_order(db, ctx, "P-2", S.received, phone="+380671112233", name="Петро")
    await admin.add_flag(db, ctx, MANAGER, target("P-1"), Flag.rude)
    await admin.add_note(db, ctx, MANAGER, target("P-1"), "first")
    await admin.add_note(db, ctx, MANAGER, target("P-1"), "second")
    await past_order(db, ctx, "I-1", S.refused, phone="+380931112233", name="Іван")
    await admin.blacklist_customer(db, ctx, MANAGER, target("I-1"), "fraud")
    await past_order(db, ctx, "M-1", S.new, phone="+380991112233", name="Марія")
    await admin.unblock_customer(db, ctx, MANAGER, target("+380501234567"), "paid")

    async with db.uow() as uow:
        customers = [await uow.customers.by_phone(phone) for phone in PHONES]
        alone = [await risk.rate(uow, ctx, customer) for customer in customers]
        together = await risk.rate_all(uow, ctx, customers)
        by_id = await risk.rate_many(uow, ctx, [c.id for c in reversed(customers)] + [999_999])
    assert [(one.record, one.assessment) for one in together] == [
        (one.record, one.assessment) for one in alone
    ]
    assert [one.customer.id for one in by_id] == [c.id for c in reversed(customers)]
    assert [one.assessment for one in by_id] == [one.assessment for one in reversed(alone)]
    assert {one.customer.name: one.record.notes for one in alone} == {
        "Олена Коваль": 0, "Петро": 2, "Іван": 0, "Марія": 0
    }  # fmt: skip
    assert alone[1].record.last_note == "second"


PHONES = ("+380501234567", "+380671112233", "+380931112233", "+380991112233")


async def test_a_generated_history_rates_the_same_alone_and_together(db, ctx, database_url):
    """The size benchmark's history (bench/history.py), read back: every customer rated alone
    and all of them together agree, and the generator's outcomes are what the rating sees."""
    await db.dispose()
    await asyncio.to_thread(generate.generate, database_url, 600, 120, progress=False)
    async with db.uow() as uow:
        customers = await uow.customers.many(list(range(1, 121)))
        alone = [await risk.rate(uow, ctx, customer) for customer in customers]
        together = await risk.rate_all(uow, ctx, customers)
        finished = await uow.session.scalar(
            select(func.count(Order.id)).where(Order.status.in_(FINISHED))
        )
    assert len(customers) == 120
    assert [(one.record, one.assessment) for one in together] == [
        (one.record, one.assessment) for one in alone
    ]
    assert sum(one.record.orders for one in alone) == 600
    assert sum(one.record.finished for one in alone) == finished
    assert {one.assessment.level for one in alone} >= {RiskLevel.ok, RiskLevel.blacklisted}
    async with db.uow() as uow:
        listed = [customer.id for customer in await risk.blacklisted(uow, ctx)]
    assert listed == blacklisted_by_rating(alone)


def blacklisted_by_rating(rated) -> list[int]:
    """The blacklist as rating everyone would give it: by name, then id."""
    found = [one.customer for one in rated if one.assessment.level is RiskLevel.blacklisted]
    return [c.id for c in sorted(found, key=lambda c: (c.name.lower(), c.id))]


async def test_the_blacklist_is_who_the_rating_calls_blacklisted(db, ctx):
    """The list rates only customers a manager unblocked; it still agrees with rating everyone."""
    await refuser(db, ctx)  # Олена: by the rule
    await refuser_at(db, ctx, "+380671112233", "Петро")  # by the rule, unblocked: it holds
    await admin.unblock_customer(db, ctx, MANAGER, target("+380671112233"), "paid")
    await refuser_at(db, ctx, "+380931112233", "Іван")  # unblocked, then refused again
    await admin.unblock_customer(db, ctx, MANAGER, target("+380931112233"), None)
    await past_order(db, ctx, "I-9", S.refused, phone="+380931112233", name="Іван")
    await past_order(db, ctx, "M-1", S.received, phone="+380991112233", name="марія")
    await admin.blacklist_customer(db, ctx, MANAGER, target("M-1"), "by hand")
    await past_order(db, ctx, "A-1", S.refused, phone="+380631112233", name="Анна")  # one: ok

    async with db.uow() as uow:
        everyone = await uow.customers.many(list(range(1, 10)))
        expected = blacklisted_by_rating(await risk.rate_all(uow, ctx, everyone))
        listed = [customer.id for customer in await risk.blacklisted(uow, ctx)]
    assert listed == expected
    names = {c.id: c.name for c in everyone}
    assert [names[i] for i in listed] == ["марія", "Олена Коваль", "Іван"]  # by code point
    page = await admin.blacklisted_page(db, ctx, MANAGER, 0)
    assert [one.customer.id for one in page.entries] == expected and page.total == 3
    assert all(one.assessment.level is RiskLevel.blacklisted for one in page.entries)


async def refuser_at(db, ctx, phone: str, name: str, refusals: int = 3) -> None:
    for index in range(refusals):
        await past_order(db, ctx, f"R{phone[-9:]}-{index}", S.refused, phone=phone, name=name)
