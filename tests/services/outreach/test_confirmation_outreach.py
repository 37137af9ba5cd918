"""A customer outside Telegram gets one Viber/SMS message for a new order: when, how, and what
the managers hear when it cannot go or does not arrive."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from bot.delivery.outcomes import Failed, Retry, Sent
from bot.domain.orders import OrderStatus
from bot.domain.outreach import OutreachState, SkipReason
from bot.services import confirmation
from bot.services.outreach import stops
from bot.services.people import LinkHolder
from storage.models import Customer
from tests.services.outreach.conftest import Outreach

PHONE = "380501234567"
AFTER = timedelta(minutes=2)


async def test_a_new_order_gets_one_viber_message_with_sms_fallback_after_two_minutes(
    outreach: Outreach,
):
    order = await outreach.order()
    await outreach.run_timers()
    assert await outreach.messages() == []  # not at once: the customer may open the link

    await outreach.pass_time(AFTER)
    await outreach.send()

    (sent,) = outreach.fake.sent_to(PHONE)
    assert sent.hybrid and sent.channel == "viber"
    assert sent.text.startswith("Квітка: ваше замовлення A-1001 на 900,00")
    assert "https://bot.test/p/" in sent.text and "https://bot.test/t/" in sent.text
    assert sent.block["caption"] == "Підтвердити замовлення"
    assert sent.block["action"].startswith("https://bot.test/p/")
    sms_block = outreach.fake.calls[-1].body["sms"]
    assert sms_block["text"].startswith(
        "Квітка: підтвердіть замовлення A-1001: https://bot.test/p/"
    )
    (message,) = await outreach.messages()
    assert message.state == OutreachState.sent
    assert message.provider_message_id == sent.message_id
    assert message.parts == 2  # Cyrillic with two links: 2 parts of 67
    assert message.cost == Decimal("1.60")  # the dearer way until the report says: 2 SMS parts

    # Nothing more for the same order, however often the timers run.
    await outreach.pass_time(timedelta(minutes=5))
    await outreach.send()
    assert len(outreach.fake.sent_to(PHONE)) == 1
    assert order.status == OrderStatus.new


async def test_the_short_links_carry_a_code_not_the_order_or_the_phone(outreach: Outreach):
    await outreach.order()
    await outreach.pass_time(AFTER)
    await outreach.send()
    (sent,) = outreach.fake.sent_to(PHONE)
    code = sent.block["action"].rsplit("/", 1)[1]
    assert len(code) == 10 and code.isalnum()
    assert "1001" not in code and "4567" not in code


async def test_the_report_sets_the_channel_and_price_and_a_miss_asks_the_managers_to_call(
    outreach: Outreach,
):
    outreach.fake.without_viber(PHONE)  # the hybrid message goes by SMS
    await outreach.order()
    await outreach.pass_time(AFTER)
    await outreach.send()
    (sent,) = outreach.fake.sent_to(PHONE)
    outreach.fake.fail(sent.message_id)

    outreach.clock.advance(timedelta(minutes=5))
    assert await outreach.reports() == 1

    (message,) = await outreach.messages()
    assert message.state == OutreachState.not_delivered
    assert message.channel == "sms" and message.cost == Decimal("1.60")
    (alert,) = await outreach.managers_texts()
    assert "Зателефонуйте клієнту" in alert
    assert "Viber → SMS о 10:02: не доставлено (Undelivered)" in alert


async def test_a_delivered_message_holds_the_call_until_the_escalation_which_lists_it(
    outreach: Outreach,
):
    await outreach.order()
    await outreach.pass_time(AFTER)
    await outreach.send()
    (sent,) = outreach.fake.sent_to(PHONE)
    outreach.fake.deliver(sent.message_id)
    await outreach.pass_time(timedelta(minutes=5))
    await outreach.reports()
    assert await outreach.managers_texts() == []

    await outreach.pass_time(timedelta(minutes=15))  # the chat reminder's time: nothing
    assert await outreach.managers_texts() == []

    await outreach.pass_time(timedelta(hours=1))  # CONFIRM_ESCALATE_AFTER
    (alert,) = await outreach.managers_texts()
    assert "доставлено через Viber" in alert


async def test_an_order_answered_on_the_page_before_the_send_is_not_texted(outreach: Outreach):
    order = await outreach.order()
    await outreach.pass_time(AFTER)
    await confirmation.confirm(
        outreach.db, outreach.ctx, order.id, LinkHolder(order.link_token), None
    )
    outcomes = await outreach.send()
    assert [type(outcome) for outcome in outcomes] == [Sent]
    assert outreach.fake.messages == {}
    (message,) = await outreach.messages()
    assert message.state == OutreachState.skipped and message.cost == 0


async def test_at_night_nothing_goes_and_the_morning_sends_it(outreach: Outreach):
    outreach.clock.advance(timedelta(hours=10, minutes=59))  # 20:59 in Kyiv
    await outreach.order()
    await outreach.pass_time(AFTER)  # 21:01: quiet hours
    await outreach.send()
    assert outreach.fake.messages == {}
    await outreach.pass_time(timedelta(hours=11, minutes=58))  # 08:59
    await outreach.send()
    assert outreach.fake.messages == {}
    await outreach.pass_time(timedelta(minutes=1))  # 09:00
    await outreach.send()
    assert len(outreach.fake.sent_to(PHONE)) == 1


async def test_one_customer_gets_at_most_two_messages_a_day(outreach: Outreach):
    for number in ("A-1001", "A-1002", "A-1003"):
        await outreach.order(number)
    await outreach.pass_time(AFTER)
    await outreach.send()
    assert len(outreach.fake.sent_to(PHONE)) == 2
    states = [(m.state, m.skip_reason) for m in await outreach.messages()]
    assert sorted(states, key=str) == sorted(
        [
            (OutreachState.sent, None),
            (OutreachState.sent, None),
            (OutreachState.skipped, SkipReason.daily_limit),
        ],
        key=str,
    )
    (alert,) = await outreach.managers_texts()
    assert "не надіслано: денний ліміт для цього клієнта" in alert

    # A day later there is room again.
    await outreach.pass_time(timedelta(hours=24))
    await outreach.order("A-1004")
    await outreach.pass_time(AFTER)
    await outreach.send()
    assert len(outreach.fake.sent_to(PHONE)) == 3


async def test_the_monthly_budget_stops_outreach_and_the_managers_hear_once(outreach: Outreach):
    outreach.with_rules(monthly_budget=Decimal("2.00"))
    await outreach.order("A-1001")
    await outreach.order("A-1002", phone="+380671112233")
    await outreach.order("A-1003", phone="+380631112233")
    await outreach.pass_time(AFTER)
    await outreach.send()

    assert len(outreach.fake.messages) == 1  # 1.60 spent: a second 1.60 would pass 2.00
    texts = await outreach.managers_texts()
    budget = [text for text in texts if "Viber і SMS зупинено" in text]
    assert len(budget) == 1 and "2026-11" in budget[0]
    calls = [text for text in texts if "Зателефонуйте клієнту" in text]
    assert len(calls) == 2 and all("бюджет місяця витрачено" in text for text in calls)

    # The next month has room again: the managers hear that too.
    outreach.clock.advance(timedelta(days=11))
    await outreach.order("A-1004", phone="+380661112233")
    await outreach.pass_time(AFTER)
    await outreach.send()
    assert len(outreach.fake.messages) == 2
    assert any("Viber і SMS знову надсилаються" in text for text in await outreach.managers_texts())


async def test_stop_is_respected_and_only_an_admin_lifts_it(outreach: Outreach):
    first = await outreach.order("A-1001")
    async with outreach.db.read() as uow:
        customer = await uow.customers.get(first.customer_id)
    assert customer is not None
    from bot.domain.languages import Language
    from bot.services.web_links import PageOrder

    await stops.stop_from_page(outreach.db, PageOrder(first, Language.uk))
    await outreach.pass_time(AFTER)
    await outreach.send()
    assert outreach.fake.messages == {}
    (message,) = await outreach.messages()
    assert message.skip_reason == SkipReason.stopped
    (alert,) = await outreach.managers_texts()
    assert "клієнт просив не писати" in alert

    from bot.domain.targets import parse_target
    from bot.services.people import TelegramUser

    admin = TelegramUser(id=900, full_name="Адмін", username=None, language_code="uk")
    target, _ = parse_target("+380501234567")
    assert target is not None
    lifted: Customer = await stops.set_by_admin(
        outreach.db, outreach.ctx, admin, target, allowed=True
    )
    assert lifted.outreach_stopped_at is None
    await outreach.order("A-1002")
    await outreach.pass_time(AFTER)
    await outreach.send()
    assert len(outreach.fake.sent_to(PHONE)) == 1


async def test_a_stop_listed_phone_is_not_retried_and_the_managers_call_at_once(
    outreach: Outreach,
):
    outreach.fake.stop_list(PHONE)
    await outreach.order()
    await outreach.pass_time(AFTER)
    (outcome,) = await outreach.send()
    assert isinstance(outcome, Failed)
    (message,) = await outreach.messages()
    assert message.state == OutreachState.rejected and message.cost == 0
    (alert,) = await outreach.managers_texts()
    assert "відхилено сервісом" in alert


async def test_a_failure_is_retried_and_the_retry_is_executed_once(outreach: Outreach):
    outreach.fake.fail_next(502)
    await outreach.order()
    await outreach.pass_time(AFTER)
    (first,) = await outreach.send()
    assert isinstance(first, Retry)
    await outreach.pass_time(timedelta(minutes=10))
    (second,) = await outreach.send()
    assert isinstance(second, Sent)
    assert len(outreach.fake.sent_to(PHONE)) == 1
    sequences = {
        call.body.get("sequence_id")
        for call in outreach.fake.calls
        if call.path.endswith("send.json")
    }
    assert len(sequences) == 1  # the same id both times: the provider executes it once


async def test_a_refused_token_keeps_messages_waiting_and_tells_the_managers_once(
    outreach: Outreach,
):
    outreach.fake.block_user()
    await outreach.order("A-1001")
    await outreach.order("A-1002", phone="+380671112233")
    await outreach.pass_time(AFTER)
    outcomes = await outreach.send()
    assert all(isinstance(outcome, Retry) for outcome in outcomes)
    texts = await outreach.managers_texts()
    assert len([text for text in texts if "Сервіс Viber/SMS відмовляється" in text]) == 1
    assert all(m.state == OutreachState.queued for m in await outreach.messages())
