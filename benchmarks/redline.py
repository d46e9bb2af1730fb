"""What a redline comparison (`slamodeler compare`) costs against one simulation of the base,
measured alternately in the same run (same trials, seed and scenario: the sample contract under
the baseline scenario). Three redlines:

- credit: Gold's first band 10% -> 15% (re-priced on the base's measured trials);
- measurement: partial outages weighing 0.5 instead of 0.3 (both measured on one drawing);
- several: both, plus third-party outages excluded, with each change's share in both orders
  (five contracts measured on one drawing).

Target (issue 17): a comparison within 2x one simulation, judged on CPU time (this process, all
threads), which other work on a shared machine disturbs less than the wall clock; both printed.

    python benchmarks/redline.py [--trials N] [--rounds R]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from slamodeler.domain.contract import Contract  # noqa: E402
from slamodeler.engine.redline import compare  # noqa: E402
from slamodeler.engine.simulation import simulate  # noqa: E402
from slamodeler.io.contract_file import load_contract  # noqa: E402
from slamodeler.io.scenario_file import load_scenario  # noqa: E402

TARGET = 2.0


def _gold(data: dict[str, Any]) -> None:
    data["tiers"][2]["credits"]["bands"][0]["credit_pct"] = 15


def _partial(data: dict[str, Any]) -> None:
    data["measurement"]["impact_weights"]["partial"] = 0.5


def _several(data: dict[str, Any]) -> None:
    _gold(data)
    _partial(data)
    data["exclusions"]["causes"].append("third_party")


REDLINES: dict[str, Callable[[dict[str, Any]], None]] = {
    "credit": _gold,
    "measurement": _partial,
    "several": _several,
}


def _edited(base: Contract, edit: Callable[[dict[str, Any]], None]) -> Contract:
    data = base.model_dump(mode="python")
    edit(data)
    return Contract.model_validate(data)


def _seconds(work: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all threads of this process): on a machine shared with other
    work the CPU time is the steadier of the two."""
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
    redlines = {name: _edited(base, edit) for name, edit in REDLINES.items()}
    print(f"sample contract, baseline scenario, {args.trials:,} trials, median of {args.rounds}")
    simulate(base, scenario, 1000, 1)  # warm up: imports, tables of the horizon
    plain: list[tuple[float, float]] = []
    timed: dict[str, list[tuple[float, float]]] = {name: [] for name in redlines}
    for _ in range(args.rounds):
        for name, redline in redlines.items():
            plain.append(_seconds(lambda: simulate(base, scenario, args.trials, 1)))
            timed[name].append(
                _seconds(lambda r=redline: compare(base, r, scenario, args.trials, 1))
            )
    one = [statistics.median(t[i] for t in plain) for i in (0, 1)]
    print(f"one simulation of the base:        {one[0]:.3f} s   CPU {one[1]:.3f} s")
    for name, times in timed.items():
        took = [statistics.median(t[i] for t in times) for i in (0, 1)]
        ratio = [took[i] / one[i] for i in (0, 1)]
        verdict = "met" if ratio[1] <= TARGET else "NOT met"  # on CPU time: steadier
        print(
            f"compare, {name + ' redline:':25s} {took[0]:.3f} s   CPU {took[1]:.3f} s   "
            f"{ratio[0]:.2f}x one simulation (CPU {ratio[1]:.2f}x)   "
            f"target within {TARGET:g}x (CPU): {verdict}"
        )


if __name__ == "__main__":
    main()
