"""What the customer cap costs under a claim window when processes hit customers one by one:
Cloudflare R2 sold as two tiers (Storage, Egress) of ``--customers`` customers each, the 30 days
before each claim, under a scenario of platform incidents and incidents of single customers;
simulated without and with a ``customer_cap`` binding for most customers, alternating in one
run, CPU time (the ratio is the figure: other jobs share the cores).

    python benchmarks/claim_cap_one_by_one.py [--trials N] [--customers C] [--rounds R]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from slamodeler.domain.contract import Contract  # noqa: E402
from slamodeler.domain.scenario import Scenario  # noqa: E402
from slamodeler.engine.simulation import simulate  # noqa: E402

SCENARIO = Scenario.model_validate(
    {
        "format": "slamodeler-scenario/v1",
        "name": "platform and single customers",
        "start": "2025-01",
        "years": 1,
        "processes": [
            {
                "name": "platform",
                "frequency": {"dist": "poisson", "rate_per_month": 1.5},
                "duration_minutes": {"dist": "lognormal", "median": 45, "sigma": 1.2},
            },
            {
                "name": "single customers",
                "frequency": {"dist": "poisson", "rate_per_month": 1.0},
                "duration_minutes": {"dist": "exponential", "mean": 300},
                "scope": {"independent": 0.5},
            },
        ],
    }
)


def held(customers: int, cap: dict | None) -> Contract:
    data = yaml.safe_load((ROOT / "sample_contracts" / "real" / "cloudflare_r2.yaml").read_text())
    storage = {**data["tiers"][0], "name": "Storage", "customers": customers}
    data["tiers"] = [storage, {**storage, "name": "Egress", "monthly_fee": 930}]
    data["customer_cap"] = cap
    return Contract.model_validate(data)


def cpu(contract: Contract, trials: int) -> float:
    start = time.process_time()
    simulate(contract, SCENARIO, trials, seed=1)
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--customers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    free, capped = held(args.customers, None), held(args.customers, {"amount": 1500})
    times: dict[str, list[float]] = {"without": [], "with": []}
    for _ in range(args.rounds):  # alternate, so load on the machine falls on both alike
        times["without"].append(cpu(free, args.trials))
        times["with"].append(cpu(capped, args.trials))
    a, b = min(times["without"]), min(times["with"])
    print(
        f"{args.trials:,} trials, {args.customers} customer(s) a tier, load {os.getloadavg()[0]:.1f}"
    )
    print(f"CPU s without the cap {a:.2f}, with it {b:.2f}: {b / a:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
