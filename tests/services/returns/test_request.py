"""Returns, the customer's side: who may return what, and what a request stores and says."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from bot.domain.errors import NotFound
from bot.domain.new_order import NewItem
from bot.domain.orders import OrderStatus, Payment
from bot.domain.return_draft import Draft, InvalidIban, Photo, PhotosRequired, ResolutionNotOffered
from bot.domain.returns import (
    QuantityTooLarge,
    Resolution,
    ReturnReason,
    ReturnStatus,
)
from bot.services import linking
from bot.services.intake import intake_order
from bot.services.returns import request
from bot.services.returns.request import NothingToReturn, NotReceived, WindowClosed
from bot.services.shop_status import set_status_by_shop
from tests.factories import OLENA, STRANGER, new_order

VALID_IBAN = "UA21 3223 1300 0002 6007 2335 6600 1"
S = OrderStatus


async def received_order(db, ctx, *, items=None, payment=Payment.cod, external_id="A-1001"):
    data = new_order(external_id)
    if items is not None:
        data = replace(data, items=items)
    order = (await intake_order(db, ctx, replace(data, payment=payment))).order
    await linking.link_by_token(db, ctx, order.link_token, OLENA)
    for step in (S.confirmed, S.shipped, S.received):
        await set_status_by_shop(db, ctx, external_id, step, None)
    async with db.uow() as uow:
        return await uow.orders.get(order.id)


def draft(order, **overrides):
    base = Draft(
        flow=0,  # not put together in a chat
        order_id=order.id,
        quantities={order.items[0].id: 1},
        reason=ReturnReason.wrong_size,
        resolution=Resolution.store_credit,
    )
    return replace(base, **overrides)


async def outbox(db):
    async with db.uow() as uow:
        return list(await uow.outbox.pending(1000))


async def test_a_request_is_stored_and_announced(db, ctx):
    order = await received_order(db, ctx)
    before = len(await outbox(db))
    photos = (Photo("file-1", "u1"), Photo("file-2", "u2"))
    return_ = await request.submit(
        db,
        ctx,
        OLENA,
        draft(
            order,
            reason=ReturnReason.defective,
            photos=photos,
            comment="шов розійшовся",
            resolution=Resolution.refund_iban,
            iban=VALID_IBAN,
            account_holder="Олена Коваль",
        ),
    )
    assert return_.status == ReturnStatus.requested
    assert return_.iban == "UA213223130000026007233566001"
    rows = (await outbox(db))[before:]
    to_customer = next(r for r in rows if r.chat_id == OLENA.id)
    assert f"R-{return_.id:06d}" in to_customer.payload["text"]
    album = next(r for r in rows if r.method == "sendMediaGroup")
    assert [m["media"] for m in album.payload["media"]] == ["file-1", "file-2"]
    card = next(r for r in rows if r.purpose == "return_card")
    assert "UA213223130000026007233566001" in card.payload["text"]  # managers see it in full
    assert "UA21 **** 6001" not in to_customer.payload["text"]
    hook = next(r for r in rows if r.channel == "webhook")
    assert hook.payload["body"]["event"] == "return.requested"
    async with db.uow() as uow:
        events = await uow.returns.events_of(return_.id)
        assert [(e.from_status, e.to_status) for e in events] == [(None, "requested")]


async def test_quantities_cannot_exceed_what_is_left(db, ctx):
    items = (NewItem(name="Шкарпетки", quantity=3, price=Decimal("100.00")),)
    order = await received_order(db, ctx, items=items)
    item_id = order.items[0].id
    first = await request.submit(db, ctx, OLENA, draft(order, quantities={item_id: 2}))
    # One open return per item at a time: the third pair waits until the first is settled.
    with pytest.raises(NothingToReturn):
        await request.submit(db, ctx, OLENA, draft(order, quantities={item_id: 1}))
    offered = await request.returnable_orders(db, ctx, OLENA)
    assert [line.available for line in offered[0].lines] == [0]
    assert not offered[0].offerable

    async with db.uow() as uow:
        settled = await uow.returns.get(first.id)
        settled.status = ReturnStatus.refunded.value
        await uow.commit()
    with pytest.raises(QuantityTooLarge):  # 2 of 3 are returned for good: 1 is left
        await request.submit(db, ctx, OLENA, draft(order, quantities={item_id: 2}))
    await request.submit(db, ctx, OLENA, draft(order, quantities={item_id: 1}))


async def test_window_ownership_and_state_are_checked(db, ctx, clock):
    order = await received_order(db, ctx)
    with pytest.raises(NotFound):
        await request.submit(db, ctx, STRANGER, draft(order))
    clock.advance(timedelta(days=15))
    with pytest.raises(WindowClosed):
        await request.order_for_return(db, ctx, OLENA, order.id)
    listed = await request.returnable_orders(db, ctx, OLENA)
    assert not listed[0].window_open

    fresh = (await intake_order(db, ctx, new_order("A-2002", telegram_id=OLENA.id))).order
    with pytest.raises(NotReceived):
        await request.order_for_return(db, ctx, OLENA, fresh.id)


async def test_photos_resolution_and_iban_are_checked(db, ctx):
    order = await received_order(db, ctx)
    with pytest.raises(PhotosRequired):
        await request.submit(db, ctx, OLENA, draft(order, reason=ReturnReason.damaged))
    with pytest.raises(ResolutionNotOffered):  # cash on delivery: no card to refund to
        await request.submit(db, ctx, OLENA, draft(order, resolution=Resolution.refund_original))
    bad = "UA21 3223 1300 0002 6007 2335 6600 2"
    with pytest.raises(InvalidIban):
        await request.submit(
            db,
            ctx,
            OLENA,
            draft(order, resolution=Resolution.refund_iban, iban=bad, account_holder="Олена"),
        )
    async with db.uow() as uow:
        assert await uow.returns.with_status(None, 10) == []
