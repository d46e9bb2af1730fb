"""What pricing a book of contracts together (`slamodeler portfolio`) costs against one simulation
of its largest contract, measured alternately in the same run (same trials, seed and scenario:
the baseline scenario). The book: the sample contract (three tiers, 205 customers: the largest)
and four bespoke deals made from it:

- two credit deals (Gold's first band at 15%; every fee doubled): re-priced on the sample's
  measured trials;
- two measurement deals (partial outages weighing 0.5; third-party outages excluded): measured
  on the same drawing.

No target is set (issue 17); the ratio says what the book costs. Judged on CPU time (this
process, all threads), steadier than the wall clock on a shared machine; both printed.

    python benchmarks/portfolio.py [--trials N] [--rounds R]
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
from slamodeler.engine.portfolio import price_portfolio  # noqa: E402
from slamodeler.engine.simulation import simulate  # noqa: E402
from slamodeler.io.contract_file import load_contract  # noqa: E402
from slamodeler.io.scenario_file import load_scenario  # noqa: E402


def _gold(data: dict[str, Any]) -> None:
    data["tiers"][2]["credits"]["bands"][0]["credit_pct"] = 15


def _fees(data: dict[str, Any]) -> None:
    for tier in data["tiers"]:
        tier["monthly_fee"] *= 2


def _partial(data: dict[str, Any]) -> None:
    data["measurement"]["impact_weights"]["partial"] = 0.5


def _third_party(data: dict[str, Any]) -> None:
    data["exclusions"]["causes"].append("third_party")


DEALS: dict[str, Callable[[dict[str, Any]], None]] = {
    "gold-15": _gold,
    "fees-x2": _fees,
    "partial-0.5": _partial,
    "third-party-excluded": _third_party,
}


def _deal(base: Contract, name: str, edit: Callable[[dict[str, Any]], None]) -> Contract:
    data = base.model_dump(mode="python")
    edit(data)
    data["name"] = f"{base.name} - {name}"
    return Contract.model_validate(data)


def _seconds(work: Callable[[], object]) -> tuple[float, float]:
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
    book = [base, *(_deal(base, name, edit) for name, edit in DEALS.items())]
    labels = ["sample", *DEALS]
    print(
        f"{len(book)} contracts (the sample and {len(DEALS)} deals), baseline scenario, "
        f"{args.trials:,} trials, median of {args.rounds}"
    )
    simulate(base, scenario, 1000, 1)  # warm up: imports, tables of the horizon
    plain: list[tuple[float, float]] = []
    together: list[tuple[float, float]] = []
    for _ in range(args.rounds):
        plain.append(_seconds(lambda: simulate(base, scenario, args.trials, 1)))
        together.append(_seconds(lambda: price_portfolio(book, labels, scenario, args.trials, 1)))
    one = [statistics.median(t[i] for t in plain) for i in (0, 1)]
    took = [statistics.median(t[i] for t in together) for i in (0, 1)]
    found = price_portfolio(book, labels, scenario, 2000, 1)
    print(f"one simulation of the largest contract: {one[0]:.3f} s   CPU {one[1]:.3f} s")
    print(
        f"the portfolio (one drawing, {found.measured} of {len(book)} contracts measured, "
        "the others re-priced): "
        f"{took[0]:.3f} s   CPU {took[1]:.3f} s   "
        f"{took[0] / one[0]:.2f}x one simulation (CPU {took[1] / one[1]:.2f}x)"
    )


if __name__ == "__main__":
    main()
