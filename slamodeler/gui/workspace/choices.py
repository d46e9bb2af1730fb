"""Drop-down lists of workspace items (incident sets, scenarios) that keep the user's choice.

A name may be 100 characters long: such a list sizes itself for ``SHOWN`` characters, not for
its longest name (which would widen its view, and with it the window, past a 1280-pixel screen
and squeeze the workspace browser), and shows each name in full in its tooltip.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

SHOWN = 12  # characters a list is sized for; longer names are cut, in full in the tooltip


def refill(combo: QComboBox, keys: Iterable[str]) -> None:
    """Replace the items, keeping the chosen one if it is still there."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(SHOWN)
    current = combo.currentText()
    combo.clear()
    for key in keys:
        combo.addItem(key)
        combo.setItemData(combo.count() - 1, key, Qt.ItemDataRole.ToolTipRole)
    if current:
        choose(combo, current)


def choose(combo: QComboBox, key: str) -> None:
    index = combo.findText(key)
    if index >= 0:
        combo.setCurrentIndex(index)
