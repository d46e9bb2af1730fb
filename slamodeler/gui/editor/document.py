"""The contract being edited, as plain data, with undo/redo over the edits of
``services.contract_edits``.

The document holds the contract as the JSON-ready dict of the contract file: every edit, even an
invalid one, is kept (the user sees what they typed, marked with the domain's own message). An
edit is a plain-Python command; here each one pushed becomes a ``QUndoCommand`` that applies it
(redo) or applies its inverse (undo). Validation is the domain's:
``slamodeler.domain.validation.build`` turns the dict into a ``Contract`` or a list of problems by
path (``tiers[1].credits.bands[2].below``), once for each edit done or undone.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import ContractError, Problem
from slamodeler.domain.field_names import describe
from slamodeler.domain.validation import build
from slamodeler.services.contract_edits import (
    Edit,
    Part,
    Place,
    SetValue,
    contract_data,
    get,
    place_of,
)

Path = Place | tuple[Part, ...]  # a typed place, or its parts


class EditCommand(QUndoCommand):
    """One edit on the undo stack: redo applies it, undo its inverse (worked out from the data it
    was first applied to)."""

    def __init__(self, document: ContractDocument, edit: Edit):
        super().__init__(edit.text)
        self.document, self.edit = document, edit
        self.back = edit.inverse(document.data)

    def redo(self) -> None:
        self.document._load(self.edit.apply(self.document.data))

    def undo(self) -> None:
        self.document._load(self.back.apply(self.document.data))


class ContractDocument(QObject):
    changed = Signal()

    def __init__(self, contract: Contract, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.data: dict[str, Any] = contract_data(contract)
        self.contract: Contract | None = contract
        self.problems: list[Problem] = []
        self.undo_stack.cleanChanged.connect(self._clean_changed)

    def _clean_changed(self, _clean: bool) -> None:
        self.changed.emit()

    # -- reading -------------------------------------------------------------------------------

    @property
    def valid(self) -> bool:
        return self.contract is not None

    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def get(self, path: Path, default: Any = None) -> Any:
        return get(self.data, path, default)

    def problems_at(self, path: Path | str, worded: bool = False) -> list[str]:
        """Messages for this place and anything below it; ``worded``, each after its place in
        words (a cell's tooltip, where the place is not written beside it)."""
        text = path if isinstance(path, str) else place_of(path).text
        return [
            p.worded if worded else p.message
            for p in self.problems
            if p.path == text or p.path.startswith(text + ".") or p.path.startswith(text + "[")
        ]

    # -- editing -------------------------------------------------------------------------------

    def set_value(self, path: Path, value: Any, text: str | None = None) -> bool:
        """Set one term (making the mappings above it if they are absent); returns False when
        nothing changed (no undo step)."""
        if self.get(path, _MISSING) == value:
            return False
        return self.apply(SetValue(place_of(path), value, text or ""))

    def apply(self, edit: Edit) -> bool:
        """One undoable step; returns False (and pushes nothing) when the edit changes nothing."""
        if edit.apply(self.data) == self.data:
            return False
        self.undo_stack.push(EditCommand(self, edit))
        return True

    def mark_saved(self) -> None:
        self.undo_stack.setClean()

    def _load(self, data: dict[str, Any]) -> None:
        self.data = data
        try:
            self.contract = build(Contract, self.data, "contract", describe)
            self.problems = []
        except ContractError as exc:
            self.contract, self.problems = None, list(exc.problems)
        self.changed.emit()


_MISSING = object()
