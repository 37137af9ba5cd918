"""The /stats chart: the buyout rate by week and refusals by reason, as a PNG.

A pure function of the report. It uses matplotlib's object API with the Agg canvas, never pyplot
(whose global state is not safe in a server). Rendering is CPU-bound: call it in a thread.
"""

from __future__ import annotations

import io
import threading

from babel.dates import format_date
from babel.numbers import format_percent
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.i18n import BABEL_LOCALES, Translator
from bot.texts.stats import percent, refusal_label
from bot.views.stats import StatsReport

SIZE_INCHES = 9.0
DPI = 100  # 900 × 900 pixels
BAR = "#2f7ebc"
REFUSAL = "#d9534f"
MUTED = "#777777"
MAX_LABEL = 28  # characters of a refusal reason's label on the chart

# matplotlib's font cache and text layout are shared by all figures; one render at a time.
_rendering = threading.Lock()


def render_stats_chart(report: StatsReport, t: Translator) -> bytes:
    """Two panels, top to bottom: buyout rate by week (0–100 %), refusals by reason."""
    with _rendering:
        figure = Figure(figsize=(SIZE_INCHES, SIZE_INCHES), dpi=DPI)
        FigureCanvasAgg(figure)
        weekly, reasons = figure.subplots(2, 1)
        _weekly_panel(weekly, report, t)
        _refusals_panel(reasons, report, t)
        figure.tight_layout(pad=1.5, h_pad=3.0)
        buffer = io.BytesIO()
        # No "Software" entry, no timestamps: the same report gives the same bytes.
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
        return buffer.getvalue()


def _empty(axes: Axes, title: str, text: str) -> None:
    axes.set_title(title, loc="left", fontsize=13, fontweight="bold")
    axes.set_axis_off()
    axes.text(0.5, 0.5, text, ha="center", va="center", fontsize=13, color=MUTED, wrap=True)


def _weekly_panel(axes: Axes, report: StatsReport, t: Translator) -> None:
    title = t.gettext("Buyout rate by week")
    if not report.outcomes.finished:
        _empty(axes, title, t.gettext("No parcels finished in this period"))
        return
    locale = BABEL_LOCALES[t.language]
    labels = [format_date(week.monday, "d MMM", locale=locale) for week in report.weeks]
    positions = list(range(len(report.weeks)))
    rates = [
        100 * week.outcomes.received / week.outcomes.finished if week.outcomes.finished else 0.0
        for week in report.weeks
    ]
    bars = axes.bar(positions, rates, color=BAR, width=0.6)
    for bar, week in zip(bars, report.weeks, strict=True):
        finished = week.outcomes.finished
        note = (
            f"{percent(week.outcomes.received, finished, t)}\n{week.outcomes.received}/{finished}"
            if finished
            else "—"
        )
        axes.annotate(
            note,
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8 if len(report.weeks) > 8 else 9,
            color="#333333" if finished else MUTED,
        )
    axes.set_title(title, loc="left", fontsize=13, fontweight="bold")
    axes.set_ylim(0, 118)  # room for the notes above a 100 % bar
    ticks = [0, 25, 50, 75, 100]
    axes.set_yticks(ticks, [format_percent(tick / 100, locale=locale) for tick in ticks])
    axes.set_xticks(positions, labels, rotation=45 if len(labels) > 6 else 0, ha="center")
    axes.set_xlabel(t.gettext("Week starting"))
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def _refusals_panel(axes: Axes, report: StatsReport, t: Translator) -> None:
    title = t.gettext("Refusals by reason")
    if not report.refusals:
        _empty(axes, title, t.gettext("No refusals in this period"))
        return
    lines = list(reversed(report.refusals))  # the most frequent on top
    positions = list(range(len(lines)))
    counts = [line.count for line in lines]
    bars = axes.barh(positions, counts, color=REFUSAL, height=0.6)
    for bar, count in zip(bars, counts, strict=True):
        axes.annotate(
            str(count),
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=10,
        )
    axes.set_yticks(positions, [_shorten(refusal_label(line, t)) for line in lines])
    axes.set_xlim(0, max(counts) * 1.15 + 0.5)
    locator = axes.xaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
        locator.set_params(integer=True)
    axes.set_title(title, loc="left", fontsize=13, fontweight="bold")
    axes.grid(axis="x", alpha=0.3)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
