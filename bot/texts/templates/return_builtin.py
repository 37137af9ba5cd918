"""The built-in return texts a templates file can replace: how to pack, per reason, and where to
send the parcel. Values arrive escaped; an empty ``address`` (no RETURN_ADDRESS) says a manager
will tell it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from bot.domain.errors import N_
from bot.domain.returns import ReturnReason
from bot.i18n import Translator
from bot.texts.templates.keys import TemplateKey

Values = Mapping[str, str]

PACKING: Final[Mapping[ReturnReason, str]] = {
    ReturnReason.wrong_size: N_(
        "Keep the tags and the original packaging; the item must be unworn."
    ),
    ReturnReason.changed_mind: N_(
        "Keep the tags and the original packaging; the item must be unused and complete."
    ),
    ReturnReason.defective: N_(
        "Put the item in its packaging with everything that came with it, and add a note "
        "describing the defect."
    ),
    ReturnReason.damaged: N_(
        "Keep the damaged packaging if you still have it and put it in the parcel too."
    ),
    ReturnReason.not_as_described: N_(
        "Put the item in its original packaging with everything that came with it."
    ),
    ReturnReason.wrong_item: N_(
        "Put the item you received in its original packaging, unused, with its tags."
    ),
    ReturnReason.other: N_(
        "Put the item in its original packaging with everything that came with it."
    ),
}


def _packing(reason: ReturnReason) -> Callable[[Values, Translator], str]:
    def text(v: Values, t: Translator) -> str:
        return t.gettext(PACKING[reason])

    return text


def return_address(v: Values, t: Translator) -> str:
    return v["address"] or t.gettext("The manager will tell you the address.")


RETURN_BUILTIN: Final[Mapping[TemplateKey, Callable[[Values, Translator], str]]] = {
    **{TemplateKey.packing(reason): _packing(reason) for reason in ReturnReason},
    TemplateKey.return_address: return_address,
}
