"""How long the GUI thread goes without serving its events while a test drives the window: the
measure of the issue's "nothing blocks the GUI thread for more than 100 ms"."""

from __future__ import annotations

import gc
import itertools
import time
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QTimer


@contextmanager
def gui_thread_gaps() -> Iterator[list[float]]:
    """Afterwards, the list holds the waits between ticks of a 10 ms QTimer on the GUI thread
    (the first tick may lag: left out). What the rest of the test session left on the heap is
    not the application's: the garbage collector's full passes over it are kept out of the
    measurement (new objects still count)."""
    gc.collect()
    gc.freeze()
    ticks: list[float] = []
    gaps: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    try:
        yield gaps
    finally:
        timer.stop()
        gc.unfreeze()
        gaps.extend(b - a for a, b in itertools.pairwise(ticks[1:]))


def assert_responsive(gaps: list[float]) -> None:
    assert len(gaps) > 10
    assert max(gaps) < 0.100, f"the GUI thread waited {max(gaps) * 1000:.0f} ms"
