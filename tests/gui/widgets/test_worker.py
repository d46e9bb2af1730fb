"""The background jobs' thread (gui/widgets/worker.py): it runs below the GUI thread, so that
drawing goes first on a core the job shares (issue 18: dragging with one core busy)."""

from __future__ import annotations

import os
import threading

from slamodeler.engine.threads import NICE
from slamodeler.gui.widgets.worker import Worker


def niceness() -> int:
    """The calling thread's own nice value (Linux: one per thread; the tests run on Linux)."""
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_a_job_runs_below_the_gui_thread_and_its_result_comes_back(qtbot):
    worker = Worker()
    with qtbot.waitSignal(worker.done, timeout=10_000) as done:
        worker.start(lambda: (niceness(), threading.get_native_id()))
    job_nice, job_thread = done.args[0]
    assert job_thread != threading.get_native_id()
    assert job_nice == max(NICE, niceness())  # as the pool's threads (a nicer GUI keeps its own)
    qtbot.waitUntil(lambda: not worker.running)
