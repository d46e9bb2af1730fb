"""The selected tier's kind of credit schedule and the terms that are not a table: the boundary
rule, the credit per hour and how hours count, the fee multiple. Switching the kind starts the new
schedule from the old one where it can (bands and curve points share their numbers) and from the
tier's target otherwise."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtWidgets import QFormLayout, QWidget

from slamodeler.domain.credit_schedules import BOUNDARY_WORDS
from slamodeler.gui.document import ContractDocument
from slamodeler.gui.terms_fields import TermChoice, TermField

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


def _number(value: Any, fallback: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(fallback)
    return number if number.is_finite() else Decimal(fallback)


def _text(number: Decimal) -> str:
    return format(number.normalize(), "f")


def switched(credits: dict[str, Any], kind: str, target: Any) -> dict[str, Any]:
    """A schedule of ``kind`` to start from: bands and curve points keep each other's numbers;
    otherwise the target (99.9 if it is not a number yet) gives the first threshold. The boundary
    rule is kept where both kinds have one."""
    if credits.get("kind") == kind:
        return credits
    threshold = _number(target, "99.9")
    boundary = {"boundary": credits.get("boundary") or "below"}
    old = credits.get("bands") or credits.get("points") or []
    pairs = [
        (item.get("below", item.get("availability_pct")), item.get("credit_pct")) for item in old
    ]
    if kind == "bands":
        bands = [{"below": x, "credit_pct": y, "escalation": None} for x, y in pairs]
        return {"kind": kind, **boundary, "bands": bands or [_band(threshold, "10")]}
    if kind == "linear":
        points = [{"availability_pct": x, "credit_pct": y} for x, y in pairs]
        if len(points) < 2:
            low = max(threshold - 5, Decimal(0))
            points = [
                {"availability_pct": _text(threshold), "credit_pct": "0"},
                {"availability_pct": _text(low), "credit_pct": "100"},
            ]
        return {"kind": kind, "points": points}
    if kind == "per_hour":
        return {"kind": kind, **boundary, "credit_pct_per_hour": "5", "hours": "started"}
    return {"kind": kind, **boundary, "multiple": "10"}


def _band(below: Decimal, credit: str) -> dict[str, Any]:
    return {"below": _text(below), "credit_pct": credit, "escalation": None}


class ScheduleTerms(QWidget):
    """A form over ``tiers[tier].credits``; rows the kind does not have are hidden."""

    def __init__(self, document: ContractDocument):
        super().__init__()
        self.document, self.tier = document, 0

        def at(key: str) -> Any:
            return lambda: ("tiers", self.tier, "credits", key)

        self.kind = TermChoice(document, at("kind"), "Schedule", KINDS, write=self._switch)
        self.boundary = TermChoice(document, at("boundary"), "Boundary", BOUNDARIES)
        self.per_hour = TermField(document, at("credit_pct_per_hour"), "Credit % per hour")
        self.hours = TermChoice(document, at("hours"), "Hours counted", HOURS)
        self.multiple = TermField(document, at("multiple"), "Fee multiple")
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow("Kind", self.kind)
        self.form.addRow("A threshold is missed", self.boundary)
        self.form.addRow("Credit per hour (% of the fee)", self.per_hour)
        self.form.addRow("Hours counted", self.hours)
        self.form.addRow("Multiple of the fee", self.multiple)
        self.fields = (self.kind, self.boundary, self.per_hour, self.hours, self.multiple)
        document.changed.connect(self.refresh)
        self.refresh()

    def set_tier(self, tier: int) -> None:
        self.tier = tier
        for field in self.fields:
            field.refresh()
        self.refresh()

    def refresh(self) -> None:
        kind = self.document.get(("tiers", self.tier, "credits", "kind"))
        shown = {
            self.boundary: kind != "linear",
            self.per_hour: kind == "per_hour",
            self.hours: kind == "per_hour",
            self.multiple: kind == "fee_multiple",
        }
        for field, visible in shown.items():
            self.form.setRowVisible(field, visible)

    def _switch(self, kind: str, shown: str) -> None:
        tier = self.tier

        def change(data: dict[str, Any]) -> None:
            row = data["tiers"][tier]
            row["credits"] = switched(row.get("credits") or {}, kind, row.get("target_pct"))

        name = self.document.get(("tiers", tier, "name"), "")
        self.document.edit(f"{name}: schedule of {shown.lower()}", change)
