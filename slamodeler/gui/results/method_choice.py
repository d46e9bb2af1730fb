"""The Simulation view's method chooser: Monte Carlo, or Exact where the contract and scenario
allow it; when they do not, the Exact choice is disabled and the engine's reason is its tooltip
and the chooser's."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox

MONTE_CARLO, EXACT = "Monte Carlo", "Exact"
ALLOWED = (
    "Exact: the distributions computed (no trials, no sampling error), as "
    "`simulate --method exact`; Monte Carlo: trials drawn"
)


class MethodChoice(QComboBox):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("method")
        self.addItems([MONTE_CARLO, EXACT])
        self.reason = ""
        self.allow("")

    @property
    def exact(self) -> bool:
        return self.currentText() == EXACT

    def allow(self, reason: str) -> None:
        """Offer Exact when ``reason`` is "", else disable it (back to Monte Carlo) and say why."""
        self.reason = reason
        model = self.model()
        assert isinstance(model, QStandardItemModel)  # a QComboBox's own model
        item = model.item(1)
        assert item is not None
        item.setEnabled(not reason)
        tip = f"Exact is not available: {reason}" if reason else ALLOWED
        item.setData(tip, Qt.ItemDataRole.ToolTipRole)
        self.setToolTip(tip)
        if reason and self.exact:
            self.setCurrentIndex(0)
