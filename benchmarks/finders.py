"""What a finder (`slamodeler find`) costs against one simulation of the same contract,
measured alternately in the same run (same trials, seed and scenario: the sample contract under
the baseline scenario). Four finders on Gold's terms, each a simulation and then re-pricings of
its trials at every value the search prices:

- credit: the first band's credit % that keeps the portfolio's mean credits within a budget;
- cap: the per-period cap % that keeps Gold's P99 within a budget;
- fee: the monthly fee that breaks even (Gold's margin at 0);
- threshold: the first band's threshold (the target that pays) for Gold's mean credits.

The issue sets no target for finders: the ratio to one simulation and the values priced are
what is printed. CPU time (this process, all threads) is the steadier figure on a shared
machine; the wall clock and the load average are printed beside it.

    python benchmarks/finders.py [--trials N] [--rounds R]
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

from slamodeler.engine.finders import Finding, find  # noqa: E402
from slamodeler.engine.redline import same_draws  # noqa: E402
from slamodeler.engine.simulation import simulate  # noqa: E402
from slamodeler.io.contract_file import load_contract  # noqa: E402
from slamodeler.io.scenario_file import load_scenario  # noqa: E402

FINDERS = {  # name: path, statistic, budget, tier
    "credit": ("tiers[Gold].credits.bands[0].credit_pct", "mean", 300_000.0, None),
    "cap": ("tiers[Gold].caps.per_period_pct", "p99", 100_000.0, "Gold"),
    "fee": ("tiers[Gold].monthly_fee", "margin", 0.0, "Gold"),
    "threshold": ("tiers[Gold].credits.bands[0].below", "mean", 40_000.0, "Gold"),
}


def _seconds(work: Callable[[], object]) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    found = work()
    return time.perf_counter() - wall, time.process_time() - cpu, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    terms = load_contract(ROOT / "sample_contracts" / "three_tier_cloud.yaml")
    scenario = load_scenario(ROOT / "sample_contracts" / "scenarios" / "baseline.yaml")
    print(f"sample contract, baseline scenario, {args.trials:,} trials, median of {args.rounds}")
    print("load average at the start: " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    simulate(terms, scenario, 1000, 1)  # warm up: imports, tables of the horizon

    def finder(name: str) -> Finding:
        path, statistic, budget, tier = FINDERS[name]
        runs = same_draws(scenario, args.trials, 1)
        return find(terms, runs, path, statistic, budget, years=scenario.years, tier=tier)

    plain: list[tuple[float, float]] = []
    timed: dict[str, list[tuple[float, float]]] = {name: [] for name in FINDERS}
    priced: dict[str, Finding] = {}
    for _ in range(args.rounds):
        for name in FINDERS:
            wall, cpu, _ = _seconds(lambda: simulate(terms, scenario, args.trials, 1))
            plain.append((wall, cpu))
            wall, cpu, found = _seconds(lambda n=name: finder(n))
            timed[name].append((wall, cpu))
            assert isinstance(found, Finding)
            priced[name] = found
    one = [statistics.median(t[i] for t in plain) for i in (0, 1)]
    print(f"one simulation:            {one[0]:7.3f} s   CPU {one[1]:.3f} s")
    for name, times in timed.items():
        took = [statistics.median(t[i] for t in times) for i in (0, 1)]
        f = priced[name]
        print(
            f"find {name + ':':11s}          {took[0]:7.3f} s   CPU {took[1]:.3f} s   "
            f"{took[0] / one[0]:.2f}x one simulation (CPU {took[1] / one[1]:.2f}x)   "
            f"{len(f.points)} values priced, answer {f.answer}"
        )
    print("load average at the end: " + " ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
