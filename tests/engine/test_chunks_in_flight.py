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
    threads that joined get chunks; those not yet sent, cut again for three threads, stay of
    the most blocks a chunk holds here, and the numbers are one process's."""
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


def _grown_run(start: dict[str, int], grown: dict[str, int], blocks: int, **options):
    """A run of ``blocks`` blocks on a cluster of ``start`` threads that has ``grown`` from the
    first chunk back on; the executor, and whether the run paid what one process pays."""
    terms, scen = contract(), scenario()
    pool = RecordingExecutor(start)

    def progress(done: int, total: int) -> None:
        pool._client.per_worker = grown

    trials = blocks * BLOCK_TRIALS
    run = simulate(terms, scen, trials, 7, executor=pool, progress=progress, **options)
    alone = simulate(terms, scen, trials, 7)
    same = all(
        np.array_equal(getattr(run.pricing["T"], name), getattr(alone.pricing["T"], name))
        for name in ("owed", "issued", "paid")
    )
    return pool, same and run.trials == trials


def test_chunks_not_yet_sent_are_cut_again_for_the_threads_that_join(monkeypatch):
    """A run started on one thread goes as chunks of up to ``MAX_CHUNK_BLOCKS`` blocks (4
    here): 16 blocks as 4 chunks, 2 in flight. When 3 more threads have joined, the 2 chunks
    not yet sent are cut again, in order, for 4 threads (2 chunks a thread where the blocks
    allow): 8 blocks as 8 chunks of 1, all in flight, where the 2 chunks as cut would have kept
    2 of the 4 threads idle. The numbers are one process's."""
    monkeypatch.setattr(simulation, "MAX_CHUNK_BLOCKS", 4)
    grown = {"a": 1, "b": 1, "c": 1, "d": 1}
    pool, same = _grown_run({"a": 1}, grown, 16, blocks_per_chunk=1)
    assert pool.chunks == [4, 4] + [1] * 8
    assert pool.most == 8  # two a thread of four: the chunk from before and 7 cut again
    assert same


def test_a_run_started_before_any_worker_joined_is_cut_again_when_one_has():
    """No thread yet (an adaptive cluster scaled to nothing): chunks of the blocks asked for
    (4), 2 in flight, wait for a worker. Once one has joined, the chunks not yet sent (32
    blocks) are cut again for it: 2 of 16, not 8 more tasks of 4."""
    pool, same = _grown_run({}, {"a": 1}, 40)
    assert pool.chunks == [4, 4, 16, 16]
    assert same


def test_a_cluster_that_loses_a_worker_during_a_run_pays_what_one_process_pays():
    """Cut for two threads (4 chunks of 10 blocks, all in flight from the start), the run
    loses a thread at its first chunk back and still holds every block, in order. Whether
    fewer threads would cut the chunks left again cannot show here or anywhere: where chunks
    are left unsent, their size is the most a chunk holds, which fewer threads do not change."""
    pool, same = _grown_run({"a": 1, "b": 1}, {"a": 1}, 40)
    assert pool.chunks == [10] * 4
    assert same


def test_a_dask_cluster_that_scales_up_during_a_run_takes_the_chunks_left_cut_again(
    monkeypatch,
):
    """On a real scheduler: a run started on a cluster of one worker thread (10 blocks as 5
    chunks of 2, as ``MAX_CHUNK_BLOCKS`` is 2 here), which scales to three workers when the
    first chunk is back. The 3 chunks not yet sent (6 blocks) go as 6 of 1, 2 a thread of the
    three the scheduler counts, and the run pays what one process pays."""
    import distributed  # the optional Dask support, installed by the test extra

    monkeypatch.setattr(simulation, "MAX_CHUNK_BLOCKS", 2)
    terms, scen = contract(), scenario()
    trials = 10 * BLOCK_TRIALS
    sent: list[int] = []
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        executor = client.get_executor()
        submit = executor.submit

        def counted(fn, /, *args, **kwargs):
            sent.append(len(args[-1]))
            return submit(fn, *args, **kwargs)

        def progress(done: int, total: int) -> None:
            if len(cluster.workers) == 1:
                cluster.scale(3)
                client.wait_for_workers(3, timeout=60)

        executor.submit = counted
        run = simulate(
            terms, scen, trials, 7, executor=executor, blocks_per_chunk=1, progress=progress
        )
    assert sent == [2, 2] + [1] * 6
    alone = simulate(terms, scen, trials, 7)
    for name in ("owed", "issued", "paid"):
        assert np.array_equal(getattr(run.pricing["T"], name), getattr(alone.pricing["T"], name))
