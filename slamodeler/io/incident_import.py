"""Import incidents from CSV or XLSX exports: map columns, parse times and impacts, and report
every row that could not be used (or was used with a note), by row number and reason."""

from __future__ import annotations

import csv
import dataclasses
import functools
import itertools
import math
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slamodeler.domain.errors import InputError, MissingColumnError
from slamodeler.domain.import_mapping import ALIASES, MAPPING_FORMAT, ColumnMapping
from slamodeler.domain.incident_columns import TEXTS, Coded, IncidentColumns
from slamodeler.domain.incidents import ImportReport, Incident, IncidentSet, RowIssue
from slamodeler.engine.periods import FIRST_YEAR, LAST_YEAR
from slamodeler.io import incident_rows
from slamodeler.io.cell_problem import CellProblem
from slamodeler.io.collector_pause import collector_paused
from slamodeler.io.csv_header import (
    CR_INSIDE,
    STRAY_CR,
    cell_of,
    cells_used,
    column_name,
    column_names,
    csv_lines,
    delimiter_of,
    first_line,
)
from slamodeler.io.formula_text import from_csv_text
from slamodeler.io.input_files import (
    INCIDENTS,
    MAPPING,
    InputKind,
    check_unpacked_size,
    open_input,
    read_input,
)
from slamodeler.io.text_encoding import TextEncoding, decode_text
from slamodeler.io.yaml_files import build_with_lines, parse_yaml, read_text

OnBadRow = Literal["reject", "skip"]
OpenUntil = str | None  # an ISO time, "latest", or None: rows still open are unusable
Mapping = TypeVar("Mapping", bound=ColumnMapping)
Rows = Iterator[tuple[int, list[Any]]]  # (row number as a spreadsheet shows it, cells)


@dataclass(frozen=True)
class Table:
    """A file's header and rows, and the text encoding and delimiter of a CSV."""

    header: list[str]
    rows: Rows
    encoding: TextEncoding | None = None
    refused: Collection[int] = ()  # rows holding a cell refused when read, once rows are read
    delimiter: str | None = None


class RowError(Exception):
    def __init__(self, column: str, reason: str):
        self.column = column
        self.reason = reason


def load_mapping(path: str | Path) -> ColumnMapping:
    return read_mapping(path, ColumnMapping)


def read_mapping(path: str | Path, model: type[Mapping]) -> Mapping:
    """A mapping file of ``model``'s kind: incident columns, or another export's (tickets)."""
    path = Path(path)
    data, parsed = parse_yaml(read_text(path, MAPPING), str(path))
    if isinstance(data, dict):
        data.setdefault("format", MAPPING_FORMAT)
    return build_with_lines(model, data, parsed, str(path))


def naive_times_zone(zone: str | None) -> ZoneInfo | None:
    """The zone an export's times without an offset are read in (``--timezone`` or the
    mapping's), None for none; an unknown name is refused naming the option."""
    try:
        return ZoneInfo(zone) if zone else None
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InputError(
            f"--timezone {zone!r}: unknown time zone; use an IANA name such as UTC or Europe/Berlin"
        ) from None


def import_incidents(
    path: str | Path,
    mapping: ColumnMapping | None = None,
    on_bad_row: OnBadRow = "reject",
    timezone: str | None = None,
    known_labels: Iterable[str] = (),
    open_until: OpenUntil = None,
    encoding: str | None = None,
) -> IncidentSet:
    """Read an export. With ``reject`` any unusable row stops the import with a message listing
    the rows; with ``skip`` they are left out and listed in the report. ``known_labels`` adds
    impact labels (those a contract weighs) to the standard ones.

    A row with a start but neither end nor duration is an incident still open. By default it is
    unusable (replay cannot count time that has not ended). With ``open_until`` (ISO time of the
    export, or ``"latest"``: the latest start or end in the file) it is kept, ended then, and
    listed in ``open_rows``: what fitting needs to treat its duration as right-censored.

    ``encoding`` (a CSV's, or "auto") overrides the mapping's."""
    path = Path(path)
    mapping = mapping or ColumnMapping()
    if encoding is not None:
        mapping = mapping.model_copy(update={"encoding": encoding})
    header, used, delimiter, read_rows = _read_incident_table(path, mapping)
    columns = _resolve_columns(path, header, mapping)
    tzinfo = naive_times_zone(timezone or mapping.timezone)
    parser = RowParser(
        columns,
        mapping,
        tzinfo,
        {f: header[i] for f, i in columns.items()},
        {label.strip().lower() for label in known_labels},
        keep_open=open_until is not None,
        delimiter=delimiter,
        width=len(header),
    )
    with collector_paused():
        incidents, issues, rows_read, blank, physical = _parse_rows(parser, read_rows())
    if parser.open_rows:
        incidents, closing = _close_open(incidents, parser, open_until, tzinfo)
        issues.extend(closing)
    noted = used.describe() if used is not None and used.unusual else None
    report = ImportReport(str(path), rows_read, len(incidents), tuple(issues), noted, blank)
    if report.physical_rows != physical or report.unaccounted():
        raise RuntimeError(f"{path}: the import report does not account for every row: {report}")
    if report.rejected and on_bad_row == "reject":
        lines = report.summary_lines()
        lines.append("Fix those rows, or import with --skip-bad-rows to leave them out.")
        raise InputError("\n".join(lines))
    still_open = frozenset(parser.open_rows)
    if still_open:
        still_open &= set(incidents.rows.tolist())
    return IncidentSet(path.stem, incidents, report, still_open)


def _read_incident_table(
    path: Path, mapping: ColumnMapping
) -> tuple[list[str], TextEncoding | None, str | None, Callable[[], incident_rows.CellColumns]]:
    """The export's header, a CSV's encoding and delimiter, and its rows when asked for (after
    the header's columns are found: a column missing is said before a row ``csv.reader`` cannot
    read): a large CSV by the compiled reader where it can read it as ``csv.reader`` does
    (``csv_cells``), any other file by ``read_table``."""
    from slamodeler.io.csv_cells import read_csv_cells

    found = read_csv_cells(path, mapping.encoding)
    if found is not None:
        return found.header, found.encoding, found.delimiter, lambda: found
    table = read_table(path, mapping)
    width = None if table.delimiter is None else len(table.header)
    return (
        table.header,
        table.encoding,
        table.delimiter,
        lambda: incident_rows.RowCells(list(table.rows), table.refused, width),
    )


def _parse_rows(
    parser: RowParser, every_row: incident_rows.CellColumns
) -> tuple[IncidentColumns, list[RowIssue], int, int, int]:
    """The incidents and the rows' issues; the rows read, blank, and in all."""
    fast = _fast_lane(parser, every_row)
    slow: list[Incident] = []
    issues: list[RowIssue] = []
    rows_read = blank = 0
    for k in range(every_row.n) if fast is None else fast.left:
        row_number, values = every_row.row(k)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            blank += 1
            continue
        rows_read += 1
        try:
            incident, notes = parser.parse(row_number, values)
        except RowError as err:
            issues.append(RowIssue(row_number, err.column, err.reason, kept=False))
            continue
        slow.append(incident)
        issues.extend(RowIssue(row_number, col, why, kept=True) for col, why in notes)
    incidents = IncidentColumns.of(slow)
    if fast is not None:
        rows_read += len(fast.incidents)  # their starts are filled in: not blank
        incidents = fast.incidents.merged(incidents)
    return incidents, issues, rows_read, blank, every_row.n


def _fast_lane(parser: RowParser, rows: incident_rows.CellColumns) -> FastRows | None:
    """The rows whose start and end the fast lane reads (``incident_rows``); None when the file
    has no end column (ends then come from durations, read per cell)."""
    if "end" not in parser.columns:
        return None
    return FastRows(parser, rows)


class FastRows:
    """The incidents of the rows whose times are converted a column at once and whose other
    cells are parsed once per distinct value, by ``RowParser``'s own rules, kept as columns.
    The lane takes the rows with both times in the one form it reads, the end after the start,
    and nothing to say about the impact; ``left`` lists the others (by index), which
    ``RowParser.parse`` reads and words the problems and notes of."""

    def __init__(self, parser: RowParser, rows: incident_rows.CellColumns):
        import numpy as np  # loaded with a file's rows, not with every scenario read

        self.parser = parser
        index = parser.columns.get
        starts, fast_start = rows.utc_seconds(index("start"))
        ends, fast_end = rows.utc_seconds(index("end"))
        impact = rows.coded(index("impact"), self._impact)
        plain = np.array([i is not None for i in impact.values], dtype=bool)
        taken = fast_start & fast_end & (ends > starts) & ~rows.wide
        if isinstance(rows, incident_rows.RowCells) and rows.refused:  # a workbook's
            taken &= ~np.isin(rows.numbers, list(rows.refused))
        if len(plain):
            taken &= plain[impact.codes]
        self.left: list[int] = np.flatnonzero(~taken).tolist()
        numbers = rows.numbers[taken]
        chosen = None if taken.all() else np.flatnonzero(taken)

        def texts(field: str) -> list[str]:
            cells = rows.cells(index(field), chosen)
            found = incident_rows.plain_texts(cells, empty=True)
            return found if found is not None else [parser.text_of(field, c) for c in cells]

        id_cells = rows.cells(index("id"), chosen)
        ids = incident_rows.plain_texts(id_cells, empty=False)
        if ids is None:
            ids = list(map(parser.ident, map(clean, id_cells), numbers.tolist()))
        self.incidents = IncidentColumns(
            ids,
            starts[taken],
            ends[taken],
            Coded(impact.codes[taken], impact.values),
            {
                field: rows.coded(index(field), functools.partial(parser.text_of, field), chosen)
                for field in TEXTS
            },
            texts("title"),
            numbers,
        )

    def _impact(self, raw: Any) -> str | Decimal | None:
        """The impact of a cell, None if it has a problem or a note (left to ``parse``)."""
        notes: list[tuple[str, str]] = []
        try:
            impact = self.parser.impact(clean(raw), notes)
        except RowError:
            return None
        return None if notes else impact


def _close_open(
    incidents: Sequence[Incident], parser: RowParser, open_until: OpenUntil, zone: ZoneInfo | None
) -> tuple[IncidentColumns, list[RowIssue]]:
    """End the incidents still open at the export's time; one that starts later is unusable."""
    if open_until == "latest":
        until = max(max(x.start, x.end) for x in incidents)
        shown = f"the latest time in the file ({_utc_text(until)})"
    else:
        assert open_until is not None
        until = _as_of(open_until, zone)
        shown = f"--as-of {_utc_text(until)}"
    kept: list[Incident] = []
    issues: list[RowIssue] = []
    column = parser.header("end")
    for x in incidents:
        if x.row not in parser.open_rows:
            kept.append(x)
        elif x.start > until:
            issues.append(RowIssue(x.row, column, f"still open but starts after {shown}", False))
        else:
            kept.append(replace(x, end=until))
            issues.append(RowIssue(x.row, column, f"still open: counted until {shown}", True))
    return IncidentColumns.of(kept), issues


def _as_of(text: str, zone: ZoneInfo | None) -> int:
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"--as-of {text!r}: not a date and time; give ISO 8601, e.g. 2024-03-01T14:05Z"
        ) from None
    if stamp.tzinfo is None:
        if zone is None:
            raise InputError(
                f"--as-of {text!r} has no zone or offset; add one (e.g. Z) or give --timezone"
            )
        stamp = stamp.replace(tzinfo=zone)
    return math.floor(stamp.timestamp())


def _utc_text(stamp: int) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%dT%H:%MZ")


def read_preview(
    path: str | Path, limit: int = 20, mapping: ColumnMapping | None = None
) -> tuple[Table, list[tuple[int, list[Any]]]]:
    """The file (read as the import reads it with ``mapping``'s sheet and encoding) and its
    first ``limit`` rows, for choosing a column mapping."""
    table = read_table(Path(path), mapping or ColumnMapping())
    try:
        return table, list(itertools.islice(table.rows, limit))
    finally:
        close = getattr(table.rows, "close", None)
        if close is not None:
            close()


def read_table(path: Path, mapping: ColumnMapping, kind: InputKind = INCIDENTS) -> Table:
    """The file's header and rows; ``kind`` names the file in messages (incidents, tickets)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, mapping.sheet, kind)
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_csv(path, mapping.encoding, kind)
    open_input(path, kind).close()  # a missing file is named as such, not as its type
    raise InputError(
        f"{path}: unsupported file type {suffix!r}; export the {kind.what.split()[0]}s as CSV "
        "or XLSX"
    )


def _read_csv(path: Path, encoding: str, kind: InputKind) -> Table:
    decoded = decode_text(read_input(path, kind), str(path), encoding)
    text = decoded.text
    delimiter = delimiter_of(first_line(text))
    # Strict: a quote left open must not swallow every later line into one cell.
    reader = csv.reader(csv_lines(text), csv.excel, delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{path}: the file is empty; expected a header row") from None
    except csv.Error as exc:
        raise _csv_error(path, 1, 1, reader.line_num, exc, text, delimiter) from None
    names = column_names(header)

    def rows() -> Rows:
        # Rows are numbered as a spreadsheet shows them (a quoted cell may span lines).
        try:
            yield from enumerate(reader, start=2)
        except csv.Error:
            raise _csv_error_where(path, text, delimiter, names) from None

    return Table(names, rows(), decoded.encoding, delimiter=delimiter)


def _csv_error_where(path: Path, text: str, delimiter: str, header: list[str]) -> InputError:
    """The error of the row the CSV rules cannot read, found by reading the rows again one by
    one, keeping the line each starts on."""
    reader = csv.reader(csv_lines(text), csv.excel, delimiter=delimiter, strict=True)
    number = 0
    while True:
        number += 1
        first = reader.line_num + 1
        try:
            next(reader)
        except csv.Error as exc:
            return _csv_error(path, number, first, reader.line_num, exc, text, delimiter, header)


def _csv_error(
    path: Path,
    row: int,
    first: int,
    last: int,
    exc: csv.Error,
    text: str,
    delimiter: str,
    header: Sequence[str] = (),
) -> InputError:
    """A row the CSV rules cannot read: almost always a quote opened in it and not closed where
    it should be, which would otherwise make the rest of the file one cell; else a carriage
    return alone inside a line (a file whose lines all end so is read), or a cell longer than a
    cell may be."""
    if STRAY_CR in str(exc):
        return _stray_cr(path, row, first, last, text, delimiter, header)
    if "field larger than field limit" in str(exc):
        return InputError(
            f"{path}: row {row} (line {first}): a cell of the row is longer than "
            f"{csv.field_size_limit():,} characters, the most a cell may hold; shorten it (a "
            "title or a note), or, if a quote opens it, close the quote where the cell ends"
        )
    if "unexpected end of data" in str(exc):
        problem = (
            f'a quote (") opens a cell in this row and is never closed, so every line after it '
            f"(to line {last}, the end of the file) would be part of that cell"
        )
    else:
        problem = (
            f'a quote (") opens a cell in this row and the cell does not end where that quote '
            f"closes (found on line {last}: {exc})"
        )
    return InputError(
        f"{path}: row {row} (line {first}): {problem}; close the quote, or write a quote inside "
        'a cell as two ("") and quote the whole cell'
    )


def _stray_cr(
    path: Path,
    row: int,
    first: int,
    last: int,
    text: str,
    delimiter: str,
    header: Sequence[str],
) -> InputError:
    """A carriage return alone inside a line of a file whose lines end in LF or CRLF, named by
    its row, line and (a row on one line) cell."""
    line = text.split("\n", last)[last - 1] if last else ""
    at = line.find("\r")
    cell = cell_of(line, at, delimiter) if first == last and at >= 0 else None
    where = f"row {row} (line {last})"
    if cell is not None:
        name = f" ({header[cell - 1]})" if cell <= len(header) and header[cell - 1] else ""
        where += f", column {cell}{name}"
    return InputError(f"{path}: {where}: {CR_INSIDE}")


def _xlsx_errors() -> tuple[type[BaseException], ...]:
    """What reading a damaged workbook raises; its modules are loaded only for a workbook."""
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    return (
        zipfile.BadZipFile,
        zlib.error,
        ParseError,
        EOFError,
        OSError,
        KeyError,
        IndexError,
        ValueError,
        TypeError,
        AttributeError,
    )


def _read_xlsx(path: Path, sheet: str | None, kind: InputKind) -> Table:
    import openpyxl
    from openpyxl.chartsheet import Chartsheet

    from slamodeler.io.xlsx_sheet_check import check_sheet

    xlsx_errors = _xlsx_errors()
    handle = open_input(path, kind)
    try:
        check_unpacked_size(handle, path, kind)
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except InputError:
        handle.close()
        raise
    except xlsx_errors as exc:
        handle.close()
        raise _xlsx_error(path, None, exc) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            names = ", ".join(book.sheetnames)
            raise InputError(f"{path}: no sheet {sheet!r}; sheets are {names}")
        # the first sheet a spreadsheet shows: a hidden one (a lookup table) is passed over
        shown = (ws for ws in book.worksheets if ws.sheet_state == "visible")
        ws = book[sheet] if sheet else next(shown, None)
        if ws is None and book.worksheets:
            names = ", ".join(repr(ws.title) for ws in book.worksheets)
            raise InputError(
                f"{path}: every worksheet is hidden ({names}); name the one to read with sheet: "
                "in a mapping, or unhide it in a spreadsheet"
            )
        if ws is None:
            raise InputError(
                f"{path}: no worksheet can be read (a damaged workbook may have lost its "
                "sheets); open it in a spreadsheet and save it again, or export the incidents "
                "as CSV"
            )
        if isinstance(ws, Chartsheet):
            raise InputError(
                f"{path}: sheet {ws.title!r} is a chart, not a table of incidents; move the "
                "incidents' sheet first or name it with sheet: in a mapping"
            )
        # the sheet's XML, as the reader opens it (a private method the stubs leave out)
        with ws._get_source() as source:  # type: ignore[attr-defined]
            misread = check_sheet(source, path, ws.title)
        ws.reset_dimensions()  # read every row there is, not the rows the file declares
        it = ws.iter_rows(values_only=True)
        header = column_names("" if h is None else str(h) for h in next(it))
    except StopIteration:
        assert ws is not None  # only the header row's next() stops, after ws was checked
        book.close()
        handle.close()
        raise InputError(f"{path}: sheet {ws.title!r} is empty; expected a header row") from None
    except BaseException as exc:
        book.close()
        handle.close()
        if isinstance(exc, xlsx_errors):
            raise _xlsx_error(path, 1, exc) from None
        raise

    def rows() -> Rows:
        number = 1
        try:
            for number, values in enumerate(it, start=2):
                yield number, misread.fixed(number, list(values), len(header))
        except xlsx_errors as exc:
            raise _xlsx_error(path, number + 1, exc) from None
        finally:
            book.close()
            handle.close()

    return Table(header, rows(), refused=misread.refused)


def _xlsx_error(path: Path, row: int | None, exc: BaseException) -> InputError:
    """A workbook openpyxl cannot read: damaged (a bad checksum, a part missing or cut short),
    or with XML this reader refuses (entity definitions, which spreadsheets never write)."""
    from xml.etree.ElementTree import ParseError

    if isinstance(exc, ParseError) and "entit" in str(exc):
        what = "its sheet defines XML entities, which no spreadsheet writes (refused as unsafe)"
    else:
        what = f"damaged or not a workbook ({type(exc).__name__}: {exc})"
    where = f" at row {row}" if row is not None else ""
    return InputError(
        f"{path}: not a readable XLSX workbook{where}: {what}; open it in a spreadsheet and save "
        "it again as XLSX, or export the incidents as CSV"
    )


def guess_columns(header: Sequence[str], mapping: ColumnMapping | None = None) -> dict[str, int]:
    """The column of each field found in ``header``: the one the mapping names (none when it
    names ``""``: the field is not read), else the first usual header (ALIASES) present.
    Headers compare without regard to case, surrounding spaces or format characters
    (``column_name``)."""
    lowered = {column_name(h).lower(): i for i, h in reversed(list(enumerate(header)))}
    named = mapping.columns if mapping else {}
    aliases = mapping.aliases if mapping else ALIASES
    columns: dict[str, int] = {}
    for field in aliases:
        candidates = (named[field],) if field in named else aliases[field]
        keys = (column_name(c).lower() for c in candidates if c)
        found = next((lowered[key] for key in keys if key in lowered), None)
        if found is not None:
            columns[field] = found
    return columns


def _resolve_columns(path: Path, header: list[str], mapping: ColumnMapping) -> dict[str, int]:
    columns = guess_columns(header, mapping)
    for field, name in mapping.columns.items():
        if name and field not in columns:
            raise InputError(
                f"{path}: the mapping names column {name!r} for {field}, but the header has "
                f"only: {', '.join(header)}"
            )
    if "start" not in columns:
        raise MissingColumnError(
            f"{path}: no start column; name it in a mapping (columns: {{start: HEADER}}). "
            f"Header: {', '.join(header)}",
            ("start",),
            header,
        )
    if "end" not in columns and "duration_minutes" not in columns:
        raise MissingColumnError(
            f"{path}: needs an end or a duration_minutes column; name one in a mapping. "
            f"Header: {', '.join(header)}",
            ("end", "duration_minutes"),
            header,
        )
    return columns


@dataclass
class RowParser:
    """Turns a row's cells into an incident, with the notes of what it assumed, by the columns
    found and the mapping."""

    columns: dict[str, int]
    mapping: ColumnMapping
    zone: ZoneInfo | None
    headers: dict[str, str]
    extra_labels: set[str]
    keep_open: bool = False  # rows without end or duration are incidents still open
    open_rows: set[int] = dataclasses.field(default_factory=set)
    delimiter: str | None = None  # a CSV's: its rows may not have more cells than the header
    width: int = 0  # the header's cells

    def __post_init__(self) -> None:
        self.known_labels = self.mapping.known_impact_labels() | self.extra_labels

    def raw(self, values: Sequence[Any], field: str) -> Any:
        """The field's cell as the file holds it (None if the row has no such cell)."""
        index = self.columns.get(field)
        if index is None or index >= len(values):
            return None
        value = values[index]
        if isinstance(value, CellProblem):
            raise RowError(self.header(field), value.reason)
        return value

    def cell(self, values: Sequence[Any], field: str) -> Any:
        return clean(self.raw(values, field))

    def check_cells(self, values: Sequence[Any]) -> None:
        """Refuse a CSV row with more cells than the header: a delimiter typed in a cell that is
        not quoted splits it and shifts every later cell into the next column (a title read as
        the service), and the last would be cut off. Empty cells past the header (a trailing
        delimiter) are not counted (``cells_used``). A row with fewer cells is read with the
        cells it lacks empty, as spreadsheets read it."""
        if self.delimiter is None or len(values) <= self.width:
            return
        used = cells_used(values)
        if used > self.width:
            name = DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))
            raise RowError(
                "",
                f"{used} cells where the header has {self.width}; quote a cell that holds "
                f"a {name}, or add a header for the extra column",
            )

    def parse(self, row: int, values: Sequence[Any]) -> tuple[Incident, list[tuple[str, str]]]:
        self.check_cells(values)
        notes: list[tuple[str, str]] = []
        start = self.time(values, "start", notes)
        if start is None:
            raise RowError(self.header("start"), "start is empty")
        end = self.time(values, "end", notes)
        still_open = False  # listed in open_rows only once the row is an incident
        if end is None:
            minutes = self.duration(values)
            if minutes is None and self.keep_open:
                still_open = True
                end = start  # until the export's time, once every row is read
            elif minutes is None:
                raise RowError(self.header("end"), "no end and no duration (still open?)")
            else:
                try:
                    end = start + round(minutes * 60)
                    datetime.fromtimestamp(end, UTC)
                except (ArithmeticError, ValueError, OSError):
                    column = self.header("duration_minutes")
                    raise RowError(column, f"{minutes} minutes ends after the year 9999") from None
        if end < start:
            raise RowError(self.header("end"), "end is before start")
        if end == start and not still_open:
            notes.append((self.header("end"), "zero duration: counts no downtime"))
        impact = self.impact(self.cell(values, "impact"), notes)
        cause, service, region, title, zone = (self.text(values, f) for f in TEXT_FIELDS)
        if still_open:
            self.open_rows.add(row)
        return Incident(
            self.ident(self.cell(values, "id"), row),
            start,
            end,
            impact,
            cause,
            service,
            region,
            title,
            row,
            zone,
        ), notes

    def text(self, values: Sequence[Any], field: str) -> str:
        """A text field (one of TEXT_FIELDS) of a row, as the incident holds it."""
        return self.text_of(field, self.raw(values, field))

    def text_of(self, field: str, raw: Any) -> str:
        text = str(clean(raw) or "")
        if field == "cause":
            text = text.lower()
            return self.mapping.cause_labels.get(text, text)
        return text

    @staticmethod
    def ident(value: Any, row: int) -> str:
        return str(value) if value is not None else f"row {row}"

    def header(self, field: str) -> str:
        """The file's own header for a field, as the user sees it."""
        return self.headers.get(field, field)

    def time(self, values: Sequence[Any], field: str, notes: list[tuple[str, str]]) -> int | None:
        raw = self.cell(values, field)
        if raw is None:
            return None
        if isinstance(raw, datetime):
            stamp = raw
        elif not isinstance(raw, str | date):  # a workbook's number, TRUE, time or duration
            raise RowError(
                self.header(field),
                f"{cell_text(raw)} is not a date and time; enter a date and time (a date cell, "
                "or ISO 8601 text such as 2024-03-01T14:05Z)",
            )
        else:
            text = str(raw)
            try:
                stamp = datetime.fromisoformat(text)
            except ValueError:
                raise RowError(
                    self.header(field),
                    f"{text!r} is not a date and time (expected ISO 8601, e.g. 2024-03-01T14:05Z)",
                ) from None
        if stamp.tzinfo is None:
            if self.zone is None:
                raise RowError(
                    self.header(field),
                    "time has no zone or offset; give one with --timezone (or timezone: in the "
                    "mapping)",
                )
            stamp = stamp.replace(tzinfo=self.zone)
            note = _wall_time_note(stamp)
            if note:
                notes.append((self.header(field), note))
        try:
            year = stamp.astimezone(UTC).year
        except (OverflowError, ValueError):  # at the calendar's very edge: out of range too
            year = stamp.year
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise RowError(
                self.header(field),
                f"a time in the year {year}; incident times must fall in {FIRST_YEAR} to "
                f"{LAST_YEAR}, the years periods are counted in (check the date)",
            )
        return math.floor(stamp.timestamp())

    def duration(self, values: Sequence[Any]) -> Decimal | None:
        raw = self.cell(values, "duration_minutes")
        if raw is None:
            return None
        if not isinstance(raw, str | int | float | Decimal) or isinstance(raw, bool):
            raise RowError(self.header("duration_minutes"), _not_minutes(raw))
        try:
            minutes = Decimal(_decimal_point(str(raw)))
        except InvalidOperation:
            raise RowError(self.header("duration_minutes"), f"{raw!r} is not a number") from None
        except ValueError as exc:
            raise RowError(self.header("duration_minutes"), str(exc)) from None
        if not minutes.is_finite() or minutes < 0:
            raise RowError(self.header("duration_minutes"), f"{raw!r} is not a duration")
        return minutes

    def impact(self, raw: Any, notes: list[tuple[str, str]]) -> str | Decimal:
        """The impact of a cell (as ``cell`` gives it)."""
        column = self.header("impact")
        if raw is None:
            if self.mapping.default_impact is None:
                raise RowError(column, "impact is empty; set default_impact in the mapping")
            notes.append((column, f"impact empty: taken as {self.mapping.default_impact}"))
            raw = self.mapping.default_impact
        if isinstance(raw, Decimal):
            return raw
        text = str(raw).strip().lower()
        mapped = self.mapping.impact_labels.get(text, text)
        if isinstance(mapped, Decimal):
            return mapped
        try:
            share = _share(mapped)
        except ValueError as exc:
            raise RowError(column, str(exc)) from None
        if share is not None:
            if not 0 <= share <= 1:
                raise RowError(column, f"impact {cell_text(raw)} is outside 0..1 (or 0%..100%)")
            return share
        if mapped not in self.known_labels:
            known = ", ".join(sorted(self.known_labels))
            raise RowError(
                column,
                f"unknown impact label {cell_text(raw)}; map it with impact_labels in a mapping "
                f"(known: {known})",
            )
        return mapped


TEXT_FIELDS = ("cause", "service", "region", "title", "zone")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def clean(value: Any) -> Any:
    """A cell as the rows are read: text stripped and without the apostrophe that keeps a
    formula inert ('=1+1 kept as text in a sheet is =1+1), None for empty text."""
    if isinstance(value, str):
        value = from_csv_text(value.strip()).strip()
        return value or None
    return value


def cell_text(raw: Any) -> str:
    """A cell as messages show it: text quoted, a workbook's other cells as a spreadsheet shows
    them (TRUE, a date 2024-03-01 10:00, a duration of 1:30), never as Python writes them."""
    if isinstance(raw, str):
        return repr(raw)
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, datetime):
        shown = f"{raw:%Y-%m-%d %H:%M}" + (f":{raw:%S}" if raw.second else "")
        return f"a date {shown if raw.time() != time() else f'{raw:%Y-%m-%d}'}"
    if isinstance(raw, date):
        return f"a date {raw:%Y-%m-%d}"
    if isinstance(raw, time):
        return f"a time of day {raw:%H:%M}" + (f":{raw:%S}" if raw.second else "")
    if isinstance(raw, timedelta):
        sign, seconds = ("-" if raw < timedelta(0) else ""), abs(round(raw.total_seconds()))
        hours, rest = divmod(seconds, 3600)
        shown = f"{hours}:{rest // 60:02d}" + (f":{rest % 60:02d}" if rest % 60 else "")
        return f"a duration of {sign}{shown}"
    return str(raw)


def _not_minutes(raw: Any) -> str:
    """Why a workbook's cell that is not a number is no duration in minutes, and the number to
    enter when the cell is a duration or a time of day (1:30 is 90 minutes)."""
    if isinstance(raw, timedelta):
        minutes: float | None = raw.total_seconds() / 60
    elif isinstance(raw, time) and not isinstance(raw, datetime):
        minutes = raw.hour * 60 + raw.minute + raw.second / 60
    else:
        minutes = None
    example = f"{minutes:g}" if minutes is not None else "45"
    return (
        f"{cell_text(raw)} is not a number of minutes; enter the minutes as a number "
        f"({example}), in a cell formatted as a number"
    )


def _wall_time_note(stamp: datetime) -> str | None:
    """What to say of a local time the zone skips (the clocks went forward over it) or shows
    twice (they went back), and which instant it was read as; None for any other time."""
    zone, wall = stamp.tzinfo, stamp.replace(tzinfo=None)
    taken = stamp.astimezone(UTC)
    instant = f"{taken:%Y-%m-%dT%H:%M:%S}Z"
    local = taken.astimezone(zone)
    if local.replace(tzinfo=None) != wall:
        return (
            f"{wall:%Y-%m-%d %H:%M:%S} does not exist in {zone} (the clocks jumped forward over "
            f"it); read with the offset from before the jump, as {local:%H:%M:%S %Z} ({instant})"
        )
    if stamp.replace(fold=1).utcoffset() != stamp.utcoffset():
        return (
            f"{wall:%Y-%m-%d %H:%M:%S} occurs twice in {zone} (the clocks went back); read as "
            f"the first, {local:%H:%M:%S %Z} ({instant})"
        )
    return None


def _decimal_point(text: str) -> str:
    """'12,5' -> '12.5': a decimal comma, as European spreadsheets write it. '1,440' could be
    either a thousands separator or a decimal comma: refused rather than guessed."""
    if "," not in text or "." in text:
        return text
    if re.fullmatch(r"[1-9]\d{0,2}(,\d{3})+", text.strip()):
        raise ValueError(f"{text!r} is ambiguous (1,440 or 1.44?); write it without a comma")
    return text.replace(",", ".")


def _share(text: str) -> Decimal | None:
    """'0.3' -> 0.3, '30%' -> 0.3; None for a word."""
    written_as_percent = text.endswith("%")
    try:
        value = Decimal(_decimal_point(text.rstrip("%").strip()))
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    # Out of 0%..100% it is refused as it stands: 1e99999925% divided by 100 would overflow.
    return value / 100 if written_as_percent and 0 <= value <= 100 else value
