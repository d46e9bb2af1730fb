"""The selected tier's scope and caps."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout

from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.editor.fee_terms import fee_fields
from slamodeler.gui.editor.terms_fields import (
    TermField,
    listed,
    note,
    optional_text,
    whole_number,
    word_list,
)
from slamodeler.gui.editor.tier_clause_group import TierBound, TierClauseGroup
from slamodeler.services.contract_edits import Parts, Remove, TierField


class TierTerms(TierClauseGroup):
    """Scope (services and regions, empty for all) and the per-period and yearly caps."""

    TITLE = "Scope and caps of {name}"

    def __init__(self, document: ContractDocument):
        super().__init__(document)
        self.services = self._field("scope", "services", "Services", "all services", word_list)
        self.regions = self._field("scope", "regions", "Regions", "all regions", word_list)
        self.zones_needed = TermField(
            document,
            lambda: self._zone_place("at_least"),
            "Zones down at least",
            placeholder="zones do not count",
            parse=lambda text: whole_number(text) if text else None,
            write=self._write_zones_needed,
        )
        self.zones_of = TermField(
            document,
            lambda: self._zone_place("of"),
            "Of the zones",
            placeholder="every zone the incidents name",
            parse=word_list,
            show=listed,
        )
        self.period_cap = self._field(
            "caps", "per_period_pct", "Per-period cap %", "no cap", optional_text
        )
        self.year_cap = self._field(
            "caps", "per_year_pct_of_annual_fees", "Yearly cap %", "no cap", optional_text
        )
        self.monthly_fees, self.affected_share = fee_fields(document, lambda: self.tier)
        form = QFormLayout(self)
        form.addRow("Services (comma-separated)", self.services)
        form.addRow("Regions (comma-separated)", self.regions)
        form.addRow("Down only while at least\nthis many zones are", self.zones_needed)
        form.addRow("Of the zones (comma-separated)", self.zones_of)
        form.addRow("Cap per period (% of its fee)", self.period_cap)
        form.addRow("Cap per contract year\n(% of 12 monthly fees)", self.year_cap)
        form.addRow('Fees by month\n("YYYY-MM: fee", comma-separated)', self.monthly_fees)
        form.addRow("Credits on this share\nof the fee (0 to 1)", self.affected_share)
        form.addRow(
            note(
                "An incident on another service or region does not count for this tier. With a "
                "number of zones (k of n, as the EC2 region-level SLA: 2), a minute is down, in "
                "full, only while at least that many of the listed zones have an incident; an "
                "incident without a zone takes every zone down."
            )
        )
        self.follow_document()

    def _field(self, key: str, sub: str, label: str, placeholder: str, parse: Any) -> TermField:
        return TermField(
            self.document,
            lambda: TierField(self.tier, key, sub),
            label,
            placeholder=placeholder,
            parse=parse,
            show=listed,
        )

    def _zone_place(self, key: str) -> Parts:
        return Parts(("tiers", self.tier, "scope", "zones", key))

    def _write_zones_needed(self, value: object, shown: str) -> None:
        """An empty number takes the whole zone rule away: zones no longer count."""
        if value is not None:
            self.document.set_value(self._zone_place("at_least"), value, f"Zones down = {shown}")
        elif self.document.get(TierField(self.tier, "scope", "zones")) is not None:
            zones = Parts(("tiers", self.tier, "scope", "zones"))
            self.document.apply(Remove(zones, "Zones no longer count"))

    def tier_fields(self) -> tuple[TierBound, ...]:
        fields = (self.services, self.regions, self.zones_needed, self.zones_of)
        fees = (self.monthly_fees, self.affected_share)
        return (*fields, self.period_cap, self.year_cap, *fees)
