"""What a 3-term tornado (`slamodeler sensitivity`) costs against one simulation of the base,
measured alternately in the same run (same trials, seed and scenario: the sample contract under
the baseline scenario). Two tornados of three terms, each moved to a low and a high value:

- contract: Gold's first band credit % (re-priced), the claim rate (re-priced) and the weight of
  partial outages (measured again, twice, on the base's drawing);
- mixed: Gold's first band credit %, the weight of partial outages, and the platform process's
  median duration (a scenario parameter: two more drawings on the same seed).

Target (issue 17): a 3-term tornado within 5x one simulation, judged on CPU time (this process,
all threads), which other work on a shared machine disturbs less than the wall clock; both
printed, with the load average.

    python benchmarks/sensitivity.py [--trials N] [--rounds R]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from slamodeler.engine.sensitivity import TermRange, tornado  # noqa: E402
from slamodeler.engine.simulation import simulate  # noqa: E402
from slamodeler.io.contract_file import load_contract  # noqa: E402
from slamodeler.io.scenario_file import load_scenario  # noqa: E402

TARGET = 5.0
CREDIT = TermRange("tiers[Gold].credits.bands[0].credit_pct", 5, 20)
PARTIAL = TermRange("measurement.impact_weights.partial", 0.2, 0.5)
TORNADOS = {
    "contract": [CREDIT, TermRange("claims.claim_rate", 0.4, 0.9), PARTIAL],
    "mixed": [
        CREDIT,
        PARTIAL,
        TermRange("processes[platform incidents].duration_minutes.median", 30, 60),
    ],
}


def _seconds(work: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all threads of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    base = load_contract(ROOT / "sample_contracts" / "three_tier_cloud.yaml")
    scenario = load_scenario(ROOT / "sample_contracts" / "scenarios" / "baseline.yaml")
    print(f"sample contract, baseline scenario, {args.trials:,} trials, median of {args.rounds}")
    print("load average at start: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    simulate(base, scenario, 1000, 1)  # warm up: imports, tables of the horizon
    plain: list[tuple[float, float]] = []
    timed: dict[str, list[tuple[float, float]]] = {name: [] for name in TORNADOS}
    for _ in range(args.rounds):
        for name, ranges in TORNADOS.items():
            plain.append(_seconds(lambda: simulate(base, scenario, args.trials, 1)))
            timed[name].append(
                _seconds(lambda r=ranges: tornado(base, scenario, r, args.trials, 1))
            )
    one = [statistics.median(t[i] for t in plain) for i in (0, 1)]
    print(f"one simulation of the base:   {one[0]:.3f} s   CPU {one[1]:.3f} s")
    for name, times in timed.items():
        took = [statistics.median(t[i] for t in times) for i in (0, 1)]
        ratio = [took[i] / one[i] for i in (0, 1)]
        verdict = "met" if ratio[1] <= TARGET else "NOT met"  # on CPU time: steadier
        print(
            f"tornado, {name + ' terms:':16s} {took[0]:.3f} s   CPU {took[1]:.3f} s   "
            f"{ratio[0]:.2f}x one simulation (CPU {ratio[1]:.2f}x)   "
            f"target within {TARGET:g}x (CPU): {verdict}"
        )
    print("load average at end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
