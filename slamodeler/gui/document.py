"""The contract being edited, as plain data, with undo/redo over pure-data commands.

The document holds the contract as the JSON-ready dict of the contract file: every edit, even an
invalid one, is kept (the user sees what they typed, marked with the domain's own message), and
each edit is one ``QUndoCommand`` holding the whole dict before and after. Validation is the
domain's: ``slamodeler.domain.validation.build`` turns the dict into a ``Contract`` or a list of
problems by path (``tiers[1].credits.bands[2].below``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import ContractError, Problem
from slamodeler.domain.field_names import describe
from slamodeler.domain.validation import build

Path = tuple[str | int, ...]


def path_text(path: Path) -> str:
    """("tiers", 1, "credits", "bands", 2, "below") -> "tiers[1].credits.bands[2].below"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def at(data: Any, path: Path) -> Any:
    """The value at ``path`` inside plain data (KeyError/IndexError when it is not there)."""
    for part in path:
        data = data[part]
    return data


def contract_data(contract: Contract) -> dict[str, Any]:
    """The contract as plain JSON data (decimals as their exact strings)."""
    return json.loads(contract.model_dump_json(exclude_defaults=False))


class EditCommand(QUndoCommand):
    """One edit: the whole contract data before and after; undo and redo swap them in."""

    def __init__(self, document: ContractDocument, before: dict, after: dict, text: str):
        super().__init__(text)
        self.document, self.before, self.after = document, before, after

    def redo(self) -> None:
        self.document._load(self.after)

    def undo(self) -> None:
        self.document._load(self.before)


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
        value: Any = self.data
        for part in path:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return default
        return value

    def problems_at(self, path: Path | str, worded: bool = False) -> list[str]:
        """Messages for this place and anything below it; ``worded``, each after its place in
        words (a cell's tooltip, where the place is not written beside it)."""
        text = path if isinstance(path, str) else path_text(path)
        return [
            p.worded if worded else p.message
            for p in self.problems
            if p.path == text or p.path.startswith(text + ".") or p.path.startswith(text + "[")
        ]

    # -- editing -------------------------------------------------------------------------------

    def set_value(self, path: Path, value: Any, text: str | None = None) -> bool:
        """Set one term (making the mappings above it if they are absent); returns False when
        nothing changed (no undo step)."""

        def change(data: dict[str, Any]) -> None:
            target: Any = data
            for part in path[:-1]:
                if isinstance(part, str) and target.get(part) is None:
                    target[part] = {}
                target = target[part]
            target[path[-1]] = value

        if self.get(path, _MISSING) == value:
            return False
        return self.edit(text or f"Change {path_text(path)}", change)

    def edit(self, text: str, change: Callable[[dict[str, Any]], None]) -> bool:
        """One undoable step: ``change`` alters a copy of the data in place; returns False (and
        pushes nothing) when the copy comes out the same."""
        after = copy.deepcopy(self.data)
        change(after)
        if after == self.data:
            return False
        self.push(after, text)
        return True

    def push(self, after: dict[str, Any], text: str) -> None:
        self.undo_stack.push(EditCommand(self, copy.deepcopy(self.data), after, text))

    def mark_saved(self) -> None:
        self.undo_stack.setClean()

    def _load(self, data: dict[str, Any]) -> None:
        self.data = copy.deepcopy(data)
        try:
            self.contract = build(Contract, self.data, "contract", describe)
            self.problems = []
        except ContractError as exc:
            self.contract, self.problems = None, list(exc.problems)
        self.changed.emit()


_MISSING = object()
