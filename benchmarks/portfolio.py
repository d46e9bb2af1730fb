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

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.against_simulation import (  # noqa: E402
    against_one_simulation,
    options,
    ratio_line,
    sample,
)
from slamodeler.domain.contract import Contract  # noqa: E402
from slamodeler.engine.portfolio import Portfolio, price_portfolio  # noqa: E402


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


def main() -> None:
    args = options(__doc__)
    base, scenario = sample()
    book = [base, *(_deal(base, name, edit) for name, edit in DEALS.items())]
    labels = ["sample", *DEALS]
    print(
        f"{len(book)} contracts (the sample and {len(DEALS)} deals), baseline scenario, "
        f"{args.trials:,} trials, median of {args.rounds}"
    )
    one, took, found = against_one_simulation(
        base,
        scenario,
        args.trials,
        args.rounds,
        {"book": lambda: price_portfolio(book, labels, scenario, args.trials, 1)},
    )
    book_run = found["book"]
    assert isinstance(book_run, Portfolio)
    print(f"one simulation of the largest contract: {one[0]:.3f} s   CPU {one[1]:.3f} s")
    print(
        ratio_line(
            f"the portfolio (one drawing, {book_run.measured} of {len(book)} contracts "
            "measured, the others re-priced):",
            took["book"],
            one,
        )
    )


if __name__ == "__main__":
    main()
