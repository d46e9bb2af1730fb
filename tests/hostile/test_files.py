"""Hostile input files: rows that a lenient reader would lose without a word, damaged or unsafe
workbooks, files that are not files (a named pipe, a device), files too large, and local times
that do not exist. Each bad input is counted by the hostile-input suite (tests/helpers/hostile_inputs.py)
and must be refused with exit 2 naming the file (and the row), or accepted with every row
accounted for.

The oracles are independent of the importer: rows are counted in the raw text, or as the
``<row>`` elements of the sheet's XML, as LibreOffice would show them.
"""

from __future__ import annotations

import csv
import math
import os
import re
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from slamodeler.domain.errors import InputError
from slamodeler.engine import compiled_kernels
from slamodeler.io import csv_cells, input_files
from slamodeler.io.incident_import import import_incidents, load_mapping
from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import MAPPINGS, SAMPLES, SHARED_DATA

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
SCENARIO = SAMPLES / "scenarios" / "baseline.yaml"
HEADER = ["id", "start", "end", "impact", "title"]
SHEET = "xl/worksheets/sheet1.xml"


def incident(k: int) -> list[str]:
    day = f"2024-01-{k + 1:02d}"
    return [f"I-{k}", f"{day}T10:00:00Z", f"{day}T11:00:00Z", "full", f"Incident {k}"]


def ten_incidents_csv(tmp_path: Path, title_of_third: str = "Incident 2") -> Path:
    lines = [",".join(HEADER)]
    for k in range(10):
        cells = incident(k)
        if k == 2:
            cells[-1] = title_of_third
        lines.append(",".join(cells))
    path = tmp_path / "incidents.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def workbook(tmp_path: Path, rows: int = 10, edit: Callable[[bytes], bytes] | None = None) -> Path:
    """A workbook written by openpyxl with ``rows`` incidents, its sheet XML then edited as a
    hostile or careless program would leave it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for k in range(rows):
        sheet.append(incident(k))
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    path = tmp_path / "incidents.xlsx"
    rewrite(plain, path, {SHEET: edit} if edit else {})
    return path


def rewrite(source: Path, target: Path, parts: dict[str, Callable[[bytes], bytes] | None]) -> None:
    """Copy a zip package, each part named in ``parts`` edited by its function (or left out)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            if item.filename in parts and parts[item.filename] is None:
                continue
            data = old.read(item.filename)
            edit = parts.get(item.filename)
            new.writestr(item, edit(data) if edit else data)


def physical_rows(path: Path) -> int:
    """Rows under the header as the sheet's XML holds them (LibreOffice shows each)."""
    with zipfile.ZipFile(path) as package:
        return package.read(SHEET).count(b"<row ") - 1


def with_doctype(doctype: bytes, entity: bytes) -> Callable[[bytes], bytes]:
    def edit(xml: bytes) -> bytes:
        xml = re.sub(rb"^<\?xml[^>]*\?>", b"", xml)
        xml = xml.replace(b"<worksheet", b"<!DOCTYPE worksheet [" + doctype + b"]><worksheet", 1)
        return xml.replace(b"<t>I-0</t>", b"<t>" + entity + b"</t>", 1)

    return edit


# ---------------------------------------------------------------------------------------------
# Rows lost without a word


def test_an_unbalanced_quote_is_refused_at_the_row_where_it_opens(capsys, tmp_path):
    # Read leniently, the quote swallowed the 8 later rows into one title: "2 row(s) read".
    bad = ten_incidents_csv(tmp_path, '"Broken title, unbalanced')
    _, _, err = hostile(capsys, "replay", CONTRACT, bad, names=[str(bad), "row 4 (line 4)"])
    assert "never closed" in err
    assert "close the quote" in err


def test_a_quote_closed_in_a_later_row_is_refused_at_the_row_where_it_opens(capsys, tmp_path):
    # The quote closes at the quoted title 5 lines down: still not a cell of row 4's making.
    bad = ten_incidents_csv(tmp_path, '"Broken title, unbalanced')
    text = bad.read_text(encoding="utf-8").replace("Incident 7", '"Incident 7"')
    bad.write_text(text, encoding="utf-8")
    _, _, err = hostile(capsys, "replay", CONTRACT, bad, names=[str(bad), "row 4 (line 4)"])
    assert "found on line 9" in err


def test_a_cell_longer_than_a_cell_may_be_is_named_as_such_not_as_a_quote(capsys, tmp_path):
    # A title of 200,000 characters and no quote in the file was said to be a quote opened.
    bad = ten_incidents_csv(tmp_path, "x" * 200_000)
    code, _, err = hostile(capsys, "replay", CONTRACT, bad, names=[str(bad), "row 4 (line 4)"])
    assert code == 2
    assert f"longer than {csv.field_size_limit():,} characters" in err
    assert "never closed" not in err


@pytest.mark.parametrize(
    "start", ["0001-01-01T00:00:00Z", "9999-12-31T23:00:00-05:00", "1000-06-01T00:00:00Z"]
)
def test_a_time_outside_the_years_periods_are_counted_in_is_refused_at_its_row(
    capsys, tmp_path, start
):
    # It was read, then failed in the measurement naming no file or row ("time -62135596800
    # (epoch seconds) is outside the calendar", "a period in 999 is outside 1900-2999").
    bad = tmp_path / "edge.csv"
    bad.write_text(
        "id,start,end,impact,cause,service,region,title\n"
        f"I-1,{start},{start},full,,Compute,us-east-1,edge\n"
        "I-2,2024-01-09T14:05:00Z,2024-01-09T15:02:00Z,full,,Compute,us-east-1,fine\n",
        encoding="utf-8",
    )
    code, _, err = hostile(capsys, "replay", CONTRACT, bad, names=[str(bad), "start", "rows 2"])
    assert code == 2
    assert "incident times must fall in 1900 to 2999" in err
    code, _, err = hostile(capsys, "replay", CONTRACT, bad, "--skip-bad-rows")
    assert code == 0
    assert "2 row(s) read, 1 incident(s) used" in err


def test_a_workbook_whose_dimension_understates_its_rows_is_read_to_its_last_row(capsys, tmp_path):
    # openpyxl's read-only mode trusted <dimension ref="A1:E2"> and read 1 row of 10.
    lying = workbook(tmp_path, edit=lambda xml: re.sub(rb'ref="A1:E\d+"', b'ref="A1:E2"', xml))
    assert b'<dimension ref="A1:E2"' in zipfile.ZipFile(lying).read(SHEET)
    _, _, err = hostile(capsys, "replay", CONTRACT, lying)
    assert f"{lying}: 10 row(s) read, 10 incident(s) used" in err
    report = import_incidents(lying).report
    assert report.physical_rows == physical_rows(lying) == 10


def test_a_dimension_that_cuts_columns_loses_no_cell(tmp_path):
    lying = workbook(tmp_path, edit=lambda xml: re.sub(rb'ref="A1:E\d+"', b'ref="A1:B2"', xml))
    imported = import_incidents(lying)
    assert [x.title for x in imported.incidents] == [f"Incident {k}" for k in range(10)]


# ---------------------------------------------------------------------------------------------
# Every physical row accounted for


def test_blank_rows_are_counted_and_said(capsys, tmp_path):
    lines = [",".join(HEADER), ",".join(incident(0)), "", ",,,,", ",".join(incident(1)), ",,"]
    path = tmp_path / "blanks.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_incidents(path).report
    assert (report.rows_read, report.blank_rows, report.physical_rows) == (2, 3, 5)
    _, _, err = hostile(capsys, "replay", CONTRACT, path)
    assert "2 row(s) read, 2 incident(s) used\n  3 blank row(s) skipped" in err


def test_blank_trailing_rows_of_a_workbook_are_counted(tmp_path):
    def trailing(xml: bytes) -> bytes:  # formatted but empty rows, as spreadsheets leave them
        empty = b"".join(b'<row r="%d"><c r="A%d" s="0"/></row>' % (r, r) for r in (12, 13, 14))
        return xml.replace(b"</sheetData>", empty + b"</sheetData>")

    path = workbook(tmp_path, edit=trailing)
    report = import_incidents(path).report
    assert physical_rows(path) == 13
    assert (report.rows_read, report.blank_rows, report.used) == (10, 3, 10)


def test_every_row_is_read_used_skipped_or_refused(tmp_path):
    lines = [",".join(HEADER)] + [",".join(incident(k)) for k in range(6)]
    lines[2] = lines[2].replace("full", "unheard-of")
    lines[4] = lines[4].replace("2024-01-04T11:00:00Z", "2023-01-01T00:00:00Z")
    lines.insert(5, "")
    path = tmp_path / "mixed.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_incidents(path, on_bad_row="skip").report
    refused = {i.row for i in report.rejected}
    assert refused == {3, 5}
    assert report.used + len(refused) == report.rows_read
    assert report.physical_rows == len(lines) - 1
    assert report.unaccounted() == 0


@pytest.mark.parametrize(
    ("name", "mapping"),
    [
        ("cloud_provider_status_incidents_2018_2020.csv", "cloud_status_2018_2020.yaml"),
        ("github_status_incidents_2022_2026.csv", "github_status_2022_2026.yaml"),
    ],
)
def test_the_real_exports_account_for_every_row(name, mapping):
    data = SHARED_DATA / name
    with data.open(encoding="utf-8", newline="") as handle:
        records = sum(1 for _ in csv.reader(handle)) - 1  # the csv module's own count
    mapped = load_mapping(MAPPINGS / mapping)
    report = import_incidents(data, mapped, on_bad_row="skip").report
    assert report.physical_rows == records
    assert report.unaccounted() == 0


# ---------------------------------------------------------------------------------------------
# Quoted cells, read by either CSV reader: a large export's compiled one (csv_cells, here forced
# on a small file) and csv.reader give the same incidents and the same words, row for row


@pytest.fixture
def both_readers(monkeypatch) -> Callable[..., str]:
    """Run the CLI on a CSV with the compiled reader forced and then off: the same exit and
    message both ways, which is returned."""
    if compiled_kernels.compiled("csv", csv_cells._load) is None:
        pytest.skip("numba cannot compile here")

    def run(capsys, *argv: object, names: list[str], read_by_compiled: bool) -> str:
        said = []
        for fast_bytes in (0, math.inf):
            monkeypatch.setattr(csv_cells, "FAST_BYTES", fast_bytes)
            if fast_bytes == 0:
                found = csv_cells.read_csv_cells(Path(str(argv[-1])), "auto")
                assert (found is not None) == read_by_compiled
            said.append(hostile(capsys, *argv, names=names)[::2])
        assert said[0] == said[1]
        return said[0][1]

    return run


def test_quoted_titles_are_read_alike_by_both_readers(capsys, tmp_path, both_readers):
    """Commas, doubled quotes, a line break, nothing and a time inside quotes; quoted times."""
    path = ten_incidents_csv(tmp_path)
    text = path.read_text(encoding="utf-8")
    for old, new in [
        ("Incident 1", '"Login, then ""slow"" pages"'),
        ("Incident 2", '"Three\nlines, \u65e5\u672c\nlong"'),
        ("Incident 3", '""'),
        ("Incident 4", '"2024-01-05T10:00:00Z"'),
        ("2024-01-06T10:00:00Z", '"2024-01-06T10:00:00Z"'),
    ]:
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    err = both_readers(capsys, "replay", CONTRACT, path, names=[], read_by_compiled=True)
    assert f"{path}: 10 row(s) read, 10 incident(s) used" in err
    titles = [x.title for x in import_incidents(path).incidents]
    assert titles[1:5] == [
        'Login, then "slow" pages',
        "Three\nlines, \u65e5\u672c\nlong",
        "",
        "2024-01-05T10:00:00Z",
    ]


def test_a_bad_row_after_a_title_on_three_lines_is_named_by_its_row(capsys, tmp_path, both_readers):
    # Row 4's title spans lines 4-6; row 8 (on line 10) ends before it starts.
    path = ten_incidents_csv(tmp_path, '"Three\nline\ntitle"')
    text = path.read_text(encoding="utf-8").replace("2024-01-07T11:00:00Z", "2024-01-07T09:00:00Z")
    path.write_text(text, encoding="utf-8")
    err = both_readers(
        capsys, "replay", CONTRACT, path, names=[str(path), "rows 8"], read_by_compiled=True
    )
    assert "end is before start (rows 8)" in err


@pytest.mark.parametrize(
    "title",
    [
        '"Broken title, unbalanced',  # never closed
        '"Incident 2" and more',  # text after the closing quote
        '"Incident 2" ',  # a space after it
        '"Incident 2"x"',  # a quote after it
    ],
)
def test_malformed_quotes_are_refused_alike_by_both_readers(capsys, tmp_path, both_readers, title):
    bad = ten_incidents_csv(tmp_path, title)
    err = both_readers(
        capsys, "replay", CONTRACT, bad, names=[str(bad), "row 4 (line 4)"], read_by_compiled=False
    )
    assert "close the quote" in err


def test_a_quote_inside_an_unquoted_title_is_text_to_both_readers(capsys, tmp_path, both_readers):
    path = ten_incidents_csv(tmp_path, '5" screen "flickers"')
    err = both_readers(capsys, "replay", CONTRACT, path, names=[], read_by_compiled=True)
    assert f"{path}: 10 row(s) read, 10 incident(s) used" in err
    # With a comma as well, the title is two cells, one past the header: refused, not cut.
    path = ten_incidents_csv(tmp_path, '5" screen, "flickers"')
    err = both_readers(capsys, "replay", CONTRACT, path, names=["(rows 4)"], read_by_compiled=True)
    assert "6 cells where the header has 5; quote a cell that holds a comma" in err


# ---------------------------------------------------------------------------------------------
# Workbooks that cannot be read: exit 2, never an internal error


def _bad_crc(tmp_path: Path) -> Path:
    path = workbook(tmp_path)
    stored = tmp_path / "stored.xlsx"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as new:
        for item in old.infolist():
            new.writestr(item.filename, old.read(item.filename))
    data = bytearray(stored.read_bytes())
    at = data.index(b"<t>Incident 5</t>")
    data[at + 3] = ord("X")  # the sheet's bytes change, its checksum does not
    stored.write_bytes(bytes(data))
    return stored


def _missing_sheet(tmp_path: Path) -> Path:
    path = tmp_path / "missing.xlsx"
    rewrite(workbook(tmp_path), path, {SHEET: None})
    return path


def _chart_first(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.create_chartsheet("Chart", 0)
    path = tmp_path / "chart.xlsx"
    book.save(path)
    return path


LAUGHS = b"".join(
    b'<!ENTITY l%d "%s">' % (k, b"".join(b"&l%d;" % (k - 1) for _ in range(10)) if k else b"ha")
    for k in range(9)
)

BROKEN_WORKBOOKS: dict[str, Callable[[Path], Path]] = {
    "sheet XML cut short": lambda p: workbook(p, edit=lambda xml: xml[: len(xml) // 2]),
    "bad CRC": _bad_crc,
    "missing sheet part": _missing_sheet,
    "chartsheet first": _chart_first,
    "billion laughs": lambda p: workbook(p, edit=with_doctype(LAUGHS, b"&l8;")),
    "external entity": lambda p: workbook(
        p, edit=with_doctype(b'<!ENTITY x SYSTEM "file:///etc/passwd">', b"&x;")
    ),
}


@pytest.mark.parametrize("damage", BROKEN_WORKBOOKS)
def test_a_workbook_that_cannot_be_read_is_refused(capsys, tmp_path, damage):
    path = BROKEN_WORKBOOKS[damage](tmp_path)
    _, _, err = hostile(capsys, "replay", CONTRACT, path, names=str(path))
    assert "root:" not in err  # nothing of an external entity's file is shown
    assert "save it again" in err or "name it with sheet:" in err


def test_a_row_after_a_damaged_part_of_a_sheet_is_named(capsys, tmp_path):
    path = workbook(tmp_path, edit=lambda xml: xml.replace(b'<row r="8"', b'<row r="8"<', 1))
    hostile(capsys, "replay", CONTRACT, path, names=[str(path), "row 8"])


# ---------------------------------------------------------------------------------------------
# Files that are not regular files, or too large


@pytest.mark.parametrize("role", ["contract", "incidents", "mapping", "scenario"])
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(capsys, tmp_path, role):
    pipe = tmp_path / {"incidents": "pipe.csv"}.get(role, "pipe.yaml")
    os.mkfifo(pipe)
    good = ten_incidents_csv(tmp_path)
    argv = {
        "contract": ("replay", pipe, good),
        "incidents": ("replay", CONTRACT, pipe),
        "mapping": ("replay", CONTRACT, good, "--mapping", pipe),
        "scenario": ("simulate", CONTRACT, "--scenario", pipe, "--trials", 10),
    }[role]
    _, _, err = hostile(capsys, *argv, names=str(pipe))
    assert "is a named pipe (FIFO), not a regular file" in err


def test_a_device_is_refused_before_it_is_read(capsys, tmp_path):
    # /dev/zero never ends: read as a contract it took 7.5 GB.
    _, _, err = hostile(capsys, "validate", "/dev/zero", names="/dev/zero")
    assert "a character device, not a regular file" in err


def test_a_contract_over_the_size_limit_is_refused(capsys, tmp_path):
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"#" * (input_files.YAML_LIMIT + 1))
    _, _, err = hostile(capsys, "validate", huge, names=str(huge))
    assert "larger than 10 MB (contract files are 10 MB at most)" in err


def test_an_incident_file_over_the_size_limit_is_refused_unread(capsys, tmp_path):
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as out:  # sparse: no disk used
        out.truncate(input_files.INCIDENTS.limit + 1)
    _, _, err = hostile(capsys, "replay", CONTRACT, huge, names=str(huge))
    assert "larger than 200 MB (incident files are 200 MB at most)" in err


def test_a_folder_named_like_a_csv_is_said_to_be_a_folder(capsys, tmp_path):
    folder = tmp_path / "export.csv"
    folder.mkdir()
    _, _, err = hostile(capsys, "replay", CONTRACT, folder, names=str(folder))
    assert "is a folder, not a file" in err


def test_an_unreadable_file_says_so(capsys, tmp_path, monkeypatch):
    # Tests run as root here, whom permissions do not stop: the refusal is simulated.
    path = ten_incidents_csv(tmp_path)
    real_open = os.open

    def denied(name, flags, *rest):
        if Path(name) == path:
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, flags, *rest)

    monkeypatch.setattr(os, "open", denied)
    _, _, err = hostile(capsys, "replay", CONTRACT, path, names=str(path))
    assert "cannot be read (permission denied)" in err


def test_regular_files_pass_the_check(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    with input_files.open_input(path, input_files.CONTRACT) as handle:
        assert handle.read() == b"a: 1\n"
    assert stat.S_ISREG(os.stat(path).st_mode)
    with pytest.raises(InputError, match="no such file"):
        input_files.read_input(tmp_path / "absent.yaml", input_files.CONTRACT)


# ---------------------------------------------------------------------------------------------
# Local times that do not exist, or exist twice


def test_a_time_in_the_spring_forward_gap_is_said_not_to_exist(capsys, tmp_path):
    path = tmp_path / "gap.csv"
    path.write_text(
        "id,start,end,impact\nG-1,2024-03-10 02:30,2024-03-10 03:30,full\n", encoding="utf-8"
    )
    _, _, err = hostile(capsys, "replay", CONTRACT, path, "--timezone", "America/New_York")
    assert (
        "start: 2024-03-10 02:30:00 does not exist in America/New_York (the clocks jumped "
        "forward over it); read with the offset from before the jump, as 03:30:00 EDT "
        "(2024-03-10T07:30:00Z) (rows 2)"
    ) in err
    assert "zero duration" in err


def test_a_time_that_occurs_twice_says_which_was_taken(tmp_path):
    path = tmp_path / "fold.csv"
    path.write_text(
        "id,start,end,impact\nF-1,2024-11-03 01:30,2024-11-03 03:00,full\n", encoding="utf-8"
    )
    report = import_incidents(path, timezone="America/New_York").report
    assert [(n.column, n.reason) for n in report.notes] == [
        (
            "start",
            "2024-11-03 01:30:00 occurs twice in America/New_York (the clocks went back); read "
            "as the first, 01:30:00 EDT (2024-11-03T05:30:00Z)",
        )
    ]


# ---------------------------------------------------------------------------------------------
# Rows the reader would skip: out of order, numbered twice, or beyond a sheet's last row


def sheet_rows(xml: bytes) -> list[bytes]:
    return re.findall(rb"<row r=\"\d+\"[^>]*>.*?</row>", xml)


def swap_rows_4_and_5(xml: bytes) -> bytes:
    rows = sheet_rows(xml)
    return xml.replace(rows[3] + rows[4], rows[4] + rows[3])


def renumber_row(old: int, new: int) -> Callable[[bytes], bytes]:
    def edit(xml: bytes) -> bytes:
        row = sheet_rows(xml)[old - 1]
        renumbered = row.replace(b'r="%d"' % old, b'r="%d"' % new)
        return xml.replace(row, re.sub(rb'r="([A-Z]+)%d"' % old, rb'r="\g<1>%d"' % new, renumbered))

    return edit


# openpyxl's read-only reader skipped each of these rows without a word ("9 row(s) read" of 10
# and a blank row that is not there) or, beyond the last row, filled millions of empty rows.
ROWS_THE_READER_SKIPS: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "swapped": (swap_rows_4_and_5, "the row numbered 4 comes after row 5"),
    "numbered twice": (renumber_row(6, 5), "the row numbered 5 comes after row 5"),
    "numbered 0": (renumber_row(11, 0), "the row numbered 0 comes after row 10"),
    "beyond the last row": (renumber_row(11, 2_000_000), "a row is numbered 2000000"),
}


@pytest.mark.parametrize("case", ROWS_THE_READER_SKIPS)
def test_a_row_the_reader_would_skip_is_refused(capsys, tmp_path, case):
    edit, said = ROWS_THE_READER_SKIPS[case]
    path = workbook(tmp_path, edit=edit)
    assert physical_rows(path) == 10
    _, _, err = hostile(capsys, "replay", CONTRACT, path, names=[str(path), "sheet 'Sheet'", said])
    assert "open and save it again in Excel or LibreOffice" in err


def test_rows_in_order_with_gaps_or_unnumbered_are_all_read(tmp_path):
    def edit(xml: bytes) -> bytes:  # rows 2 to 4 without r=, the last row moved down to 20
        return re.sub(rb'<row r="[234]"', b"<row", renumber_row(11, 20)(xml))

    path = workbook(tmp_path, edit=edit)
    report = import_incidents(path).report
    assert (report.rows_read, report.used, report.blank_rows) == (10, 10, 9)
