"""A broken TEMPLATES_FILE stops the bot before it talks to Telegram: exit 2, one clear line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "123456:TEST-token-abcdefghijklmnopqrstu"


def run_bot(tmp_path: Path, templates: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": "http://127.0.0.1:9",  # nothing listens: the file must fail first
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db",
        "LOG_LEVEL": "WARNING",
        "TEMPLATES_FILE": str(templates),
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("t.toml", '[arrived.vip]\nuk = "{foo}"\n', "arrived.vip.uk: unknown placeholder {foo}"),
        ("t.yaml", "shipped:\n  uk: '<b>{number}'\n", "shipped.uk: invalid Telegram HTML"),
    ],
)
def test_a_broken_templates_file_exits_2_naming_file_and_key(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = run_bot(tmp_path, path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"vykup: TEMPLATES_FILE is invalid: {path}: ")
    assert expected in lines[0]


def test_a_missing_templates_file_exits_2(tmp_path: Path) -> None:
    result = run_bot(tmp_path, tmp_path / "missing.toml")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"vykup: TEMPLATES_FILE is invalid: {tmp_path / 'missing.toml'}: no such file"
    )
