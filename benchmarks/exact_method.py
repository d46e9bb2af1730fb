"""The exact method (`simulate --method exact`) against a 1,000,000-trial Monte Carlo of the
same contract and scenario, both in this one process (per core), measured in the same run: the
EC2-style sample contract (1-minute slots, one tier of 10 customers, bands, a period cap, a minimum
credit and a claim rate) under the one-process scenario, and the same on 5-minute slots and on
quarterly periods. Prints each wall and CPU time, the ratios, the means side by side (the Monte
Carlo's with its standard error) and the machine's load average, since other processes may share
its cores.

    python benchmarks/exact_method.py [--trials N]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from slamodeler.engine.exact import exact
from slamodeler.engine.exposure import exposures
from slamodeler.engine.simulation import simulate
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario

SAMPLES = Path(__file__).resolve().parents[1] / "sample_contracts"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1_000_000)
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
    print(f"load average (1, 5, 15 min) at the start: {_load()}")
    for label, contract in cases.items():
        wall, cpu = time.perf_counter(), time.process_time()
        computed = exact(contract, scenario)
        exact_s, exact_cpu = time.perf_counter() - wall, time.process_time() - cpu
        wall, cpu = time.perf_counter(), time.process_time()
        simulated = exposures(simulate(contract, scenario, args.trials, seed=1))
        monte_carlo_s, monte_carlo_cpu = time.perf_counter() - wall, time.process_time() - cpu
        e, m = computed.exposures[-1], simulated[-1]
        print(f"{label}")
        print(f"  exact method:  {exact_s:8.3f} s wall {exact_cpu:8.3f} s CPU   mean {e.mean:,.2f}")
        print(
            f"  Monte Carlo, {args.trials:,} trials, one process: {monte_carlo_s:8.3f} s wall "
            f"{monte_carlo_cpu:8.3f} s CPU   mean {m.mean:,.2f} ± {m.stderr:,.2f}"
        )
        print(
            f"  exact / Monte Carlo: wall {exact_s / monte_carlo_s:.3f}   "
            f"CPU {exact_cpu / monte_carlo_cpu:.3f}"
        )
        print(f"  (exact - Monte Carlo) / stderr: {(e.mean - m.mean) / m.stderr:+.2f}")
        print(f"  load average after: {_load()}")


def _load() -> str:
    """The machine's load average: how busy the shared cores were while this ran."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
