"""Cells of the exposure workbook: named styles, text that cannot turn into a formula, and a fast
writer for the body of very large sheets.

Text from incident exports and contract files is untrusted: a title such as ``=HYPERLINK(...)``
or ``@SUM(...)`` must stay text in Excel and LibreOffice, also after someone edits the cell. Every
text cell is therefore stored as a string (never a formula) with control characters removed, and
a value that starts like a formula (``=``, ``+``, ``-``, ``@``, tab, line break: the rule every
output shares, :mod:`slamodeler.io.formula_text`) also gets the cell's *quote prefix* (the
apostrophe Excel shows in the formula bar), so that re-entering it keeps it text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from openpyxl.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from slamodeler.domain.money import minor_digits
from slamodeler.io.formula_text import starts_like_formula

MAX_TEXT = 32_767  # Excel's limit for one cell
# C0 controls except tab and line feed, DEL, C1 controls, lone surrogates, and the two
# non-characters: none of them is allowed in the sheet XML or useful to a reader.
_DROP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def safe_text(value: object) -> tuple[str, bool]:
    """The text to store for ``value`` and whether it needs the quote prefix."""
    text = str(value)
    guard = starts_like_formula(text)
    text = _DROP.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    return text, guard or starts_like_formula(text)


def put_text(cell: Cell | MergedCell, value: object, style: str | None = None) -> Cell:
    """Store ``value`` as inert text (in a cell of its own: a merged one's value is read-only)."""
    assert isinstance(cell, Cell)
    text, guard = safe_text(value)
    cell.value = text or None
    if text:
        cell.data_type = "s"  # openpyxl would read a leading "=" as a formula
    if style:
        cell.style = style
    if guard:
        cell.quotePrefix = True
    return cell


def money_format(currency: str) -> str:
    """``"USD" #,##0.00``: the code, then the amount with the currency's minor-unit decimals."""
    digits = minor_digits(currency)
    return f'"{currency}" #,##0' + ("." + "0" * digits if digits else "")


INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
FONT = "Calibri"  # openpyxl's and Excel's default
HEADING_FONT = Font(name=FONT, bold=True, size=12, color="1F3864")
THIN = Side(style="thin", color="8EA9DB")


@dataclass(frozen=True)
class Styles:
    """The workbook's named styles (they show in Excel's and LibreOffice's style lists)."""

    title: str = "SLA Title"
    heading: str = "SLA Heading"
    header: str = "SLA Header"
    label: str = "SLA Label"
    text: str = "SLA Text"
    wrap: str = "SLA Wrapped text"
    note: str = "SLA Note"
    money: str = "SLA Money"
    money_input: str = "SLA Money input"
    percent: str = "SLA Percent"
    percent_input: str = "SLA Percent input"
    availability: str = "SLA Availability"
    availability_input: str = "SLA Availability input"
    number: str = "SLA Number"
    number_input: str = "SLA Number input"
    text_input: str = "SLA Text input"
    minutes: str = "SLA Minutes"
    share: str = "SLA Share"
    date: str = "SLA Date"
    datetime: str = "SLA Date and time"
    engine: str = "SLA Engine value"
    engine_percent: str = "SLA Engine percent"


STYLES = Styles()


def add_named_styles(wb: Workbook, currency: str) -> None:
    money = money_format(currency)
    blue = Font(name=FONT, color="0000CC")  # the usual colour of inputs in a financial model
    specs: list[NamedStyle] = [
        NamedStyle(STYLES.title, font=Font(name=FONT, bold=True, size=16, color="1F3864")),
        NamedStyle(STYLES.heading, font=HEADING_FONT),
        NamedStyle(
            STYLES.header,
            font=Font(name=FONT, bold=True, color="FFFFFF"),
            fill=HEADER_FILL,
            alignment=Alignment(wrap_text=True, vertical="center"),
            border=Border(bottom=THIN),
        ),
        NamedStyle(STYLES.label, font=Font(name=FONT, bold=True)),
        NamedStyle(STYLES.text, alignment=Alignment(vertical="top")),
        NamedStyle(STYLES.wrap, alignment=Alignment(wrap_text=True, vertical="top")),
        NamedStyle(STYLES.note, font=Font(name=FONT, italic=True, color="595959")),
        NamedStyle(STYLES.money, number_format=money),
        NamedStyle(STYLES.money_input, number_format=money, font=blue, fill=INPUT_FILL),
        NamedStyle(STYLES.percent, number_format="0.00%"),
        NamedStyle(STYLES.percent_input, number_format="0.00%", font=blue, fill=INPUT_FILL),
        NamedStyle(STYLES.availability, number_format="0.0000%"),
        NamedStyle(STYLES.availability_input, number_format="0.000%", font=blue, fill=INPUT_FILL),
        NamedStyle(STYLES.number, number_format="#,##0"),
        NamedStyle(STYLES.number_input, number_format="#,##0", font=blue, fill=INPUT_FILL),
        NamedStyle(STYLES.text_input, font=blue, fill=INPUT_FILL),
        NamedStyle(STYLES.minutes, number_format="#,##0.0##"),
        NamedStyle(STYLES.share, number_format="0.0%"),
        NamedStyle(STYLES.date, number_format="yyyy-mm-dd"),
        NamedStyle(STYLES.datetime, number_format="yyyy-mm-dd hh:mm"),
        NamedStyle(
            STYLES.engine, number_format=money, font=Font(name=FONT, italic=True, color="7F7F7F")
        ),
        NamedStyle(
            STYLES.engine_percent,
            number_format="0.00%",
            font=Font(name=FONT, italic=True, color="7F7F7F"),
        ),
    ]
    for style in specs:
        if style.font.name is None:
            style.font = Font(name=FONT, sz=11)
        wb.add_named_style(style)


def style_id(ws: Worksheet, style: str, quote_prefix: bool = False) -> int:
    """The cell-format index of a named style (registered in the workbook if new)."""
    # A detached cell: openpyxl defaults its row and column, its stubs require them.
    cell = Cell(ws)  # type: ignore[call-arg]
    cell.style = style
    if quote_prefix:
        cell.quotePrefix = True
    return cell.style_id


def set_widths(ws: Worksheet, widths: Sequence[float], first: int = 1) -> None:
    for i, width in enumerate(widths, first):
        ws.column_dimensions[get_column_letter(i)].width = width


def print_setup(ws: Worksheet, title_rows: str | None = None) -> None:
    """Landscape, fit to one page wide, sheet name and page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    # a new sheet has its page setup properties and footer parts; the stubs allow None
    assert ws.sheet_properties.pageSetUpPr is not None
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.5
    assert ws.oddFooter is not None
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "Page &P of &N"
    if title_rows:
        ws.print_title_rows = title_rows


# ---------------------------------------------------------------------------------------------
# Streaming rows: the body of a sheet with 100,000+ rows, as sheet XML text.
# ---------------------------------------------------------------------------------------------

NUMBER, TEXT = "n", "s"


@dataclass(frozen=True)
class StreamColumn:
    """A column of a streamed sheet: its kind (NUMBER or TEXT) and cell-format indexes."""

    kind: str
    style: int
    guarded_style: int = 0  # text only: the same format with the quote prefix


def stream_column(ws: Worksheet, kind: str, style: str) -> StreamColumn:
    """A streamed column of ``kind`` in the named ``style`` (text also with the quote prefix)."""
    if kind == NUMBER:
        return StreamColumn(NUMBER, style_id(ws, style))
    return StreamColumn(TEXT, style_id(ws, style), style_id(ws, style, quote_prefix=True))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _number(value: object) -> str | None:
    if isinstance(value, int):
        return str(value)
    number = float(value)  # type: ignore[arg-type]
    return repr(number) if math.isfinite(number) else None


def stream_rows(
    columns: Sequence[StreamColumn], rows: Iterable[Sequence[object]], first_row: int
) -> Iterator[str]:
    """Sheet XML ``<row>`` elements for ``rows``, numbered from ``first_row``. Numbers are
    written as they are (None leaves the cell empty); text goes through :func:`safe_text`."""
    letters = [get_column_letter(i + 1) for i in range(len(columns))]
    seen: dict[str, tuple[str, bool]] = {}
    for r, values in enumerate(rows, first_row):
        cells = []
        for letter, column, value in zip(letters, columns, values, strict=False):
            if value is None:
                continue
            if column.kind == NUMBER:
                number = _number(value)
                if number is not None:
                    cells.append(f'<c r="{letter}{r}" s="{column.style}"><v>{number}</v></c>')
                continue
            text = value if isinstance(value, str) else str(value)
            if not text:
                continue
            found = seen.get(text)
            if found is None:
                clean, guard = safe_text(text)
                found = (_escape(clean), guard)
                if len(seen) < 50_000:
                    seen[text] = found
            escaped, guard = found
            s = column.guarded_style if guard else column.style
            cells.append(
                f'<c r="{letter}{r}" s="{s}" t="inlineStr"><is><t xml:space="preserve">'
                f"{escaped}</t></is></c>"
            )
        yield f'<row r="{r}">{"".join(cells)}</row>'
