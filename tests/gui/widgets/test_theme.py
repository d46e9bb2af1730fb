"""Light and dark palettes: every chart takes its background and axes from the palette, again
when it changes, and tinted cells keep text that reads on their tint."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from slamodeler.gui.widgets.theme import TINT_TEXT, ThemedPlot, dark_palette
from tests.helpers.gui_editing import type_into_cell


def test_every_chart_follows_the_palette_when_it_turns_dark(qtbot, make_window):
    window = make_window()
    for index in range(window.tabs.count()):  # every view builds its charts
        window.tabs.setCurrentIndex(index)
    charts = window.findChildren(pg.PlotWidget)
    assert len(charts) >= 6
    assert all(isinstance(chart, ThemedPlot) for chart in charts), [
        chart.objectName() for chart in charts if not isinstance(chart, ThemedPlot)
    ]
    light = {chart.backgroundBrush().color().lightness() for chart in charts}
    assert min(light) > 200

    before = QPalette(QApplication.palette())
    QApplication.setPalette(dark_palette())
    try:
        qtbot.waitUntil(
            lambda: all(c.backgroundBrush().color().lightness() < 60 for c in charts), timeout=2000
        )
        for chart in charts:
            axis = chart.getPlotItem().getAxis("bottom")
            assert axis.textPen().color().lightness() > 200, chart.objectName()
            if axis.labelText:
                assert QColor(axis.labelStyle["color"]).lightness() > 200, chart.objectName()
    finally:
        QApplication.setPalette(before)
    qtbot.waitUntil(lambda: all(c.backgroundBrush().color().lightness() > 200 for c in charts))


def test_an_invalid_cell_keeps_dark_text_on_its_light_tint(qtbot, make_window, dark_application):
    window = make_window()
    table = window.editor.tiers
    type_into_cell(qtbot, table, 0, 1, "101")  # a target above 100%
    model = table.model()
    index = model.index(0, 1)
    assert model.data(index, Qt.ItemDataRole.BackgroundRole) is not None
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) == TINT_TEXT
    assert QApplication.palette().color(QPalette.ColorRole.Text).lightness() > 200
