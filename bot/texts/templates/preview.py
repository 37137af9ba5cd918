"""``/preview <key> [category] [language]``: a template filled with the sample order."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.categories import Category
from bot.domain.languages import Language
from bot.domain.sms_parts import sms_parts
from bot.i18n import Catalogs, Translator
from bot.texts.escaping import escape
from bot.texts.templates.keys import PLAIN_KEYS, TemplateKey
from bot.texts.templates.registry import Templates
from bot.texts.templates.samples import sample_values


@dataclass(frozen=True)
class PreviewRequest:
    key: TemplateKey
    category: Category | None = None
    language: Language | None = None


@dataclass(frozen=True)
class Preview:
    """``header`` explains what is shown (admin's language); ``body`` is the customer's message."""

    header: str
    body: str


def parse_request(args: str | None) -> PreviewRequest | None:
    """The key first, then a category and/or a language in any order; None if anything is off."""
    words = (args or "").split()
    if not words or len(words) > 3 or words[0] not in set(TemplateKey):
        return None
    category: Category | None = None
    language: Language | None = None
    for word in words[1:]:
        if word in set(Category) and category is None:
            category = Category(word)
        elif word in set(Language) and language is None:
            language = Language(word)
        else:
            return None
    return PreviewRequest(TemplateKey(words[0]), category, language)


def usage(t: Translator) -> str:
    return t.gettext(
        "Usage: /preview [key] [category] [language], for example /preview arrived vip uk\n"
        "Keys: {keys}\n"
        "Categories: {categories}\n"
        "Languages: {languages}"
    ).format(
        keys=", ".join(TemplateKey),
        categories=", ".join(Category),
        languages=", ".join(Language),
    )


def preview(
    templates: Templates, catalogs: Catalogs, request: PreviewRequest, t: Translator
) -> Preview:
    """What a customer of that category and language would get about the sample order."""
    language = request.language or t.language
    customer_t = catalogs(language)
    found = templates.lookup(request.key, language, request.category)
    body = templates.render(
        request.key, language, request.category, sample_values(customer_t), customer_t
    )
    if request.key in PLAIN_KEYS:  # Viber/SMS text: shown as written, with its size as an SMS
        parts = t.ngettext(
            "(as an SMS: {count} part, length {length})",
            "(as an SMS: {count} parts, length {length})",
            sms_parts(body),
        ).format(count=sms_parts(body), length=len(body))
        body = f"{escape(body)}\n\n<i>{escape(parts)}</i>"
    if request.category is None:
        title = t.gettext("Preview of <code>{key}</code> for any category, language {language}:")
    else:
        title = t.gettext(
            "Preview of <code>{key}</code> for category {category}, language {language}:"
        )
    title = title.format(
        key=request.key.value,
        category=request.category.value if request.category else "",
        language=language.value,
    )
    if found is None:
        source = t.gettext("Built-in text: the templates file does not change it.")
    else:
        source = t.gettext("Text from the templates file, <code>{address}</code>.").format(
            address=found[0]
        )
    return Preview(header=f"{title}\n{source}", body=body)
