"""The selected tier's either-or credit: a second credit for the same periods, paid instead of
the tier's own (the greater of the two, or the tier's own whenever it gives anything), never
with it. The editor offers the two kinds real SLAs pair with a band schedule, a credit per hour
of downtime and a multiple of the fee; a band or curve schedule here is shown, and edited in the
contract file."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout

from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.editor.terms_fields import TermChoice, TermField, note, optional_text
from slamodeler.gui.editor.terms_schedule import HOURS
from slamodeler.gui.editor.tier_clause_group import TierBound, TierClauseGroup
from slamodeler.services.contract_edits import Parts, Remove, TierField

PICKS = (
    (None, "only the tier's credit"),
    ("greater", "the greater of the two"),
    ("first", "the tier's credit, else the other"),
)
KINDS = (
    ("per_hour", "Per hour of downtime"),
    ("fee_multiple", "Multiple of the fee for the downtime"),
)
STARTS: dict[str, dict[str, Any]] = {
    "per_hour": {"kind": "per_hour", "credit_pct_per_hour": 5, "hours": "started"},
    "fee_multiple": {"kind": "fee_multiple", "multiple": 10},
}


class EitherOrTerms(TierClauseGroup):
    """A form over ``tiers[tier].either_or``; choosing "only the tier's credit" removes it."""

    TITLE = "Either this credit or another, not both ({name})"

    def __init__(self, document: ContractDocument):
        super().__init__(document)
        self.pick = TermChoice(document, self._at("pick"), "Pay", PICKS, write=self._write_pick)
        self.name = TermField(
            document,
            self._at("name"),
            "Its name",
            placeholder="other credit",
            parse=optional_text,
            write=self._write_or_remove("name"),
        )
        self.kind = TermChoice(
            document, self._at("credits", "kind"), "Other credit", KINDS, write=self._write_kind
        )
        self.per_hour = TermField(
            document, self._at("credits", "credit_pct_per_hour"), "Credit % per hour"
        )
        self.hours = TermChoice(document, self._at("credits", "hours"), "Hours counted", HOURS)
        self.multiple = TermField(document, self._at("credits", "multiple"), "Fee multiple")
        self.target = TermField(
            document,
            self._at("target_pct"),
            "Its target %",
            placeholder="the tier's target",
            parse=optional_text,
            write=self._write_or_remove("target_pct"),
        )
        self.form = QFormLayout(self)
        self.form.addRow("Each period pays", self.pick)
        self.form.addRow("Other credit's name", self.name)
        self.form.addRow("Other credit", self.kind)
        self.form.addRow("Credit per hour (% of the fee)", self.per_hour)
        self.form.addRow("Hours counted", self.hours)
        self.form.addRow("Multiple of the fee", self.multiple)
        self.form.addRow("Paid below (availability %)", self.target)
        self.in_file = note("")
        self.form.addRow(self.in_file)
        self.form.addRow(
            note(
                "Some SLAs give two credits for one failure and pay one: the greater, or the "
                "other only when the tier's credit gives nothing. Replay says which was paid."
            )
        )
        self.fields = (
            self.pick,
            self.name,
            self.kind,
            self.per_hour,
            self.hours,
            self.multiple,
            self.target,
        )
        self.follow_document()

    def tier_fields(self) -> tuple[TierBound, ...]:
        return self.fields

    def _at(self, *keys: str) -> Any:
        return lambda: Parts(("tiers", self.tier, "either_or", *keys))

    def refresh(self) -> None:
        super().refresh()
        clause = self.document.get(TierField(self.tier, "either_or"))
        kind = (clause or {}).get("credits", {}).get("kind") if clause else None
        if clause is not None and self.pick.value() is None:  # not stated: the greater
            self.pick.combo.setCurrentIndex(1)
        shown = {
            self.name: clause is not None,
            self.kind: kind in STARTS,
            self.per_hour: kind == "per_hour",
            self.hours: kind == "per_hour",
            self.multiple: kind == "fee_multiple",
            self.target: kind in STARTS,
        }
        for field, visible in shown.items():
            self.form.setRowVisible(field, visible)
        elsewhere = clause is not None and kind not in STARTS
        self.in_file.setText(
            f"The other credit is a {kind} schedule: edit it in the contract file."
            if elsewhere
            else ""
        )
        self.in_file.setVisible(elsewhere)

    def _write_pick(self, pick: str | None, shown: str) -> None:
        place = TierField(self.tier, "either_or")
        if pick is None:
            if self.document.get(place) is not None:
                self.document.apply(Remove(place, "Pay only the tier's credit"))
            return
        clause = dict(self.document.get(place) or {"credits": dict(STARTS["per_hour"])})
        clause["pick"] = pick
        self.document.set_value(place, clause, f"Each period pays {shown}")

    def _write_kind(self, kind: str, shown: str) -> None:
        place = Parts(("tiers", self.tier, "either_or", "credits"))
        self.document.set_value(place, dict(STARTS[kind]), f"Other credit: {shown}")

    def _write_or_remove(self, key: str) -> Any:
        """An empty field leaves the key out (its default); text is stored as given."""

        def write(value: Any, shown: str) -> None:
            place = Parts(("tiers", self.tier, "either_or", key))
            if value is not None:
                self.document.set_value(place, value, f"Other credit: {key} = {shown}")
            elif self.document.get(place) is not None:
                self.document.apply(Remove(place, f"Other credit: {key} left out"))

        return write
