"""Returns in /stats as text: requests by reason, the most returned products and why."""

from __future__ import annotations

from bot.i18n import Translator
from bot.texts.escaping import escape
from bot.texts.returns import request as return_texts
from bot.views.returns import ReturnFigures

MAX_NAME = 60  # characters of a product's name


def return_lines(figures: ReturnFigures, t: Translator) -> list[str]:
    """Nothing at all when nobody asked to return anything in the period."""
    if not figures.requests:
        return []
    lines = [
        "",
        t.gettext("📦 <b>Return requests by reason</b>: {count}").format(count=figures.requests),
        *(
            t.gettext("• {reason}: {count}").format(
                reason=return_texts.reason(t, line.reason), count=line.count
            )
            for line in figures.reasons
        ),
    ]
    if figures.products:
        lines.append(t.gettext("🏷 <b>Most returned products</b>"))
        for product in figures.products:
            name = (
                product.name
                if len(product.name) <= MAX_NAME
                else product.name[: MAX_NAME - 1] + "…"
            )
            why = ", ".join(
                f"{return_texts.reason(t, line.reason).lower()} {line.count}"
                for line in product.reasons
            )
            lines.append(
                t.ngettext(
                    "• {name}: {count} piece ({reasons})",
                    "• {name}: {count} pieces ({reasons})",
                    product.pieces,
                ).format(name=escape(name), count=product.pieces, reasons=why)
            )
    return lines
