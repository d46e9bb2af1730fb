"""Simulation speed: 1,000,000 contract-years of the three-tier sample contract (12 monthly
periods, three tiers) under two incident processes averaging two incidents a month in all.

Reports, in one run on this machine:
- the simulation's time, and its peak memory;
- the floor: the time numpy alone needs to draw the same random variates;
- a straightforward per-trial loop (draw one history, replay it with the replay engine) on a
  subsample, scaled to the full number of trials;
- re-pricing the result under changed bands and caps, against the simulation's time.
Targets (issue 3): within 3x of the floor, at least 100x faster than the loop, peak memory under
1.5 GB, re-pricing under 1/20 of the simulation and equal to a fresh simulation with the seed.

    python benchmarks/simulation_speed.py [--trials N] [--loop-trials K]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.slot_rules_option import add_option, with_slot_rules  # noqa: E402
from slamodeler.domain.contract import Contract  # noqa: E402
from slamodeler.domain.scenario import Scenario  # noqa: E402
from slamodeler.engine.outage_model import OutageModel  # noqa: E402
from slamodeler.engine.replay import replay  # noqa: E402
from slamodeler.engine.simulation import (  # noqa: E402
    block_rng,
    reprice,
    scenario_horizon,
    simulate,
    trial_incidents,
)
from slamodeler.io.contract_file import load_contract  # noqa: E402

SCENARIO = Scenario.model_validate(
    {
        "format": "slamodeler-scenario/v1",
        "name": "benchmark",
        "start": "2027-01",
        "years": 1,
        "processes": [
            {
                "name": "platform",
                "frequency": {"dist": "poisson", "rate_per_month": 1.0},
                "duration_minutes": {"dist": "lognormal", "median": 45, "sigma": 1.1},
                "impact": {"full": 0.4, "partial": 0.6},
                "cause": {"internal": 0.9, "maintenance": 0.1},
            },
            {
                "name": "regional",
                "frequency": {"dist": "negbin", "mean_per_month": 1.0, "dispersion": 0.5},
                "duration_minutes": {"dist": "weibull", "shape": 0.8, "scale": 120},
                "scope": {"region": "us-east-1"},
            },
        ],
    }
)


def floor_draws(trials: int, seed: int = 1) -> None:
    """The variates the model draws, drawn by numpy in the same sizes and nothing else."""
    rng = block_rng(seed, 0)
    for _ in range(0, trials, 100_000):
        n = min(100_000, trials)
        counts = rng.poisson(1.0, size=(n, 12))
        k = int(counts.sum())
        rng.random(k), np.exp(rng.standard_normal(k)), rng.choice(2, size=k, p=[0.4, 0.6])
        rng.choice(2, size=k, p=[0.9, 0.1])
        lam = rng.gamma(0.5, 2.0, size=(n, 12))
        k = int(rng.poisson(lam).sum())
        rng.random(k), rng.weibull(0.8, size=k), rng.choice(1, size=k), rng.choice(1, size=k)


def new_percentages_and_caps(contract: Contract, points: int = 5) -> Contract:
    """Every band's credit up by ``points``, a 25% period cap and a 30% yearly cap."""
    return contract.model_copy(
        update={
            "tiers": [
                tier.model_copy(
                    update={
                        "credits": tier.credits.model_copy(
                            update={
                                "bands": [
                                    band.model_copy(update={"credit_pct": band.credit_pct + points})
                                    for band in tier.credits.bands
                                ]
                            }
                        ),
                        "caps": tier.caps.model_copy(
                            update={
                                "per_period_pct": Decimal(25),
                                "per_year_pct_of_annual_fees": Decimal(30),
                            }
                        ),
                    }
                )
                for tier in contract.tiers
            ]
        }
    )


def moved_threshold(contract: Contract, below: str = "98.5") -> Contract:
    """The first tier's middle band moved from 99.0% to ``below``, as a drag on the curve does."""
    first = contract.tiers[0]
    bands = list(first.credits.bands)
    bands[1] = bands[1].model_copy(update={"below": Decimal(below)})
    tier = first.model_copy(update={"credits": first.credits.model_copy(update={"bands": bands})})
    return contract.model_copy(update={"tiers": [tier, *contract.tiers[1:]]})


def timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def median_of_3(runs: list) -> tuple[float, object]:
    """The median time of three runs, and the last run's result."""
    times, out = [], None
    for run in runs:
        seconds, out = timed(run)
        times.append(seconds)
    return sorted(times)[1], out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1_000_000)
    parser.add_argument("--loop-trials", type=int, default=300)
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="processes for the simulation (this machine has 2 cores)",
    )
    add_option(parser)
    args = parser.parse_args()
    contract = with_slot_rules(
        load_contract(ROOT / "sample_contracts" / "three_tier_cloud.yaml"), args.slot_rules
    )
    print(f"slot rules: {args.slot_rules}")
    print(f"{args.trials:,} trials x 12 months, {len(contract.tiers)} tiers, 2 processes")

    t_floor, _ = timed(lambda: floor_draws(args.trials))
    with ProcessPoolExecutor(args.workers) as pool:
        t_sim, run = timed(lambda: simulate(contract, SCENARIO, args.trials, seed=1, executor=pool))
    peak = (
        max(
            resource.getrusage(who).ru_maxrss
            for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        )
        / 1024
    )
    print(
        f"simulation, {args.workers} workers:     {t_sim:8.2f} s   peak RSS of one process "
        f"{peak:,.0f} MB (target under 1,500 MB: {'met' if peak < 1500 else 'MISSED'})"
    )
    print(
        f"floor (numpy draws only):   {t_floor:8.2f} s   ratio {t_sim / t_floor:5.2f}x "
        f"(target within 3x: {'met' if t_sim / t_floor <= 3 else 'MISSED'})"
    )

    sample = list(range(args.loop_trials))

    def loop() -> None:
        horizon = scenario_horizon(contract, SCENARIO)
        OutageModel(SCENARIO, contract, horizon)
        found = trial_incidents(contract, SCENARIO, 1, args.trials, sample)
        for trial in sample:
            replay(contract, found[trial], first="2027-01", last="2027-12")

    t_loop, _ = timed(loop)
    scaled = t_loop / args.loop_trials * args.trials
    print(
        f"per-trial loop, {args.loop_trials} trials: {t_loop:6.2f} s, scaled to "
        f"{args.trials:,}: {scaled:,.0f} s   speed-up {scaled / t_sim:,.0f}x "
        f"(target at least 100x: {'met' if scaled / t_sim >= 100 else 'MISSED'})"
    )

    # each repetition changes the terms again, so that none reuses the last one's work
    t_reprice, repriced = median_of_3(
        [lambda p=p: reprice(run, new_percentages_and_caps(contract, p)) for p in (7, 6, 5)]
    )
    t_moved, moved = median_of_3(
        [lambda b=b: reprice(run, moved_threshold(contract, b)) for b in ("98.7", "98.6", "98.5")]
    )
    for label, seconds in (
        ("re-pricing, every tier's bands and caps, median of 3:", t_reprice),
        ("re-pricing, one tier's threshold moved, median of 3: ", t_moved),
    ):
        print(
            f"{label} {seconds:6.2f} s   {seconds / t_sim:.3f} of the simulation "
            f"(target under 0.05: {'met' if seconds / t_sim < 0.05 else 'MISSED'})"
        )
    if args.trials <= 200_000:
        for changed, result in (
            (new_percentages_and_caps(contract), repriced),
            (moved_threshold(contract), moved),
        ):
            fresh = simulate(changed, SCENARIO, args.trials, seed=1)
            same = all(
                np.array_equal(fresh.pricing[t].paid, result.pricing[t].paid) for t in fresh.pricing
            )
            print(f"re-priced equals a fresh simulation: {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
