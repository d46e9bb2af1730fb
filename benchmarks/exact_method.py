"""The exact method (`simulate --method exact`) against a 1,000,000-trial Monte Carlo of the
same contract and scenario, measured in the same run: the EC2-style sample contract (1-minute
slots, one tier of 10 customers, bands, a period cap, a minimum credit and a claim rate) under the
one-process scenario, and the same on 5-minute slots and on quarterly periods. Prints each time,
the ratio, and the means side by side (the Monte Carlo's with its standard error).

    python benchmarks/exact_method.py [--trials N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from slamodeler.engine.exact import exact
from slamodeler.engine.exposure import exposures
from slamodeler.engine.simulation import simulate
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from slamodeler.services.simulate import executor_for

SAMPLES = Path(__file__).resolve().parents[1] / "sample_contracts"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    base = load_contract(SAMPLES / "ec2_region_sla.yaml")
    scenario = load_scenario(SAMPLES / "exact" / "platform_only.yaml")
    cases = {
        "monthly, 1-minute slots": base,
        "monthly, 5-minute slots": base.model_copy(
            update={"measurement": base.measurement.model_copy(update={"slot_minutes": 5})}
        ),
        "quarterly, 1-minute slots": base.model_copy(
            update={"measurement": base.measurement.model_copy(update={"period": "quarter"})}
        ),
    }
    for label, contract in cases.items():
        started = time.perf_counter()
        computed = exact(contract, scenario)
        exact_s = time.perf_counter() - started
        started = time.perf_counter()
        with executor_for(args.workers) as executor:
            run = simulate(contract, scenario, args.trials, seed=1, executor=executor)
        simulated = exposures(run)
        monte_carlo_s = time.perf_counter() - started
        e, m = computed.exposures[-1], simulated[-1]
        print(f"{label}")
        print(f"  exact method:            {exact_s:8.3f} s   mean {e.mean:,.2f}")
        print(
            f"  Monte Carlo, {args.trials:,} trials on {args.workers} worker(s): "
            f"{monte_carlo_s:8.3f} s   mean {m.mean:,.2f} ± {m.stderr:,.2f}"
        )
        print(f"  exact / Monte Carlo time: {exact_s / monte_carlo_s:.3f}")
        print(f"  (exact - Monte Carlo) / stderr: {(e.mean - m.mean) / m.stderr:+.2f}")


if __name__ == "__main__":
    main()
