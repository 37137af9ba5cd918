"""What every platform connector speaks: the shapes between a platform and Vykup's services.

A connector (``bot/connectors/<platform>/``) knows one platform: how its webhooks are signed and
what they carry (turned into :class:`Inbound`), how to check credentials and register webhooks
(``vykup connect``), and how to tell the platform what happened (:meth:`Adapter.apply`, called by
the outbox worker). It never touches the database: ``bot.services.connections`` does that.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

import aiohttp

from bot.domain.new_order import NewOrder
from bot.domain.orders import Carrier, OrderStatus
from bot.domain.shop_events import ShopEvent

# A platform webhook larger than this is refused with 413 (hundreds of line items fit easily).
MAX_INBOUND_BYTES = 2 * 1024 * 1024


class Platform(StrEnum):
    woocommerce = "woocommerce"
    shopify = "shopify"
    keycrm = "keycrm"


@dataclass(frozen=True)
class ConnectionInfo:
    """A stored connection, as a connector sees it. Secrets are plain here: never log this."""

    name: str
    platform: Platform
    # The API's base: WooCommerce ``https://shop.example``, Shopify ``https://<shop>.myshopify.com``,
    # KeyCRM ``https://openapi.keycrm.app/v1``; a proxy, a staging shop or a test fake alike.
    api_url: str
    # What the platform's API takes: WooCommerce ``key``/``secret``, Shopify ``token`` (Admin API
    # access token) and ``client_secret`` (signs its webhooks), KeyCRM ``api_key``.
    credentials: Mapping[str, str]
    # WooCommerce: the secret Vykup set on the webhooks it registered (X-WC-Webhook-Signature);
    # Shopify: the app's client secret (X-Shopify-Hmac-Sha256); KeyCRM: unused (the URL's key is it).
    signing_secret: str
    # Where the platform delivers: ``<PUBLIC_URL>/connect/<platform>/<key>``; the key is long and
    # random, so a KeyCRM webhook (which nothing signs) is known by its address alone.
    webhook_url: str
    # A Vykup event's name (``order.confirmed``) → the platform's status, tag or status id; ""
    # means "no status change, only a note". Events not named take the connector's defaults.
    mapping: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, str] = field(default_factory=dict)


# -- inbound: the platform's webhook, read ---------------------------------------------------


class SkipReason(StrEnum):
    """Why a platform order is recorded but not taken in (the customer is not asked)."""

    no_phone = "no_phone"
    not_cash_on_delivery = "not_cod"
    cancelled = "cancelled"  # cancelled on the platform before Vykup heard of it
    # More lines than an order may have (the shop API's 100): a customer confirms a whole order
    # or none; refusing the delivery instead would make the platform retry and switch it off.
    too_many_items = "too_many_items"


@dataclass(frozen=True)
class Tracking:
    carrier: Carrier
    number: str


@dataclass(frozen=True)
class RemoteOrder:
    """One platform order, as its webhook (or a fetch) tells it."""

    remote_id: str  # the platform's own id: what its API addresses
    number: str  # what people see in the shop's admin (WooCommerce number, Shopify name "#1001")
    # The platform's own modification time: an update older than the one applied is ignored.
    updated_at: datetime | None
    # The order to take in; None when it is not taken in (``skipped`` says why).
    order: NewOrder | None
    skipped: SkipReason | None = None
    # Where the shop moved the order (cancelled in the admin, a CRM status), if it maps to one.
    status: OrderStatus | None = None
    status_comment: str | None = None  # the platform's own status name, for the history
    tracking: Tracking | None = None  # a waybill added on the platform: the parcel is shipped


class InboundKind(StrEnum):
    order = "order"  # an order created or changed: ``order`` carries it
    fetch = "fetch"  # the body names an order without its details: fetch ``remote_id``
    ping = "ping"  # the platform testing the address: answer 200, do nothing
    ignored = "ignored"  # a topic Vykup does not act on (deleted, restored, …): answer 200


@dataclass(frozen=True)
class Inbound:
    kind: InboundKind
    order: RemoteOrder | None = None
    remote_id: str | None = None  # for ``fetch``
    topic: str | None = None  # the platform's topic, for logs


class InvalidInbound(ValueError):
    """The webhook's body cannot be read: answered 422 with ``field`` and ``message``."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


class TooManyItems(InvalidInbound):
    """An order readable but too big to take in: a connector records it skipped
    (:attr:`SkipReason.too_many_items`) rather than refusing the delivery."""


# -- outbound: telling the platform ----------------------------------------------------------


@dataclass(frozen=True)
class PlatformUpdate:
    """What one Vykup event asks of the platform's order ``remote_id``.

    ``marker`` is unique per event (``vykup:evt_<id>``): a connector that adds a note first looks
    for the marker among the order's notes, so that a call repeated after a crash (the outbox sends
    at least once) never adds a second note. Setting a status or a tag is idempotent by itself.
    """

    remote_id: str
    event: ShopEvent | None  # None: a note only (the customer's Telegram link), no status or tag
    note: str | None  # already written in the managers' language; None: no note
    marker: str
    # For the customer to read, in their language, where the platform shows notes to customers
    # (WooCommerce e-mails a "customer note"). An update with no event is for the customer only:
    # a platform that cannot show it to them (Shopify, KeyCRM) does nothing with it.
    customer_note: str | None = None


class PlatformRejected(Exception):
    """The platform answered a call with an error (``status`` 0: it did not answer at all)."""

    def __init__(self, status: int, message: str, retry_after: timedelta | None = None) -> None:
        super().__init__(f"HTTP {status}: {message}" if status else message)
        self.status = status
        self.message = message
        self.retry_after = retry_after

    @property
    def credentials_refused(self) -> bool:
        """401/403: the key was revoked or lost a permission; calling again will not help."""
        return self.status in (401, 403)

    @property
    def worth_retrying(self) -> bool:
        """429, 5xx, 408 or no answer: the same call may succeed later."""
        return self.status in (0, 408, 429) or self.status >= 500


@dataclass(frozen=True)
class ChangedOrders:
    """A page of the platform's orders changed since a moment, oldest change first."""

    orders: list[RemoteOrder]
    # Where the next page starts: the last order's modification time (the platform's clock).
    until: datetime | None
    more: bool  # another page follows at once


class ConnectFailed(Exception):
    """``vykup connect`` cannot go on: one line naming what is wrong (unreachable, 401, …)."""


@dataclass(frozen=True)
class Registration:
    """What ``connect`` did on the platform, in lines a shop owner reads."""

    done: list[str]
    # Steps the shop owner takes by hand where the platform has no API for them (KeyCRM), as
    # printed: numbered by the adapter, a line to copy (an address) on a line of its own.
    instructions: list[str] = field(default_factory=list)
    # Defaults learned from the account (KeyCRM's status ids), stored with the connection unless
    # the owner gave their own with ``--map``; same keys as ``ConnectionInfo.mapping``.
    mapping: Mapping[str, str] = field(default_factory=dict)
    # Facts learned from the account that later calls need (stored in ``ConnectionInfo.options``).
    options: Mapping[str, str] = field(default_factory=dict)


class Adapter(Protocol):
    """One platform. Stateless: everything it needs comes in the arguments."""

    @property
    def platform(self) -> Platform: ...

    @property
    def default_api_url(self) -> str | None:
        """None: the shop's own address must be given."""

    @property
    def credential_names(self) -> tuple[str, ...]: ...

    @property
    def default_mapping(self) -> Mapping[ShopEvent, str]: ...

    def signing_secret(self, credentials: Mapping[str, str]) -> str | None:
        """The secret the platform signs webhooks with, when it comes with the credentials
        (Shopify's client secret); None: Vykup makes one (WooCommerce) or none is used."""

    def verify(self, connection: ConnectionInfo, headers: Mapping[str, str], body: bytes) -> bool:
        """Whether the delivery is the platform's own (signature checked in constant time)."""

    def parse(self, connection: ConnectionInfo, headers: Mapping[str, str], body: bytes) -> Inbound:
        """Read a verified delivery; raise :class:`InvalidInbound` for a body that cannot be."""

    async def fetch(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo, remote_id: str
    ) -> RemoteOrder:
        """The order ``remote_id`` read through the API (where webhooks carry no details)."""

    async def check(self, http: aiohttp.ClientSession, connection: ConnectionInfo) -> str:
        """Check the credentials; return the shop's name. Raise :class:`ConnectFailed`."""

    async def register(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo
    ) -> Registration:
        """Make sure the webhooks Vykup needs exist at ``connection.webhook_url`` (idempotent)."""

    async def unregister(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo
    ) -> list[str]:
        """Remove the webhooks ``register`` made; return what was done."""

    async def apply(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo, update: PlatformUpdate
    ) -> None:
        """Tell the platform; raise :class:`PlatformRejected` on an error answer or none."""

    async def changed_since(
        self, http: aiohttp.ClientSession, connection: ConnectionInfo, since: datetime
    ) -> ChangedOrders | None:
        """Orders changed after ``since`` (at most a page), read through the API: the catch-up
        that finds what a webhook lost (WooCommerce never re-sends a failed delivery). None: the
        platform offers no such list."""
