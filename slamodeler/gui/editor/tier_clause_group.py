"""The frame of a group of one tier's clause fields on the editor's Tiers page: which tier it
shows (the one selected in the tiers table), a title naming that tier, and switching tiers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtWidgets import QGroupBox

from slamodeler.gui.editor.document import ContractDocument
from slamodeler.services.contract_edits import TierField


class TierBound(Protocol):
    """A field that shows the selected tier's term when refreshed (those of terms_fields)."""

    def refresh(self) -> None: ...


class TierClauseGroup(QGroupBox):
    """A subclass builds its fields (each reading ``self.tier`` when it refreshes), lists them
    in ``tier_fields`` and calls ``follow_document`` last in its ``__init__``; ``TITLE`` is its
    title with ``{name}`` for the tier's name. ``refresh`` runs on every change of the document;
    a subclass extending it calls this one first."""

    TITLE = "{name}"

    def __init__(self, document: ContractDocument):
        super().__init__()
        self.document, self.tier = document, 0

    def tier_fields(self) -> Sequence[TierBound]:
        """The fields that show the selected tier's terms."""
        return ()

    def follow_document(self) -> None:
        self.document.changed.connect(self.refresh)
        self.refresh()

    def set_tier(self, tier: int) -> None:
        """Show the terms of tier ``tier``."""
        self.tier = tier
        for field in self.tier_fields():
            field.refresh()
        self.refresh()

    def refresh(self) -> None:
        name = self.document.get(TierField(self.tier, "name"), "")
        self.setTitle(self.TITLE.format(name=name))
