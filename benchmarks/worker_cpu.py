"""CPU seconds of a run on worker processes, split between the submitting process and its
workers, with what the submitting process spends alone after the last chunk came back. On a
machine loaded by other work a wall-time ratio says little; these CPU times still bound the
speed-up the same run could reach on free cores (Amdahl).

Workers are started, and have run a first chunk, before a run is timed (``start_workers``): a
worker's start (Python, the engine's imports, the compiled kernel's load) is paid once per
process, whatever the run's size, and is reported apart. A pool of spawned processes starts a
worker only when a task finds none idle, so a warm-up of one chunk starts one of two, and the
other's start fell inside the timed run (about 1 CPU second of the workers' 3.5-3.8 at 400,000
trials)."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TypeVar

import psutil  # installed with distributed (the dask and test extras)

T = TypeVar("T")


@dataclass(frozen=True)
class Split:
    wall: float
    parent: float  # CPU seconds of the submitting process (all its threads)
    workers: float  # CPU seconds of its child processes (the workers, Dask's nannies)
    tail: float  # the parent's CPU seconds after the last chunk's result: alone, serial

    @property
    def parent_share(self) -> float:
        return self.parent / (self.parent + self.workers)

    def bound(self, one: float, cores: int = 2) -> float:
        """The speed-up over ``one`` (CPU seconds of the run in one process) these CPU times
        allow on ``cores`` free cores: everything shared out over the cores but the tail,
        which runs alone."""
        return one / ((self.parent + self.workers - self.tail) / cores + self.tail)

    def line(self, one: float) -> str:
        return (
            f"parent CPU {self.parent:.2f} s ({self.parent_share:.0%} of all CPU; after the "
            f"last chunk {self.tail:.2f} s), workers {self.workers:.2f} s: these CPU times "
            f"allow at most {self.bound(one):.2f}x on 2 free cores"
        )


def first_chunk(args: tuple[tuple[str, ...], str, int]) -> int:
    """A worker's first chunk (a block of 2,000 trials, priced): its process id."""
    from slamodeler.engine import simulation

    simulation.price_chunk(*args, [(0, 2000)])
    return os.getpid()


def start_workers(submit: Callable[[], Future], workers: int, tries: int = 20) -> float:
    """``submit`` (``first_chunk`` on a pool) until ``workers`` processes have each run it: the
    CPU seconds they took (their start, the chunk, and any chunk a started worker ran again)."""
    k0 = children_cpu()
    seen: set[int] = set()
    for _ in range(tries):
        seen.update(future.result() for future in [submit() for _ in range(workers)])
        if len(seen) >= workers:
            return children_cpu() - k0
    raise RuntimeError(f"{len(seen)} of {workers} workers ran a chunk")


def idle_rates(seconds: float = 3.0) -> tuple[float, float]:
    """CPU seconds per second of this process and of its children while nothing runs."""
    c0, k0 = time.process_time(), children_cpu()
    time.sleep(seconds)
    return (time.process_time() - c0) / seconds, (children_cpu() - k0) / seconds


def children_cpu() -> float:
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            times = child.cpu_times()
            total += times.user + times.system
    return total


def split(run: Callable[[Callable[[int, int], None]], T]) -> tuple[Split, T]:
    """``run(progress)`` timed: ``progress`` (a simulation's) notes the moment every trial is
    in, after which the parent works alone."""
    last: list[float] = []

    def progress(done: int, total: int) -> None:
        if done == total:
            last.append(time.process_time())

    w0, c0, k0 = time.perf_counter(), time.process_time(), children_cpu()
    out = run(progress)
    end, k1 = time.process_time(), children_cpu()
    wall = time.perf_counter() - w0
    return Split(wall, end - c0, k1 - k0, end - (last[0] if last else end)), out
