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
from slamodeler.engine.sensitivity import TermRange, tornado  # noqa: E402

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


def main() -> None:
    args = options(__doc__)
    base, scenario = sample()
    print(f"sample contract, baseline scenario, {args.trials:,} trials, median of {args.rounds}")
    one, took, _ = against_one_simulation(
        base,
        scenario,
        args.trials,
        args.rounds,
        {
            name: lambda r=ranges: tornado(base, scenario, r, args.trials, 1)
            for name, ranges in TORNADOS.items()
        },
    )
    print(f"one simulation of the base:   {one[0]:.3f} s   CPU {one[1]:.3f} s")
    for name, seconds in took.items():
        print(ratio_line(f"tornado, {name + ' terms:':16s}", seconds, one, TARGET))


if __name__ == "__main__":
    main()
