"""``pip install .`` (not editable) works from any directory: the command, migrations,
translations and the sandbox page all come from the installed package."""

from __future__ import annotations

import select
import signal
import sqlite3
import subprocess
import urllib.request
from email import message_from_string
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.deploy.conftest import Installed
from tests.deploy.dockerfile import ROOT

pytestmark = pytest.mark.packaging
TOKEN = "123456:TEST-token-abcdefghijklmnopqrstu"
# Files of the packages a developer needs but the installed bot does not.
NOT_SHIPPED = {"locales/README.md", "locales/messages.pot"}


def test_version_from_another_directory(installed: Installed):
    result = installed.run("vykup", "--version")
    assert (result.returncode, result.stdout) == (0, "vykup 0.1.0\n"), result.stderr


def test_migrate_builds_the_schema_from_the_installed_migrations(installed: Installed):
    result = installed.run(
        "vykup", "migrate", DATABASE_URL="sqlite+aiosqlite:///./data/vykup.db", LOG_LEVEL="WARNING"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "vykup: the database schema is up to date\n"
    with sqlite3.connect(installed.home / "data" / "vykup.db") as db:
        (revision,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    assert revision and {"orders", "outbox"} <= tables


def test_vykup_reads_the_env_file_of_its_working_directory(installed: Installed):
    env_file = installed.home / ".env"
    env_file.write_text("TIMEZONE=Mars/Olympus\n", "utf-8")
    try:
        result = installed.run("vykup", "migrate")
    finally:
        env_file.unlink()
    assert result.returncode == 2
    assert result.stderr.startswith("vykup: TIMEZONE is invalid")


def test_without_a_token_it_names_its_env_file_and_its_own_sandbox_command(installed: Installed):
    result = installed.run("vykup")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"vykup: BOT_TOKEN is not set: put it in {installed.home / '.env'} or in the environment"
        " (see .env.example)",
        "vykup: no bot token? Try every flow in a browser first: vykup sandbox",
    ]


def test_a_message_is_translated_by_the_installed_package(installed: Installed):
    code = (
        "import bot, zoneinfo; from bot.i18n import Catalogs; "
        "print(bot.__file__); "
        "print(Catalogs(zoneinfo.ZoneInfo('Europe/Kyiv'))('uk').gettext('Order not found.'))"
    )
    result = installed.run("python", "-c", code)
    assert result.returncode == 0, result.stderr
    where, translated = result.stdout.splitlines()
    assert Path(where).is_relative_to(installed.site_packages())  # not the checkout
    assert translated == "Замовлення не знайдено."


def test_a_broken_catalog_stops_the_start_with_one_line(installed: Installed):
    catalog = installed.site_packages() / "locales" / "ru" / "LC_MESSAGES" / "messages.po"
    original = catalog.read_bytes()
    catalog.write_text('msgid "x"\nmsgid garbage\n', "utf-8")
    try:
        result = installed.run(
            "vykup",
            "run",
            BOT_TOKEN=TOKEN,
            DATABASE_URL="sqlite+aiosqlite:///v.db",
            LOG_LEVEL="WARNING",  # no Alembic chatter before it
        )
    finally:
        catalog.write_bytes(original)
    assert result.returncode == 2
    assert result.stderr.startswith(f"vykup: the translations cannot be loaded: {catalog}: ")
    assert len(result.stderr.splitlines()) == 1


def test_the_sandbox_page_is_served_from_the_installed_package(installed: Installed):
    process = subprocess.Popen(
        [str(installed.bin / "vykup"), "sandbox", "--no-browser", "--port", "0"],
        cwd=installed.home,
        env={"PATH": f"{installed.bin}:/usr/bin:/bin", "HOME": str(installed.home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 60)  # a bounded wait for the line
        assert ready, "the sandbox said nothing within 60 s"
        url = process.stdout.readline().split(" ready at ")[1].split()[0]
        with urllib.request.urlopen(url, timeout=10) as page:
            assert "sandbox.js" in page.read().decode()
        with urllib.request.urlopen(f"{url}static/sandbox.js", timeout=10) as script:
            assert script.status == 200
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0


def test_the_wheel_holds_every_file_of_the_packages(installed: Installed):
    """A data file added beside the code (a catalog, a page asset, a migration) is shipped too."""
    site = installed.site_packages()
    expected = {
        path.relative_to(ROOT).as_posix()
        for package in ("bot", "handlers", "storage", "locales")
        for path in (ROOT / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    } - NOT_SHIPPED
    missing = sorted(name for name in expected if not (site / name).is_file())
    assert missing == []


def test_the_pinned_versions_satisfy_the_wheels_bounds(installed: Installed):
    """The image installs constraints.txt: every requirement must accept its pinned version."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonical(name)] = version
    (metadata,) = installed.site_packages().glob("vykup-*.dist-info/METADATA")
    declared = [
        Requirement(r) for r in message_from_string(metadata.read_text()).get_all("Requires-Dist")
    ]
    runtime = [r for r in declared if r.marker is None]  # not the [dev] extra
    assert len(runtime) > 10
    wrong = [str(r) for r in runtime if pins.get(canonical(r.name), "0") not in r.specifier]
    assert wrong == [], "constraints.txt misses or contradicts these"


def canonical(name: str) -> str:
    return name.lower().replace("_", "-")
