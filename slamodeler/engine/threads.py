"""Large array work spread over the machine's cores with threads.

numpy releases the GIL inside its array loops and BLAS, so threads run that work in parallel
without copying arrays to other processes. The calling thread works too, taking jobs from the
same list as the pool's threads: when another process holds a core, a pool thread that gets
little of it holds up only the job it took (rows come in several slices per thread), and a
single job runs on the caller at once. A pool thread that has not started when the jobs are
all taken is called off, so a job may itself call here.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
WORKERS = max(1, min(os.cpu_count() or 1, 8))
NICE = 5
SLICES = 4  # slices of rows per thread (over_rows)
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(WORKERS, "slamodeler-numpy", initializer=yield_to_others)
    return _pool


def yield_to_others() -> None:
    """The calling thread runs a little below the threads that started it (Linux: a thread has
    its own nice value), so a desktop window stays responsive while numbers are computed: the
    pool's threads, and the desktop's background jobs, which take a share of ``run_all``."""
    with contextlib.suppress(AttributeError, OSError):  # no per-thread priorities, or refused
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)


def _forget_after_fork() -> None:
    """A forked child inherits the pool but none of its threads."""
    global _pool
    _pool = None


os.register_at_fork(after_in_child=_forget_after_fork)


def run_all(jobs: Iterable[Callable[[], T]]) -> list[T]:
    """Every job's result, in order; the jobs run at the same time on the caller and the pool,
    each thread taking the next job not yet taken. After an error no job starts, and the error
    is raised here once the jobs already started have ended."""
    todo = list(jobs)
    results: list[Any] = [None] * len(todo)
    taken = iter(range(len(todo)))
    lock = threading.Lock()

    def take() -> None:
        while True:
            with lock:
                i = next(taken, None)
            if i is None:
                return
            try:
                results[i] = todo[i]()
            except BaseException:
                with lock:
                    for _ in taken:  # the others stop after the job they are on
                        pass
                raise

    helpers = [_executor().submit(take) for _ in range(min(WORKERS, len(todo)) - 1)]
    try:
        take()
    finally:
        for helper in helpers:
            if not helper.cancel():  # started: its job's result (or error) is wanted
                helper.result()
    return results


def over_rows(n_rows: int, chunk: int, work: Callable[[slice], None]) -> None:
    """``work`` on slices of at most ``chunk`` rows of ``n_rows``, at the same time; fewer rows
    than a chunk per slice are shared out evenly in ``SLICES`` slices per thread, so a thread
    slowed by another process on its core holds up one small slice, not half the rows."""
    chunk = max(1, min(chunk, -(-n_rows // (WORKERS * SLICES))))
    run_all([functools.partial(work, slice(s, s + chunk)) for s in range(0, n_rows, chunk)])
