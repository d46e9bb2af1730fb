"""The contract's term (when contract years and terms start, and how long a term is) and its
description, as rows of the general terms: the calendar the yearly caps, the maintenance
allowance and the liability cap count in (docs/contract-format.md, "term")."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.editor.terms_fields import TermDate, TermField, TermText, whole_number
from slamodeler.services.contract_edits import Term

TERM_HELP = (
    "Contract years begin on the start date and on each anniversary (yearly caps, maintenance "
    "allowance); terms are consecutive blocks of this many months from it (liability cap)."
)


class TermRows:
    """The start date and the months of a term on one row, and the description under them."""

    def __init__(self, document: ContractDocument):
        self.start = TermDate(document, Term("term", "start"), "Term start")
        self.months = TermField(
            document, Term("term", "months"), "Term months", placeholder="12", parse=whole_number
        )
        self.months.edit.setMaximumWidth(70)
        self.description = TermText(
            document,
            Term("description"),
            "Description",
            placeholder="free text for the reader",
            lines_shown=2,
        )
        self.term = QWidget()
        self.term.setToolTip(TERM_HELP)
        row = QHBoxLayout(self.term)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("starts"))
        row.addWidget(self.start)
        row.addWidget(QLabel("and runs"))
        row.addWidget(self.months)
        row.addWidget(QLabel("months"))
        row.addStretch()

    def rows(self) -> list[tuple[str, QWidget]]:
        """(label, field) for each row of a form."""
        return [("Term", self.term), ("Description", self.description)]
