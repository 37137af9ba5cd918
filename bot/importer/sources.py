"""Reading a past-orders file: CSV (UTF-8, with or without BOM, comma or semicolon) or JSON.

A source yields ``(number, record)``: for CSV the number is the line the row starts on (the header
is line 1), for JSON the 1-based index of the record in the list; ``unit`` says which, for messages.
Whatever makes the whole file unusable raises :class:`SourceError` before anything is yielded.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from bot.importer.rows import COLUMNS, REQUIRED

ENCODING = "utf-8-sig"  # Excel's "CSV UTF-8" starts with a byte order mark; the rest do not
NOT_UTF8 = "it is not UTF-8 text (in Excel: Save As → CSV UTF-8)"


class SourceError(Exception):
    """The file cannot be imported at all: one line that says why."""


class Source(Protocol):
    unit: str  # "line" or "record"
    total: int  # how many records to expect, for the progress bar

    def __iter__(self) -> Iterator[tuple[int, object]]: ...


def open_source(path: Path) -> Source:
    """A source for ``path`` by its extension, checked from end to end."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise SourceError(f"{path}: import reads .csv or .json files")
    if not path.is_file():
        raise SourceError(f"{path}: no such file")
    try:
        return CsvSource(path) if suffix == ".csv" else JsonSource(path)
    except UnicodeDecodeError:
        raise SourceError(f"{path}: {NOT_UTF8}") from None
    except OSError as error:
        raise SourceError(f"{path}: cannot read it: {error.strerror or error}") from None


class CsvSource:
    """A header line naming the columns, then one order a row; blank rows are skipped."""

    unit = "line"

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open(encoding=ENCODING, newline="") as file:
            first = file.readline()
        if not first.strip():
            raise SourceError(
                f"{path}: the first line must name the columns ({', '.join(COLUMNS)})"
            )
        self.delimiter = ";" if first.count(";") > first.count(",") else ","
        self.header = self._read_header()
        self.total = sum(1 for _ in self)  # also proves the whole file reads

    def _read_header(self) -> list[str]:
        with self.path.open(encoding=ENCODING, newline="") as file:
            header = [name.strip().lower() for name in next(csv.reader(file, self._dialect()))]
        repeated = sorted({name for name in header if name and header.count(name) > 1})
        if repeated:
            raise SourceError(f"{self.path}: the header repeats column {', '.join(repeated)}")
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise SourceError(
                f"{self.path}: the header (line 1) has no column {', '.join(missing)};"
                f" columns are {', '.join(COLUMNS)}"
            )
        return header

    def _dialect(self) -> type[csv.Dialect]:
        return csv.excel if self.delimiter == "," else _Semicolon

    def __iter__(self) -> Iterator[tuple[int, object]]:
        with self.path.open(encoding=ENCODING, newline="") as file:
            reader = csv.reader(file, self._dialect())
            try:
                next(reader)  # the header
                while True:
                    start = reader.line_num + 1
                    try:
                        cells = next(reader)
                    except StopIteration:
                        return
                    if any(cell.strip() for cell in cells):
                        yield start, dict(zip(self.header, cells, strict=False))
            except csv.Error as error:
                raise SourceError(f"{self.path}: line {reader.line_num}: {error}") from None
            except UnicodeDecodeError:
                raise SourceError(f"{self.path}: {NOT_UTF8}") from None


class _Semicolon(csv.excel):
    delimiter = ";"


class JsonSource:
    """A list of objects, or an object whose ``orders`` is that list."""

    unit = "record"

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            data = json.loads(path.read_text(encoding=ENCODING))
        except json.JSONDecodeError as error:
            raise SourceError(
                f"{path}: not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
            ) from None
        if isinstance(data, dict) and isinstance(data.get("orders"), list):
            data = data["orders"]
        if not isinstance(data, list):
            raise SourceError(
                f'{path}: expected a list of orders, or an object with an "orders" list'
            )
        self.records: list[object] = data
        self.total = len(data)

    def __iter__(self) -> Iterator[tuple[int, object]]:
        for number, record in enumerate(self.records, start=1):
            if isinstance(record, dict):
                record = {str(key).strip().lower(): value for key, value in record.items()}
            yield number, record
