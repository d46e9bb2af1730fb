"""Cancel latency: how long a simulation takes to stop after Cancel, as the desktop application
runs it (in this process, one block per chunk, a ``CancelToken``), over horizons of 1, 10 and
50 years of the three-tier sample contract (1-minute slots), each started afresh (nothing kept
from an earlier run of the same horizon) and cancelled at several moments, the first while the
run is still setting up.

Reports per horizon the slowest stop, and beside it a block's time (what a cancel waits for at
most once the blocks run, measured in the same run). Target (issue 6): every stop within 0.5 s.
First, the setup a cancel cannot interrupt: the slot lookup of a 50-year horizon, searched as
measurement does it now, against tables of every slot (the baseline, built for the first time
in this process, as in a newly started application).

    python benchmarks/cancel_latency.py [--trials N]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from slamodeler.engine import interval_measure, simulation  # noqa: E402
from slamodeler.engine.simulation import CancelToken, simulate, trials_per_block  # noqa: E402
from slamodeler.io.contract_file import load_contract  # noqa: E402
from slamodeler.io.scenario_file import load_scenario  # noqa: E402

TARGET = 0.5
MOMENTS = (0.02, 0.1, 0.3, 0.6, 1.0)  # seconds after the start


def fresh() -> None:
    """Forget what earlier runs left for their horizon, as a new horizon would find it."""
    simulation._setups.cache_clear()
    interval_measure._LOOKUPS.clear()


def lookup_time(horizon, tables: bool) -> float:
    """Seconds to set up the slot lookup of ``horizon``, with tables of every slot or not."""
    kept = interval_measure.TABLE_SLOTS
    interval_measure.TABLE_SLOTS = horizon.grid.n if tables else 0
    start = time.perf_counter()
    interval_measure._SlotLookup(horizon)
    took = time.perf_counter() - start
    interval_measure.TABLE_SLOTS = kept
    return took


def stop_time(contract, scenario, trials: int, after: float) -> float:
    """Seconds from the cancel to ``simulate`` returning."""
    fresh()
    token = CancelToken()
    pressed: list[float] = []

    def press() -> None:
        pressed.append(time.perf_counter())
        token.cancel()

    timer = threading.Timer(after, press)
    timer.start()
    simulate(contract, scenario, trials, 1, blocks_per_chunk=1, cancel=token)
    returned = time.perf_counter()
    timer.cancel()
    if not pressed:
        raise SystemExit(f"the run ended before the cancel at {after} s: give more --trials")
    return returned - pressed[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200_000)
    args = parser.parse_args()
    contract = load_contract(ROOT / "sample_contracts" / "three_tier_cloud.yaml")
    baseline = load_scenario(ROOT / "sample_contracts" / "scenarios" / "baseline.yaml")
    horizon = simulation.scenario_horizon(contract, baseline.model_copy(update={"years": 50}))
    searched = lookup_time(horizon, tables=False)
    tabled = lookup_time(horizon, tables=True)
    print(
        f"50 years, {horizon.grid.n:,} slots: slot lookup set up in {searched:.3f} s; "
        f"tables of every slot (baseline) {tabled:.3f} s"
    )
    worst_of_all = 0.0
    for years in (1, 10, 50):
        scenario = baseline.model_copy(update={"years": years})
        per_block = trials_per_block(scenario)
        simulate(contract, scenario, per_block, 1)  # warm: imports, the first block's setup
        start = time.perf_counter()
        simulate(contract, scenario, per_block, 1)
        block = time.perf_counter() - start
        stops = [stop_time(contract, scenario, args.trials, after) for after in MOMENTS]
        worst = max(stops)
        worst_of_all = max(worst_of_all, worst)
        print(
            f"{years:2d} years ({per_block:,} trials a block, one block {block:.2f} s):  "
            f"slowest stop {worst:.3f} s of {len(MOMENTS)} cancels"
        )
    verdict = "met" if worst_of_all < TARGET else "MISSED"
    print(f"slowest stop {worst_of_all:.3f} s   target under {TARGET} s: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
