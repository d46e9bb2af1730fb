"""What setting up a run's chunks costs: a run of several contracts, or one under a rolling window,
priced chunk by chunk, in CPU seconds of this process (after a small run that loads the compiled
kernel). Run it alternately against another tree (``--tree``: a checkout or ``git archive``
of an older revision) to compare; the cents paid are printed so the runs can be checked equal.

    python benchmarks/chunk_setups.py [--tree PATH] [--contracts N | --rolling] [--trials N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tree", type=Path, default=ROOT, help="the source tree to run")
    parser.add_argument(
        "--contracts", type=int, default=6, help="copies of the sample (fees apart)"
    )
    parser.add_argument("--rolling", action="store_true", help="the sample under 30-day windows")
    parser.add_argument("--trials", type=int, default=100_000)
    args = parser.parse_args()
    sys.path.insert(0, str(args.tree))
    from benchmarks.simulation_speed import SCENARIO
    from slamodeler.domain.contract import Contract
    from slamodeler.engine.simulation import simulate_together
    from slamodeler.io.contract_file import load_contract

    sample = load_contract(args.tree / "sample_contracts" / "three_tier_cloud.yaml")
    contracts = []
    for k in range(1 if args.rolling else args.contracts):
        data = sample.model_dump(mode="json")
        for tier in data["tiers"]:
            tier["monthly_fee"] = str(float(tier["monthly_fee"]) + k)
        if args.rolling:
            data["measurement"]["window"] = {"kind": "rolling", "days": 30}
        contracts.append(Contract.model_validate(data))
    simulate_together(contracts, SCENARIO, 8000, 2, keep_periods=False)  # the kernel loaded
    start = time.process_time()
    runs = simulate_together(contracts, SCENARIO, args.trials, 1, keep_periods=False)
    seconds = time.process_time() - start
    cents = sum(int(run.pricing[name].paid.sum()) for run in runs for name in run.pricing)
    kind = "rolling window" if args.rolling else f"{len(contracts)} contracts"
    print(f"{kind}, {args.trials:,} trials, tree {args.tree}: CPU {seconds:.3f} s, paid {cents}")


if __name__ == "__main__":
    main()
