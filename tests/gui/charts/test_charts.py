"""The charts as a reader sees them: painted without error with every tab open while results
arrive, labels that do not run into each other or off the chart, amounts in currency units with
separators or k/M, a line saying what will be drawn instead of empty 0-1 axes, and labels that
read on the dark palette. (tests/gui/test_real_display.py paints them all on a real X server.)"""

from __future__ import annotations

import itertools

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem

from slamodeler.gui.charts.chart_axes import MoneyAxis, PeriodAxis, PowersOfTenAxis, money_tick
from slamodeler.gui.charts.exposure_charts import CONVERGENCE_TAB, PROFITABILITY_TAB
from slamodeler.gui.widgets.theme import ThemedPlot, contrast, readable
from tests.helpers.gui_editing import open_version
from tests.helpers.gui_runs import open_chart, run_replay, run_simulation


def legend_labels(plot) -> list[str]:
    return [label.text for _, label in plot.getPlotItem().legend.items]


def test_the_convergence_chart_paints_with_its_legend_while_a_run_ends(qtbot, make_window):
    """Its band's legend entry raised inside the legend's paint ('FillBetweenItem' has no
    'opts'), which crashed the process on a real display; and each run added it again."""
    window = make_window()
    view = window.simulation
    window.tabs.setCurrentWidget(view)
    open_chart(qtbot, view, "Convergence")
    for seed in (1, 2):
        run_simulation(qtbot, window, 2000, seed=seed)
        view.charts.convergence.grab()  # paints: an exception in a paint fails the test
        assert legend_labels(view.charts.convergence) == [
            "95% band (±1.96 std err)",
            "running mean",
        ]


def test_charts_say_what_they_will_show_until_there_is_something(qtbot, make_window):
    window = make_window()
    charts = window.simulation.charts
    window.tabs.setCurrentWidget(window.simulation)
    for plot in (charts.histogram, charts.convergence, charts.profitability):
        assert plot.empty and plot.placeholder.text().startswith("Press Run to see")
        assert not plot.getPlotItem().getAxis("left").isVisible()
    assert window.replay.chart.empty and "Press Replay" in window.replay.chart.placeholder.text()
    window.tabs.setCurrentWidget(window.fit)
    for plot in (window.fit.histogram, window.fit.qq, window.fit.counts):
        assert plot.empty and "Press Fit" in plot.placeholder.text()
    run_simulation(qtbot, window, 500)
    for tab in (CONVERGENCE_TAB, PROFITABILITY_TAB, 0):
        charts.setCurrentIndex(tab)
    for plot in (charts.histogram, charts.convergence, charts.profitability):
        assert not plot.empty and plot.getPlotItem().getAxis("left").isVisible()
    run_replay(qtbot, window)
    assert not window.replay.chart.empty


@pytest.mark.parametrize(
    ("value", "spacing", "text"),
    [
        (3_500_000, 500_000, "3.5M"),
        (250_000, 50_000, "250k"),
        (45_000, 5_000, "45,000"),
        (1_200, 200, "1,200"),
        (0, 200, "0"),
        (2.5, 0.5, "2.50"),
    ],
)
def test_money_ticks_read_as_amounts(value, spacing, text):
    assert money_tick(value, spacing) == text


def test_money_axes_carry_the_currency_and_no_scientific_notation(qtbot, make_window):
    window = make_window()
    view = run_simulation(qtbot, window, 2000)
    charts = view.charts
    for tab in (CONVERGENCE_TAB, PROFITABILITY_TAB, 0):
        charts.setCurrentIndex(tab)
    assert isinstance(charts.histogram.getAxis("bottom"), MoneyAxis)
    assert isinstance(charts.convergence.getAxis("left"), MoneyAxis)
    assert isinstance(charts.convergence.getAxis("bottom"), PowersOfTenAxis)
    assert isinstance(charts.profitability.getAxis("left"), MoneyAxis)
    assert charts.histogram.getAxis("bottom").labelText == "Credits paid over the horizon (USD)"
    assert charts.profitability.getAxis("left").labelText.endswith("(USD)")
    for plot, name in ((charts.histogram, "bottom"), (charts.profitability, "left")):
        axis = plot.getAxis(name)
        low, high = axis.range
        spacing = (high - low) / 5
        ticks = axis.tickStrings([low + spacing * i for i in range(5)], 1.0, spacing)
        assert not any("e+" in t or "e-" in t for t in ticks), ticks
    # log axis of trials: labels at powers of ten only, none between them
    log_axis = charts.convergence.getAxis("bottom")
    assert log_axis.tickStrings([2.0, 2.30103, 3.0, 4.0], 1.0, 1.0) == ["100", "", "1k", "10k"]


def labelled_lines(plot) -> list[pg.InfiniteLine]:
    return [
        i
        for i in plot.getPlotItem().items
        if isinstance(i, pg.InfiniteLine) and getattr(i, "label", None) is not None
    ]


def label_rects(plot) -> list[QRectF]:
    """Where the labels of the lines on view are (a cap beyond the chart is not on view)."""
    (x_low, x_high), (y_low, y_high) = plot.getPlotItem().getViewBox().viewRange()
    return [
        line.label.mapRectToScene(line.label.boundingRect())
        for line in labelled_lines(plot)
        if (
            x_low <= line.value() <= x_high if line.angle == 90 else y_low <= line.value() <= y_high
        )
        and line.label.isVisible()
        and line.label.toPlainText()
    ]


def test_close_markers_and_caps_print_on_their_own_rows_inside_the_chart(qtbot, make_window):
    window = make_window()
    view = run_simulation(qtbot, window, 3000)
    view.shown.setCurrentIndex(view.shown.count() - 1)  # the portfolio: close P95 and P99
    qtbot.wait(50)
    plot = view.charts.histogram
    plot.grab()
    rects = label_rects(plot)
    assert len(rects) >= 3
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not a.intersects(b), (a, b)  # never printed over each other
    view_box = plot.getPlotItem().getViewBox().sceneBoundingRect()
    for rect in rects:
        assert view_box.contains(rect), (rect, view_box)  # never cut at the edge ("per-p")
    rows = [line.label.orthoPos for line in view.charts.series.markers.values()]
    assert rows == sorted(rows, reverse=True)  # mean, P95, P99 from the top down


def tick_label_rects(axis) -> list[QRectF]:
    """Where the axis draws its tick labels, left to right."""
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    _, _, texts = axis.generateDrawSpecs(painter)
    painter.end()
    return sorted((r for r, _, text in texts if text), key=lambda r: r.left())


def assert_apart(rects: list[QRectF]) -> None:
    for left, right in itertools.pairwise(rects):
        assert left.right() < right.left(), (left, right)


def test_the_small_histogram_under_the_curve_prints_amounts_apart(qtbot, make_window):
    window = make_window()
    run_simulation(qtbot, window, 3000)
    window.tabs.setCurrentIndex(0)
    window.editor.tiers.selectRow(1)
    preview = window.editor.findChild(pg.PlotWidget, "exposurePreviewHistogram")
    qtbot.waitUntil(lambda: not preview.empty and preview.isVisible(), timeout=10_000)
    for width in (160, 240, 400):
        preview.resize(width, 150)
        preview.grab()
        rects = tick_label_rects(preview.getAxis("bottom"))
        assert len(rects) >= 2, width
        assert_apart(rects)


def test_quarter_labels_never_overlap_and_the_target_label_stays_in_the_chart(qtbot, make_window):
    window = make_window()
    open_version(window, "quarterly_collaboration", 1)
    window.resize(1280, 800)
    run_replay(qtbot, window)
    chart = window.replay.chart
    axis = chart.getAxis("bottom")
    assert isinstance(axis, PeriodAxis) and axis.labels[0].endswith("Q1")
    for width in (900, 400, 260):  # the chart narrowed: fewer labels, never overlapping
        chart.resize(width, 300)
        chart.grab()
        rects = tick_label_rects(axis)
        assert rects, width
        assert_apart(rects)
        if width == 900:
            assert len(rects) == len(axis.labels)  # room for every quarter
    chart.resize(900, 300)
    chart.grab()
    view_box = chart.getPlotItem().getViewBox().sceneBoundingRect()
    for rect in label_rects(chart):
        assert view_box.contains(rect)


def test_the_target_label_reads_on_the_dark_palette(qtbot, make_window, dark_application):
    window = make_window()
    run_replay(qtbot, window)
    chart = window.replay.chart
    (target,) = [line for line in labelled_lines(chart) if "target" in line.label.format]
    base = chart.backgroundBrush().color()
    assert contrast(target.label.color, base) >= 4.5
    assert contrast(QColor("#c0392b"), base) < 4.5  # the red it is drawn in did not read


def test_readable_keeps_colours_that_already_read():
    white = QColor("white")
    assert readable(QColor("#c0392b"), white) == QColor("#c0392b")
    assert contrast(readable(QColor("#f5b041"), white), white) >= 4.5


def test_axes_repaint_from_a_cache_of_the_very_pixels_they_paint(qtbot):
    """With a grid an axis spans the plot, so every change inside it (a point dragged on the
    penalty curve) repaints the axis: from a cache of its pixels, not its ticks and text drawn
    again, and the chart looks the same either way."""
    images = []
    for cached in (True, False):
        plot = ThemedPlot()
        qtbot.addWidget(plot)
        plot.resize(500, 300)
        plot.showGrid(x=True, y=True, alpha=0.25)
        axes = [axis["item"] for axis in plot.getPlotItem().axes.values()]
        assert all(a.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache for a in axes)
        if not cached:
            for axis in axes:
                axis.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        plot.plot([99.0, 99.5, 99.9, 100.0], [30.0, 10.0, 5.0, 0.0])
        plot.show()
        qtbot.waitExposed(plot)
        images.append(plot.grab().toImage())
    assert images[0] == images[1]
