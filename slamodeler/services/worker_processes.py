"""Local worker processes for a simulation (``--workers N``), tied to the program that runs them.

Workers are not forked from the program: a forked child shares the program's open files, the
workspace's writer lock among them (an ``flock`` belongs to the open file, not to a process), and
kept the workspace locked after the program was killed. They come from a fork server (a clean
process started once with only its own files, that imports the engine once for all workers;
``spawn`` where there is none, 0.8 s slower to start here), so they never hold the lock.

And they die with the program: a thread in each worker waits for the program to end and then ends
the worker. The worker's parent is the fork server, which stays up as long as workers do, so
neither Linux's parent-death signal nor watching the parent pid would fire: the thread watches the
program itself (a pidfd on Linux, a look every 0.2 s elsewhere). Once the workers are gone, the
fork server and multiprocessing's resource tracker see their pipes close and end too.
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
from multiprocessing.context import BaseContext

WATCH_SECONDS = 0.2  # how often a worker looks for the program where it cannot wait for it
PRELOAD = ["slamodeler.engine.simulation"]  # imported by the fork server, not by each worker


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """``workers`` processes that hold none of this program's files and die with it."""
    context: BaseContext = multiprocessing.get_context("spawn")  # Windows
    if "forkserver" in multiprocessing.get_all_start_methods():
        server = multiprocessing.get_context("forkserver")
        server.set_forkserver_preload(PRELOAD)
        context = server
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
    while True:
        try:
            os.kill(pid, 0)
        except OSError:  # gone (or the pid now someone else's)
            os._exit(1)
        time.sleep(WATCH_SECONDS)
