"""Reading past-orders files: CSV dialects and encodings, JSON shapes, and files that cannot be read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.importer.sources import SourceError, open_source

HEADER = "external_id,phone,name,status,created_at,total"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def records(path: Path) -> list[tuple[int, object]]:
    return list(open_source(path))


def test_csv_rows_are_numbered_by_the_line_they_start_on(tmp_path):
    path = write(
        tmp_path,
        "orders.csv",
        f"{HEADER}\n"
        "H-1,0501234567,Олена,received,2025-09-02,100\n"
        "\n"  # a blank line is skipped, but counted
        'H-2,0671112233,"Андрій\nШевченко",refused,2025-09-03,200\n'  # a cell over two lines
        "H-3,0931234567,Марія,cancelled,2025-09-04,300\n"
        ",,,,,\n",  # Excel's empty row: skipped
    )
    source = open_source(path)
    assert source.unit == "line" and source.total == 3
    assert [(number, record["external_id"]) for number, record in source] == [
        (2, "H-1"),
        (4, "H-2"),
        (6, "H-3"),
    ]
    assert dict(records(path))[4]["name"] == "Андрій\nШевченко"


def test_csv_with_semicolons_a_bom_and_windows_line_ends(tmp_path):
    path = write(
        tmp_path,
        "orders.CSV",
        "\ufeffexternal_id;Phone ;name;status;created_at;total;city\r\n"
        "H-1;0501234567;Олена;received;2025-09-02;1250,50;Київ\r\n",
    )
    assert records(path) == [
        (
            2,
            {
                "external_id": "H-1",
                "phone": "0501234567",
                "name": "Олена",
                "status": "received",
                "created_at": "2025-09-02",
                "total": "1250,50",
                "city": "Київ",
            },
        )
    ]


def test_a_csv_comma_inside_quotes_does_not_fool_the_delimiter(tmp_path):
    path = write(tmp_path, "o.csv", f'{HEADER},comment\nH-1,0501,О,refused,2025-09-02,1,"a, b"\n')
    assert records(path)[0][1]["comment"] == "a, b"


def test_a_short_csv_row_misses_its_last_cells_and_extra_cells_are_dropped(tmp_path):
    path = write(
        tmp_path, "o.csv", f"{HEADER}\nH-1,0501234567\nH-2,0501,О,received,2025-09-02,1,x,y\n"
    )
    first, second = (record for _, record in records(path))
    assert first == {"external_id": "H-1", "phone": "0501234567"}
    assert set(second) == {"external_id", "phone", "name", "status", "created_at", "total"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the first line must name the columns"),
        ("\n\nH-1,0501234567\n", "the first line must name the columns"),
        (
            "external_id,name,status,created_at\nH-1,Олена,received,2025-09-02\n",
            "the header (line 1) has no column phone, total;"
            " columns are external_id, phone, name, status, created_at, finished_at,",
        ),
        (f"{HEADER},phone\n", "the header repeats column phone"),
    ],
)
def test_a_csv_without_a_proper_header_is_refused_whole(tmp_path, text, message):
    with pytest.raises(SourceError) as error:
        open_source(write(tmp_path, "o.csv", text))
    assert message in str(error.value)


def test_a_csv_that_is_not_utf8_is_refused_whole(tmp_path):
    path = write(
        tmp_path, "o.csv", f"{HEADER}\nH-1,0501234567,Олена,received,2025-09-02,1\n", "cp1251"
    )
    with pytest.raises(SourceError) as error:
        open_source(path)
    assert str(error.value) == f"{path}: it is not UTF-8 text (in Excel: Save As → CSV UTF-8)"


def test_json_list_of_objects_numbered_from_one(tmp_path):
    data = [{"external_id": "H-1", "Phone": "0501234567"}, {"external_id": "H-2", "total": 12.5}]
    source = open_source(write(tmp_path, "o.json", json.dumps(data)))
    assert source.unit == "record" and source.total == 2
    assert list(source) == [
        (1, {"external_id": "H-1", "phone": "0501234567"}),
        (2, {"external_id": "H-2", "total": 12.5}),
    ]


def test_json_object_with_an_orders_list_and_a_bom(tmp_path):
    text = "\ufeff" + json.dumps({"shop": "x", "orders": [{"external_id": "H-1"}, "oops"]})
    assert records(write(tmp_path, "o.json", text)) == [(1, {"external_id": "H-1"}), (2, "oops")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"external_id": "H-1"}', 'expected a list of orders, or an object with an "orders" list'),
        (
            '{"orders": {"H-1": {}}}',
            'expected a list of orders, or an object with an "orders" list',
        ),
        ("42", 'expected a list of orders, or an object with an "orders" list'),
        (
            '[{"external_id": "H-1",}]',
            "not valid JSON: Expecting property name enclosed in double quotes (line 1, column 24)",
        ),
        ("", "not valid JSON: Expecting value (line 1, column 1)"),
    ],
)
def test_json_that_is_not_a_list_of_orders_is_refused_whole(tmp_path, text, message):
    path = write(tmp_path, "o.json", text)
    with pytest.raises(SourceError) as error:
        open_source(path)
    assert str(error.value) == f"{path}: {message}"


def test_only_csv_and_json_files_are_read(tmp_path):
    path = write(tmp_path, "orders.xlsx", "PK")
    with pytest.raises(SourceError) as error:
        open_source(path)
    assert str(error.value) == f"{path}: import reads .csv or .json files"


def test_a_missing_file(tmp_path):
    with pytest.raises(SourceError) as error:
        open_source(tmp_path / "nowhere.csv")
    assert str(error.value) == f"{tmp_path / 'nowhere.csv'}: no such file"
