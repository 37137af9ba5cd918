"""``vykup connect``: one command connects, a second changes nothing, --list and --remove."""

from __future__ import annotations

import asyncio
import io

import pytest

from bot.cli.connect import run_connect
from bot.cli.parser import parse_args
from bot.clock import ManualClock
from bot.config import ConnectSettings
from bot.connectors.base import Platform
from storage.db import create_engine
from storage.migrate import upgrade
from storage.uow import Database
from tests.conftest import reset_postgres
from tests.connectors.recording import RecordingAdapter

PUBLIC = "https://bot.example.com"
CONNECT = ["connect", "woocommerce", "--url", "https://shop.example/", "--key", "ck_abcd1234"]


@pytest.fixture
def settings(database_url: str) -> ConnectSettings:
    async def prepare() -> None:
        db = Database(create_engine(database_url), ManualClock())
        try:
            await reset_postgres(db.engine, database_url)
        finally:
            await db.dispose()

    if database_url.startswith("postgresql"):
        asyncio.run(prepare())
    else:
        upgrade(database_url)
    return ConnectSettings(_env_file=None, database_url=database_url, public_url=PUBLIC)  # type: ignore[call-arg]


def run(argv: list[str], settings: ConnectSettings, adapter: RecordingAdapter) -> tuple[int, str]:
    out = io.StringIO()
    code = run_connect(
        parse_args(argv, "vykup"), settings, adapters={Platform.woocommerce: adapter}, out=out
    )
    return code, out.getvalue()


def test_connecting_twice_keeps_one_connection_at_one_address(settings, capsys):
    adapter = RecordingAdapter()
    code, first = run([*CONNECT, "--secret", "cs_secret9876"], settings, adapter)
    assert code == 0
    assert "connected «woocommerce»: Test shop (https://shop.example)" in first
    assert "cs_secret9876" not in first and "…9876" in first  # secrets never printed whole
    address = next(line for line in first.splitlines() if "webhooks go to" in line)
    assert address.endswith(f"{PUBLIC}/connect/woocommerce/" + address.rsplit("/", 1)[1])
    assert "order.confirmed" in first and "processing" in first

    code, second = run([*CONNECT, "--secret", "cs_secret9876"], settings, adapter)
    assert code == 0 and "updated «woocommerce»" in second
    assert address in second.splitlines()  # the same address: the platform's webhooks still fit

    code, listed = run(["connect", "--list"], settings, adapter)
    assert code == 0 and listed.splitlines()[0] == (
        "woocommerce (woocommerce) https://shop.example — active"
    )
    assert "last delivery from it: never" in listed and "orders taken in: 0" in listed


def test_the_owner_maps_an_event_and_it_sticks(settings):
    adapter = RecordingAdapter()
    code, out = run(
        [*CONNECT, "--secret", "cs_s", "--map", "order.confirmed=on-hold"], settings, adapter
    )
    assert code == 0 and any(
        line.split() == ["order.confirmed", "on-hold"] for line in out.splitlines()
    )
    _, again = run([*CONNECT, "--secret", "cs_s"], settings, adapter)
    assert any(line.split() == ["order.confirmed", "on-hold"] for line in again.splitlines())


def test_the_steps_by_hand_are_printed_as_the_adapter_numbered_them(settings):
    adapter = RecordingAdapter(
        instructions=[
            "1. Open the admin.",
            "2. Paste the address:",
            "   https://x.example/h",
            "3. Save.",
        ]
    )
    code, out = run([*CONNECT, "--secret", "s"], settings, adapter)
    steps = out.split("Now, by hand:\n", 1)[1].splitlines()
    assert code == 0 and steps == [
        "  1. Open the admin.",
        "  2. Paste the address:",
        "     https://x.example/h",  # the line to copy stands alone, with no number of its own
        "  3. Save.",
    ]


def test_refused_credentials_store_nothing(settings, capsys):
    adapter = RecordingAdapter()
    code, _ = run(
        ["connect", "woocommerce", "--url", "shop.example", "--key", "wrong", "--secret", "x"],
        settings,
        adapter,
    )
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        "vykup: connect woocommerce: the platform refused the key (401)"
    )
    _, listed = run(["connect", "--list"], settings, adapter)
    assert "no connections yet" in listed


def test_without_public_url_it_says_what_to_set(settings, capsys):
    no_address = settings.model_copy(update={"public_url": None})
    code, _ = run([*CONNECT, "--secret", "s"], no_address, RecordingAdapter())
    assert code == 2 and "PUBLIC_URL is not set" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["connect", "woocommerce", "--url", "https://s.example", "--key", "k"], "needs --secret"),
        ([*CONNECT, "--secret", "s", "--api-key", "x"], "takes no --api-key"),
        ([*CONNECT, "--secret", "s", "--map", "order.shipped=x"], "EVENT one of"),
        ([*CONNECT, "--secret", "s", "--name", "My Shop"], "--name"),
        (["connect"], "name the platform"),
    ],
)
def test_a_wrong_command_gets_its_usage(settings, capsys, argv, complaint):
    with pytest.raises(SystemExit) as exit_:
        run(argv, settings, RecordingAdapter())
    assert exit_.value.code == 2 and complaint in capsys.readouterr().err


def test_remove_unregisters_and_forgets(settings, capsys):
    adapter = RecordingAdapter()
    run([*CONNECT, "--secret", "s"], settings, adapter)
    code, out = run(["connect", "--remove", "woocommerce"], settings, adapter)
    assert code == 0 and "removed «woocommerce»" in out and "removed" in out.splitlines()[-1]
    code, _ = run(["connect", "--remove", "woocommerce"], settings, adapter)
    assert code == 1 and "no connection named «woocommerce»" in capsys.readouterr().err


def test_a_platforms_own_settings_are_kept_with_the_connection(settings):
    adapter = RecordingAdapter()
    code, _ = run(
        [
            *CONNECT,
            "--secret",
            "s",
            "--option",
            "cod_gateways=Накладений платіж",
            "--cancel-orders",
        ],
        settings,
        adapter,
    )
    assert code == 0

    async def stored() -> dict[str, str]:
        db = Database(create_engine(settings.database_url), ManualClock())
        try:
            async with db.read() as uow:
                connection = await uow.connections.by_name("woocommerce")
                return dict(connection.options)
        finally:
            await db.dispose()

    assert asyncio.run(stored()) == {"cod_gateways": "Накладений платіж", "cancel_orders": "1"}


def test_a_new_public_url_moves_the_webhooks_and_remove_finds_them_without_it(settings):
    adapter = RecordingAdapter()
    run([*CONNECT, "--secret", "s"], settings, adapter)
    moved = settings.model_copy(update={"public_url": "https://vykup.shop.example"})
    code, out = run([*CONNECT, "--secret", "s"], moved, adapter)
    assert code == 0
    [old] = adapter.unregistered  # the webhooks at the old address went first
    assert old.startswith(f"{PUBLIC}/connect/woocommerce/")
    assert "webhooks go to https://vykup.shop.example/connect/woocommerce/" in out
    # Removing works from a shell without PUBLIC_URL: the address registered is remembered.
    unset = settings.model_copy(update={"public_url": None})
    code, _ = run(["connect", "--remove", "woocommerce"], unset, adapter)
    assert code == 0
    assert adapter.unregistered[-1].startswith("https://vykup.shop.example/connect/woocommerce/")
