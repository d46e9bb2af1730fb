"""Garbage cycles are collected on the GUI thread only (gui/collector.py): a worker thread that
allocates past every threshold never runs a collection, which could break Qt connections there
and hang the window; the GUI thread's timer collects them soon after."""

from __future__ import annotations

import gc
import math
import threading
import weakref

from slamodeler.gui import collector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_cycles_made_in_a_worker_are_collected_on_the_gui_thread(qtbot, make_window):
    make_window()
    assert not gc.isenabled()
    finalised: list[str] = []
    made: list[list] = []  # kept: the counts stay past the thresholds

    def work() -> None:
        cycle = Cycle()
        weakref.finalize(cycle, lambda: finalised.append(threading.current_thread().name))
        del cycle
        made.extend([] for _ in range(20 * gc.get_threshold()[0]))  # far past every threshold

    worker = threading.Thread(target=work, name="worker")
    worker.start()
    worker.join()
    assert made and finalised == []  # the worker never collected
    qtbot.waitUntil(lambda: bool(finalised), timeout=2000)
    assert finalised == [threading.main_thread().name]


def test_the_collector_chooses_the_generation_as_automatic_collection_would(monkeypatch):
    """Young generations by the counts and thresholds; a full collection by its count too, then
    not again before 20 times its own duration has passed since it ended (5% of the time)."""
    collected: list[int] = []
    clock = [100.0]
    monkeypatch.setattr(collector.time, "monotonic", lambda: clock[0])

    def collect(generation: int) -> int:
        collected.append(generation)
        clock[0] += 0.010 if generation == 2 else 0.0
        return 0

    monkeypatch.setattr(gc, "collect", collect)
    monkeypatch.setattr(gc, "get_threshold", lambda: (700, 10, 10))
    found = type(
        "Collector",
        (),
        {
            "thresholds": (700, 10, 10),
            "next_full": 0.0,
            "ticks": 2,
            "unfrozen": 0,
            "quiet": 0,
            "bulk_frozen": False,
            "idle": lambda self: True,
        },
    )()
    for counts, expected in (
        ((10, 50, 50), []),  # young garbage under the threshold: nothing yet
        ((701, 3, 2), [0]),
        ((701, 11, 2), [1]),
        ((701, 11, 11), [2]),  # took 10 ms: the next full one from 100.21 s on
        ((701, 3, 11), [0]),
        ((701, 11, 11), [1]),
    ):
        collected.clear()
        monkeypatch.setattr(gc, "get_count", lambda c=counts: c)
        collector.GuiThreadCollector.check(found)
        assert collected == expected, counts
    assert round(found.next_full, 6) == 100.21
    clock[0] = 100.22
    collector.GuiThreadCollector.check(found)
    assert collected == [1, 2]


def test_what_the_window_holds_once_up_is_left_out_of_later_collections(qtbot, make_window):
    """Full collections went over every object of the start-up each time (70 ms and more):
    the window froze when a menu or a dialog opened. The survivors of one collection, once the
    window is on screen, are frozen instead."""
    window = make_window()
    gc.unfreeze()  # whatever the session froze before
    held = Cycle()  # made at start-up and kept
    found = collector.GuiThreadCollector(window)
    qtbot.waitUntil(lambda: found.ticks == collector.SETTLE_TICK)
    assert gc.get_freeze_count() > 10_000  # the modules, the classes, the views
    assert not any(o is held for o in gc.get_objects())  # a later full collection skips it
    made_later = Cycle()
    assert any(o is made_later for o in gc.get_objects())


def test_a_large_input_is_frozen_rather_than_scanned(monkeypatch):
    """An imported history's objects are made in a worker in one go (40,000 in one database
    fetch) and kept: a young collection over them took 10-35 ms on the GUI thread, and a middle
    or full one scanned them again. Once the objects made since the last freeze, less the
    garbage collected, would pass BULK_OBJECTS, they are frozen instead of scanned."""
    automatic = gc.isenabled()
    gc.disable()  # as in the application: only the collector collects
    collect = gc.collect
    generations: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda g=2: generations.append(g) or collect(g))
    try:
        gc.unfreeze()
        found = type("Collector", (), {"thresholds": gc.get_threshold(), "next_full": math.inf})()
        found.ticks, found.unfrozen, found.quiet = collector.SETTLE_TICK, 0, 0
        collect()
        kept = [[] for _ in range(collector.BULK_OBJECTS + 1)]  # in one go: frozen unscanned
        collector.GuiThreadCollector.check(found)
        assert generations == [] and gc.get_freeze_count() >= len(kept)
        assert not any(o is kept[-1] for o in gc.get_objects())  # later collections skip them
        assert found.unfrozen == 0
        gc.unfreeze()
        collect()
        third = collector.BULK_OBJECTS // 3 + 1
        batches = []
        for _ in range(2):  # kept too, in smaller batches: scanned by young collections...
            batches.append([[] for _ in range(third)])
            collector.GuiThreadCollector.check(found)
        assert generations == [0, 0] and gc.get_freeze_count() == 0
        assert 2 * third <= found.unfrozen < 2 * third + 100  # (and what the loop made)
        batches.append([[] for _ in range(third)])  # ... until they would pass the bound
        collector.GuiThreadCollector.check(found)
        assert generations == [0, 0] and gc.get_freeze_count() >= 3 * third
    finally:
        gc.unfreeze()
        if automatic:
            gc.enable()


def test_what_was_frozen_unscanned_is_collected_once_the_program_is_quiet():
    """A chart frozen with a bulk of objects, then closed, is a garbage cycle no collection
    scans: once QUIET_TICKS ticks have passed with no input, no job and next to nothing made,
    everything is collected once and what lives frozen again; not before, a busy tick or an
    input starts the count again, and the sweep is spaced as full collections are."""
    automatic = gc.isenabled()
    gc.disable()
    try:
        gc.unfreeze()
        gc.collect()
        found = type("Collector", (), {"thresholds": gc.get_threshold(), "next_full": 0.0})()
        found.ticks, found.unfrozen, found.quiet = collector.SETTLE_TICK, 0, 0
        found.sweep = lambda: collector.GuiThreadCollector.sweep(found)
        inputs: list[bool] = []  # a tick with input (the pointer moved, a key held, a job)
        found.idle = lambda: not (inputs and inputs.pop())
        finalised: list[bool] = []
        chart = Cycle()
        weakref.finalize(chart, lambda: finalised.append(True))
        kept = [[] for _ in range(collector.BULK_OBJECTS + 1)]

        def ticks(n: int) -> None:
            for _ in range(n):
                collector.GuiThreadCollector.check(found)

        ticks(1)  # frozen unscanned, the chart with them
        assert found.bulk_frozen and gc.get_freeze_count() >= len(kept)
        del chart  # the chart closed: a cycle among the frozen objects
        ticks(collector.QUIET_TICKS - 1)
        busy = [[] for _ in range(2 * gc.get_threshold()[0])]
        ticks(1)  # a young collection, and the count restarts
        ticks(collector.QUIET_TICKS - 1)
        inputs.append(True)
        ticks(1)  # the pointer moved: the count restarts
        ticks(collector.QUIET_TICKS - 1)
        assert finalised == [] and found.bulk_frozen
        ticks(1)
        assert finalised == [True] and not found.bulk_frozen
        assert gc.get_freeze_count() >= len(kept) + len(busy)  # what lives, frozen again
        assert found.next_full > collector.time.monotonic()  # spaced as a full collection
    finally:
        gc.unfreeze()
        if automatic:
            gc.enable()


def test_the_collector_sees_a_running_job(qtbot):
    """A sweep waits for no running job: ``jobs_running`` says so from start to end."""
    from slamodeler.gui.widgets.worker import Worker, jobs_running

    release = threading.Event()
    worker = Worker()
    assert not jobs_running()
    worker.start(lambda: release.wait(10))
    qtbot.waitUntil(jobs_running, timeout=2000)
    release.set()
    with qtbot.waitSignal(worker.done, timeout=5000):
        pass
    assert not jobs_running()


def test_typing_with_the_pointer_still_is_input(qtbot):
    """A user typing, the pointer still, is not away: each key moves the text cursor (or the
    current cell), or changes the text around it (a spin box's arrows), which the idle check
    reads, and a change of focus moves it; a tick with nothing pressed since the last is idle."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit, QSpinBox, QTableWidget, QVBoxLayout, QWidget

    window = QWidget()
    field, table, spin = QLineEdit(), QTableWidget(4, 4), QSpinBox()
    layout = QVBoxLayout(window)
    layout.addWidget(field)
    layout.addWidget(table)
    layout.addWidget(spin)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    ticks = type("Ticks", (), {"pointer": ()})()

    def idle() -> bool:
        return collector.GuiThreadCollector.idle(ticks)

    idle()
    assert idle()  # nothing pressed
    for key in (Qt.Key.Key_A, Qt.Key.Key_B, Qt.Key.Key_Left, Qt.Key.Key_Backspace):
        qtbot.keyClick(field, key)
        assert not idle(), key
        assert idle()
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.waitUntil(table.hasFocus)
    assert not idle()  # the focus moved
    assert idle()
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Right):
        qtbot.keyClick(table, key)
        assert not idle(), key
        assert idle()
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    idle()
    assert idle()
    for key in (Qt.Key.Key_Up, Qt.Key.Key_Up, Qt.Key.Key_Down):  # the cursor stays at the end
        qtbot.keyClick(spin, key)
        assert not idle(), key
        assert idle()
