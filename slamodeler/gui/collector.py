"""Python's cyclic garbage collector, run on the GUI thread only.

Left automatic, a collection runs in whichever thread happens to allocate past the threshold. In
a worker thread (a re-price, a replay, the engine's pool) it can finalise objects that hold Qt
connections, and PySide6 then disconnects them there: holding Qt's connection lock it waits for
the interpreter lock, while the GUI thread, holding the interpreter lock, waits for Qt's
connection lock to connect a new widget. The window hangs for good (it happened in a test run: a
worker thread collected while the main window was being built). So automatic collection is off
while the application runs, and a timer on the GUI thread collects whenever the counts pass the
thresholds automatic collection would have used.

What the application holds once its window is up (modules, classes, the views, the workspace:
130,000 to 180,000 objects) lives as long as it does, and a full collection went over all of it
every time: 0.1 to 0.17 s on a busy 2-core machine, more as the heap grows, felt as the window
freezing when it came as a menu or a dialog opened. So once the window is up, one full
collection runs and ``gc.freeze()`` moves what survived it out of every later collection.

A large input read later (an imported history of 20,000 incidents, its timeline's bars) lands the
same way: hundreds of thousands of objects, made in a worker in well under a second (40,000 in
one database fetch), that live as long as a view shows them. Scanned in a young collection they
took 10-35 ms at a time on the GUI thread, and as they moved up the generations, a collection
of the middle generation scanned them all again (35-40 ms), a full one them and the rest (over
100 ms). So the collector counts the objects made since the last freeze that survived (the young
generation's count at each collection, less what it collected), and once they would pass
``BULK_OBJECTS`` it freezes them instead of collecting: no collection scans more than about
that many. A cycle of garbage among what is frozen (plain data, which incidents and results
are, is freed by its reference counts as ever) would then never be collected: a closed view's
charts, a replaced run's items, and whatever was waiting for a collection at that moment. So
once the program has made next to nothing for ``QUIET_TICKS`` (the user is away, no work runs),
a bulk freeze is undone: one full collection of everything, and the survivors frozen again.
Few objects made is not enough to tell (hovering and painting make and free many, the count
stays low), so the pointer, its buttons and the modifier keys must not have changed and no
worker job may be running either; nor may the text cursor (or current cell, or the focused
widget itself) have moved, nor the text around it have changed, as Qt's input method reads them
from the focused widget: typing moves the one or changes the other (a spin box's arrow keys
change its text), where a filter seeing every key would cost a Python call for every event
the application handles. Keys that change neither (a held key at the end of a line, a key a
view ignores) go unseen. And a sweep, a full collection, is spaced as full collections are by
``FULL_SHARE``.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtGui import QCursor, QGuiApplication
from PySide6.QtWidgets import QApplication

from slamodeler.gui.widgets.worker import jobs_running

INTERVAL_MS = 50  # garbage waits at most this long, and young collections scan less than at 100
# The first tick comes as the event loop starts, with the window's first paint; the second, 50 ms
# later, with the window on screen: the start-up's garbage is collected and the rest frozen then
# (what the window fills in later turns is collected the usual way).
SETTLE_TICK = 2
FULL_SHARE = 0.05  # full collections (of every object) take at most this share of the time
BULK_OBJECTS = 30_000  # frozen rather than scanned once this many were made (10-25 ms to scan)
QUIET_TICKS = 60  # 3 s of no input, no job and fewer objects made than a collection waits for


class GuiThreadCollector(QObject):
    """Collects on the GUI thread, on a timer, when automatic collection would have: the young
    generations by the same counts and thresholds; the full collection by its count too, but
    no more often than keeps its time under ``FULL_SHARE`` (automatic collection spaces full
    collections by the number of long-lived objects, which Python does not expose)."""

    def __init__(self, parent: QObject):
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.next_full = 0.0  # time.monotonic() from which a full collection may run
        self.ticks = 0  # until SETTLE_TICK, when the start-up's survivors are frozen
        self.unfrozen = 0  # objects made since the last freeze that survived (about)
        self.bulk_frozen = False  # objects were frozen unscanned since the last full sweep
        self.quiet = 0  # ticks since the last input, job or young generation past its threshold
        self.pointer: tuple = ()  # the pointer, the text cursor and its text at the last tick
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        if self.ticks < SETTLE_TICK:
            self.ticks += 1
            if self.ticks == SETTLE_TICK:
                gc.collect(2)
                gc.freeze()
                self.unfrozen = 0
            return
        counts = gc.get_count()
        if counts[0] <= self.thresholds[0]:
            self.quiet = self.quiet + 1 if self.idle() else 0
            if (
                self.bulk_frozen
                and self.quiet >= QUIET_TICKS
                and time.monotonic() >= self.next_full
            ):
                self.sweep()
            return
        self.quiet = 0
        if self.unfrozen + counts[0] > BULK_OBJECTS:
            gc.freeze()
            self.unfrozen = 0
            self.bulk_frozen = True
            return
        start = time.monotonic()
        if counts[2] > self.thresholds[2] and start >= self.next_full:
            collected = gc.collect(2)
            took = time.monotonic() - start
            self.next_full = start + took + took / FULL_SHARE
        else:
            collected = gc.collect(1 if counts[1] > self.thresholds[1] else 0)
        # a middle or full collection also frees what was made before the last one
        self.unfrozen = max(0, self.unfrozen + counts[0] - collected)

    def idle(self) -> bool:
        """No job running, and the pointer, its buttons, the modifiers, the text cursor (or
        current cell) and the text around it as at the last tick."""
        focus = QApplication.focusWidget()
        text = focus and focus.inputMethodQuery(Qt.InputMethodQuery.ImSurroundingText)
        pointer = (
            QCursor.pos(),
            QGuiApplication.mouseButtons(),
            QGuiApplication.keyboardModifiers(),
            QGuiApplication.inputMethod().cursorRectangle(),
            text,
        )
        still = pointer == self.pointer and not jobs_running()
        self.pointer = pointer
        return still

    def sweep(self) -> None:
        """Collect what was frozen unscanned, with everything else, and freeze the rest again."""
        start = time.monotonic()
        gc.unfreeze()
        gc.collect(2)
        gc.freeze()
        took = time.monotonic() - start
        self.next_full = start + took + took / FULL_SHARE
        self.unfrozen = 0
        self.bulk_frozen = False


def collect_on_gui_thread() -> None:
    """Turn automatic collection off, and collect on the GUI thread instead (once per
    application, whatever the number of windows)."""
    app = QCoreApplication.instance()
    assert app is not None, "the application must exist first"
    gc.disable()
    if app.findChild(GuiThreadCollector) is None:
        GuiThreadCollector(app)
