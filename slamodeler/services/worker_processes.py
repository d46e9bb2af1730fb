"""Local worker processes for a simulation (``--workers N``), tied to the program that runs them.

Workers are started fresh (``spawn``), not forked from the program: a forked child shares the
program's open files, the workspace's writer lock among them (an ``flock`` belongs to the open
file, not to a process), and kept the workspace locked after the program was killed. A spawned
worker holds only its own files, and starts with the program's ``sys.path`` and folder (the fork
server, 0.8 s quicker to start here, ignores both on Python 3.11 and could import another copy
of slamodeler than the program's).

And they die with the program: a thread in each worker waits for the program to end (a pidfd on
Linux, a look every 0.2 s elsewhere) and then ends the worker, however the program ended.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

WATCH_SECONDS = 0.2  # how often a worker looks for the program where it cannot wait for it


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """``workers`` processes that hold none of this program's files and die with it."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=die_with, initargs=(os.getpid(),)
    )


def die_with(program: int) -> None:
    """A worker's initializer: end this process when ``program`` ends (not on Windows, where
    a signal 0 is a Ctrl-C and there is no pidfd)."""
    if sys.platform == "win32":
        return
    watch: Callable[[int], None] = _wait
    try:
        handle = os.pidfd_open(program)  # Linux 5.3+: readable once the program has ended
    except (AttributeError, OSError):
        watch, handle = _poll, program
    threading.Thread(target=watch, args=(handle,), name="slamodeler-program", daemon=True).start()


def _wait(pidfd: int) -> None:
    select.select([pidfd], [], [])
    os._exit(1)


def _poll(pid: int) -> None:
    """Without a pidfd: the program has ended when this worker is no longer its child (a
    signal 0 would still reach a zombie program, or another process given its pid)."""
    while os.getppid() == pid:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
