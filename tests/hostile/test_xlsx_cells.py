"""Hostile workbooks: cells openpyxl's read-only reader gives a value that is not the one a
spreadsheet shows (or none at all) without a word. Each is refused at its row and column, with
the fix, or read as the spreadsheet shows it.

The oracle of each case is the workbook as built here (openpyxl, or its XML patched as another
program would write it), not the importer.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from slamodeler.io.incident_import import import_incidents
from tests.helpers.hostile_inputs import hostile
from tests.helpers.one_tier import one_tier

SHEET = "xl/worksheets/sheet1.xml"
HEADER = ["id", "start", "end", "impact", "cause", "service"]
CONTRACT = one_tier(scoped=True, maintenance=True, name="Workbook cells")


@pytest.fixture
def contract(tmp_path: Path) -> Path:
    path = tmp_path / "contract.yaml"
    path.write_text(CONTRACT, encoding="utf-8")
    return path


def refused(capsys, *argv: object, names: list[str]) -> str:
    """The message of a refusal (exit 2) naming every one of ``names``."""
    code, _, err = hostile(capsys, *argv, names=names)
    assert code == 2, err
    return err


def save(book: openpyxl.Workbook, path: Path) -> Path:
    book.save(path)
    return path


def patched(source: Path, target: Path, edit: Callable[[str], str], part: str = SHEET) -> Path:
    """A copy of a workbook with one part's XML edited, as a careless program would leave it."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, edit(data.decode()).encode() if item.filename == part else data)
    return target


# ---------------------------------------------------------------------------------------------
# Hidden sheets


def test_a_hidden_first_sheet_is_passed_over_for_the_first_visible_one(capsys, contract, tmp_path):
    book = openpyxl.Workbook()
    lookup = book.active
    lookup.title, lookup.sheet_state = "lookup", "hidden"
    lookup.append(["start", "end", "impact"])
    lookup.append(["2024-04-01T00:00:00Z", "2024-04-01T00:00:00Z", "none"])
    shown = book.create_sheet("Incidents")
    shown.append(HEADER)
    shown.append(["H1", "2024-04-02T10:00:00Z", "2024-04-02T11:00:00Z", "full", None, "Compute"])
    path = save(book, tmp_path / "hidden_first.xlsx")
    code, out, err = hostile(capsys, "replay", contract, path, "--explain")
    assert code == 0
    assert "1 row(s) read, 1 incident(s) used" in err
    assert "H1 (row 2): 60 min counted" in out


def test_a_hidden_sheet_named_in_the_mapping_is_read(capsys, contract, tmp_path):
    book = openpyxl.Workbook()
    hidden = book.active
    hidden.title, hidden.sheet_state = "Incidents", "hidden"
    hidden.append(HEADER)
    hidden.append(["H1", "2024-04-02T10:00:00Z", "2024-04-02T11:00:00Z", "full", None, "Compute"])
    book.create_sheet("Cover").append(["A cover page"])
    path = save(book, tmp_path / "hidden.xlsx")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("format: slamodeler-mapping/v1\nsheet: Incidents\n", encoding="utf-8")
    code, _, err = hostile(capsys, "replay", contract, path, "--mapping", mapping)
    assert code == 0
    assert "1 row(s) read, 1 incident(s) used" in err


def test_a_workbook_whose_every_sheet_is_hidden_is_refused(capsys, contract, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    path = save(book, tmp_path / "all_hidden.xlsx")
    hidden = patched(
        path,
        tmp_path / "every_sheet_hidden.xlsx",
        lambda xml: xml.replace('state="visible" r:id', 'state="hidden" r:id'),
        "xl/workbook.xml",
    )
    assert 'state="hidden"' in zipfile.ZipFile(hidden).read("xl/workbook.xml").decode()
    err = refused(
        capsys, "replay", contract, hidden, names=[str(hidden), "every worksheet is hidden"]
    )
    assert "name the one to read with sheet: in a mapping" in err


# ---------------------------------------------------------------------------------------------
# Workbooks that unpack to far more than they weigh


def declaring_size(source: Path, target: Path, part: str, size: int) -> Path:
    """A copy of a workbook whose zip says ``part`` unpacks to ``size`` bytes (its central
    directory's entry edited): a zip bomb without the bomb."""
    data = bytearray(source.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the central directory's first entry
    while True:
        name_length = int.from_bytes(data[entry + 28 : entry + 30], "little")
        if data[entry + 46 : entry + 46 + name_length] == part.encode():
            break
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 24 : entry + 28] = size.to_bytes(4, "little")
    target.write_bytes(bytes(data))
    return target


def small_workbook(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(["B1", "2024-04-02T10:00:00Z", "2024-04-02T11:00:00Z", "full", None, "x"])
    return save(book, tmp_path / "small.xlsx")


def test_a_workbook_declaring_gigabytes_unpacked_is_refused_before_it_is_read(
    capsys, contract, tmp_path
):
    bomb = declaring_size(small_workbook(tmp_path), tmp_path / "bomb.xlsx", SHEET, 4_000_000_000)
    sizes = {i.filename: i.file_size for i in zipfile.ZipFile(bomb).infolist()}
    assert sizes[SHEET] == 4_000_000_000
    assert bomb.stat().st_size < 10_000
    err = refused(
        capsys, "replay", contract, bomb, names=[str(bomb), "unpacks to 4,000 MB", "1,000 MB"]
    )
    assert "check that it is the right file, or export fewer months per file" in err


def test_the_unpacked_limit_counts_every_part(capsys, contract, tmp_path, monkeypatch):
    from slamodeler.io import input_files

    path = small_workbook(tmp_path)
    unpacked = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    monkeypatch.setattr(input_files, "UNPACKED_LIMIT", unpacked)
    code, _, _ = hostile(capsys, "replay", contract, path)
    assert code == 0
    monkeypatch.setattr(input_files, "UNPACKED_LIMIT", unpacked - 1)
    refused(capsys, "replay", contract, path, names=[str(path), "unpacks to"])


# ---------------------------------------------------------------------------------------------
# Cells that are not text, named as a spreadsheet shows them

DURATION_HEADER = ["id", "start", "duration_minutes", "impact", "service"]
START = dt.datetime(2024, 4, 2, 10)

# (column, cell, its number format, what the message says); messages once said
# "datetime.timedelta(seconds=5400) is not a number".
NOT_TEXT: dict[str, tuple[str, object, str | None, str]] = {
    "duration as [h]:mm": (
        "duration_minutes",
        dt.timedelta(hours=1, minutes=30),
        "[h]:mm",
        "duration_minutes: a duration of 1:30 is not a number of minutes; enter the minutes as "
        "a number (90)",
    ),
    "duration as a time of day": (
        "duration_minutes",
        dt.time(0, 45),
        "h:mm",
        "duration_minutes: a time of day 00:45 is not a number of minutes; enter the minutes as "
        "a number (45)",
    ),
    "duration as a date": (
        "duration_minutes",
        dt.datetime(2024, 3, 1, 10),
        "yyyy-mm-dd hh:mm",
        "duration_minutes: a date 2024-03-01 10:00 is not a number of minutes",
    ),
    "duration TRUE": ("duration_minutes", True, None, "duration_minutes: TRUE is not a number"),
    "start TRUE": ("start", True, None, "start: TRUE is not a date and time; enter a date"),
    "start a time of day": (
        "start",
        dt.time(10, 5),
        "h:mm",
        "start: a time of day 10:05 is not a date and time",
    ),
    "start a number": ("start", 45383.5, None, "start: 45383.5 is not a date and time"),
    "impact FALSE": ("impact", False, None, "impact: unknown impact label FALSE"),
}


@pytest.mark.parametrize("case", NOT_TEXT)
def test_a_cell_that_is_not_text_is_named_as_a_spreadsheet_shows_it(
    capsys, contract, tmp_path, case
):
    column, value, number_format, said = NOT_TEXT[case]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(DURATION_HEADER)
    row = dict(zip(DURATION_HEADER, ["N1", START, 30, "full", "Compute"], strict=True))
    row[column] = value
    sheet.append(list(row.values()))
    sheet.append(["N2", START, 30, "full", "Compute"])
    if number_format:
        sheet.cell(2, DURATION_HEADER.index(column) + 1).number_format = number_format
    path = save(book, tmp_path / "not_text.xlsx")
    argv = ("replay", contract, path, "--timezone", "UTC")
    err = refused(capsys, *argv, names=[str(path), said, "(rows 2)"])
    assert "datetime" not in err
    _, _, err = hostile(capsys, *argv, "--skip-bad-rows")
    assert "2 row(s) read, 1 incident(s) used" in err


# ---------------------------------------------------------------------------------------------
# Cells out of order within a row: the reader sized the row by its last cell and lost the rest


def two_rows(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "start", "end", "impact", "service"])
    sheet.append(["P1", "2024-04-02T10:00:00Z", "2024-04-02T11:00:00Z", "full", "Compute"])
    sheet.append(["P2", "2024-04-03T10:00:00Z", "2024-04-03T13:00:00Z", "full", "Storage"])
    return save(book, tmp_path / "in_order.xlsx")


def cell_xml(xml: str, ref: str) -> str:
    found = re.search(rf'<c r="{ref}"[^>]*>.*?</c>', xml)
    assert found, ref
    return found.group(0)


def swap_d3_e3(xml: str) -> str:
    d3, e3 = cell_xml(xml, "D3"), cell_xml(xml, "E3")
    return xml.replace(d3 + e3, e3 + d3)


def e3_twice(xml: str) -> str:
    e3 = cell_xml(xml, "E3")
    return xml.replace(e3, e3 + e3.replace("Storage", "Compute"))


CELLS_OUT_OF_ORDER = {
    "swapped": (swap_d3_e3, "row 3: cell D3 comes after cell E3"),
    "written twice": (e3_twice, "row 3: cell E3 comes after cell E3"),
}


@pytest.mark.parametrize("case", CELLS_OUT_OF_ORDER)
def test_a_cell_out_of_order_in_its_row_is_refused(capsys, contract, tmp_path, case):
    edit, said = CELLS_OUT_OF_ORDER[case]
    path = patched(two_rows(tmp_path), tmp_path / "cells.xlsx", edit)
    err = refused(capsys, "replay", contract, path, names=[str(path), "sheet 'Sheet'", said])
    assert "open and save it again in Excel or LibreOffice" in err


def test_cells_without_references_are_read_in_their_place(capsys, contract, tmp_path):
    def unnumbered(xml: str) -> str:  # row 3's cells B to E without r=, as the format allows
        return re.sub(r'<c r="[B-E]3"', "<c", xml)

    path = patched(two_rows(tmp_path), tmp_path / "unnumbered.xlsx", unnumbered)
    assert '<c r="E3"' not in zipfile.ZipFile(path).read(SHEET).decode()
    code, out, _ = hostile(capsys, "replay", contract, path, "--explain")
    assert code == 0
    assert "P1 (row 2): 60 min counted" in out
    incidents = import_incidents(path).incidents
    assert [(x.id, x.impact, x.service) for x in incidents] == [
        ("P1", "full", "Compute"),
        ("P2", "full", "Storage"),
    ]


# ---------------------------------------------------------------------------------------------
# Cells the reader gives a value a spreadsheet does not show: refused at their row and column


def incidents_book(*rows: list[object], header: list[str] = HEADER) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    return book


APRIL_2 = [dt.datetime(2024, 4, 2, 10), dt.datetime(2024, 4, 2, 11)]
APRIL_3 = [dt.datetime(2024, 4, 3, 10), dt.datetime(2024, 4, 3, 11)]
APRIL_4 = [dt.datetime(2024, 4, 4, 10), dt.datetime(2024, 4, 4, 11)]


def test_error_values_are_refused_at_their_row_and_column(capsys, contract, tmp_path):
    # The reader gave the text: cause "#n/a", service "#REF!" (silently out of scope).
    book = incidents_book(
        ["E1", *APRIL_2, "full", "#N/A", "Compute"],
        ["E2", *APRIL_3, "full", None, "#REF!"],
        ["E3", *APRIL_4, "full", None, "Compute"],
    )
    path = save(book, tmp_path / "errors.xlsx")
    assert 't="e"' in zipfile.ZipFile(path).read(SHEET).decode()
    argv = ("replay", contract, path, "--timezone", "UTC", "--explain")
    err = refused(
        capsys,
        *argv,
        names=[
            str(path),
            "cause: the error value #N/A (a formula that failed in the spreadsheet); correct the "
            "formula or enter the value (rows 2)",
            "service: the error value #REF! (a formula that failed in the spreadsheet); correct "
            "the formula or enter the value (rows 3)",
        ],
    )
    code, out, err = hostile(capsys, *argv, "--skip-bad-rows")
    assert code == 0
    assert "3 row(s) read, 1 incident(s) used" in err
    assert "E3 (row 4): 60 min counted" in out


UNSAVED = (
    "a formula with no saved value; open and save the file in Excel or LibreOffice so its "
    "values are stored"
)


def test_formulas_without_saved_values_are_refused_not_read_as_empty(capsys, contract, tmp_path):
    # Written by openpyxl and never opened in a spreadsheet: the reader gave None, so row 2 was
    # counted (no cause) instead of excluded as maintenance, and row 3 was a "blank row".
    book = incidents_book(
        ["F1", *APRIL_2, "full", '=LOWER("MAINTENANCE")', "Compute"],
        ['="F2"', "=B2+1", "=C2+1", '="full"', None, '="Compute"'],
        ["F3", *APRIL_4, "full", None, "Compute"],
    )
    path = save(book, tmp_path / "formulas.xlsx")
    assert "<f>B2+1</f><v" in zipfile.ZipFile(path).read(SHEET).decode()
    argv = ("replay", contract, path, "--timezone", "UTC", "--explain")
    err = refused(
        capsys, *argv, names=[str(path), f"cause: {UNSAVED} (rows 2)", f"start: {UNSAVED} (rows 3)"]
    )
    assert "blank row" not in err
    code, out, err = hostile(capsys, *argv, "--skip-bad-rows")
    assert code == 0
    assert "3 row(s) read, 1 incident(s) used" in err
    assert "F3 (row 4): 60 min counted" in out


def test_formulas_with_saved_values_are_read_as_saved(capsys, contract, tmp_path):
    book = incidents_book(
        ["S1", *APRIL_2, "full", '=LOWER("MAINTENANCE")', "Compute"],
        ["S2", *APRIL_3, "full", '=IF(1,"","x")', "Compute"],
    )

    def saved(xml: str) -> str:  # as a spreadsheet saves them: each with its value
        xml = xml.replace('<c r="E2"><f>', '<c r="E2" t="str"><f>')
        xml = xml.replace("</f><v /></c>", "</f><v>maintenance</v></c>", 1)
        return xml.replace('<c r="E3"><f>', '<c r="E3" t="str"><f>')  # "": an empty text

    path = patched(save(book, tmp_path / "plain.xlsx"), tmp_path / "saved.xlsx", saved)
    code, out, err = hostile(capsys, "replay", contract, path, "--timezone", "UTC", "--explain")
    assert code == 0
    assert "2 row(s) read, 2 incident(s) used" in err
    assert "S1 (row 2): 0 min counted, 60 min excluded (cause: maintenance)" in out
    assert "S2 (row 3): 60 min counted" in out


SUPPORT_CONTRACT = one_tier(support=True, name="Support")


def test_a_first_response_formula_without_its_value_is_refused(capsys, tmp_path):
    # It was read as no response: a miss credited at 5%.
    contract = tmp_path / "support.yaml"
    contract.write_text(SUPPORT_CONTRACT, encoding="utf-8")
    incidents = tmp_path / "incidents.csv"
    incidents.write_text(
        "id,start,end,impact\nI-1,2024-03-05T10:00:00Z,2024-03-05T10:01:00Z,full\n",
        encoding="utf-8",
    )
    book = incidents_book(
        ["T-1", "P1", dt.datetime(2024, 3, 4, 9), "=C2+5/1440"],
        header=["id", "priority", "opened", "first_response"],
    )
    tickets = save(book, tmp_path / "tickets.xlsx")
    argv = ("replay", contract, incidents, "--tickets", tickets, "--timezone", "UTC")
    refused(capsys, *argv, names=[str(tickets), f"first_response: {UNSAVED} (rows 2)"])


# ---------------------------------------------------------------------------------------------
# ISO date cells (t="d") with a zone: the reader dropped it


def iso_dates(tmp_path: Path, start: str, end: str) -> Path:
    book = incidents_book(["Z1", *APRIL_2, "full", None, "Compute"])
    book.iso_dates = True  # date cells written as ISO text (t="d"), as some programs write them
    plain = save(book, tmp_path / "iso.xlsx")

    def zoned(xml: str) -> str:
        assert 't="d"><v>2024-04-02T10:00:00</v>' in xml
        xml = xml.replace("<v>2024-04-02T10:00:00</v>", f"<v>{start}</v>")
        return xml.replace("<v>2024-04-02T11:00:00</v>", f"<v>{end}</v>")

    return patched(plain, tmp_path / "iso_zoned.xlsx", zoned)


@pytest.mark.parametrize("zone", [None, "UTC", "America/New_York"])
def test_an_iso_date_cell_keeps_its_offset(capsys, contract, tmp_path, zone):
    # 10:00+02:00 was read as 10:00 in --timezone (or refused as having no zone): 60 minutes.
    path = iso_dates(tmp_path, "2024-04-02T10:00:00+02:00", "2024-04-02T11:00:00Z")
    argv = ("replay", contract, path, "--explain", *(("--timezone", zone) if zone else ()))
    code, out, err = hostile(capsys, *argv)
    assert code == 0
    assert "1 row(s) read, 1 incident(s) used" in err
    assert "Z1 (row 2): 180 min counted" in out  # 08:00Z to 11:00Z
    (incident,) = import_incidents(path, timezone=zone).incidents
    assert (incident.start, incident.end) == (
        dt.datetime(2024, 4, 2, 8, tzinfo=dt.UTC).timestamp(),
        dt.datetime(2024, 4, 2, 11, tzinfo=dt.UTC).timestamp(),
    )


def test_an_iso_date_cell_without_a_zone_still_needs_one(capsys, contract, tmp_path):
    path = iso_dates(tmp_path, "2024-04-02T10:00:00", "2024-04-02T11:00:00+00:00")
    refused(
        capsys,
        "replay",
        contract,
        path,
        names=[str(path), "start: time has no zone or offset; give one with --timezone"],
    )
    code, out, _ = hostile(capsys, "replay", contract, path, "--explain", "--timezone", "UTC")
    assert code == 0
    assert "Z1 (row 2): 60 min counted" in out


# ---------------------------------------------------------------------------------------------
# Merged cells: the reader gave None for every cell of a range but its first


MERGED = (
    "cause: part of the merged cells E2:E3, which hold a value only in their first cell (E2); "
    "unmerge the cells (each row its own value) (rows 3)"
)


def test_a_cell_merged_into_the_row_above_is_refused(capsys, contract, tmp_path):
    # Row 3 lost its cause: counted instead of excluded as maintenance.
    book = incidents_book(
        ["M1", *APRIL_2, "full", "maintenance", "Compute"],
        ["M2", *APRIL_3, "full", None, "Compute"],
        ["M3", *APRIL_4, "full", None, "Compute"],
    )
    book.active.merge_cells("E2:E3")
    path = save(book, tmp_path / "merged.xlsx")
    argv = ("replay", contract, path, "--timezone", "UTC", "--explain")
    refused(capsys, *argv, names=[str(path), MERGED])
    code, out, err = hostile(capsys, *argv, "--skip-bad-rows")
    assert code == 0
    assert "3 row(s) read, 2 incident(s) used" in err
    assert "M1 (row 2): 0 min counted, 60 min excluded (cause: maintenance)" in out
    assert "M3 (row 4): 60 min counted" in out


def test_merged_cells_the_import_does_not_read_or_over_blank_rows_are_left_alone(
    capsys, contract, tmp_path
):
    header = [*HEADER, "note", "more"]
    book = incidents_book(
        ["M1", *APRIL_2, "full", None, "Compute", "a note over two columns", None],
        ["M2", *APRIL_3, "full", None, "Compute", "a note over two rows", None],
        [],
        [],
        ["M3", *APRIL_4, "full", "maintenance", "Compute", None, None],
        header=header,
    )
    for merged in ("G2:H2", "G3:G4", "A4:F5", "G6:XFD6"):
        book.active.merge_cells(merged)
    path = save(book, tmp_path / "merged_elsewhere.xlsx")
    code, out, err = hostile(capsys, "replay", contract, path, "--timezone", "UTC", "--explain")
    assert code == 0
    assert "3 row(s) read, 3 incident(s) used\n  2 blank row(s) skipped" in err
    assert "M3 (row 6): 0 min counted, 60 min excluded (cause: maintenance)" in out


def test_merged_cells_that_hold_nothing_are_read_as_empty(capsys, contract, tmp_path):
    """A range whose first cell is empty (a formatted report's blank merged cause) hides
    nothing: a spreadsheet shows it empty, as the reader gives it, so every row is used."""
    book = incidents_book(
        ["E1", *APRIL_2, "full", None, "Compute"],
        ["E2", *APRIL_3, "full", None, "Compute"],
        ["E3", *APRIL_4, "full", None, "Compute"],
    )
    book.active.merge_cells("E2:E3")
    path = save(book, tmp_path / "merged_empty.xlsx")
    code, out, err = hostile(capsys, "replay", contract, path, "--timezone", "UTC", "--explain")
    assert code == 0
    assert "3 row(s) read, 3 incident(s) used" in err
    assert "E2 (row 3): 60 min counted" in out
