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

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.against_simulation import (  # noqa: E402
    against_one_simulation,
    options,
    ratio_line,
    sample,
)
from slamodeler.engine.finders import Finding, find  # noqa: E402
from slamodeler.engine.redline import same_draws  # noqa: E402

FINDERS = {  # name: path, statistic, budget, tier
    "credit": ("tiers[Gold].credits.bands[0].credit_pct", "mean", 300_000.0, None),
    "cap": ("tiers[Gold].caps.per_period_pct", "p99", 100_000.0, "Gold"),
    "fee": ("tiers[Gold].monthly_fee", "margin", 0.0, "Gold"),
    "threshold": ("tiers[Gold].credits.bands[0].below", "mean", 40_000.0, "Gold"),
}


def main() -> None:
    args = options(__doc__)
    terms, scenario = sample()
    print(f"sample contract, baseline scenario, {args.trials:,} trials, median of {args.rounds}")

    def finder(name: str) -> Finding:
        path, statistic, budget, tier = FINDERS[name]
        runs = same_draws(scenario, args.trials, 1)
        return find(terms, runs, path, statistic, budget, years=scenario.years, tier=tier)

    one, took, found = against_one_simulation(
        terms,
        scenario,
        args.trials,
        args.rounds,
        {name: lambda n=name: finder(n) for name in FINDERS},
    )
    print(f"one simulation:            {one[0]:7.3f} s   CPU {one[1]:.3f} s")
    for name, seconds in took.items():
        f = found[name]
        assert isinstance(f, Finding)
        print(
            ratio_line(f"find {name + ':':11s}         ", seconds, one)
            + f"   {len(f.points)} values priced, answer {f.answer}"
        )


if __name__ == "__main__":
    main()
