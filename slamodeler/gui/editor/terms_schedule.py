"""The selected tier's kind of credit schedule and the terms that are not a table: the boundary
rule, the credit per hour and how hours count, the fee multiple. Switching the kind starts the new
schedule from the old one where it can (bands and curve points share their numbers) and from the
tier's target otherwise."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QWidget

from slamodeler.domain.credit_schedules import BOUNDARY_WORDS
from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.editor.terms_fields import TermChoice, TermField
from slamodeler.services.contract_edits import SwitchSchedule, TierField

KINDS = (
    ("bands", "Bands (steps)"),
    ("linear", "Linear curve"),
    ("per_hour", "Per hour of downtime"),
    ("fee_multiple", "Multiple of the fee for the downtime"),
)
HOURS = (
    ("started", "each started hour"),
    ("whole", "whole hours only"),
    ("exact", "exact fractions of an hour"),
)
BOUNDARIES = tuple(BOUNDARY_WORDS.items())
SHARE_OF = (
    ("period", "the period's minutes"),
    ("scheduled", "scheduled availability (less excluded time)"),
)


class ScheduleTerms(QWidget):
    """A form over ``tiers[tier].credits``; rows the kind does not have are hidden."""

    def __init__(self, document: ContractDocument):
        super().__init__()
        self.document, self.tier = document, 0

        def at(key: str) -> Any:
            return lambda: TierField(self.tier, "credits", key)

        self.kind = TermChoice(document, at("kind"), "Schedule", KINDS, write=self._switch)
        self.boundary = TermChoice(document, at("boundary"), "Boundary", BOUNDARIES)
        self.per_hour = TermField(document, at("credit_pct_per_hour"), "Credit % per hour")
        self.hours = TermChoice(document, at("hours"), "Hours counted", HOURS)
        self.multiple = TermField(document, at("multiple"), "Fee multiple")
        self.share_of = TermChoice(document, at("share_of"), "Downtime as a share of", SHARE_OF)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow("Kind", self.kind)
        self.form.addRow("A threshold is missed", self.boundary)
        self.form.addRow("Credit per hour (% of the fee)", self.per_hour)
        self.form.addRow("Hours counted", self.hours)
        self.form.addRow("Multiple of the fee", self.multiple)
        self.form.addRow("Downtime as a share of", self.share_of)
        self.fields = (
            self.kind,
            self.boundary,
            self.per_hour,
            self.hours,
            self.multiple,
            self.share_of,
        )
        document.changed.connect(self.refresh)
        self.refresh()

    def set_tier(self, tier: int) -> None:
        self.tier = tier
        for field in self.fields:
            field.refresh()
        self.refresh()

    def refresh(self) -> None:
        kind = self.document.get(TierField(self.tier, "credits", "kind"))
        shown = {
            self.boundary: kind != "linear",
            self.per_hour: kind == "per_hour",
            self.hours: kind == "per_hour",
            self.multiple: kind == "fee_multiple",
            self.share_of: kind == "fee_multiple",
        }
        for field, visible in shown.items():
            self.form.setRowVisible(field, visible)
        if self.share_of.value() is None:  # not stated: the period's minutes
            self.share_of.combo.setCurrentIndex(0)

    def _switch(self, kind: str, shown: str) -> None:
        name = self.document.get(TierField(self.tier, "name"), "")
        self.document.apply(SwitchSchedule(self.tier, kind, shown, name))
