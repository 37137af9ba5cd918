"""Catalogs are found as package data, and a missing or broken one is an error naming the file."""

from __future__ import annotations

import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import CatalogError, Catalogs

LOCALES = Path(__file__).resolve().parent.parent / "locales"
KYIV = ZoneInfo("Europe/Kyiv")


def test_the_committed_catalogs_are_found_without_a_path():
    assert Catalogs(KYIV)("uk").gettext("Order not found.") == "Замовлення не знайдено."
    assert Catalogs(KYIV)("ru").gettext("Order not found.") == "Заказ не найден."


@pytest.fixture
def locales_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(LOCALES, tmp_path / "locales"))


def test_a_missing_catalog_is_named(locales_copy: Path):
    missing = locales_copy / "ru" / "LC_MESSAGES" / "messages.po"
    missing.unlink()
    with pytest.raises(CatalogError, match=f"^{missing}: not found$"):
        Catalogs(KYIV, locales_copy)


def test_a_catalog_that_does_not_parse_is_named(locales_copy: Path):
    broken = locales_copy / "uk" / "LC_MESSAGES" / "messages.po"
    broken.write_text('msgid "Order not found."\nmsgid garbage\n', "utf-8")
    with pytest.raises(CatalogError, match=f"^{broken}: "):
        Catalogs(KYIV, locales_copy)
