"""The selected tier's scope and caps, and adding or removing a tier (each one undoable step)."""

from __future__ import annotations

import copy
from itertools import chain, count
from typing import Any

from PySide6.QtWidgets import QFormLayout, QGroupBox

from slamodeler.gui.document import ContractDocument, Path
from slamodeler.gui.terms_fields import TermField, listed, note, optional_text, word_list


def add_tier(document: ContractDocument, row: int) -> int:
    """Add a copy of tier ``row`` (its terms are the likeliest start) under a new name; returns
    the new tier's row."""
    tiers = document.get(("tiers",))
    names = {str(t.get("name", "")).lower() for t in tiers}
    candidates = chain(["New tier"], (f"New tier {i}" for i in count(2)))
    name = next(n for n in candidates if n.lower() not in names)
    tier = copy.deepcopy(tiers[min(max(row, 0), len(tiers) - 1)])
    tier["name"] = name

    def add(data: dict[str, Any]) -> None:
        data["tiers"].append(tier)

    document.edit(f"Add tier {name}", add)
    return len(tiers)


def remove_tier(document: ContractDocument, row: int) -> None:
    name = document.get(("tiers", row, "name"), "")

    def remove(data: dict[str, Any]) -> None:
        del data["tiers"][row]

    document.edit(f"Remove tier {name}", remove)


class TierTerms(QGroupBox):
    """Scope (services and regions, empty for all) and the per-period and yearly caps."""

    def __init__(self, document: ContractDocument):
        super().__init__()
        self.document, self.tier = document, 0
        self.services = self._field(("scope", "services"), "Services", "all services", word_list)
        self.regions = self._field(("scope", "regions"), "Regions", "all regions", word_list)
        self.period_cap = self._field(
            ("caps", "per_period_pct"), "Per-period cap %", "no cap", optional_text
        )
        self.year_cap = self._field(
            ("caps", "per_year_pct_of_annual_fees"), "Yearly cap %", "no cap", optional_text
        )
        form = QFormLayout(self)
        form.addRow("Services (comma-separated)", self.services)
        form.addRow("Regions (comma-separated)", self.regions)
        form.addRow("Cap per period (% of its fee)", self.period_cap)
        form.addRow("Cap per contract year\n(% of 12 monthly fees)", self.year_cap)
        form.addRow(note("An incident on another service or region does not count for this tier."))
        document.changed.connect(self.refresh)
        self.refresh()

    def _field(self, key: Path, label: str, placeholder: str, parse: Any) -> TermField:
        return TermField(
            self.document,
            lambda: ("tiers", self.tier, *key),
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
        name = self.document.get(("tiers", self.tier, "name"), "")
        self.setTitle(f"Scope and caps of {name}")
