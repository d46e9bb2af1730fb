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
from slamodeler.engine.redline import compare  # noqa: E402

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


def main() -> None:
    args = options(__doc__)
    base, scenario = sample()
    redlines = {name: _edited(base, edit) for name, edit in REDLINES.items()}
    print(f"sample contract, baseline scenario, {args.trials:,} trials, median of {args.rounds}")
    one, took, _ = against_one_simulation(
        base,
        scenario,
        args.trials,
        args.rounds,
        {
            name: lambda r=redline: compare(base, r, scenario, args.trials, 1)
            for name, redline in redlines.items()
        },
    )
    print(f"one simulation of the base:        {one[0]:.3f} s   CPU {one[1]:.3f} s")
    for name, seconds in took.items():
        print(ratio_line(f"compare, {name + ' redline:':25s}", seconds, one, TARGET))


if __name__ == "__main__":
    main()
