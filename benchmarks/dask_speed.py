"""Dask against one local process: the same chunk of trials timed in CPU seconds in this
process and on a Dask worker (before and after the worker's allocator is tuned:
engine/allocator.py), then whole simulations timed on one process, on 2 local processes and on
a local Dask cluster of 2 single-threaded workers, with the cores the load leaves free.

Targets (issue 18): a chunk costs a worker what it costs this process (within 1.2x); Dask with 2
workers on 2 free cores at least 1.6x one local process, with the same numbers.

    python benchmarks/dask_speed.py [--trials N] [--chunks K]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.machine import free_cores  # noqa: E402
from benchmarks.simulation_speed import SCENARIO  # noqa: E402
from slamodeler.engine import simulation  # noqa: E402
from slamodeler.io.contract_file import load_contract  # noqa: E402

CONTRACT = load_contract(ROOT / "sample_contracts" / "three_tier_cloud.yaml")
ARGS = ((CONTRACT.model_dump_json(),), SCENARIO.model_dump_json(), 1)
BLOCKS = 4  # blocks of 2,000 trials a chunk, as simulate sends them


def chunk_seconds(chunks: int, tuned: bool) -> float:
    """Median CPU seconds of a chunk; ``tuned``: through ``measure_chunk`` (which tunes the
    allocator first), else drawn and measured without it."""
    times = []
    for i in range(chunks):
        blocks = [(b + BLOCKS * i, 2000) for b in range(BLOCKS)]
        start = time.process_time()
        if tuned:
            simulation.measure_chunk(*ARGS, blocks)
        else:
            terms, horizon, model = simulation._setup(ARGS[0][0], ARGS[1])
            for block, size in blocks:
                drawn = simulation.draw_block(model, ARGS[2], block, size)
                simulation.measure_drawn(drawn, model, terms, horizon)
        times.append(time.process_time() - start)
    return statistics.median(times)


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> int:
    import distributed

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--trials", type=int, default=400_000)
    parser.add_argument("--chunks", type=int, default=8)
    args = parser.parse_args()
    local = chunk_seconds(args.chunks, tuned=False)
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as client:
        worker = next(iter(client.scheduler_info()["workers"]))
        before = client.submit(chunk_seconds, args.chunks, False, workers=[worker], pure=False)
        after = client.submit(chunk_seconds, args.chunks, True, workers=[worker], pure=False)
        told = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"), workers=[worker])
        untuned, tuned = before.result(), after.result()
        print(f"a chunk of {BLOCKS * 2000:,} trials, median CPU seconds of {args.chunks}:")
        print(f"  this process:                     {local:6.3f} s")
        print(
            f"  Dask worker, as started ({told[worker]!r}): {untuned:6.3f} s  "
            f"{untuned / local:.2f}x this process"
        )
        print(
            f"  Dask worker, allocator tuned:      {tuned:6.3f} s  {tuned / local:.2f}x "
            f"(target within 1.2x: {'met' if tuned / local <= 1.2 else 'MISSED'})"
        )
        print(f"before the runs: {free_cores()}")
        t_one, one = timed(lambda: simulation.simulate(CONTRACT, SCENARIO, args.trials, 1))
        with ProcessPoolExecutor(2) as pool:
            t_pool, _ = timed(
                lambda: simulation.simulate(CONTRACT, SCENARIO, args.trials, 1, executor=pool)
            )
        t_dask, on_dask = timed(
            lambda: simulation.simulate(
                CONTRACT, SCENARIO, args.trials, 1, executor=client.get_executor()
            )
        )
        print(f"after the runs: {free_cores()}")
    same = all(np.array_equal(one.pricing[t].paid, on_dask.pricing[t].paid) for t in one.pricing)
    print(f"{args.trials:,} trials: one process {t_one:.2f} s")
    print(f"  2 local processes: {t_pool:.2f} s, {t_one / t_pool:.2f}x one process")
    print(
        f"  Dask, 2 workers:   {t_dask:.2f} s, {t_one / t_dask:.2f}x one process (target at "
        f"least 1.6x on 2 free cores: {'met' if t_one / t_dask >= 1.6 else 'MISSED'}); "
        f"same numbers: {same}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
