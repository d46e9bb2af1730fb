"""How many chunks a simulation keeps in flight on an executor: two per worker, so a cluster
of many workers is kept busy (a Dask executor, which has no ``_max_workers``, once got four
in flight whatever its size) and memory in flight stays bounded; and how many blocks a chunk
holds: more on a Dask cluster, where each task costs messaging."""

from __future__ import annotations

from concurrent.futures import Executor, Future

import numpy as np

from slamodeler.engine.simulation import BLOCK_TRIALS, chunk_blocks, price_chunk, simulate
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


def test_a_dask_cluster_gets_about_eight_chunks_a_thread_with_the_numbers_of_one_process():
    terms, scen = contract(), scenario()
    pool = RecordingExecutor({"a": 1})
    trials = 16 * BLOCK_TRIALS  # 16 blocks on one thread: 8 chunks of 2 blocks, not 16 of 1
    run = simulate(terms, scen, trials, 7, executor=pool, blocks_per_chunk=1)
    assert pool.chunks == [2] * 8
    alone = simulate(terms, scen, trials, 7, blocks_per_chunk=1)
    assert np.array_equal(run.pricing["T"].paid, alone.pricing["T"].paid)


def test_chunks_grow_on_workers_to_64_blocks_on_dask_and_8_on_local_processes():
    class Local(Executor):
        _max_workers = 2

    dask_2 = RecordingExecutor({"a": 1, "b": 1})
    assert chunk_blocks(None, 200, 4) == 4  # in this process: as asked
    assert chunk_blocks(Local(), 500, 4) == 8  # 1M trials on 2 processes: 63 chunks, not 125
    assert chunk_blocks(Local(), 100, 4) == 6  # about 8 chunks a process
    assert chunk_blocks(Local(), 40, 4) == 4  # never fewer blocks than asked
    assert chunk_blocks(dask_2, 200, 4) == 12  # 400,000 trials: 17 chunks, not 50
    assert chunk_blocks(dask_2, 40, 4) == 4  # never fewer blocks than asked
    assert chunk_blocks(RecordingExecutor({"w": 64}), 50_000, 4) == 64  # 100M trials: 782
    assert chunk_blocks(RecordingExecutor({}), 200, 4) == 4  # no worker yet
