"""The customer rating, read from storage: the facts, the assessment, the lists managers ask for."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.risk import (
    CustomerRecord,
    Flag,
    ManualDecision,
    ManualState,
    Refusal,
    RiskLevel,
    assess,
    riskiest_first,
)
from bot.services.context import ServiceContext
from bot.views.customers import RatedCustomer
from storage.models import Customer
from storage.repositories.risk import CHUNK, RiskFacts
from storage.uow import UnitOfWork

RECENT_OUTCOMES = 5
CANDIDATES = 200  # customers looked at for "top risky": far more than any list shows


def manual_decision(customer: Customer) -> ManualDecision | None:
    if customer.blacklist_state is None or customer.blacklist_changed_at is None:
        return None
    return ManualDecision(
        state=ManualState(customer.blacklist_state),
        at=customer.blacklist_changed_at,
        by=customer.blacklist_changed_by_name or "",
        reason=customer.blacklist_reason,
        refusals_then=customer.unblock_refusals or 0,
    )


async def record_of(
    uow: UnitOfWork, customer: Customer, facts: RiskFacts | None = None
) -> CustomerRecord:
    """The customer's record; ``facts`` when they are known without asking the database."""
    if facts is None:
        facts = await uow.risk.facts(customer.id)
    return record_from(facts, customer)


def record_from(facts: RiskFacts, customer: Customer) -> CustomerRecord:
    return CustomerRecord(
        orders=facts.orders,
        received=sum(1 for parcel in facts.finished if parcel.received),
        refusals=tuple(
            Refusal(at=parcel.at, reason=parcel.reason, comment=parcel.comment)
            for parcel in facts.finished
            if not parcel.received
        ),
        cancelled_after_confirmation=facts.cancelled_after_confirmation,
        last_outcomes=tuple(parcel.received for parcel in reversed(facts.finished))[
            :RECENT_OUTCOMES
        ],
        flags=frozenset(Flag(flag) for flag in facts.flags if flag in Flag.__members__),
        notes=facts.notes,
        last_note=facts.last_note,
        manual=manual_decision(customer),
    )


async def rate(
    uow: UnitOfWork, ctx: ServiceContext, customer: Customer, facts: RiskFacts | None = None
) -> RatedCustomer:
    record = await record_of(uow, customer, facts)
    return RatedCustomer(customer, record, assess(record, uow.clock.now(), ctx.risk_thresholds))


async def rate_all(
    uow: UnitOfWork, ctx: ServiceContext, customers: Sequence[Customer]
) -> list[RatedCustomer]:
    """``rate`` for each customer, in their order, reading their facts together."""
    facts = await uow.risk.facts_many([customer.id for customer in customers])
    now = uow.clock.now()
    rated = []
    for customer in customers:
        record = record_from(facts[customer.id], customer)
        rated.append(RatedCustomer(customer, record, assess(record, now, ctx.risk_thresholds)))
    return rated


async def rate_many(
    uow: UnitOfWork, ctx: ServiceContext, customer_ids: Sequence[int]
) -> list[RatedCustomer]:
    """The customers with these ids (unknown ones left out), rated, a chunk at a time."""
    rated: list[RatedCustomer] = []
    for start in range(0, len(customer_ids), CHUNK):
        chunk = customer_ids[start : start + CHUNK]
        rated += await rate_all(uow, ctx, await uow.customers.many(chunk))
    return rated


async def blacklisted(uow: UnitOfWork, ctx: ServiceContext) -> list[Customer]:
    """Everyone blacklisted now, by hand or by the rule, by name (then id).

    The candidates' query applies the automatic rule exactly, so only a customer a manager has
    unblocked (the unblock holds until the next refusal) needs rating to know: a list of
    thousands costs a query and a few ratings, and the page shown is rated on its own.
    """
    thresholds = ctx.risk_thresholds
    ids = await uow.risk.blacklist_candidates(
        thresholds.blacklist_refusals, thresholds.blacklist_buyout
    )
    certain: list[Customer] = []
    to_rate: list[Customer] = []
    for start in range(0, len(ids), CHUNK):
        for customer in await uow.customers.many(ids[start : start + CHUNK]):
            decision = manual_decision(customer)
            if decision is None and customer.blacklist_state is None:
                certain.append(customer)  # a candidate by the rule alone
            elif decision is not None and decision.state is ManualState.blacklisted:
                certain.append(customer)  # blacklisted by hand
            else:
                to_rate.append(customer)
    rated = await rate_all(uow, ctx, to_rate)
    certain += [one.customer for one in rated if one.assessment.level is RiskLevel.blacklisted]
    return sorted(certain, key=lambda customer: (customer.name.lower(), customer.id))


async def top_risky(uow: UnitOfWork, ctx: ServiceContext, limit: int) -> list[RatedCustomer]:
    """The riskiest customers: blacklisted first, then by score; ``ok`` ones are left out."""
    rated = await rate_many(uow, ctx, await uow.risk.risk_candidates(CANDIDATES))
    ranked = riskiest_first(
        [(one, one.assessment) for one in rated if one.assessment.needs_attention], limit
    )
    return [one for one, _ in ranked]
