"""Reading a templates file (TOML or YAML) and checking all of it before the bot starts.

The file is a table per template key; inside it, a text per language for every category and,
optionally, a table per category with texts per language::

    [arrived]
    uk = "📦 <b>{customer_name}</b>, ваше замовлення {number} чекає: {point}"
    [arrived.vip]
    uk = "..."
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml

from bot.domain.categories import Category
from bot.domain.languages import Language
from bot.texts.templates.checks import problem_of
from bot.texts.templates.errors import TemplateError, TemplateProblem
from bot.texts.templates.keys import Address, TemplateKey
from bot.texts.templates.registry import Templates

FORMATS = {".toml": "TOML", ".yaml": "YAML", ".yml": "YAML"}
E = TypeVar("E", bound=StrEnum)


def load_templates(path: Path) -> Templates:
    """Every override in the file, or TemplateError listing everything wrong with it."""
    data = _read(path)
    overrides: dict[Address, str] = {}
    problems: list[TemplateProblem] = []
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise TemplateError(path, [TemplateProblem(None, "the top level must be a table of keys")])
    for raw_key, section in data.items():
        key = _member(TemplateKey, raw_key)
        where = _name(raw_key)
        if key is None:
            problems.append(
                TemplateProblem(where, f"unknown template key ({_choices(TemplateKey)})")
            )
        elif not isinstance(section, Mapping):
            problems.append(TemplateProblem(where, "must be a table of texts per language"))
        else:
            _section(key, section, overrides, problems)
    if problems:
        raise TemplateError(path, problems)
    return Templates(overrides, source=path)


def _section(
    key: TemplateKey,
    section: Mapping[Any, Any],
    overrides: dict[Address, str],
    problems: list[TemplateProblem],
) -> None:
    for raw_name, value in section.items():
        where = f"{key}.{_name(raw_name)}"
        category = _member(Category, raw_name)
        if not isinstance(value, Mapping):
            if category is not None:
                problem = f"a category needs a table of texts per language, like [{where}] uk = ..."
                problems.append(TemplateProblem(where, problem))
            else:
                _text(key, None, raw_name, value, where, overrides, problems)
        elif category is not None:
            for raw_language, text in value.items():
                inner = f"{where}.{_name(raw_language)}"
                _text(key, category, raw_language, text, inner, overrides, problems)
        elif _member(Language, raw_name) is not None:
            problems.append(TemplateProblem(where, "must be a text (a quoted string), not a table"))
        else:
            problems.append(TemplateProblem(where, f"unknown category ({_choices(Category)})"))


def _text(
    key: TemplateKey,
    category: Category | None,
    raw_language: Any,
    text: Any,
    where: str,
    overrides: dict[Address, str],
    problems: list[TemplateProblem],
) -> None:
    language = _member(Language, raw_language)
    if language is None:
        problems.append(
            TemplateProblem(where, f"unsupported language ({_choices(Language, 'supported')})")
        )
    elif not isinstance(text, str):
        problems.append(TemplateProblem(where, "must be a text (a quoted string)"))
    elif (problem := problem_of(key, language, text)) is not None:
        problems.append(TemplateProblem(where, problem))
    else:
        overrides[Address(key, category, language)] = text


def _read(path: Path) -> Any:
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise _file_error(path, "unsupported file type: name it *.toml, *.yaml or *.yml")
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise _file_error(path, "no such file") from None
    except IsADirectoryError:
        raise _file_error(path, "is a directory, not a file") from None
    except OSError as error:
        raise _file_error(path, f"cannot read it ({error.strerror})") from None
    except UnicodeDecodeError:
        raise _file_error(path, "not UTF-8 text") from None
    if kind == "TOML":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise _file_error(path, f"not valid TOML ({error})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise _file_error(path, f"not valid YAML ({_yaml_problem(error)})") from None


def _yaml_problem(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None)
    mark = getattr(error, "problem_mark", None)
    if problem and mark is not None:
        return f"{problem} at line {mark.line + 1}, column {mark.column + 1}"
    return " ".join(str(error).split())


def _file_error(path: Path, problem: str) -> TemplateError:
    return TemplateError(path, [TemplateProblem(None, problem)])


def _member(enum: type[E], raw: Any) -> E | None:
    try:
        return enum(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def _name(raw: Any) -> str:
    name = str(raw)
    return name if name.isprintable() and name.strip() == name and name else repr(name)


def _choices(enum: type[StrEnum], word: str = "known") -> str:
    return f"{word}: " + ", ".join(member.value for member in enum)
