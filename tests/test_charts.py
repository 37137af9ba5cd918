"""The /stats chart is a valid PNG of the expected size, with data and without, in Ukrainian."""

from __future__ import annotations

import io
import warnings
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from bot.charts import render_stats_chart
from bot.domain.feedback import RefusalReason
from bot.domain.periods import ReportPeriod, weeks_between
from bot.i18n import Catalogs
from bot.views.stats import RefusalCount, StatsReport, WeekOutcomes
from storage.repositories.reports import Confirmations
from storage.repositories.stats import Outcomes

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KYIV = ZoneInfo("Europe/Kyiv")
NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def report(period: ReportPeriod, *, empty: bool = False) -> StatsReport:
    since, until = period.window(NOW)
    weeks = weeks_between(since, until, KYIV)
    parts = [
        Outcomes() if empty or n == 1 else Outcomes(received=n + 3, refused=n % 3, returned=1)
        for n in range(len(weeks))
    ]
    refusals = (
        ()
        if empty
        else (
            RefusalCount(RefusalReason.too_expensive, 7),
            RefusalCount(RefusalReason.did_not_order, 2),
            RefusalCount(None, 1),
        )
    )
    return StatsReport(
        period=period,
        since=since,
        until=until,
        outcomes=Outcomes(
            received=sum(p.received for p in parts),
            refused=sum(p.refused for p in parts),
            returned=sum(p.returned for p in parts),
        ),
        weeks=tuple(WeekOutcomes(w.monday, p) for w, p in zip(weeks, parts, strict=True)),
        confirmations=Confirmations(),
        refusals=refusals,
    )


def opened(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    image.verify()  # checks the chunks' CRCs
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


@pytest.mark.parametrize("period", list(ReportPeriod))
def test_a_chart_with_data_is_a_900_px_png(catalogs: Catalogs, period: ReportPeriod):
    png = render_stats_chart(report(period), catalogs("uk"))
    image = opened(png)
    assert image.format == "PNG" and image.size == (900, 900)
    # Not a blank canvas: bars are drawn (many colours, not just white and text).
    assert len(image.convert("RGB").getcolors(maxcolors=1 << 16) or ()) > 20
    assert len(png) < 1_000_000  # far below Telegram's 10 MB for photos


def test_an_empty_report_still_renders(catalogs: Catalogs):
    png = render_stats_chart(report(ReportPeriod.week, empty=True), catalogs("uk"))
    assert opened(png).size == (900, 900)


def test_the_chart_is_deterministic_and_speaks_the_readers_language(catalogs: Catalogs):
    data = report(ReportPeriod.month)
    uk = render_stats_chart(data, catalogs("uk"))
    assert render_stats_chart(data, catalogs("uk")) == uk
    assert render_stats_chart(data, catalogs("en")) != uk  # week labels differ at least


@pytest.mark.parametrize("language", ["uk", "ru", "en"])
def test_every_label_has_its_glyphs(catalogs: Catalogs, language: str):
    """matplotlib warns about each character its font lacks (Cyrillic must never be one)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        render_stats_chart(report(ReportPeriod.quarter), catalogs(language))
