"""CSV incident files whose header or rows do not line up as they look: invisible characters in
a header name, rows with more cells than the header, line breaks that are a lone carriage
return. Each is read as it looks or refused naming the file, row and fix, the same by both CSV
readers (``csv.reader`` and the compiled one, forced here on small files); each once lost a
column or a value without a word (or gave a wrong message)."""

from __future__ import annotations

from pathlib import Path

import pytest

from slamodeler.engine import compiled_kernels
from slamodeler.io import csv_cells
from tests.helpers.hostile_inputs import hostile
from tests.helpers.one_tier import one_tier

CONTRACT = one_tier(scoped=True, maintenance=True, name="Import demo")
T1 = "2024-04-02T10:00:00Z,2024-04-02T11:00:00Z"
T2 = "2024-04-03T10:00:00Z,2024-04-03T11:00:00Z"


@pytest.fixture(params=["csv.reader", "compiled"])
def lane(request, monkeypatch: pytest.MonkeyPatch) -> str:
    """Which CSV reader reads the files: ``csv.reader``, or the compiled one (every file offered
    to it, however small)."""
    if request.param == "compiled":
        if compiled_kernels.compiled("csv", csv_cells._load) is None:
            pytest.skip("numba cannot compile here")
        monkeypatch.setattr(csv_cells, "FAST_BYTES", 0)
    return request.param


@pytest.fixture
def contract(tmp_path: Path) -> Path:
    path = tmp_path / "demo.yaml"
    path.write_text(CONTRACT, encoding="utf-8")
    return path


def _export(tmp_path: Path, data: bytes | str, lane: str, compiled: bool = True) -> Path:
    """The file, and (``compiled``) a check that the lane chosen reads it: the compiled reader
    takes it, or leaves it to ``csv.reader`` when the lane is that one."""
    path = tmp_path / "export.csv"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    if compiled:
        taken = csv_cells.read_csv_cells(path, "auto") is not None
        assert taken == (lane == "compiled")
    return path


@pytest.mark.parametrize(
    ("header", "character"),
    [
        ("id,start,end,impact,service\u200b", "zero-width space after a name"),
        ("\ufeffid,start,end,impact,service", "a byte-order mark saved twice"),
        ("id,start,end,impact,ser\u200dvice", "zero-width joiner inside a name"),
        ("id,\u200estart,end,impact,service", "left-to-right mark before a name"),
        ("id,start,end,impact,\u00a0service\u2060", "no-break space and word joiner"),
    ],
)
def test_a_header_name_with_invisible_characters_is_found_as_it_looks(
    tmp_path, capsys, contract, lane, header, character
):
    text = f"\ufeff{header}\nB1,{T1},full,Storage\nB2,{T2},full,Compute\n"
    export = _export(tmp_path, text, lane)
    code, out, _ = hostile(capsys, "replay", contract, export, "--explain")
    assert code == 0, character
    # Storage is out of the tier's scope: only B2, by its id, counts.
    assert "- B2 (row 3): 60 min counted" in out and "B1" not in out, character


WIDE = (
    "id,start,end,impact,cause,service,title\n"
    f"X1,{T1},full,,Compute,Fine\n"
    f"X2,{T2},full,customer, maintenance,Compute,two causes typed unquoted\n"
    "X3,2024-04-04T10:00:00Z,2024-04-04T11:00:00Z,full,,Compute,Outage, then a partial recovery\n"
)


def test_a_row_with_more_cells_than_the_header_is_refused(tmp_path, capsys, contract, lane):
    export = _export(tmp_path, WIDE, lane)
    code, _, err = hostile(
        capsys, "replay", contract, export,
        names=["export.csv", "8 cells where the header has 7", "quote a cell that holds a comma",
               "(rows 3, 4)"],
    )  # fmt: skip
    assert code == 2
    code, out, err = hostile(capsys, "replay", contract, export, "--skip-bad-rows", "--explain")
    assert code == 0 and "2 row(s) not used: 8 cells where the header has 7" in err
    assert "- X1 (row 2) Fine: 60 min counted" in out and "X2" not in out and "X3" not in out


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolon"), ("\t", "tab")])
def test_a_wide_row_names_the_files_own_delimiter(
    tmp_path, capsys, contract, lane, delimiter, name
):
    rows = [
        ["id", "start", "end", "impact", "title"],
        ["X1", *T1.split(","), "full", "a comma, in a cell is text here"],
        ["X2", *T2.split(","), "full", "Outage", "then a partial recovery"],
    ]
    export = _export(tmp_path, "".join(delimiter.join(r) + "\n" for r in rows), lane)
    code, _, _ = hostile(capsys, "replay", contract, export,
                         names=["6 cells where the header has 5", f"holds a {name}", "(rows 3)"])  # fmt: skip
    assert code == 2


def test_quoted_cells_with_commas_and_rows_with_fewer_cells_are_read(
    tmp_path, capsys, contract, lane
):
    """A quoted comma is part of its cell; a row with fewer cells than the header has the cells
    it lacks empty (some tools leave out trailing empty cells); a row of separators only is
    blank, however many."""
    text = (
        "id,start,end,impact,cause,service,title\n"
        f'X1,{T1},full,"customer, maintenance",Compute,"Outage, then a partial recovery"\n'
        f"X2,{T2},full\n"
        ",,,,,,,,,,\n"
    )
    export = _export(tmp_path, text, lane)
    code, out, err = hostile(capsys, "replay", contract, export, "--explain")
    assert code == 0
    assert "2 row(s) read, 2 incident(s) used" in err and "1 blank row(s) skipped" in err
    assert "- X1 (row 2) Outage, then a partial recovery: 60 min counted" in out
    assert "- X2 (row 3): 60 min counted" in out  # no service: it reaches every tier


def test_empty_cells_past_the_header_are_read_and_text_after_them_refused(
    tmp_path, capsys, contract, lane
):
    """Some exports end every row with a delimiter the header lacks: the empty cells past the
    header lose nothing and shift nothing, so the rows are read (they were all refused as wide);
    a cell with text past the header is refused, counted up to that cell."""
    text = (
        "id,start,end,impact,service\n"
        f"X1,{T1},full,Compute,\n"
        f'X2,{T2},full,Compute,,""\n'
        f"X3,{T2},full,Compute,,,stray\n"
    )
    export = _export(tmp_path, text, lane)
    code, out, err = hostile(capsys, "replay", contract, export, "--skip-bad-rows", "--explain")
    assert code == 0
    assert "3 row(s) read, 2 incident(s) used" in err
    assert "1 row(s) not used: 8 cells where the header has 5" in err and "(rows 4)" in err
    assert "- X1 (row 2): 60 min counted" in out and "- X2 (row 3): 60 min counted" in out


def test_a_ticket_row_with_more_cells_than_the_header_is_refused(tmp_path, capsys, contract):
    incidents = _export(tmp_path, f"id,start,end,impact\nX1,{T1},full\n", "csv.reader", False)
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "id,priority,opened,first_response\n"
        "T-1,P1,2024-04-02T10:00:00Z,2024-04-02T10:05:00Z,late, but answered\n"
    )
    code, _, _ = hostile(capsys, "replay", contract, incidents, "--tickets", tickets,
                         names=["tickets.csv", "6 cells where the header has 4", "(rows 2)"])  # fmt: skip
    assert code == 2


def _left_to_csv_reader(path: Path) -> Path:
    """The compiled reader leaves a lone CR to ``csv.reader``, whichever lane is chosen."""
    assert csv_cells.read_csv_cells(path, "auto") is None
    return path


def test_lines_ending_in_cr_alone_are_read_as_lines(tmp_path, capsys, contract, lane):
    """Excel for Mac's "CSV (Macintosh)" ends lines in CR alone; a quoted cell may still hold a
    line break (once refused as a quote never closed)."""
    text = (
        "id,start,end,impact,service,title\r"
        f'C1,{T1},full,Compute,"Two lines,\nof title"\r'
        f"C2,{T2},full,Compute,One line\r"
    )
    export = _left_to_csv_reader(_export(tmp_path, text, lane, compiled=False))
    code, out, err = hostile(capsys, "replay", contract, export, "--explain")
    assert code == 0 and "2 row(s) read, 2 incident(s) used" in err
    assert "- C1 (row 2) Two lines, of title: 60 min counted" in out
    assert "- C2 (row 3) One line: 60 min counted" in out


def test_cr_lines_whose_quoted_cells_hold_more_lfs_than_lines_are_read(
    tmp_path, capsys, contract, lane
):
    """Line breaks inside quoted cells do not count: a short CR file with a cell of three lines
    (more LFs than CRs in all) was refused as holding a stray CR, with the advice to delete
    it, which would have joined its lines."""
    text = f'id,start,end,impact,service,title\rC1,{T1},full,Compute,"a\nb\nc"\r'
    export = _left_to_csv_reader(_export(tmp_path, text, lane, compiled=False))
    code, out, err = hostile(capsys, "replay", contract, export, "--explain")
    assert code == 0 and "1 row(s) read, 1 incident(s) used" in err
    assert "- C1 (row 2) a b c: 60 min counted" in out


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (f"id,start,end,impact,service\nC1,{T1},full,Com\rpute\n", ["row 2 (line 2), column 5 (service)"]),
        (f"id,start,end,impact\r\nC1,{T1},full\r\nC2,{T2}\r,full\r\n", ["row 3 (line 3), column 3 (end)"]),
        (f"id,start\r,end,impact\nC1,{T1},full\n", ["row 1 (line 1), column 2"]),
        (f'id,start,end,impact,title\nC1,{T1},full,"two\nlines"\nC2,{T2},full,x\ry\n', ["row 3 (line 4), column 5 (title)"]),
    ],
)  # fmt: skip
def test_a_carriage_return_alone_inside_a_row_is_refused_naming_the_row(
    tmp_path, capsys, contract, lane, text, names
):
    export = _left_to_csv_reader(_export(tmp_path, text, lane, compiled=False))
    code, _, err = hostile(capsys, "replay", contract, export,
                           names=["export.csv", *names, "a carriage return (CR, U+000D)", "delete it"])  # fmt: skip
    assert code == 2 and "quote" not in err.split("delete it")[0]


def test_a_fee_file_with_lines_ending_in_cr_is_read_and_a_stray_cr_refused(
    tmp_path, capsys, contract
):
    incidents = _export(tmp_path, f"id,start,end,impact\nX1,{T1},full\n", "csv.reader", False)
    fees = tmp_path / "fees.csv"
    fees.write_text("tier,month,fee\rStandard,2024-04,1500\r", encoding="utf-8", newline="")
    code, out, _ = hostile(capsys, "replay", contract, incidents, "--fees", fees)
    assert code == 0 and "Total per customer: owed 150.00," in out
    fees.write_text("tier,month,fee\nStandard,2024-04,15\r00\n", encoding="utf-8", newline="")
    code, _, _ = hostile(capsys, "replay", contract, incidents, "--fees", fees,
                         names=["fees.csv: row 2 (line 2)", "carriage return", "delete it"])  # fmt: skip
    assert code == 2
