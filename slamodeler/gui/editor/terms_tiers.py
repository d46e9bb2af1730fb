"""The selected tier's scope and caps."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QGroupBox

from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.editor.terms_fields import TermField, listed, note, optional_text, word_list
from slamodeler.services.contract_edits import TierField


class TierTerms(QGroupBox):
    """Scope (services and regions, empty for all) and the per-period and yearly caps."""

    def __init__(self, document: ContractDocument):
        super().__init__()
        self.document, self.tier = document, 0
        self.services = self._field("scope", "services", "Services", "all services", word_list)
        self.regions = self._field("scope", "regions", "Regions", "all regions", word_list)
        self.period_cap = self._field(
            "caps", "per_period_pct", "Per-period cap %", "no cap", optional_text
        )
        self.year_cap = self._field(
            "caps", "per_year_pct_of_annual_fees", "Yearly cap %", "no cap", optional_text
        )
        form = QFormLayout(self)
        form.addRow("Services (comma-separated)", self.services)
        form.addRow("Regions (comma-separated)", self.regions)
        form.addRow("Cap per period (% of its fee)", self.period_cap)
        form.addRow("Cap per contract year\n(% of 12 monthly fees)", self.year_cap)
        form.addRow(note("An incident on another service or region does not count for this tier."))
        document.changed.connect(self.refresh)
        self.refresh()

    def _field(self, key: str, sub: str, label: str, placeholder: str, parse: Any) -> TermField:
        return TermField(
            self.document,
            lambda: TierField(self.tier, key, sub),
            label,
            placeholder=placeholder,
            parse=parse,
            show=listed,
        )

    def set_tier(self, tier: int) -> None:
        self.tier = tier
        for field in (self.services, self.regions, self.period_cap, self.year_cap):
            field.refresh()
        self.refresh()

    def refresh(self) -> None:
        name = self.document.get(TierField(self.tier, "name"), "")
        self.setTitle(f"Scope and caps of {name}")
