"""Tier profitability (docs/profitability.md) against one simulation, in the same run: the sample
contract under the baseline scenario at 100,000 trials; then its margins alone, and its margins
with the break-even and target-margin fees of each tier solved by re-pricing the trials at
candidate fees. Prints the times, the re-pricings each fee took, and the ratios to the
simulation. The issue sets no target for this analysis; the cost is measured as it asks.

    python benchmarks/profitability_speed.py [--trials N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# ruff: noqa: E402
from slamodeler.engine.profitability import profitability
from slamodeler.engine.simulation import simulate
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario

SAMPLES = ROOT / "sample_contracts"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--trials", type=int, default=100_000)
    args = parser.parse_args()
    contract = load_contract(SAMPLES / "three_tier_cloud.yaml")
    scenario = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    started = time.perf_counter()
    run = simulate(contract, scenario, args.trials, 1)
    simulated = time.perf_counter() - started
    print(f"{args.trials:,} trials, {len(contract.tiers)} tiers, baseline scenario")
    print(f"simulation: {simulated:.3f} s")
    started = time.perf_counter()
    profitability(run, solve=False)
    margins = time.perf_counter() - started
    print(f"margins alone: {margins:.3f} s   ({margins / simulated:.2f}x the simulation)")
    started = time.perf_counter()
    found = profitability(run)
    solved = time.perf_counter() - started
    print(f"margins and fees: {solved:.3f} s   ({solved / simulated:.2f}x the simulation)")
    for tier in found.tiers:
        assert tier.break_even is not None and tier.target is not None
        print(
            f"  {tier.name}: break-even {tier.break_even.fee} in "
            f"{tier.break_even.repricings} re-pricings, target {tier.target.fee} in "
            f"{tier.target.repricings}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
