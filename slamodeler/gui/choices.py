"""Drop-down lists of workspace items (incident sets, scenarios) that keep the user's choice."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QComboBox


def refill(combo: QComboBox, keys: Iterable[str]) -> None:
    """Replace the items, keeping the chosen one if it is still there."""
    current = combo.currentText()
    combo.clear()
    combo.addItems(list(keys))
    if current:
        choose(combo, current)


def choose(combo: QComboBox, key: str) -> None:
    index = combo.findText(key)
    if index >= 0:
        combo.setCurrentIndex(index)
