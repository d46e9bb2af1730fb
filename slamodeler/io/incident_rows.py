"""The incident import's fast lane: a whole column of times checked and converted at once, and
cells that repeat (impact, cause, service, region) parsed once per distinct value.

It decides nothing on its own. A time is taken here only in the one form
``YYYY-MM-DDTHH:MM:SSZ`` (or with a space for the T), ASCII digits, a real date and time of day:
a form the per-cell rules (``RowParser.time``) read as the same instant. A row whose times are
both in that form and whose end is after its start is built from the values ``RowParser`` gives
for its other cells (cached by cell); every other row goes through ``RowParser.parse``, so each
problem and note is found and worded there, by row and column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

WIDTH = 20  # len("2024-03-01T14:05:00Z")
_DIGITS = (0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18)
_SIGNS = {4: "-", 7: "-", 13: ":", 16: ":", 19: "Z"}


def utc_seconds(cells: Sequence[Any]) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Epoch seconds of each cell written ``YYYY-MM-DDTHH:MM:SSZ`` (T or a space), and which
    cells were; the others (anything else, even a valid time in another form) are left to the
    per-cell rules."""
    texts = [c if type(c) is str and len(c) == WIDTH else "" for c in cells]
    codes = np.array(texts, dtype=f"<U{WIDTH}").view(np.uint32).reshape(len(texts), WIDTH)
    digit = codes - ord("0")
    ok = np.all(digit[:, _DIGITS] <= 9, axis=1)  # unsigned: codes below '0' wrap above 9
    for at, sign in _SIGNS.items():
        ok &= codes[:, at] == ord(sign)
    ok &= (codes[:, 10] == ord("T")) | (codes[:, 10] == ord(" "))
    d = digit.astype(np.int64)

    def number(at: int, width: int) -> NDArray[np.int64]:
        value = np.zeros(len(texts), dtype=np.int64)
        for k in range(at, at + width):
            value = value * 10 + d[:, k]
        return value

    year, month, day = number(0, 4), number(5, 2), number(8, 2)
    hour, minute, second = number(11, 2), number(14, 2), number(17, 2)
    ok &= (year >= 1) & (month >= 1) & (month <= 12) & (hour <= 23) & (minute <= 59)
    ok &= second <= 59
    months = np.where(ok, (year - 1970) * 12 + month - 1, 0).astype("datetime64[M]")
    first_day = months.astype("datetime64[D]").astype(np.int64)
    month_days = (months + 1).astype("datetime64[D]").astype(np.int64) - first_day
    ok &= (day >= 1) & (day <= month_days)
    seconds = (first_day + day - 1) * 86400 + hour * 3600 + minute * 60 + second
    return np.where(ok, seconds, 0), ok


class CellCache:
    """A parser's answer for each distinct text cell (or empty one), computed once: exports
    repeat a few impacts, causes, services and regions over many rows. Other cells (a
    workbook's numbers) are parsed each time: 1, 1.0 and True are equal keys, but not the same
    cell."""

    def __init__(self, parse: Callable[[Any], Any]):
        self.parse = parse
        self.seen: dict[str | None, Any] = {}

    def __call__(self, value: Any) -> Any:
        if value is not None and type(value) is not str:
            return self.parse(value)
        try:
            return self.seen[value]
        except KeyError:
            answer = self.seen[value] = self.parse(value)
            return answer
