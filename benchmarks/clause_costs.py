"""What each contract clause of docs/measurement.md costs the simulation: the sample contract
(without its maintenance allowance, which per-incident credits cannot be said with yet) simulated
plain and with one clause on, alternating in one run (the same trials, seed and
scenario), each clause's time as a ratio of the plain one measured beside it; and re-pricing a
plain run under the clause, where re-pricing can take it.

    python benchmarks/clause_costs.py [--trials N] [--rounds R] [--only NAME ...] [--cpu]

With ``--cpu``, the times are this process's CPU time (``time.process_time``: the simulation runs
on threads here), which other jobs on the machine disturb less than the wall clock.
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

from benchmarks.simulation_speed import SCENARIO  # noqa: E402
from slamodeler.domain.contract import Contract  # noqa: E402
from slamodeler.domain.scenario import Scenario  # noqa: E402
from slamodeler.engine.simulation import (  # noqa: E402
    SimulationRun,
    reprice,
    simulate,
    why_not_repriced,
)
from slamodeler.io.contract_file import load_contract  # noqa: E402

ZONES = ["a", "b", "c"]
GROWING = {f"2027-{m:02d}": None for m in range(1, 13)}  # filled per tier: +2% a month


def _tiers(data: dict[str, Any], **keys: Any) -> dict[str, Any]:
    for tier in data["tiers"]:
        for key, value in keys.items():
            tier[key] = value(tier) if callable(value) else value
    return data


def _growing_fees(tier: dict[str, Any]) -> dict[str, float]:
    return {
        month: round(float(tier["monthly_fee"]) * 1.02**k, 2) for k, month in enumerate(GROWING)
    }


# name: (what it changes in the contract's data, what it changes in the scenario's, or None)
CLAUSES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "either_or": lambda d: _tiers(
        d,
        either_or={
            "name": "outage credit",
            "credits": {"kind": "per_hour", "credit_pct_per_hour": 5, "hours": "started"},
        },
    ),
    "monthly_fees": lambda d: _tiers(d, monthly_fees=_growing_fees),
    "affected_share": lambda d: _tiers(d, affected_share="0.6"),
    "incident_credits": lambda d: _tiers(
        d, incident_credits={"longer_than_minutes": 30, "credit_pct": 2}
    ),
    "chronic_failure": lambda d: {**d, "chronic_failure": {"missed": 3, "of": 6}},
    "claim_deadline": lambda d: {
        **d,
        "claims": {**d["claims"], "claim_deadline_days": 30, "late_share": "0.1"},
    },
    "customer_cap": lambda d: {**d, "customer_cap": {"tiers": ["Bronze"], "amount": 5000}},
    "zones": lambda d: _tiers(
        d, scope=lambda t: {**t["scope"], "zones": {"at_least": 2, "of": ZONES}}
    ),
    # the 30 days before each claim (Cloudflare R2): rows per trial, priced row by row
    "claim_window": lambda d: {
        **d,
        "measurement": {**d["measurement"], "window": {"kind": "claim", "days": 30}},
    },
    # the same with fees by month: each claim's fee is its days' shares of their months' fees
    "claim_window_fees": lambda d: _tiers(
        {**d, "measurement": {**d["measurement"], "window": {"kind": "claim", "days": 30}}},
        monthly_fees=_growing_fees,
    ),
    # the claim window with per-incident credits: each incident's credit on its trial's claim
    "claim_incidents": lambda d: _tiers(
        {**d, "measurement": {**d["measurement"], "window": {"kind": "claim", "days": 30}}},
        incident_credits={"longer_than_minutes": 30, "credit_pct": 2},
    ),
    # service hours over the 30 days before each period end
    "hours_in_window": lambda d: {
        **d,
        "measurement": {
            **d["measurement"],
            "window": {"kind": "rolling", "days": 30},
            "service_hours": {"start": "08:00", "end": "18:00"},
        },
    },
}


def zoned(scenario: Scenario) -> Scenario:
    """The scenario's processes landing on one zone of three, or two at once one time in five."""
    data = scenario.model_dump(mode="json")
    for process in data["processes"]:
        process["zones"] = {"of": ZONES, "at_once": [0.8, 0.2]}
    return Scenario.model_validate(data)


def timed(run: Callable[[], object], clock: Callable[[], float]) -> tuple[float, object]:
    start = clock()
    result = run()
    return clock() - start, result


def measure(
    name: str, plain: Contract, trials: int, rounds: int, clock: Callable[[], float]
) -> str:
    """One row: the plain and clause simulations' median times, their ratio, and re-pricing."""
    terms = Contract.model_validate(CLAUSES[name](plain.model_dump(mode="json")))
    scenario = zoned(SCENARIO) if name == "zones" else SCENARIO
    base, with_clause = [], []
    run = None
    for _ in range(rounds):  # alternate, so load on the machine falls on both alike
        seconds, run = timed(lambda: simulate(plain, scenario, trials, seed=1), clock)
        base.append(seconds)
        with_clause.append(timed(lambda: simulate(terms, scenario, trials, seed=1), clock)[0])
    assert isinstance(run, SimulationRun)
    refused = why_not_repriced(run, terms)
    again = (
        f"refused: {refused[:60]}"
        if refused
        else f"{timed(lambda: reprice(run, terms), clock)[0]:.3f} s"
    )
    a, b = statistics.median(base), statistics.median(with_clause)
    return f"{name:<18} {a:>8.2f} {b:>8.2f} {b / a:>6.2f}  {again}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2, help="plain/clause pairs per clause")
    parser.add_argument("--only", nargs="*", choices=list(CLAUSES), default=list(CLAUSES))
    parser.add_argument("--cpu", action="store_true", help="CPU time instead of the wall clock")
    args = parser.parse_args()
    clock = time.process_time if args.cpu else time.perf_counter
    sample = load_contract(ROOT / "sample_contracts" / "three_tier_cloud.yaml").model_dump(
        mode="json"
    )
    # without its maintenance allowance, which per-incident credits cannot be said with yet
    sample["exclusions"]["maintenance_allowance_minutes_per_year"] = None
    plain = Contract.model_validate(sample)
    timer = ", CPU time" if args.cpu else ""
    print(
        f"{args.trials:,} trials, 1 year, three tiers, one process, {args.rounds} round(s){timer}"
    )
    print(f"{'clause':<18} {'plain s':>8} {'with s':>8} {'ratio':>6}  re-pricing a plain run")
    for name in args.only:
        print(measure(name, plain, args.trials, args.rounds, clock), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
