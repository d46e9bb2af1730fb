"""How many chunks a simulation keeps in flight on an executor: two per worker, so a cluster
of many workers is kept busy (a Dask executor, which has no ``_max_workers``, once got four
in flight whatever its size) and memory in flight stays bounded."""

from __future__ import annotations

from concurrent.futures import Executor, Future

from slamodeler.engine.simulation import BLOCK_TRIALS, price_chunk, simulate
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

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        assert fn.func is price_chunk and fn.keywords == {"rows": True}  # priced where it ran
        future: Future = Future()
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
