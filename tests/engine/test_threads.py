"""The engine's threads (engine/threads.py): the caller works with the pool, jobs are taken one
at a time, so a thread that another process slows holds up only the job it took."""

from __future__ import annotations

import itertools
import threading

import pytest

from slamodeler.engine import threads


def test_every_job_runs_once_and_the_results_come_in_order():
    ran: list[int] = []
    jobs = [lambda i=i: ran.append(i) or i * i for i in range(25)]
    assert threads.run_all(jobs) == [i * i for i in range(25)]
    assert sorted(ran) == list(range(25))


def test_a_single_job_runs_on_the_calling_thread():
    assert threads.run_all([threading.get_ident]) == [threading.get_ident()]


def test_while_one_job_is_held_up_the_other_threads_run_all_the_others():
    others_done = threading.Event()
    count, lock = [0], threading.Lock()

    def held_up() -> bool:
        return others_done.wait(timeout=30)

    def quick() -> bool:
        with lock:
            count[0] += 1
            if count[0] == 9:
                others_done.set()
        return True

    # whichever thread takes the held-up job, the remaining ones are taken by the others
    assert threads.run_all([quick, held_up, *[quick] * 8]) == [True] * 10


def test_an_error_is_raised_and_no_job_starts_after_it():
    started: list[int] = []

    def job(i: int) -> int:
        started.append(i)
        if i == 0:
            raise ValueError("bad slice")
        return i

    with pytest.raises(ValueError, match="bad slice"):
        threads.run_all([lambda i=i: job(i) for i in range(1_000)])
    assert len(started) < 1_000


def test_rows_are_shared_out_in_several_slices_per_thread():
    seen: list[slice] = []
    lock = threading.Lock()

    def work(rows: slice) -> None:
        with lock:
            seen.append(rows)

    threads.over_rows(100_000, 65_536, work)
    slices = sorted((s.start, min(s.stop, 100_000)) for s in seen)
    assert len(slices) == threads.WORKERS * threads.SLICES
    assert slices[0][0] == 0 and slices[-1][1] == 100_000
    assert all(a[1] == b[0] for a, b in itertools.pairwise(slices))
