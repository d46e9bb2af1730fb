"""Text that a spreadsheet would run as a formula, and how every file the tool writes keeps it
inert: the workbook (a cell's quote prefix) and every CSV (a leading apostrophe).

Text from incident exports and contract files is untrusted: a tier named ``=HYPERLINK(...)`` or a
cause ``@SUM(...)`` must stay text when the file is opened in Excel or LibreOffice. In a CSV the
only guard the spreadsheets honour is an apostrophe in front (shown, and kept as text), so a value
that starts like a formula is written with one, and the incident import drops it again: a CSV the
tool wrote reads back exactly (a dumped trial replays to the same credits).
"""

from __future__ import annotations

FORMULA_START = frozenset("=+-@\t\r\n")
APOSTROPHE = "'"


def starts_like_formula(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (or, after an apostrophe the
    import drops, as one)."""
    return text.lstrip(APOSTROPHE)[:1] in FORMULA_START


def csv_text(text: str) -> str:
    """``text`` as a CSV cell that opens as text: an apostrophe in front if it starts like a
    formula. Also applied to text already starting with apostrophes before a formula sign, so
    that :func:`from_csv_text` gives back exactly ``text``."""
    return APOSTROPHE + text if starts_like_formula(text) else text


def from_csv_text(text: str) -> str:
    """The inverse of :func:`csv_text`: a cell read from a CSV without its guarding apostrophe
    (the spreadsheet convention: ``'=1+1`` is the text ``=1+1``)."""
    if text[:1] == APOSTROPHE and starts_like_formula(text[1:]):
        return text[1:]
    return text
