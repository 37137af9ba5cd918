"""What every Viber/SMS gateway speaks: one message out, its delivery state back.

A gateway (``bot/channels/<provider>/``) knows one provider's HTTP API. It never touches the
database and keeps nothing between calls: the outbox worker sends through :meth:`Gateway.send`,
stores the ids it returns, and asks :meth:`Gateway.statuses` later. Every failure is a
:class:`GatewayRejected` whose :class:`Refusal` says what the caller can do about it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

import aiohttp

from bot.domain.outreach import Channel, ChannelPreference


@dataclass(frozen=True)
class ViberButton:
    """A button under the Viber text; the provider's limit on the caption is checked by it."""

    caption: str  # what the button says ("Підтвердити"), short: TurboSMS takes ≤ 30 characters
    url: str  # where it leads (the web confirmation link)


@dataclass(frozen=True)
class OutboundMessage:
    """One message to one customer, as the outreach flow wants it; a gateway turns it into its
    provider's request."""

    # E.164 with the '+' (``+380501234567``), as ``bot.domain.phones.normalise_phone`` gives it.
    recipient: str
    preference: ChannelPreference
    # What goes by SMS (used for ``sms`` and as the fallback of ``viber_then_sms``); counted in
    # parts by ``bot.domain.sms_parts`` before it gets here.
    sms_text: str | None
    # What goes by Viber (``viber`` and ``viber_then_sms``); may be longer than an SMS.
    viber_text: str | None
    # Shown only when both a caption and a URL are given.
    viber_button_caption: str | None = None
    viber_button_url: str | None = None
    # How long Viber keeps trying before it gives up (and the hybrid send falls back to SMS);
    # None: the provider's default. Whole seconds are sent.
    ttl: timedelta | None = None
    # The caller's unique id of this send (the outbox message's id): a provider that supports it
    # executes a repeated request once, so a send retried after a lost answer is not sent twice.
    idempotency_key: str | None = None

    @property
    def viber_button(self) -> ViberButton | None:
        if self.viber_button_caption and self.viber_button_url:
            return ViberButton(self.viber_button_caption, self.viber_button_url)
        return None


@dataclass(frozen=True)
class SendResult:
    """What the provider accepted."""

    # The provider's id per channel it accepted the message for; a provider that sends a hybrid
    # message under one id (TurboSMS) names the same id for both channels.
    message_ids: Mapping[Channel, str]
    # Parts the provider says it will bill; None when its answer does not say.
    parts: int | None = None

    @property
    def accepted(self) -> frozenset[Channel]:
        """The channels the message may travel by."""
        return frozenset(self.message_ids)

    @property
    def ids(self) -> tuple[str, ...]:
        """Each distinct id once, in channel order: what :meth:`Gateway.statuses` takes."""
        return tuple(dict.fromkeys(self.message_ids.values()))


class DeliveryKind(StrEnum):
    """Where a message is, in words every provider's statuses are mapped to."""

    queued = "queued"  # accepted, not yet handed to the network
    sent = "sent"  # handed to the operator or Viber; no receipt yet
    delivered = "delivered"  # on the phone
    read = "read"  # opened (Viber)
    not_delivered = "not_delivered"  # the network gave up: the customer was not reached
    expired = "expired"  # the ttl ran out before delivery
    rejected = "rejected"  # refused before sending (stop list, moderation, no such id)
    unknown = "unknown"  # the provider's status is not one this gateway knows: see ``raw``

    @property
    def final(self) -> bool:
        """Whether the state will not change any more (``read`` may still follow ``delivered``)."""
        return self in FINAL_KINDS


FINAL_KINDS = frozenset(
    {DeliveryKind.read, DeliveryKind.not_delivered, DeliveryKind.expired, DeliveryKind.rejected}
)


@dataclass(frozen=True)
class DeliveryState:
    """One message's state as the provider reports it."""

    message_id: str
    state: DeliveryKind
    # The provider's own status text, kept as it came (for logs, the managers' alert, and for
    # learning values this gateway maps to ``unknown``).
    raw: str | None
    # The channel the provider says the message went by (a hybrid message: viber or the sms
    # fallback); None when it does not say yet.
    channel: Channel | None = None


class Refusal(StrEnum):
    """Why a gateway call failed, as far as the caller can act on it."""

    credentials = (
        "credentials"  # token missing, wrong or its account blocked: calling again won't help
    )
    unavailable = "unavailable"  # no answer, 5xx, 429 or the provider's own failure: try later
    bad_request = "bad_request"  # the request as built is wrong (a text, a button, a ttl): fix it
    recipient = "recipient"  # this phone cannot be reached by it (stop list, unknown operator)
    sender = "sender"  # the sender name is not allowed or not active: a setting to fix
    funds = "funds"  # the account has no credit left


class GatewayRejected(Exception):
    """A gateway call failed: ``status`` is the HTTP status (0: no answer at all), ``code`` the
    provider's own code when it gave one."""

    def __init__(
        self,
        refusal: Refusal,
        message: str,
        *,
        status: int = 200,
        code: int | None = None,
        retry_after: timedelta | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}" if code is not None else message)
        self.refusal = refusal
        self.message = message
        self.status = status
        self.code = code
        self.retry_after = retry_after

    @property
    def credentials_refused(self) -> bool:
        return self.refusal is Refusal.credentials

    @property
    def worth_retrying(self) -> bool:
        return self.refusal is Refusal.unavailable

    @property
    def bad_request(self) -> bool:
        return self.refusal is Refusal.bad_request

    @property
    def recipient_refused(self) -> bool:
        """The customer is unreachable by this channel: tell a manager, do not retry."""
        return self.refusal is Refusal.recipient


class Gateway(Protocol):
    """One provider. Stateless between calls apart from its settings."""

    async def send(self, http: aiohttp.ClientSession, message: OutboundMessage) -> SendResult:
        """Hand the message to the provider; raise :class:`GatewayRejected` if it is not taken."""

    async def statuses(
        self, http: aiohttp.ClientSession, message_ids: Sequence[str]
    ) -> list[DeliveryState]:
        """The state of each id the provider knows (an id it does not know comes back
        ``rejected`` or ``unknown``, never silently dropped)."""

    async def balance(self, http: aiohttp.ClientSession) -> Decimal:
        """The account's credit, in the provider's unit (TurboSMS: hryvnias)."""
