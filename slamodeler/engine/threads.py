"""Large array work spread over the machine's cores with threads.

numpy releases the GIL inside its array loops and BLAS, so threads run that work in parallel
without copying arrays to other processes. Jobs given here must not themselves call here: the
pool is small, and a job waiting on jobs queued behind it would wait for ever.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
WORKERS = max(1, min(os.cpu_count() or 1, 8))
NICE = 5
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(WORKERS, "slamodeler-numpy", initializer=_yield_to_others)
    return _pool


def _yield_to_others() -> None:
    """A pool thread runs a little below the threads that started it (Linux: a thread has its
    own nice value), so a desktop window stays responsive while numbers are computed."""
    with contextlib.suppress(AttributeError, OSError):  # no per-thread priorities, or refused
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)


def _forget_after_fork() -> None:
    """A forked child inherits the pool but none of its threads."""
    global _pool
    _pool = None


os.register_at_fork(after_in_child=_forget_after_fork)


def run_all(jobs: Iterable[Callable[[], T]]) -> list[T]:
    """Every job's result, in order; the jobs run at the same time on the pool."""
    return list(_executor().map(lambda job: job(), jobs))


def over_rows(n_rows: int, chunk: int, work: Callable[[slice], None]) -> None:
    """``work`` on slices of at most ``chunk`` rows of ``n_rows``, at the same time; fewer rows
    than a chunk per thread are shared out evenly, so no thread waits on another's big slice."""
    chunk = max(1, min(chunk, -(-n_rows // WORKERS)))
    run_all([functools.partial(work, slice(s, s + chunk)) for s in range(0, n_rows, chunk)])
