"""Loading TEMPLATES_FILE: good TOML and YAML load; every kind of bad file is named precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.categories import Category
from bot.domain.languages import Language
from bot.texts.templates import Address, TemplateError, TemplateKey, load_templates

GOOD_TOML = """
[arrived]
uk = "📦 <b>{customer_name}</b>, ваше замовлення {number} чекає: {point}"

[arrived.vip]
uk = "💎 {customer_name}, ваше замовлення <b>{number}</b> вже чекає: {point}. До сплати {amount}."
en = "💎 {customer_name}, your order <b>{number}</b> is waiting: {point}."

[received]
ru = "Спасибо за заказ {number}! {{ и фигурные скобки }}"
"""

GOOD_YAML = """
arrived:
  uk: "📦 <b>{customer_name}</b>, ваше замовлення {number} чекає: {point}"
  vip:
    uk: |-
      💎 {customer_name}, ваше замовлення <b>{number}</b> вже чекає: {point}.
      До сплати {amount}.
    en: "💎 {customer_name}, your order <b>{number}</b> is waiting: {point}."
received:
  ru: "Спасибо за заказ {number}! {{ и фигурные скобки }}"
"""


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "content"), [("t.toml", GOOD_TOML), ("t.yaml", GOOD_YAML)])
def test_a_good_file_loads_every_override(tmp_path: Path, name: str, content: str) -> None:
    templates = load_templates(write(tmp_path, name, content))
    assert set(templates) == {
        Address(TemplateKey.arrived, None, Language.uk),
        Address(TemplateKey.arrived, Category.vip, Language.uk),
        Address(TemplateKey.arrived, Category.vip, Language.en),
        Address(TemplateKey.received, None, Language.ru),
    }
    found = templates.lookup(TemplateKey.arrived, Language.uk, Category.vip)
    assert found is not None and found[1].startswith("💎 {customer_name}")
    assert str(found[0]) == "arrived.vip.uk"
    assert templates.source == tmp_path / name


@pytest.mark.parametrize("name", ["empty.toml", "empty.yml"])
def test_an_empty_file_means_built_ins_only(tmp_path: Path, name: str) -> None:
    assert len(load_templates(write(tmp_path, name, ""))) == 0


BAD = [
    # (file name, content, key path, words of the problem)
    ("t.toml", '[arived]\nuk = "x"\n', "arived", "unknown template key"),
    ("t.toml", '[arrived.gold]\nuk = "x"\n', "arrived.gold", "unknown category"),
    ("t.toml", '[arrived]\nde = "x"\n', "arrived.de", "unsupported language"),
    ("t.toml", '[arrived.vip]\nfr = "x"\n', "arrived.vip.fr", "unsupported language"),
    ("t.toml", '[arrived]\nuk = "{foo} {number}"\n', "arrived.uk", "unknown placeholder {foo}"),
    ("t.yaml", "shipped:\n  vip:\n    en: 'at {point}'\n", "shipped.vip.en", "{point}"),
    ("t.toml", '[arrived]\nuk = "{number"\n', "arrived.uk", "malformed format string"),
    ("t.toml", '[arrived]\nuk = "{}"\n', "arrived.uk", "not a plain name"),
    ("t.toml", '[arrived]\nuk = "{number!r}"\n', "arrived.uk", "not a plain name"),
    ("t.toml", '[arrived]\nuk = "<b>{number}"\n', "arrived.uk", "invalid Telegram HTML"),
    ("t.yaml", "received:\n  uk: '<blink>{number}</blink>'\n", "received.uk", "Telegram HTML"),
    ("t.toml", '[arrived]\nuk = "a < b"\n', "arrived.uk", "invalid Telegram HTML"),
    ("t.toml", f'[received]\nen = "{"x" * 4097}"\n', "received.en", "too long: 4097"),
    ("t.toml", '[received]\nen = "  "\n', "received.en", "empty"),
    ("t.toml", "[received]\nen = 5\n", "received.en", "must be a text"),
    ("t.toml", '[received.uk]\nen = "x"\n', "received.uk", "not a table"),
    ("t.toml", 'received = "x"\n', "received", "must be a table"),
    ("t.yaml", "- arrived\n", None, "top level must be a table"),
]


@pytest.mark.parametrize(("name", "content", "where", "problem"), BAD)
def test_a_bad_template_is_named_with_its_key_and_problem(
    tmp_path: Path, name: str, content: str, where: str | None, problem: str
) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(TemplateError) as error:
        load_templates(path)
    message = str(error.value)
    assert message.startswith(f"{path}: ")
    if where is not None:
        assert f": {where}: " in message
    assert problem in message
    assert "\n" not in message


def test_unknown_placeholders_list_the_allowed_ones(tmp_path: Path) -> None:
    path = write(tmp_path, "t.toml", '[received]\nuk = "{foo} {point}"\n')
    with pytest.raises(TemplateError) as error:
        load_templates(path)
    assert "unknown placeholder {foo}, {point}" in str(error.value)
    assert "allowed: {number}, {customer_name}, {total}" in str(error.value)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "t.toml",
        '[arrived]\nuk = "{foo}"\nde = "x"\n[arrived.vip]\nen = "<i>"\n[shipped]\nru = "ok"\n',
    )
    with pytest.raises(TemplateError) as error:
        load_templates(path)
    assert [problem.where for problem in error.value.problems] == [
        "arrived.uk",
        "arrived.de",
        "arrived.vip.en",
    ]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("t.toml", "[arrived\nuk = 1", "not valid TOML"),
        ("t.toml", '[arrived]\nuk = "a"\nuk = "b"\n', "not valid TOML"),
        ("t.yaml", "arrived:\n  uk: [1\n", "not valid YAML"),
        ("t.yaml", "arrived:\n\tuk: x\n", "not valid YAML"),
        ("t.json", "{}", "unsupported file type"),
    ],
)
def test_a_file_that_cannot_be_parsed_is_named(
    tmp_path: Path, name: str, content: str, problem: str
) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(TemplateError) as error:
        load_templates(path)
    assert str(error.value).startswith(f"{path}: {problem}")
    assert "\n" not in str(error.value)


def test_a_missing_or_unreadable_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="no such file"):
        load_templates(tmp_path / "nope.toml")
    (tmp_path / "dir.yaml").mkdir()
    with pytest.raises(TemplateError, match="is a directory"):
        load_templates(tmp_path / "dir.yaml")
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe[arrived]")
    with pytest.raises(TemplateError, match="not UTF-8"):
        load_templates(binary)
