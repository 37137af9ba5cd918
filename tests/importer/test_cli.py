"""`python run_bot.py import <file>` as an operator runs it: no bot token, a report, exit codes."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import StorageSettings
from bot.importer.cli import run_import

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLE = ROOT / "examples" / "orders-history.csv"


def run_bot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # bot/config.py reads .env beside run_bot.py whatever the working directory, but the
    # environment wins over it: every setting import reads is set here, and BOT_TOKEN is not.
    environment = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/data/vykup.db",
        "TIMEZONE": "Europe/Kyiv",
        "LOG_LEVEL": "WARNING",
        **env,
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py"), *args],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_import_the_example_without_a_bot_token(tmp_path):
    result = run_bot(tmp_path, "import", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "vykup: orders-history.csv: imported 12, already present 0, bad 0\n"
    assert (
        result.stderr == ""
    )  # no terminal: no progress bar; LOG_LEVEL=WARNING: no Alembic chatter
    assert (tmp_path / "data" / "vykup.db").exists()


def test_a_file_that_cannot_be_read_exits_1_with_one_line_and_touches_no_database(tmp_path):
    result = run_bot(tmp_path, "import", "missing.csv")
    assert result.returncode == 1
    assert result.stderr == "vykup: missing.csv: no such file\n"
    assert not (tmp_path / "data").exists()


def test_a_bad_setting_exits_2_with_one_line(tmp_path):
    result = run_bot(tmp_path, "import", str(EXAMPLE), TIMEZONE="Mars/Olympus")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("vykup: TIMEZONE is invalid")


def test_import_wants_a_file(tmp_path):
    result = run_bot(tmp_path, "import")
    assert result.returncode == 2
    assert "import needs the file to import" in result.stderr


def settings(tmp_path: Path) -> StorageSettings:
    return StorageSettings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path}/v.db")  # type: ignore[call-arg]


def test_bad_rows_are_printed_after_the_import_then_the_summary(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(
        "external_id;phone;name;status;created_at;total\n"
        "A-1;0501234567;Олена;received;2025-05-01;100\n"
        "A-2;0501234567;Олена;on_hold;2025-05-01;100\n"
        "A-3;0501234567;Олена;received;2025-05-01;сто\n"
        "A-4;0501234567;Олена;refused;2025-05-02;100\n",
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()

    code = run_import(path, settings(tmp_path), out=out, err=err)

    assert code == 0
    assert out.getvalue().splitlines() == [
        "line 3: status 'on_hold' is not an outcome: use one of received, refused, returned, cancelled",
        "line 4: total 'сто' is not a number",
        "vykup: orders.csv: imported 2, already present 0, bad 2",
    ]
    assert err.getvalue() == ""  # not a terminal: no progress bar

    again, err = io.StringIO(), io.StringIO()
    assert run_import(path, settings(tmp_path), out=again, err=err) == 0
    assert (
        again.getvalue().splitlines()[-1]
        == "vykup: orders.csv: imported 0, already present 2, bad 2"
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "orders.json",
            '{"orders": 5}',
            'expected a list of orders, or an object with an "orders" list',
        ),
        ("orders.txt", "external_id\n", "import reads .csv or .json files"),
        ("orders.csv", "id,phone\n1,0501234567\n", "the header (line 1) has no column external_id"),
    ],
)
def test_a_file_that_is_not_orders_exits_1(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()

    assert run_import(path, settings(tmp_path), out=out, err=err) == 1

    assert out.getvalue() == ""
    assert err.getvalue().startswith(f"vykup: {path}: {message}")
    assert len(err.getvalue().splitlines()) == 1
    assert not (tmp_path / "v.db").exists()


def test_migrate_needs_no_bot_token_either(tmp_path):
    result = run_bot(tmp_path, "migrate")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "vykup: the database schema is up to date\n"
    assert (tmp_path / "data" / "vykup.db").exists()
