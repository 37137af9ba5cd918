"""Returns after the request: the managers' decisions, the customer's answers and waybill, the
parcel back, the inspection and the refund — what each step stores, says and sends."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from bot.carriers.base import CarrierUpdate, TrackingQuery
from bot.domain.errors import NotAllowed
from bot.domain.languages import Language
from bot.domain.money import Money
from bot.domain.orders import EventSource
from bot.domain.return_desk import AmountOutOfRange, DeskStep, NoteMissing, StaleStep
from bot.domain.returns import IllegalReturnMove, ReturnStatus
from bot.domain.shipments import ShipmentStatus
from bot.services import carrier_sync
from bot.services.returns import desk as return_desk
from bot.services.returns import followups as return_followups
from bot.services.returns import tracking as return_tracking
from bot.services.returns.desk import ReturnNotFound
from bot.services.returns.followups import InvalidWaybill, WaybillOfDelivery
from bot.services.shipments import ShipmentUpdate
from bot.services.timers import run_due_timers
from bot.texts.errors import explain
from tests.factories import MANAGER, OLENA, STRANGER
from tests.services.returns.helpers import (
    COMPACT_IBAN,
    MASKED_IBAN,
    Outbox,
    buttons,
    card_edits,
    history,
    hooks,
    stored,
    submitted_return,
    to_chat,
)

S = ReturnStatus
RETURN_WAYBILL = "59000123456789"


@pytest.fixture
def ctx(ctx):
    """Managers read English here, so the texts asserted stay true once uk is translated."""
    return replace(ctx, default_language=Language.en, return_address="Київ, вул. Складська, 5")


@pytest.fixture
async def sent(db, ctx):
    """A submitted return whose card the worker has sent (message 77 in the managers' chat)."""
    return_ = await submitted_return(db, ctx)
    async with db.uow() as uow:
        (await uow.returns.get(return_.id)).card_message_id = 77
        await uow.commit()
    return return_


def number(return_) -> str:
    return f"R-{return_.id:06d}"


async def test_approve_asks_the_customer_for_the_waybill(db, ctx, sent):
    box = Outbox(db)
    await box.skip()

    await return_desk.take(db, ctx, sent.id, DeskStep.approve, MANAGER)

    rows = await box.new()
    [to_olena] = to_chat(rows, OLENA.id)
    text = to_olena.payload["text"]
    assert f"✅ Your return <b>{number(sent)}</b> for order <b>A-1001</b> is approved." in text
    assert "Київ, вул. Складська, 5" in text and "14 digits" in text
    assert to_olena.payload["reply_markup"]["force_reply"] is True
    [edit] = card_edits(rows)
    assert f"Return {number(sent)}</b>: approved, waiting for the waybill" in edit.payload["text"]
    assert "approved · Марія Менеджер" in edit.payload["text"]
    assert buttons(edit) == [f"rt:v:{sent.id}"]  # only "The parcel arrived" is left
    [hook] = hooks(rows)
    assert (hook["event"], hook["return"], hook["status"]) == (
        "return.approved",
        number(sent),
        "approved",
    )
    return_ = await stored(db, sent.id)
    assert (return_.status, return_.decided_by_name, return_.waiting_since) == (
        "approved",
        "Марія Менеджер",
        None,
    )
    assert await history(db, sent.id) == [
        (None, "requested", "customer"),
        ("requested", "approved", "manager"),
    ]


async def test_reject_tells_the_customer_why(db, ctx, sent):
    box = Outbox(db)
    await box.skip()
    with pytest.raises(NoteMissing):
        await return_desk.take(db, ctx, sent.id, DeskStep.reject, MANAGER, note="  ")

    await return_desk.take(
        db, ctx, sent.id, DeskStep.reject, MANAGER, note="Бирки <зрізані>, товар був у вжитку"
    )

    rows = await box.new()
    [to_olena] = to_chat(rows, OLENA.id)
    assert "is rejected" in to_olena.payload["text"]
    assert "Reason: Бирки &lt;зрізані&gt;, товар був у вжитку" in to_olena.payload["text"]
    [hook] = hooks(rows)
    assert hook["event"] == "return.rejected"
    assert hook["comment"] == "Бирки <зрізані>, товар був у вжитку"
    [edit] = card_edits(rows)
    assert buttons(edit) == []
    return_ = await stored(db, sent.id)
    assert (return_.status, return_.manager_note) == ("rejected", hook["comment"])
    async with db.uow() as uow:
        [(entry, _, number)] = await uow.audit.latest(10)
    assert (entry.action, entry.actor_name, number) == ("return", MANAGER.full_name, "A-1001")
    assert entry.detail == f"R-{sent.id:06d} → rejected: Бирки <зрізані>, товар був у вжитку"


async def test_question_and_the_customers_answer_are_relayed(db, ctx, sent):
    box = Outbox(db)
    await box.skip()
    await return_desk.take(db, ctx, sent.id, DeskStep.ask, MANAGER, note="Є фото бирки?")
    rows = await box.new()
    [question] = to_chat(rows, OLENA.id)
    assert "<i>Є фото бирки?</i>" in question.payload["text"]
    assert question.payload["reply_markup"]["force_reply"] is True
    assert hooks(rows)[0]["event"] == "return.info_requested"
    assert (await stored(db, sent.id)).waiting_since is None  # waits on the customer now

    followup = await return_followups.take_text(db, ctx, OLENA, "Так, бирка ціла")

    assert followup is not None and followup.expected is return_followups.Expecting.answer
    rows = await box.new()
    [relay, edit] = to_chat(rows, ctx.manager_chat_id)
    assert "answered about return" in relay.payload["text"]
    assert "Так, бирка ціла" in relay.payload["text"]
    assert relay.payload["reply_parameters"]["message_id"] == 77  # under the card
    assert edit.purpose == "edit_return_card"
    assert "the customer answered" in edit.payload["text"]
    assert buttons(edit) == [f"rt:a:{sent.id}", f"rt:r:{sent.id}", f"rt:q:{sent.id}"]
    [hook] = hooks(rows)
    assert (hook["event"], hook["status"], hook["comment"]) == (
        "return.info_provided",
        "requested",
        "Так, бирка ціла",
    )
    return_ = await stored(db, sent.id)
    assert return_.status == "requested" and return_.waiting_since is not None
    # Nothing more is awaited: the next message is not taken as an answer.
    assert await return_followups.take_text(db, ctx, OLENA, "а ще питання") is None


async def test_waybill_bad_then_good_then_the_parcel_arrives(db, ctx):
    sent = await submitted_return(db, ctx, delivery_waybill="20450000000000")
    await return_desk.take(db, ctx, sent.id, DeskStep.approve, MANAGER)
    box = Outbox(db)
    await box.skip()

    with pytest.raises(InvalidWaybill):
        await return_followups.take_text(db, ctx, OLENA, "12345")
    with pytest.raises(WaybillOfDelivery):  # the parcel the shop sent, not the one back
        await return_followups.take_text(db, ctx, OLENA, "2045 0000 0000 00")
    assert await box.new() == []
    assert (await stored(db, sent.id)).status == "approved"

    followup = await return_followups.take_text(db, ctx, OLENA, "5900 0123 4567 89")

    assert followup is not None and followup.expected is return_followups.Expecting.waybill
    rows = await box.new()
    assert to_chat(rows, OLENA.id) == []  # the handler answers at once
    [hook] = hooks(rows)
    assert (hook["event"], hook["carrier"], hook["waybill"]) == (
        "return.shipped",
        "nova_poshta",
        RETURN_WAYBILL,
    )
    assert f"<code>{RETURN_WAYBILL}</code>" in card_edits(rows)[0].payload["text"]

    on_the_way = ShipmentUpdate(status=ShipmentStatus.in_transit, source=EventSource.shop)
    result = await return_tracking.record_parcel_event(db, ctx, RETURN_WAYBILL, on_the_way)
    assert result is not None and result.applied
    rows = await box.new()
    assert hooks(rows) == [] and to_chat(rows, OLENA.id) == []
    assert "on the way" in card_edits(rows)[0].payload["text"]

    arrived = ShipmentUpdate(status=ShipmentStatus.arrived, point="Відділення №3")
    result = await return_tracking.record_parcel_event(db, ctx, RETURN_WAYBILL, arrived)
    assert result is not None and result.applied
    rows = await box.new()
    [told, edit] = to_chat(rows, ctx.manager_chat_id)
    assert "has arrived" in told.payload["text"] and "Відділення №3" in told.payload["text"]
    assert "reply_parameters" not in told.payload  # the card was not sent (no message id)
    assert buttons(edit) == [f"rt:k:{sent.id}", f"rt:b:{sent.id}"]
    [to_olena] = to_chat(rows, OLENA.id)
    assert "has reached us" in to_olena.payload["text"]
    assert [hook["event"] for hook in hooks(rows)] == ["return.received"]
    assert (await stored(db, sent.id)).status == "received"

    again = await return_tracking.record_parcel_event(db, ctx, RETURN_WAYBILL, arrived)
    assert again is not None and not again.applied
    assert await box.new() == []
    unknown = await return_tracking.record_parcel_event(db, ctx, "59000000000000", arrived)
    assert unknown is None


async def test_inspection_and_refund_in_the_customers_language(db, ctx, sent):
    await return_desk.take(db, ctx, sent.id, DeskStep.approve, MANAGER)
    await return_desk.take(db, ctx, sent.id, DeskStep.arrived, MANAGER)
    box = Outbox(db)
    await box.skip()

    await return_desk.take(db, ctx, sent.id, DeskStep.inspected_ok, MANAGER)
    rows = await box.new()
    assert "all is well" in to_chat(rows, OLENA.id)[0].payload["text"]
    assert hooks(rows)[0]["event"] == "return.accepted"

    for wrong in (Decimal("0"), Decimal("900.01"), None):
        with pytest.raises(AmountOutOfRange) as refused:
            await return_desk.take(db, ctx, sent.id, DeskStep.refunded, MANAGER, amount=wrong)
    assert await box.new() == []
    # The order's total, as a value: the managers' chat reads it in its own language.
    assert refused.value.params == {"total": Money(Decimal("900.00"), "UAH")}
    assert explain(ctx.catalogs(Language.uk), refused.value) == (
        "Сума повернення має бути більшою за 0 і не більшою за 900,00\xa0₴."
    )

    await return_desk.take(db, ctx, sent.id, DeskStep.refunded, MANAGER, amount=Decimal("450"))

    rows = await box.new()
    [to_olena] = to_chat(rows, OLENA.id)
    assert "<b>450.00\xa0UAH</b>" in to_olena.payload["text"]  # English, as her order
    assert f"<code>{MASKED_IBAN}</code>" in to_olena.payload["text"]
    assert COMPACT_IBAN not in to_olena.payload["text"]
    [hook] = hooks(rows)
    assert (hook["event"], hook["refund_amount"], hook["currency"]) == (
        "return.refunded",
        "450.00",
        "UAH",
    )
    [edit] = card_edits(rows)
    assert COMPACT_IBAN in edit.payload["text"]  # managers see it in full on the card
    assert "💸 Refunded: <b>450.00\xa0UAH</b>" in edit.payload["text"]
    assert buttons(edit) == []
    return_ = await stored(db, sent.id)
    assert (return_.status, return_.refund_amount) == ("refunded", Decimal("450.00"))


async def test_a_ukrainian_customer_reads_ukrainian_money(db, ctx):
    return_ = await submitted_return(db, ctx, language=Language.uk)
    box = Outbox(db)
    for step in (DeskStep.approve, DeskStep.arrived, DeskStep.inspected_ok):
        await return_desk.take(db, ctx, return_.id, step, MANAGER)
    await box.skip()
    await return_desk.take(db, ctx, return_.id, DeskStep.refunded, MANAGER, amount=Decimal("450"))
    rows = await box.new()
    assert "450,00\xa0₴" in to_chat(rows, OLENA.id)[0].payload["text"]
    assert "450.00\xa0UAH" in card_edits(rows)[0].payload["text"]  # managers: DEFAULT_LANGUAGE


async def test_inspection_rejection_names_the_inspection(db, ctx, sent):
    for step in (DeskStep.approve, DeskStep.arrived):
        await return_desk.take(db, ctx, sent.id, step, MANAGER)
    box = Outbox(db)
    await box.skip()
    await return_desk.take(db, ctx, sent.id, DeskStep.inspected_bad, MANAGER, note="Сліди носіння")
    rows = await box.new()
    text = to_chat(rows, OLENA.id)[0].payload["text"]
    assert "We inspected the parcel" in text and "Сліди носіння" in text
    assert hooks(rows)[0]["event"] == "return.rejected"


async def test_forged_stale_and_foreign_presses_change_nothing(db, ctx, sent):
    box = Outbox(db)
    await box.skip()
    with pytest.raises(NotAllowed):
        await return_desk.take(db, ctx, sent.id, DeskStep.approve, STRANGER)
    with pytest.raises(NotAllowed):
        await return_desk.may_take(db, ctx, sent.id, DeskStep.reject, STRANGER)
    with pytest.raises(ReturnNotFound):
        await return_desk.take(db, ctx, sent.id + 1000, DeskStep.approve, MANAGER)
    for step in (DeskStep.arrived, DeskStep.inspected_ok, DeskStep.refunded):
        with pytest.raises(StaleStep):
            await return_desk.take(db, ctx, sent.id, step, MANAGER, amount=Decimal(1))
    assert await box.new() == []
    assert (await stored(db, sent.id)).status == "requested"

    await return_desk.take(db, ctx, sent.id, DeskStep.approve, MANAGER)
    await box.skip()
    for step in (DeskStep.approve, DeskStep.reject, DeskStep.ask):  # a button left from review
        with pytest.raises(StaleStep):
            await return_desk.take(db, ctx, sent.id, step, MANAGER, note="late")
    with pytest.raises(StaleStep):
        await return_desk.may_take(db, ctx, sent.id, DeskStep.reject, MANAGER)
    assert await box.new() == []
    assert len(await history(db, sent.id)) == 2


async def test_texts_are_taken_only_while_a_return_waits_for_them(db, ctx, sent):
    assert await return_followups.take_text(db, ctx, OLENA, "20450000000000") is None
    assert await return_followups.take_text(db, ctx, STRANGER, "hello") is None
    await return_desk.take(db, ctx, sent.id, DeskStep.approve, MANAGER)
    assert await return_followups.take_text(db, ctx, STRANGER, RETURN_WAYBILL) is None
    await return_followups.take_text(db, ctx, OLENA, RETURN_WAYBILL)
    assert await return_followups.take_text(db, ctx, OLENA, "59000123456780") is None
    assert (await stored(db, sent.id)).waybill == RETURN_WAYBILL


async def test_a_return_waiting_too_long_is_announced_once_per_period(db, ctx, clock, sent):
    box = Outbox(db)
    await box.skip()
    clock.advance(timedelta(hours=23))
    await run_due_timers(db, ctx)
    assert await box.new() == []

    clock.advance(timedelta(hours=1, minutes=1))
    await run_due_timers(db, ctx)
    [reminder] = to_chat(await box.new(), ctx.manager_chat_id)
    text = reminder.payload["text"]
    assert f"⏰ Return <b>{number(sent)}</b> has waited for a manager for 1 day" in text
    assert reminder.payload["reply_parameters"]["message_id"] == 77

    clock.advance(timedelta(hours=12))
    await run_due_timers(db, ctx)
    assert await box.new() == []
    clock.advance(timedelta(hours=12))
    await run_due_timers(db, ctx)
    assert len(to_chat(await box.new(), ctx.manager_chat_id)) == 1

    await return_desk.take(db, ctx, sent.id, DeskStep.approve, MANAGER)  # waits on the customer
    await box.skip()
    clock.advance(timedelta(days=3))
    await run_due_timers(db, ctx)
    assert await box.new() == []

    await return_desk.take(db, ctx, sent.id, DeskStep.arrived, MANAGER)  # waits on managers again
    await box.skip()
    clock.advance(timedelta(hours=24, minutes=1))
    await run_due_timers(db, ctx)
    [again] = to_chat(await box.new(), ctx.manager_chat_id)
    assert "the parcel arrived, waiting for inspection" in again.payload["text"]


async def test_open_returns_for_admins_oldest_first(db, ctx, clock, sent):
    clock.advance(timedelta(hours=1))
    later = await submitted_return(db, ctx, external_id="A-2002")
    await return_desk.take(db, ctx, later.id, DeskStep.reject, MANAGER, note="ні")
    third = await submitted_return(db, ctx, external_id="A-3003")
    with pytest.raises(NotAllowed):
        await return_desk.open_returns(db, ctx, STRANGER)
    listing = await return_desk.open_returns(db, ctx, MANAGER)
    assert [one.id for one in listing.returns] == [sent.id, third.id]


async def test_the_shop_moves_by_the_same_table(db, ctx, sent):
    from bot.services.returns.shop import ShopMove, move_by_shop

    box = Outbox(db)
    await box.skip()
    with pytest.raises(IllegalReturnMove):
        await move_by_shop(db, ctx, sent.id, ShopMove(ReturnStatus.refunded, refund_amount=1))
    moved = await move_by_shop(db, ctx, sent.id, ShopMove(ReturnStatus.approved))
    assert moved.status == "approved"
    rows = await box.new()
    assert "is approved" in to_chat(rows, OLENA.id)[0].payload["text"]
    assert card_edits(rows) and hooks(rows) == []  # the shop is not told what it did
    assert (await history(db, sent.id))[-1] == ("requested", "approved", "shop")


async def test_nova_poshta_is_asked_about_return_parcels_too(db, ctx, sent):
    await return_desk.take(db, ctx, sent.id, DeskStep.approve, MANAGER)
    await return_followups.take_text(db, ctx, OLENA, RETURN_WAYBILL)

    queries = await carrier_sync.parcels_to_track(db, "nova_poshta")
    assert TrackingQuery(RETURN_WAYBILL, "+380501234567") in queries
    assert await carrier_sync.parcels_to_track(db, "ukrposhta") == []

    update = CarrierUpdate(tracking_number=RETURN_WAYBILL, status=ShipmentStatus.received)
    assert await carrier_sync.apply_carrier_update(db, ctx, update) is True
    assert await carrier_sync.apply_carrier_update(db, ctx, update) is False  # a repeat
    return_ = await stored(db, sent.id)
    assert (return_.status, return_.parcel_status) == ("received", "received")
    assert await history(db, sent.id) == [
        (None, "requested", "customer"),
        ("requested", "approved", "manager"),
        ("approved", "shipped", "customer"),
        ("shipped", "received", "system"),
    ]
    assert TrackingQuery(RETURN_WAYBILL, "+380501234567") not in (
        await carrier_sync.parcels_to_track(db, "nova_poshta")
    )
    unknown = CarrierUpdate(tracking_number="59000000000001", status=ShipmentStatus.arrived)
    assert await carrier_sync.apply_carrier_update(db, ctx, unknown) is False


async def test_a_return_parcel_learnt_late_keeps_the_carriers_moment(db, ctx, clock):
    sent = await submitted_return(db, ctx, delivery_waybill="20450000000000")
    await return_desk.take(db, ctx, sent.id, DeskStep.approve, MANAGER)
    await return_followups.take_text(db, ctx, OLENA, RETURN_WAYBILL)
    clock.advance(timedelta(days=10))
    six_days_ago = clock.now() - timedelta(days=6)

    arrived = ShipmentUpdate(status=ShipmentStatus.arrived, occurred_at=six_days_ago)
    await return_tracking.record_parcel_event(db, ctx, RETURN_WAYBILL, arrived)

    async with db.uow() as uow:
        *_, last = await uow.returns.events_of(sent.id)
    assert (last.to_status, last.occurred_at) == ("received", six_days_ago)
    # The managers' review clock starts when they can know: now, not six days ago.
    assert (await stored(db, sent.id)).waiting_since == clock.now()
