"""A customer shares their phone in the very moment their first order comes in."""

from __future__ import annotations

from bot.services import linking
from bot.services.intake import intake_order
from storage.repositories.customers import CustomerRepository
from tests.factories import OLENA, new_order


async def test_an_order_arriving_while_the_contact_is_shared_is_linked_not_an_error(
    db, ctx, monkeypatch
):
    # The order's transaction commits the customer between the contact's look-up and its insert
    # (seen on PostgreSQL with a platform's catch-up): the look-up still says "nobody".
    await intake_order(db, ctx, new_order())
    real_by_phone = CustomerRepository.by_phone
    looks = []

    async def missed_once(self, phone):
        looks.append(phone)
        return None if len(looks) == 1 else await real_by_phone(self, phone)

    monkeypatch.setattr(CustomerRepository, "by_phone", missed_once)
    result = await linking.link_by_contact(db, ctx, "+380501234567", OLENA.id, OLENA)
    assert result.orders_waiting == 1 and result.customer_name == "Олена Коваль"
    async with db.uow() as uow:
        customer = await uow.customers.by_phone("+380501234567")
        cards = [r for r in await uow.outbox.pending(10) if r.purpose == "order_card"]
    assert customer.telegram_id == OLENA.id and len(cards) == 1
