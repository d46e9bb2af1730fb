"""Running the window's replay, simulation and fit as a user does (click, wait for the finished
signal), and reading what they show."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox


def run_replay(qtbot, window) -> None:
    window.tabs.setCurrentWidget(window.replay)
    with qtbot.waitSignal(window.replay.finished, timeout=10_000):
        qtbot.mouseClick(window.replay.run_button, Qt.MouseButton.LeftButton)


def start(qtbot, window, trials: int, seed: int = 7):
    view = window.simulation
    window.tabs.setCurrentWidget(view)
    view.trials.setValue(trials)
    view.seed.setValue(seed)
    qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    return view


def run_simulation(qtbot, window, trials: int, seed: int = 7):
    view = window.simulation
    with qtbot.waitSignal(view.finished, timeout=30_000):
        start(qtbot, window, trials, seed)
    return view


def table_rows(view) -> list[list[str]]:
    table = view.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def scenario_of(window):
    ws = window.ws
    return ws.scenario_of(ws.scenario(window.simulation.scenarios.currentText()))


def open_chart(qtbot, view, title: str) -> None:
    """Click the chart's tab: only the tab on screen is drawn."""
    bar = view.charts.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i) == title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert view.charts.currentIndex() == index


def items(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def pick(qtbot, combo: QComboBox, text: str) -> None:
    """Open the drop-down and click the entry, as a user does."""
    index = combo.findText(text)
    assert index >= 0, f"{text!r} is not offered: {items(combo)}"
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    model_index = combo.model().index(index, 0)
    view.scrollTo(model_index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(model_index).center()
    )
    qtbot.waitUntil(lambda: not view.isVisible())
    assert combo.currentText() == text


def wait_for_services(qtbot, view) -> None:
    """The fit view reads the chosen set's services in the background."""
    qtbot.waitUntil(lambda: not view.reader.running and view.service.isEnabled(), timeout=10_000)


def run_fit(qtbot, window, service: str = ""):
    """The Fit tab shown, ``service`` chosen (all by default), Fit pressed and finished."""
    view = window.fit
    window.tabs.setCurrentWidget(view)
    wait_for_services(qtbot, view)
    if service:
        pick(qtbot, view.service, service)
    with qtbot.waitSignal(view.finished, timeout=30_000):
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    return view
