"""Tiers in distinct scopes against tiers sharing one: what measuring each scope again costs.

The sample contract's Silver terms as ``--tiers`` tiers, once each in a region of its own and
once all in every one of those regions (one scope, measured once and shared), under one
scenario: the simulation benchmark's platform-wide process and a regional one whose incidents fall in one of the
regions each. Both contracts draw the same incidents; a distinct-scope tier sees the platform's
and its own region's, the shared scope sees them all. The two simulations run alternately in
this process, and their CPU time (per core) is compared: issue 18 wants distinct-scope tiers to
cost at most 1.5x shared-scope ones. Runs keep their measured periods for re-pricing, as the
desktop application's do; ``--priced-by-chunk``: they keep none and are priced chunk by chunk, as
``slamodeler simulate`` runs them. ``--years``: the scenario's years (trials then default to
20,000 contract-years in all); ``--no-allowance``: the terms without the sample's maintenance
allowance, so that each period is measured apart (engine/shared_scopes.py); ``--fees-differ``:
each tier's monthly fee one more than the one before, in both contracts, so that the shared
scope's tiers are not alike (``simulation._unlike``) and each is priced, as the distinct ones
are, while their scope is measured once. After the timings, what the distinct scopes measure
beyond the shared one (a kept run, not timed): their rows over the base, and a trial.

    python benchmarks/scope_sharing.py [--trials N] [--tiers T] [--rounds R] [--priced-by-chunk]
        [--years Y] [--no-allowance] [--fees-differ]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.machine import free_cores  # noqa: E402
from benchmarks.simulation_speed import SCENARIO  # noqa: E402
from slamodeler.domain.contract import Contract  # noqa: E402
from slamodeler.domain.scenario import Scenario  # noqa: E402
from slamodeler.engine.simulation import reprice, simulate  # noqa: E402
from slamodeler.io.contract_file import load_contract  # noqa: E402

# The simulation benchmark's platform-wide process: every tier's scope sees its incidents.
PLATFORM = SCENARIO.processes[0].model_dump(mode="json", exclude_none=True)


def regions(tiers: int) -> list[str]:
    return [f"region-{k}" for k in range(tiers)]


def scenario(tiers: int, years: int = 1) -> Scenario:
    share = 1 / tiers
    return Scenario.model_validate(
        {
            "format": "slamodeler-scenario/v1",
            "name": "scopes",
            "start": "2027-01",
            "years": years,
            "processes": [
                PLATFORM,
                {
                    "name": "regional",
                    "frequency": {"dist": "poisson", "rate_per_month": 1.0},
                    "duration_minutes": {"dist": "weibull", "shape": 0.8, "scale": 120},
                    "scope": {"mix": [{"regions": [r], "share": share} for r in regions(tiers)]},
                },
            ],
        }
    )


def contract(
    tiers: int, distinct: bool, allowance: bool = True, fees_differ: bool = False
) -> Contract:
    """``tiers`` copies of the sample's Silver tier, each in its own region or all in all;
    without ``allowance``, the sample's maintenance allowance left out; ``fees_differ``: the
    k-th copy's monthly fee k more than Silver's."""
    sample = load_contract(ROOT / "sample_contracts" / "three_tier_cloud.yaml")
    if not allowance:
        exclusions = sample.exclusions.model_copy(
            update={"maintenance_allowance_minutes_per_year": None}
        )
        sample = sample.model_copy(update={"exclusions": exclusions})
    silver = next(t for t in sample.tiers if t.name == "Silver")
    every = regions(tiers)
    copies = [
        silver.model_copy(
            update={
                "name": f"T{k}",
                "scope": silver.scope.model_copy(
                    update={"regions": [every[k]] if distinct else every}
                ),
                "monthly_fee": silver.monthly_fee + (k if fees_differ else 0),
            }
        )
        for k in range(tiers)
    ]
    return Contract.model_validate(sample.model_copy(update={"tiers": copies}).model_dump())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, help="default: 20,000 contract-years in all")
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--no-allowance", action="store_true")
    parser.add_argument("--fees-differ", action="store_true", help="no two tiers alike")
    parser.add_argument("--tiers", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="alternate runs of each")
    parser.add_argument(
        "--priced-by-chunk", action="store_true", help="keep no measured periods (the CLI's runs)"
    )
    parser.add_argument("--reprice", action="store_true", help="re-price a kept distinct run")
    args = parser.parse_args()
    keep = not args.priced_by_chunk
    trials = args.trials or max(1, 20_000 // args.years)
    scen = scenario(args.tiers, args.years)
    terms = {
        name: contract(args.tiers, name == "distinct", not args.no_allowance, args.fees_differ)
        for name in ("shared", "distinct")
    }
    for c in terms.values():  # warm up: horizon tables, imports
        simulate(c, scen, 100, 1)
    cpu: dict[str, list[float]] = {name: [] for name in terms}
    kept = "measured periods kept" if keep else "priced chunk by chunk"
    allowance = "no allowance" if args.no_allowance else "the sample's allowance"
    if args.fees_differ:
        allowance += ", each tier's fee its own"
    print(
        f"{args.tiers} tiers, {trials:,} trials x {args.years} years, {allowance}, {kept}; "
        f"{free_cores()}"
    )
    for _ in range(args.rounds):
        for name, c in terms.items():
            start = time.process_time()
            simulate(c, scen, trials, 7, keep_periods=keep)
            cpu[name].append(time.process_time() - start)
    best = {name: min(times) for name, times in cpu.items()}
    for name, times in cpu.items():
        print(
            f"{name:>8} scopes: CPU {', '.join(f'{t:.2f}' for t in times)} s (best {best[name]:.2f})"
        )
    print(
        f"distinct / shared (CPU, best of {args.rounds}): {best['distinct'] / best['shared']:.2f}x"
    )
    print(work(terms["distinct"], scen, trials))
    if args.reprice:
        repriced(terms["distinct"], scen, trials, args.rounds)
    print(f"after: {free_cores()}")
    return 0


def work(terms: Contract, scen: Scenario, trials: int) -> str:
    """What the distinct scopes measure beyond the shared one, from a kept run (not timed):
    every trial's row of the incidents all scopes share (the base, as the shared scope
    measures its one row a trial), and each scope's rows of the trials where it sees its own;
    their tiers' totals are each their own, where alike tiers sharing a scope are priced once."""
    run = simulate(terms, scen, trials, 7)
    over = [rows for rows in run.measured.units.values() if rows.base is not None]
    changed = sum(len(rows.trial) for rows in over)
    return (
        f"distinct scopes measure {changed:,} rows over their base's {trials:,} "
        f"({changed / trials:.1f} a trial, in {len(over)} scopes) and hold {len(terms.tiers)} "
        f"tiers' totals apart; the shared scope measures {trials:,} rows"
    )


def repriced(terms: Contract, scen: Scenario, trials: int, rounds: int) -> None:
    """Milliseconds to re-price a kept run with one tier's fee changed, and every tier's."""
    run = simulate(terms, scen, trials, 7)
    for changed in ("one tier", "every tier"):
        times = []
        for k in range(1, 2 * rounds + 1):
            data = terms.model_dump(mode="json")
            for tier in data["tiers"][: 1 if changed == "one tier" else None]:
                tier["monthly_fee"] = str(float(tier["monthly_fee"]) + k)
            new = Contract.model_validate(data)
            start = time.perf_counter()
            reprice(run, new)
            times.append(1000 * (time.perf_counter() - start))
        print(f"re-priced, {changed} changed: {', '.join(f'{t:.0f}' for t in times)} ms")


if __name__ == "__main__":
    raise SystemExit(main())
