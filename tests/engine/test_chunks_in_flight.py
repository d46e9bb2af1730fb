"""How many chunks a simulation keeps in flight on an executor: two per worker, so a cluster
of many workers is kept busy (a Dask executor, which has no ``_max_workers``, once got four
in flight whatever its size) and memory in flight stays bounded; and how many blocks a chunk
holds: more on a Dask cluster, where each task costs messaging, and as many for each worker
thread, so that the threads end together."""

from __future__ import annotations

from concurrent.futures import Executor, Future

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from slamodeler.engine import simulation
from slamodeler.engine.simulation import (
    BLOCK_TRIALS,
    CancelToken,
    chunk_sizes,
    price_chunk,
    simulate,
)
from tests.helpers.builders import contract, scenario


class _Threads:
    def __init__(self, per_worker: dict[str, int]):
        self.per_worker = per_worker

    def nthreads(self) -> dict[str, int]:
        return self.per_worker


class RecordingExecutor(Executor):
    """Runs each chunk when its result is asked for, noting the most chunks ever submitted and
    not yet collected; shaped as distributed's ClientExecutor (a ``_client``)."""

    def __init__(self, per_worker: dict[str, int]):
        self._client = _Threads(per_worker)
        self.waiting = 0
        self.most = 0
        self.chunks: list[int] = []  # blocks in each chunk submitted
        self.ran = 0  # chunks run

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        assert fn.func is price_chunk and fn.keywords == {
            "rows": True,
            "pack": True,
        }  # priced there
        future: Future = Future()
        self.chunks.append(len(args[-1]))
        self.waiting += 1
        self.most = max(self.most, self.waiting)
        owner = self

        def result(timeout=None):
            owner.waiting -= 1
            owner.ran += 1
            return fn(*args, **kwargs)

        future.result = result  # type: ignore[method-assign]
        return future


def test_a_cluster_of_twelve_threads_gets_two_chunks_each_in_flight():
    terms, scen = contract(), scenario()
    pool = RecordingExecutor({"a": 4, "b": 4, "c": 4})
    trials = 40 * BLOCK_TRIALS  # 40 chunks of one block
    run = simulate(terms, scen, trials, 7, executor=pool, blocks_per_chunk=1)
    assert pool.most == 24
    assert run.trials == trials


def test_a_dask_cluster_gets_two_chunks_a_thread_with_the_numbers_of_one_process():
    terms, scen = contract(), scenario()
    pool = RecordingExecutor({"a": 1})
    trials = 17 * BLOCK_TRIALS  # 17 blocks on one thread: 2 chunks of 9 and 8, not 17 of 1
    run = simulate(terms, scen, trials, 7, executor=pool, blocks_per_chunk=1)
    assert pool.chunks == [9, 8]
    alone = simulate(terms, scen, trials, 7, blocks_per_chunk=1)
    assert np.array_equal(run.pricing["T"].paid, alone.pricing["T"].paid)


def test_a_cancel_takes_back_the_chunks_a_cluster_has_not_sent_back_and_keeps_the_first():
    """Every chunk of a small run on a cluster is in flight at once (two a thread); a cancel
    at the first chunk back takes back the others, which never run, and the run holds the
    first chunk's trials, as one process gives them."""
    terms, scen = contract(), scenario()
    pool = RecordingExecutor({"a": 1, "b": 1})
    token = CancelToken()
    run = simulate(
        terms,
        scen,
        40 * BLOCK_TRIALS,
        7,
        executor=pool,
        progress=lambda done, total: token.cancel(),
        cancel=token,
    )
    assert pool.chunks == [10] * 4 and pool.ran == 1
    assert run.cancelled and run.trials == 10 * BLOCK_TRIALS
    alone = simulate(terms, scen, 10 * BLOCK_TRIALS, 7)
    assert np.array_equal(run.pricing["T"].paid, alone.pricing["T"].paid)


def test_chunks_grow_on_workers_to_64_blocks_on_dask_and_8_on_local_processes():
    class Local(Executor):
        _max_workers = 2

    dask_2 = RecordingExecutor({"a": 1, "b": 1})
    assert chunk_sizes(None, 10, 4) == [4, 4, 2]  # in this process: as asked
    # 1M trials on 2 processes: 64 chunks of 8 or 7 blocks, 32 a process, not 125 of 4
    assert chunk_sizes(Local(), 500, 4) == [8] * 52 + [7] * 12
    assert chunk_sizes(Local(), 100, 4) == [7] * 4 + [6] * 12  # 8 chunks a process
    assert chunk_sizes(Local(), 40, 4) == [4] * 10  # never more chunks than asked would make
    assert chunk_sizes(dask_2, 200, 4) == [50] * 4  # 400,000 trials: 4 tasks, not 50
    assert chunk_sizes(dask_2, 40, 4) == [10] * 4
    # a small run: fewer chunks, still as many for each thread, every thread busy
    assert chunk_sizes(Local(), 12, 4) == [6, 6]
    assert chunk_sizes(Local(), 5, 4) == [3, 2]
    assert chunk_sizes(dask_2, 6, 4) == [3, 3]
    assert chunk_sizes(Local(), 3, 4) == [3]  # fewer blocks than asked: one chunk
    assert chunk_sizes(RecordingExecutor({"a": 2, "b": 2}), 30, 4) == [4] * 6 + [3] * 2
    # 100M trials on 64 threads: 832 chunks of 60 or 61 blocks, 13 a thread
    found = chunk_sizes(RecordingExecutor({"w": 64}), 50_000, 4)
    assert found == [61] * 80 + [60] * 752 and len(found) % 64 == 0
    assert chunk_sizes(RecordingExecutor({}), 10, 4) == [4, 4, 2]  # no worker yet


@given(
    st.integers(1, 5_000),
    st.integers(1, 8),
    st.sampled_from(["here", "local", "dask"]),
    st.integers(1, 70),
)
def test_chunk_sizes_hold_every_block_and_share_out_evenly(blocks, asked, where, threads):
    class Local(Executor):
        _max_workers = threads

    executor = {"here": None, "local": Local(), "dask": RecordingExecutor({"w": threads})}[where]
    sizes = chunk_sizes(executor, blocks, asked)
    fewest = -(-blocks // asked)  # chunks of ``asked`` blocks and what is left
    assert sum(sizes) == blocks and min(sizes) >= 1 and len(sizes) <= fewest
    if where == "here":
        assert sizes[:-1] == [asked] * (len(sizes) - 1)
        return
    per_thread, cap = (2, 64) if where == "dask" else (8, 8)
    assert max(sizes) - min(sizes) <= 1  # the threads' shares end together
    if len(sizes) >= threads:
        assert len(sizes) % threads == 0
    if blocks >= asked * per_thread * threads:
        assert len(sizes) >= per_thread * threads
    elif fewest >= threads:
        assert len(sizes) >= threads  # a chunk a thread at least
    assert max(sizes) <= max(cap, 2 * asked)


def test_a_cluster_that_grows_during_a_run_gets_chunks_on_its_new_threads(monkeypatch):
    """An adaptive cluster's workers join during a run: each time a chunk comes back, the
    chunks in flight are counted again from the cluster's threads (two a thread), so the
    threads that joined get chunks; the chunks stay as cut at the start, and the numbers are
    one process's."""
    monkeypatch.setattr(simulation, "MAX_CHUNK_BLOCKS", 2)  # many chunks on one thread
    terms, scen = contract(), scenario()
    pool = RecordingExecutor({"a": 1})
    grown = {"a": 1, "b": 1, "c": 1}

    def progress(done: int, total: int) -> None:
        pool._client.per_worker = grown  # after the first chunk back

    trials = 40 * BLOCK_TRIALS
    run = simulate(terms, scen, trials, 7, executor=pool, blocks_per_chunk=1, progress=progress)
    assert pool.chunks == [2] * 20
    assert pool.most == 6  # two a thread of three, where one thread held two at the start
    alone = simulate(terms, scen, trials, 7, blocks_per_chunk=1)
    assert np.array_equal(run.pricing["T"].paid, alone.pricing["T"].paid)
