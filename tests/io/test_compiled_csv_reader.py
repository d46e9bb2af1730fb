"""The compiled CSV reader (slamodeler/io/csv_cells.py, jit_csv.py) decides nothing of its own:
on any bytes it gives the incidents, the import report and the refusals ``csv.reader`` gives,
or it does not read the file at all (and ``csv.reader`` does)."""

from __future__ import annotations

import codecs
import csv
import math
import sys
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import slamodeler.io
from slamodeler.domain.errors import InputError
from slamodeler.domain.import_mapping import ColumnMapping
from slamodeler.domain.incidents import IncidentSet
from slamodeler.engine import compiled_kernels
from slamodeler.io import csv_cells, csv_header, incident_import
from slamodeler.io.incident_rows import utc_seconds
from tests.helpers.incident_cells import IMPACTS, TEXTS, time_texts

HEADERS = ["id", "start", "end", "duration_minutes", "impact", "cause", "service", "region"]
MAPPED = ColumnMapping(
    columns={"start": "opened", "end": "closed", "title": ""},
    impact_labels={"sev1": "full", "sev2": 0.5},
    cause_labels={"maint": "maintenance"},
    default_impact="partial",
)


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every CSV, however small, offered to the compiled reader."""
    if compiled_kernels.compiled("csv", csv_cells._load) is None:
        pytest.skip("numba cannot compile here")
    monkeypatch.setattr(csv_cells, "FAST_BYTES", 0)


def export(folder: Path, data: bytes) -> Path:
    path = folder / "export.csv"
    path.write_bytes(data)
    return path


def by_csv_reader(path: Path) -> csv_cells.CsvCells | None:
    """What the compiled reader makes of ``path`` (None: it leaves it to ``csv.reader``)."""
    return csv_cells.read_csv_cells(path, "auto")


def imported(path: Path, **options: object) -> IncidentSet | str:
    try:
        return incident_import.import_incidents(path, **options)  # type: ignore[arg-type]
    except InputError as exc:
        return f"refused: {exc}"


def both_ways(path: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> tuple:
    """The import by the compiled reader, and by ``csv.reader``."""
    fast = imported(path, **options)
    with monkeypatch.context() as patch:
        patch.setattr(csv_cells, "FAST_BYTES", math.inf)
        return fast, imported(path, **options)


CELLS = st.one_of(
    time_texts(),
    IMPACTS,
    TEXTS,
    st.sampled_from(["", " ", "sev1", "SEV2", "maint", "30", "é", "x;y", "x\ty"]),
)
HOSTILE = st.sampled_from(
    [
        *['"', 'a"b', '"q,uoted"', "\r", "\x00", "\n", ",", "\u2028", "\x1c"],
        *['"never closed', '"closed"then text', '"closed" ', '""x', '"\r"', '"a\x00"', '"\n'],
    ]
)


def quoted(text: str) -> str:
    """A cell as RFC 4180 (and ``csv.writer``) quotes it: in quotes, each quote written twice."""
    return '"' + text.replace('"', '""') + '"'


# What exports put in quotes: free text with delimiters, quotes and line breaks in it (a CRLF
# kept in the cell as written), other scripts, nothing at all, and numbers and times too.
QUOTED = st.one_of(
    CELLS.map(quoted),
    st.lists(
        st.sampled_from([",", ";", "\t", '"', '""', "\n", "\r\n", "é", "日本", "Login slow", " "]),
        max_size=5,
    )
    .map("".join)
    .map(quoted),
)


@st.composite
def exports(draw: st.DrawFn) -> bytes:
    """CSV bytes as exports write them and around them: the usual header or the mapped one (with
    extra and missing columns), rows short and long, blank lines, CRLF, a byte-order mark, a
    semicolon or tab, text other than ASCII, quoted cells (delimiters, doubled quotes and line
    breaks inside), and now and then a quote where it does not belong (never closed, text after
    it), a lone carriage return, a NUL or Windows-1252."""
    header = list(draw(st.sampled_from([HEADERS, ["opened", "closed", "severity_weight", "x"]])))
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    header += draw(st.lists(st.sampled_from(["title", "zone", "extra", ""]), max_size=2))
    width = len(header)
    if draw(st.integers(0, 3)) == 0:  # quoted names, now and then one spanning lines
        header = [quoted(name) for name in header]
        at = draw(st.integers(0, width - 1))
        header[at] = draw(st.sampled_from([header[at]] * 3 + ['"ti\ntle"', '"a,b"']))
    delimiter = draw(st.sampled_from([",", ",", ";", "\t"]))
    cells = CELLS | QUOTED if draw(st.booleans()) else CELLS
    rows = draw(
        st.lists(
            st.lists(cells, min_size=width, max_size=width)
            | st.lists(cells, max_size=width + 2)
            | st.just([]),
            max_size=12,
        )
    )
    if draw(st.integers(0, 3)) == 0 and rows:
        row = draw(st.sampled_from(rows))
        row.append(draw(HOSTILE))
    breaks = draw(st.lists(st.sampled_from(["\n", "\n", "\r\n"]), min_size=len(rows) + 1))
    text = delimiter.join(header) + breaks[0]
    text += "".join(delimiter.join(r) + b for r, b in zip(rows, breaks[1:], strict=False))
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    encoding = draw(st.sampled_from(["utf-8"] * 6 + ["utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(encoding, errors="replace")


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    exports(),
    st.sampled_from([None, MAPPED]),
    st.sampled_from([None, "UTC", "America/New_York"]),
    st.sampled_from([None, "latest"]),
    st.booleans(),
)
@example(
    b"id,start,end,impact\na,2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,full", None, None, None, True
)
@example(
    b"\xef\xbb\xbfid;start;end;impact\r\n\r\n;;;\r\nb;2024-02-30T00:00:00Z;x;full\r\n",
    None,
    None,
    None,
    True,
)
@example(
    b"start,end,impact\n2024-01-01 00:00:00Z,2024-01-01T01:00:00Z,full,extra\n,\n",
    None,
    "UTC",
    "latest",
    False,
)
def test_the_compiled_reader_gives_what_csv_reader_gives(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    compiled: None,
    data: bytes,
    mapping: ColumnMapping | None,
    zone: str | None,
    open_until: str | None,
    skip: bool,
) -> None:
    path = export(tmp_path, data)
    options = {
        "mapping": mapping,
        "timezone": zone,
        "open_until": open_until,
        "on_bad_row": "skip" if skip else "reject",
        "known_labels": ["major"],
    }
    fast, per_row = both_ways(path, monkeypatch, **options)
    assert fast == per_row


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(exports())
@example(b'id,"ti\ntle",start\nA,x,y\n')  # a header spanning lines
@example(b'id,title\nA,"a ""b"", c"\n')
@example(b'id,title\r\nA,"x\ry"\r\nB,"\r"\r\n')  # a carriage return in quotes is text
def test_the_compiled_reader_cuts_every_cell_csv_reader_cuts(
    tmp_path: Path, compiled: None, data: bytes
) -> None:
    """Cell by cell, the oracle being ``read_table`` (``csv.reader``): the header, each row as
    the per-cell rules get it, numbered alike, and each column's cells, the ones a row lacks
    None; whatever the import then makes of them."""
    path = export(tmp_path, data)
    cells = by_csv_reader(path)
    if cells is None:
        return
    table = incident_import.read_table(path, ColumnMapping())
    rows = list(table.rows)
    assert cells.header == table.header
    assert [cells.row(k) for k in range(cells.n)] == rows
    for column in range(len(table.header)):
        expected = [values[column] if column < len(values) else None for _, values in rows]
        assert cells.cells(column) == expected


def test_a_usual_export_is_read_by_the_compiled_reader_cell_by_cell(tmp_path: Path, compiled):
    path = export(
        tmp_path,
        codecs.BOM_UTF8 + b"id,start,end,impact\r\n"
        b"A, 2024-03-01T14:05:00Z,2024-03-01T15:05:00Z,full\r\n"
        b"\r\n"
        b"B,2024-03-02 10:00:00Z,2024-03-02T10:30:00Z,0.5,extra\n"
        b"C,\xc3\xa9",
    )
    cells = by_csv_reader(path)
    assert cells is not None
    assert cells.header == ["id", "start", "end", "impact"]
    assert (cells.n, cells.numbers.tolist()) == (4, [2, 3, 4, 5])
    assert cells.cells(0) == ["A", None, "B", "C"]
    assert cells.cells(1, np.array([0, 3])) == [" 2024-03-01T14:05:00Z", "é"]
    assert cells.cells(3) == ["full", None, "0.5", None]
    assert [cells.row(k) for k in range(4)] == [
        (2, ["A", " 2024-03-01T14:05:00Z", "2024-03-01T15:05:00Z", "full"]),
        (3, []),
        (4, ["B", "2024-03-02 10:00:00Z", "2024-03-02T10:30:00Z", "0.5", "extra"]),
        (5, ["C", "é"]),
    ]
    seconds, ok = cells.utc_seconds(2)
    march_1_2024 = 19783 * 86400  # 54 years after 1970 with 14 leap days, and Jan + Feb 2024
    assert ok.tolist() == [True, False, True, False]
    assert seconds.tolist() == [march_1_2024 + 15 * 3600 + 300, 0, march_1_2024 + 86400 + 37800, 0]
    impact = cells.coded(3, lambda cell: cell and cell.upper())
    assert (impact.codes.tolist(), impact.values) == ([0, 1, 2, 1], ("FULL", None, "0.5"))
    assert cells.encoding.describe() == "UTF-8 with BOM (detected)"


def test_a_quoted_export_is_read_by_the_compiled_reader_cell_by_cell(tmp_path: Path, compiled):
    """Quoted as ``csv.writer`` and spreadsheets write them: a delimiter, a doubled quote, a LF
    and a CRLF inside quotes, an empty quoted cell, a quoted time; a quote inside an unquoted
    cell is text (``csv.reader`` keeps it)."""
    path = export(
        tmp_path,
        b'"id","start",end,title\r\n'
        b'A,"2024-03-01T14:05:00Z",2024-03-01T15:05:00Z,"Login, ""slow""\r\nsecond line"\r\n'
        b'B,2024-03-02T14:05:00Z,"",5" disk\n'
        b'"C","2024-03-03T14:05:00Z","x","a\nb\nc"\n'
        b'"",\n',
    )
    cells = by_csv_reader(path)
    assert cells is not None
    assert cells.header == ["id", "start", "end", "title"]
    assert (cells.n, cells.numbers.tolist()) == (4, [2, 3, 4, 5])  # rows, not lines
    assert cells.cells(3) == ['Login, "slow"\r\nsecond line', '5" disk', "a\nb\nc", None]
    assert cells.cells(2) == ["2024-03-01T15:05:00Z", "", "x", None]
    assert [cells.row(k) for k in range(4)] == [
        (2, ["A", "2024-03-01T14:05:00Z", "2024-03-01T15:05:00Z", 'Login, "slow"\r\nsecond line']),
        (3, ["B", "2024-03-02T14:05:00Z", "", '5" disk']),
        (4, ["C", "2024-03-03T14:05:00Z", "x", "a\nb\nc"]),
        (5, ["", ""]),
    ]
    seconds, ok = cells.utc_seconds(1)
    march_1_2024 = 19783 * 86400
    assert ok.tolist() == [True, True, True, False]
    assert seconds.tolist() == [march_1_2024 + 14 * 3600 + 300 + k * 86400 for k in range(3)] + [0]
    title = cells.coded(3, str.upper, np.array([2, 0, 2]))
    assert (title.codes.tolist(), title.values) == (
        [0, 1, 0],
        ("A\nB\nC", 'LOGIN, "SLOW"\r\nSECOND LINE'),
    )


def test_doubled_quotes_are_made_one_in_every_column_of_a_wide_file(tmp_path: Path, compiled):
    """Columns from 63 on share one mark of a doubled quote: an unquoted cell among them keeps
    its quotes as written, as ``csv.reader`` does (ten rows: the header's 70 columns' positions
    stay within 4x the file)."""
    cells = ["cell"] * 70
    cells[1], cells[64], cells[66] = '"a ""b"""', '"""c"", d"', 'e""f'
    header = ",".join(f"c{k}" for k in range(70))
    path = export(tmp_path, (header + "\n" + (",".join(cells) + "\n") * 10).encode())
    found = by_csv_reader(path)
    assert found is not None
    assert [found.cells(k)[9] for k in (0, 1, 64, 65, 66)] == [
        "cell",
        'a "b"',
        '"c", d',
        "cell",
        'e""f',
    ]
    table = incident_import.read_table(path, ColumnMapping())
    assert [found.row(k) for k in range(10)] == list(table.rows)


def test_a_bad_row_after_a_cell_spanning_lines_is_named_by_its_row_as_csv_reader_counts_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiled
) -> None:
    """Row 3 spans lines 3 to 5; the row after it, on line 6, is row 4 in both readers."""
    path = export(
        tmp_path,
        b"id,start,end,title,impact\n"
        b'A,2024-03-01T14:05:00Z,2024-03-01T15:05:00Z,"one, line",full\n'
        b'B,2024-03-02T14:05:00Z,2024-03-02T15:05:00Z,"three\n""quoted""\nlines",full\n'
        b'C,2024-03-03T14:05:00Z,2024-03-03T13:05:00Z,"ends before it starts",full\n',
    )
    assert by_csv_reader(path) is not None
    fast, per_row = both_ways(path, monkeypatch)
    assert fast == per_row
    assert isinstance(fast, str) and "not used: end: end is before start (rows 4)" in fast
    fast, per_row = both_ways(path, monkeypatch, on_bad_row="skip")
    assert fast == per_row
    assert isinstance(fast, IncidentSet)
    assert [x.title for x in fast.incidents] == ["one, line", 'three\n"quoted"\nlines']


@pytest.mark.parametrize(
    "data",
    [
        b'id,start,end\nA,"2024-03-01T14:05:00Z,2024-03-01T15:05:00Z\n',  # never closed
        b'id,start,end\nA,"2024-03-01"T14:05:00Z,2024-03-01T15:05:00Z\n',  # text after it
        b'id,start,end\nA,"2024-03-01T14:05:00Z" ,2024-03-01T15:05:00Z\n',  # a space after it
        b'id,start,"e\nnd"\nA,2024-03-01T14:05:00Z,2024-03-01T15:05:00Z\n',  # a header's
        b"id,start,end\nA,2024-03-01T14:05:00Z\r2024-03-01T15:05:00Z\n",  # a lone CR
        b"id,start,end\nA,\x00,x\n",  # a NUL
        b"id,start,end\nA,caf\xe9,x\n",  # Windows-1252
        b"id,start,end\nA,\xed\xa0\x80,x\n",  # not UTF-8 (a surrogate)
        "id,start,end\nA,x,y\n".encode("utf-16"),
        b"",
    ],
)
def test_what_the_compiled_reader_cannot_read_as_csv_reader_does_is_left_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiled, data: bytes
) -> None:
    path = export(tmp_path, data)
    assert by_csv_reader(path) is None
    fast, per_row = both_ways(path, monkeypatch)
    assert fast == per_row


@pytest.mark.parametrize(("cell", "read"), [(40, True), (41, False)])
def test_a_cell_over_the_field_size_limit_is_left_to_csv_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiled, cell: int, read: bool
) -> None:
    path = export(
        tmp_path, b"id,start,end\nA,2024-03-01T14:05:00Z,2024-03-01T15:05:00Z," + b"x" * cell
    )
    limit = csv.field_size_limit(40)
    try:
        assert (by_csv_reader(path) is not None) == read
        fast, per_row = both_ways(path, monkeypatch)
    finally:
        csv.field_size_limit(limit)
    assert fast == per_row
    assert ("longer than 40 characters, the most a cell may hold" in str(per_row)) != read


@pytest.mark.parametrize(
    ("empty_columns", "read"), [(0, True), (7, True), (8, False), (1000, False)]
)
def test_a_header_far_wider_than_its_lines_is_left_to_csv_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiled, empty_columns: int, read: bool
) -> None:
    """The reader keeps 16 bytes for each header column on each line (12 here: 11 line breaks,
    and the guard counts one past the last); the file is 540 bytes and the empty columns. It
    reads it while (4 + empty) x 12 x 16 <= 4 x (540 + empty): up to 7 empty columns (2,112 <=
    2,188; 8 make 2,304 > 2,192)."""
    row = b"INC1,2024-03-01T14:05:00Z,2024-03-01T15:05:00Z,full\n"  # 52 bytes
    path = export(tmp_path, b"id,start,end,impact" + b"," * empty_columns + b"\n" + row * 10)
    assert path.stat().st_size == 540 + empty_columns
    assert (by_csv_reader(path) is not None) == read
    fast, per_row = both_ways(path, monkeypatch)
    assert fast == per_row
    assert isinstance(fast, IncidentSet) and len(fast.incidents) == 10


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        (b'A,2024-03-01T14:05:00Z,2024-03-01T15:05:00Z,"Login, slow"\n', True),
        (b'A,2024-03-01T14:05:00Z,2024-03-01T15:05:00Z,"Login\rslow"\n', True),
        (b"A,2024-03-01T14:05:00Z,2024-03-01T15:05:00Z,x\0y\n", False),
        (b"A,2024-03-01T14:05:00Z,2024-03-01T15:05:00Z,x\ry\r\n", True),
        (b"A,2024-03-01T14:05:00Z,2024-03-01T15:05:00Z,xy\r", True),
        (b"A,2024-03-01T14:05:00Z,2024-03-01T15:05:00Z,x y\r\n", True),
    ],
)
def test_numba_is_not_loaded_for_a_file_the_compiled_reader_would_refuse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: bytes, plain: bool
) -> None:
    """A NUL is found in the bytes before the kernels are asked for; a quote or a lone carriage
    return (which the kernel refuses outside quotes) is not a reason not to ask."""
    asked: list[str] = []
    monkeypatch.setattr(compiled_kernels, "compiled", lambda name, load: asked.append(name))
    monkeypatch.setattr(csv_cells, "FAST_BYTES", 0)
    path = export(tmp_path, b"id,start,end,title\r\n" + text)
    assert by_csv_reader(path) is None  # the kernels are "missing" (None) when asked for
    assert asked == (["csv"] if plain else [])
    fast, per_row = both_ways(path, monkeypatch)
    assert fast == per_row


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [("a;b;c,d", ";"), ("a,b;c", ","), ("a\tb", "\t"), ("", ","), ("é;b", ";")],
)
def test_the_delimiter_is_the_one_the_header_holds_most_of_a_comma_on_a_tie(
    line: str, delimiter: str
) -> None:
    assert csv_header.delimiter_of(line) == delimiter


def test_both_readers_take_the_header_by_the_one_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiled
) -> None:
    """A tie (one comma, one semicolon) goes to whichever delimiter the rule lists first."""
    path = export(tmp_path, b" id , start;end \nA,2024-03-01T14:05:00Z;2024-03-01T15:05:00Z\n")
    for order, header in ((",;\t", ["id", "start;end"]), (";,\t", ["id , start", "end"])):
        monkeypatch.setattr(csv_header, "DELIMITERS", order)
        found = by_csv_reader(path)
        assert found is not None and found.header == header
        assert incident_import.read_table(path, ColumnMapping()).header == header


def test_small_files_other_suffixes_and_a_chosen_other_encoding_are_left_to_csv_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiled
) -> None:
    path = export(tmp_path, b"id,start,end\nA,2024-03-01T14:05:00Z,2024-03-01T15:05:00Z\n")
    assert by_csv_reader(path) is not None
    assert csv_cells.read_csv_cells(path, "windows-1252") is None
    assert csv_cells.read_csv_cells(path, "utf-8-sig") is not None
    assert csv_cells.read_csv_cells(tmp_path / "missing.csv", "auto") is None
    other = tmp_path / "export.xlsx"
    other.write_bytes(path.read_bytes())
    assert by_csv_reader(other) is None
    monkeypatch.setattr(csv_cells, "FAST_BYTES", path.stat().st_size + 1)
    assert by_csv_reader(path) is None


def test_without_numba_or_with_the_environment_variable_csv_reader_reads_every_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiled
) -> None:
    path = export(
        tmp_path, b"id,start,end,impact\nA,2024-03-01T14:05:00Z,2024-03-01T15:05:00Z,full\n"
    )
    fast = imported(path)
    try:
        with monkeypatch.context() as patch:
            patch.setitem(sys.modules, "numba", None)  # ``import numba`` fails
            patch.delitem(sys.modules, "slamodeler.io.jit_csv", raising=False)
            patch.delattr(slamodeler.io, "jit_csv", raising=False)
            compiled_kernels.forget()
            assert by_csv_reader(path) is None
            assert imported(path) == fast
        with monkeypatch.context() as patch:
            patch.setenv(compiled_kernels.NUMPY_ONLY, "1")
            compiled_kernels.forget()
            assert by_csv_reader(path) is None
    finally:
        compiled_kernels.forget()
    assert by_csv_reader(path) is not None


@settings(deadline=None)  # the first example may load the kernels
@given(st.lists(time_texts(), max_size=30))
@example(["2024-02-29T23:59:59Z", "2023-02-29T10:00:00Z", "0000-01-01T00:00:00Z"])
@example(["9999-12-31T23:59:59Z", "0001-01-01 00:00:00Z", "1600-02-29T00:00:00Z"])
@example(["1900-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "1969-12-31T23:59:59Z"])
def test_the_compiled_time_kernel_reads_what_the_numpy_lane_reads(cells: list[str]) -> None:
    kernels = compiled_kernels.compiled("csv", csv_cells._load)
    if kernels is None:
        pytest.skip("numba cannot compile here")
    data = "\n".join(cells).encode()
    lengths = np.array([len(c.encode()) for c in cells], dtype=np.int64)
    starts = np.cumsum(lengths + 1) - (lengths + 1)  # each cell, then a line break
    seconds, ok = kernels.utc_seconds(np.frombuffer(data, np.uint8), starts, starts + lengths)
    expected, expected_ok = utc_seconds(cells)
    assert ok.tolist() == expected_ok.tolist()
    assert seconds.tolist() == expected.tolist()
    for cell, value, taken in zip(cells, seconds.tolist(), ok.tolist(), strict=True):
        if taken:
            assert value == math.floor(datetime.fromisoformat(cell).timestamp())
