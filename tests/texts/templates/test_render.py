"""Rendering: category override, then language override, then the built-in translated text."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.categories import Category
from bot.domain.languages import Language
from bot.i18n import Catalogs
from bot.texts.templates import PLACEHOLDERS, Address, TemplateKey, Templates, load_templates

K = TemplateKey
VALUES = {
    "number": "A-1001",
    "customer_name": "Олена",
    "point": "Відділення №12",
    "tracking": "20450000000000",
    "amount": "900,00 ₴",
    "storage_until": "26 листопада",
}
TEMPLATES = Templates(
    {
        Address(K.arrived, None, Language.uk): "uk for all: {number}",
        Address(K.arrived, Category.vip, Language.uk): "uk for vip: {number}",
        Address(K.arrived, Category.vip, Language.en): "en for vip: {number}",
    }
)


@pytest.mark.parametrize(
    ("language", "category", "expected"),
    [
        (Language.uk, Category.vip, "uk for vip: A-1001"),
        (Language.uk, Category.regular, "uk for all: A-1001"),
        (Language.uk, None, "uk for all: A-1001"),
        (Language.en, Category.vip, "en for vip: A-1001"),
        (Language.en, Category.risky, "📦 Your order <b>A-1001</b> has arrived: Відділення №12."),
        (Language.ru, Category.vip, "📦 Ваш заказ <b>A-1001</b> прибыл: Відділення №12."),
    ],
)
def test_category_override_then_language_override_then_built_in(
    catalogs: Catalogs, language: Language, category: Category | None, expected: str
) -> None:
    text = TEMPLATES.render(K.arrived, language, category, VALUES, catalogs(language))
    assert text.splitlines()[0] == expected


def test_other_keys_keep_their_built_in_text(catalogs: Catalogs) -> None:
    text = TEMPLATES.render(K.received, Language.uk, Category.vip, VALUES, catalogs(Language.uk))
    assert text.startswith("🎉") and "<b>A-1001</b>" in text


def test_values_are_escaped_in_overrides_and_built_ins(catalogs: Catalogs) -> None:
    nasty = {**VALUES, "number": "<A&B>", "customer_name": "<i>Олена</i>"}
    t = catalogs(Language.uk)
    override = TEMPLATES.render(K.arrived, Language.uk, Category.vip, nasty, t)
    assert override == "uk for vip: &lt;A&amp;B&gt;"
    named = Templates({Address(K.arrived, None, Language.uk): "{customer_name}"})
    assert named.render(K.arrived, Language.uk, None, nasty, t) == "&lt;i&gt;Олена&lt;/i&gt;"
    built_in = Templates().render(K.arrived, Language.uk, None, nasty, t)
    assert "<b>&lt;A&amp;B&gt;</b>" in built_in


def test_missing_values_are_empty_and_their_built_in_lines_are_left_out(
    catalogs: Catalogs,
) -> None:
    t = catalogs(Language.en)
    values = {"number": "A-1", "point": "Branch 1", "tracking": "20450000000000"}
    text = Templates().render(K.arrived, Language.en, None, values, t)
    assert text == (
        "📦 Your order <b>A-1</b> has arrived: Branch 1.\n\n"
        "At the counter, give the waybill number <code>20450000000000</code>."
    )
    bare = Templates({Address(K.arrived, None, Language.en): "[{amount}]"})
    assert bare.render(K.arrived, Language.en, None, values, t) == "[]"


@pytest.mark.parametrize("key", list(TemplateKey))
@pytest.mark.parametrize("language", list(Language))
def test_every_built_in_is_translated_and_uses_only_its_placeholders(
    catalogs: Catalogs, key: TemplateKey, language: Language
) -> None:
    values = {name: f"⟨{name}⟩" for name in PLACEHOLDERS[key]}
    text = Templates().render(key, language, None, values, catalogs(language))
    assert "{" not in text
    # A return's packing and address texts are parts of a message that names the order already.
    assert "⟨number⟩" in text or key.value.startswith("return_")
    if language is not Language.en:
        assert "Your" not in text and "order" not in text


def test_a_loaded_file_renders_with_every_placeholder(tmp_path: Path, catalogs: Catalogs) -> None:
    line = " ".join(f"{{{name}}}" for name in PLACEHOLDERS[K.arrived])
    path = tmp_path / "t.toml"
    path.write_text(f'[arrived.vip]\nuk = "{line}"\n', encoding="utf-8")
    text = load_templates(path).render(
        K.arrived, Language.uk, Category.vip, VALUES, catalogs(Language.uk)
    )
    assert text.split(" ")[:2] == ["A-1001", "Олена"]
