"""The selected tier's per-incident credits (docs/measurement.md, section 8a): a credit for each
incident longer than some minutes, and/or per hour of it, at most so much per incident. Every
field empty means no such credits."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel

from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.editor.terms_fields import (
    ERROR_STYLE,
    TermChoice,
    TermField,
    listed,
    note,
    optional_text,
    whole_number,
)
from slamodeler.gui.editor.tier_clause_group import TierBound, TierClauseGroup
from slamodeler.services.contract_edits import Parts, TierField

HOURS = [
    ("started", "each started hour"),
    ("whole", "whole hours only"),
    ("exact", "exact fractions of an hour"),
]


class IncidentCreditFields(TierClauseGroup):
    """Each field commits the whole clause as one undoable edit."""

    TITLE = "Per-incident credits of {name}"

    def __init__(self, document: ContractDocument):
        super().__init__(document)
        self.longer_than = self._field(
            "longer_than_minutes",
            "Longer than (minutes)",
            lambda text: whole_number(text) if text else None,
        )
        self.credit = self._field("credit_pct", "Credit % per incident", optional_text)
        self.per_hour = self._field("credit_pct_per_hour", "Credit % per hour", optional_text)
        self.most = self._field("max_pct_per_incident", "At most % per incident", optional_text)
        self.hours = TermChoice(
            document,
            lambda: self._place("hours"),
            "Hours counted",
            HOURS,
            write=self._writer("hours", "Hours counted"),
        )
        # what is wrong with the clause as a whole (a rule it cannot be measured under)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        form = QFormLayout(self)
        form.addRow(self.message)
        form.addRow("For each incident longer than\n(minutes)", self.longer_than)
        form.addRow("Credit (% of the period fee)", self.credit)
        form.addRow("Plus, per hour of it (%)", self.per_hour)
        form.addRow("Hours counted as", self.hours)
        form.addRow("At most per incident (%)", self.most)
        form.addRow(
            note(
                "Added to the schedule's credit before the caps. An incident's downtime is its "
                "own counted minutes, less maintenance windows, credited whole in the period it "
                "starts in. Leave the credits empty for none."
            )
        )
        self.follow_document()

    def _place(self, key: str) -> Parts:
        return Parts(("tiers", self.tier, "incident_credits", key))

    def _writer(self, key: str, label: str) -> Any:
        def write(value: Any, shown: str) -> None:
            place = TierField(self.tier, "incident_credits")
            clause = dict(self.document.get(place) or {})
            clause[key] = value
            clause = {k: v for k, v in clause.items() if v is not None}
            self.document.set_value(place, clause or None, f"{label} = {shown or 'none'}")

        return write

    def _field(self, key: str, label: str, parse: Any) -> TermField:
        return TermField(
            self.document,
            lambda: self._place(key),
            label,
            placeholder="none",
            parse=parse,
            show=listed,
            write=self._writer(key, label),
        )

    def tier_fields(self) -> tuple[TierBound, ...]:
        return (self.longer_than, self.credit, self.per_hour, self.most, self.hours)

    def refresh(self) -> None:
        super().refresh()
        place = f"tiers[{self.tier}].incident_credits"
        whole = [p.message for p in self.document.problems if p.path == place]
        self.message.setText("\n".join(whole))
        self.message.setVisible(bool(whole))
