"""The live re-pricing jobs (gui/charts/reprice_worker.py) run below the GUI thread, as the
engine's pool threads they work beside, so that drawing goes first on a core they share (issue
18: dragging a penalty point with one core busy)."""

from __future__ import annotations

import os
import threading

from slamodeler.engine.threads import NICE
from slamodeler.gui.charts.reprice_worker import LatestJob


def niceness() -> int:
    """The calling thread's own nice value (Linux: one per thread; the tests run on Linux)."""
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_a_re_price_runs_below_the_gui_thread_and_its_result_comes_back(qtbot):
    jobs = LatestJob()
    with qtbot.waitSignal(jobs.done, timeout=10_000) as done:
        jobs.submit(lambda: (niceness(), threading.get_native_id()))
    job_nice, job_thread = done.args[0]
    assert job_thread != threading.get_native_id()
    assert job_nice == max(NICE, niceness())  # as the pool's threads (a nicer GUI keeps its own)
    qtbot.waitUntil(lambda: not jobs.busy)
    jobs.wait()
