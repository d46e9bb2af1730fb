"""The contract-wide chronic-failure clause on the Caps and claims page: the customer may
terminate once the target is missed in ``missed`` of the last ``of`` periods. Both fields empty
means no clause; a tier's own clause (in the contract file) overrides this one."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGroupBox

from slamodeler.gui.editor.document import ContractDocument
from slamodeler.gui.editor.terms_fields import TermField, form_group, whole_number
from slamodeler.services.contract_edits import Term

CHRONIC = Term("chronic_failure")


def optional_count(text: str) -> int | str | None:
    """An empty field leaves the count out; a number is stored as one."""
    return whole_number(text) if text else None


class ChronicFailureFields:
    """The two counts, each committed as one undoable edit of the whole clause."""

    def __init__(self, document: ContractDocument):
        self.document = document
        self.missed = self._count("missed", "Missed periods")
        self.of = self._count("of", "Of the last (periods)")
        self.group: QGroupBox = form_group(
            "Chronic failure (termination right, all tiers)",
            [("Target missed in", self.missed), ("of the last … periods", self.of)],
            "The customer may terminate once the target is missed in that many of the last "
            "periods (3 of 3: three in a row). Replay flags the periods; the simulation gives "
            "its probability and the term's fees it puts at risk. Leave both empty for none.",
        )

    def _count(self, key: str, label: str) -> TermField:
        def write(value: Any, shown: str) -> None:
            clause = dict(self.document.get(CHRONIC) or {})
            clause[key] = value
            clause = {k: v for k, v in clause.items() if v is not None}
            self.document.set_value(
                CHRONIC, clause or None, f"Chronic failure: {label} = {shown or 'none'}"
            )

        return TermField(
            self.document,
            Term(CHRONIC.key, key),
            label,
            placeholder="none",
            parse=optional_count,
            write=write,
        )
