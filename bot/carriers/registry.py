"""Every carrier Vykup tracks itself: adding one is a package (its client and its entry) and a
line here. The application wires a TrackingPoller and a key watch for each configured entry and
names no carrier itself."""

from __future__ import annotations

from bot.carriers.novaposhta.entry import NOVA_POSHTA
from bot.carriers.tracked import TrackedCarrier
from bot.carriers.ukrposhta.entry import UKRPOSHTA


def all_carriers() -> tuple[TrackedCarrier, ...]:
    return (NOVA_POSHTA, UKRPOSHTA)
