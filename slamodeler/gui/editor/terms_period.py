"""The measurement period group of the measurement page: months, quarters or years, the month
the (fiscal) year starts in, and whether each period is measured on its own or over a window of
days before its end or before each claim (docs/contract-format.md, measurement)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGroupBox

from slamodeler.domain.contract import MONTH_NAMES
from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.editor.terms_fields import TermChoice, TermField, form_group, whole_number
from slamodeler.services.contract_edits import Parts, Term

PERIOD = Term("measurement", "period")
YEAR_STARTS = Term("measurement", "year_starts")
WINDOW = Term("measurement", "window")
WINDOW_KIND = Parts(("measurement", "window", "kind"))
WINDOW_DAYS = Parts(("measurement", "window", "days"))
USUAL_DAYS = {"rolling": 365, "claim": 30}
WINDOWS = (
    (None, "the period itself"),
    ("rolling", "days before its end (rolling)"),
    ("claim", "days before each claim"),
)


def _short(month: int) -> str:
    return MONTH_NAMES[month % 12][:3].capitalize()


def period_words(kind: str, first_month: int) -> str:
    """What the period drop-down says of ``kind`` when the year starts in ``first_month``."""
    if kind == "month":
        return "calendar months"
    if kind == "quarter":
        if first_month == 0:
            return "calendar quarters (Jan-Mar, Apr-Jun, ...)"
        f = first_month
        return f"fiscal quarters ({_short(f)}-{_short(f + 2)}, ...)"
    if first_month == 0:
        return "calendar years"
    return f"fiscal years ({_short(first_month)}-{_short(first_month + 11)})"


class PeriodTerms:
    """The fields of the group, and the group (``box``) they sit in."""

    def __init__(self, document: ContractDocument):
        self.document = document
        self.period = TermChoice(
            document,
            PERIOD,
            "Measurement period",
            [(kind, period_words(kind, 0)) for kind in ("month", "quarter", "year")],
        )
        self.year_starts = TermChoice(
            document,
            YEAR_STARTS,
            "Year starts in",
            [(name, name.capitalize()) for name in MONTH_NAMES],
        )
        self.window = TermChoice(
            document, WINDOW_KIND, "Measured over", WINDOWS, write=self._write_window
        )
        self.window_days = TermField(
            document, WINDOW_DAYS, "Window days", placeholder="365", parse=whole_number
        )
        self.window_days.edit.setMaximumWidth(70)
        self.box: QGroupBox = form_group(
            "Measurement period",
            [
                ("Availability is measured over", self.period),
                ("Quarters and years start in", self.year_starts),
                ("Each period measures", self.window),
                ("Days in the window", self.window_days),
            ],
            "A period runs from local midnight in the contract's time zone, DST included. A "
            "fiscal year is named after the year it ends in (FY2025 from February 2024). A "
            "window of days (24 hours each) reaches back from the period's end, or from each "
            "claim (a claim is filed as each incident ends; its fee is that of the days). "
            "Replay and the simulation measure both.",
        )
        document.changed.connect(self.refresh)
        self.refresh()

    def _write_window(self, kind: Any, shown: str) -> None:
        """Choosing a window keeps the days typed, else starts from the usual ones."""
        if kind is None:
            self.document.set_value(WINDOW, None, "Measured over = the period itself")
            return
        days = self.document.get(WINDOW_DAYS) or USUAL_DAYS[kind]
        self.document.set_value(WINDOW, {"kind": kind, "days": days}, f"Measured over = {shown}")

    def refresh(self) -> None:
        """Fiscal words for quarters and years; the first month and days only where they count."""
        kind = self.document.get(PERIOD) or "month"
        starts = self.document.get(YEAR_STARTS)
        first = MONTH_NAMES.index(starts) if starts in MONTH_NAMES else 0
        combo = self.period.combo
        for i in range(combo.count()):
            combo.setItemText(i, period_words(combo.itemData(i), first))
        self.year_starts.setEnabled(kind != "month")
        self.window_days.setEnabled(self.document.get(WINDOW) is not None)
