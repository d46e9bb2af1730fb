"""The Simulation view's Layers tab: a retention and a limit entered, each layer's expected
credits, probability of attaching and of exhausting, with standard errors, for the series the
view shows (docs/user-guide.md, Set a reserve or buy cover). Recomputed on every new run or
series: a layer is a pass over the trials."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from slamodeler.domain.layers import MAX_AMOUNT
from slamodeler.gui.widgets.table_copy import install_copy
from slamodeler.services.layers import Layer, LayerFigures, exposure_layers
from slamodeler.services.simulation_session import Exposure

COLUMNS = ["Layer", "Expected in layer", "P(attach)", "P(exhaust)"]
NO_TRIALS = "Layers are computed on simulated trials: run a Monte Carlo simulation."


def _amount(name: str, value: float, low: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setObjectName(name)
    box.setRange(low, MAX_AMOUNT)
    box.setDecimals(2)
    box.setGroupSeparatorShown(True)
    box.setValue(value)
    box.setMinimumWidth(110)  # not as wide as the largest amount allowed: the window stays narrow
    return box


def _pm(value: float, se: float, fmt: str) -> str:
    return "n/a" if math.isnan(value) else f"{value:{fmt}} ± {se:{fmt}}"


class LayersPanel(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.layers: list[Layer] = []
        self.series: Exposure | None = None
        self.currency = ""
        self.retention = _amount("layerRetention", 0.0, 0.0)
        self.limit = _amount("layerLimit", 10_000.0, 0.01)
        self.unlimited = QCheckBox("No limit")
        self.unlimited.setObjectName("layerUnlimited")
        self.unlimited.toggled.connect(lambda on: self.limit.setEnabled(not on))
        self.add_button = QPushButton("Add layer")
        self.add_button.setObjectName("addLayer")
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setObjectName("removeLayer")
        self.remove_button.clicked.connect(self.remove)
        self.note = QLabel(NO_TRIALS)
        self.note.setObjectName("layersNote")
        self.note.setWordWrap(True)
        self.note.setToolTip("A layer L xs R pays what the credits exceed R by, up to L.")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("layersTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(48)  # the tab as short as the others: the window too
        install_copy(self.table)

        entry = QHBoxLayout()
        entry.addWidget(QLabel("Retention"))
        entry.addWidget(self.retention, 1)
        entry.addWidget(QLabel("Limit"))
        entry.addWidget(self.limit, 1)
        entry.addWidget(self.unlimited)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(entry)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self._enable()

    def show_series(self, series: Exposure | None, currency: str) -> None:
        """The series whose trials the layers are of; None (or no trials): nothing to layer."""
        self.series = series if series is not None and series.trials else None
        self.currency = currency
        self._fill()

    def add(self) -> None:
        limit = math.inf if self.unlimited.isChecked() else self.limit.value()
        layer = Layer(self.retention.value(), limit)
        if layer not in self.layers:
            self.layers.append(layer)
        self._fill()

    def remove(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.layers):
            del self.layers[row]
            self._fill()

    def _enable(self) -> None:
        self.add_button.setEnabled(self.series is not None)
        self.remove_button.setEnabled(self.series is not None and bool(self.layers))

    def _fill(self) -> None:
        self._enable()
        if self.series is None:
            self.note.setText(NO_TRIALS)
            self.table.setRowCount(0)
            return
        e = self.series
        self.note.setText(
            f"Layers of {e.name}'s credits over the horizon, {e.trials:,} trials (mean "
            f"{e.mean:,.2f} {self.currency}); ± one standard error."
        )
        figures = exposure_layers(e, self.layers)
        self.table.setRowCount(len(figures))
        for row, f in enumerate(figures):
            exhaust = (
                "never" if math.isinf(f.layer.limit) else _pm(f.p_exhaust, f.p_exhaust_se, ".2%")
            )
            for col, text in enumerate(
                [f.layer.label, self._money(f), _pm(f.p_attach, f.p_attach_se, ".2%"), exhaust]
            ):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)

    def _money(self, f: LayerFigures) -> str:
        return f"{_pm(f.expected, f.expected_se, ',.2f')} {self.currency}"
