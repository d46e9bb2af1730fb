"""Replay speed: 100,000 incidents over 5 years against the three-tier sample contract.

Reports, in one run on this machine, the vectorised replay's time beside the plain per-slot
reference implementation (tests/helpers/reference_replay.py) on the same input, and their ratio.
Targets (issue 2): at least 50x faster than the reference, and under 2 seconds.

    python benchmarks/replay_speed.py [--incidents N] [--years Y] [--skip-reference]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.slot_rules_option import add_option, with_slot_rules  # noqa: E402
from slamodeler.domain.incidents import Incident  # noqa: E402
from slamodeler.engine.replay import replay  # noqa: E402
from slamodeler.io.contract_file import load_contract  # noqa: E402
from tests.helpers.reference_replay import reference_replay  # noqa: E402

START = 1704085200  # 2024-01-01 00:00 America/New_York


def synthetic_incidents(n: int, years: int, seed: int = 7) -> list[Incident]:
    """Incidents spread over the years, lognormal durations (median 20 minutes), a mix of impacts,
    causes, services and regions so that scope, overlaps and exclusions all do work."""
    rnd = random.Random(seed)
    span = years * 365 * 86400
    out = []
    for k in range(n):
        start = START + rnd.randrange(span - 86400)
        minutes = min(rnd.lognormvariate(3.0, 1.2), 2880)
        out.append(
            Incident(
                id=f"B{k}",
                start=start,
                end=start + int(minutes * 60),
                impact=rnd.choice(["full", "partial", "partial", "degraded", Decimal("0.42")]),
                cause=rnd.choice(["", "", "", "", "maintenance", "customer", "third_party"]),
                service=rnd.choice(["Compute", "Compute", "Storage", ""]),
                region=rnd.choice(["us-east-1", "us-east-1", "eu-west-1"]),
                title="synthetic",
                row=k + 2,
            )
        )
    return out


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--skip-reference", action="store_true")
    add_option(parser)
    args = parser.parse_args()

    contract = with_slot_rules(
        load_contract(ROOT / "sample_contracts" / "three_tier_cloud.yaml"), args.slot_rules
    )
    print(f"slot rules: {args.slot_rules}")
    incidents = synthetic_incidents(args.incidents, args.years)
    first, last = "2024-01", f"{2024 + args.years - 1}-12"
    print(
        f"{args.incidents:,} incidents, {args.years} years, {len(contract.tiers)} tiers, "
        f"{contract.measurement.slot_minutes}-minute slots, {contract.timezone}"
    )

    engine = timed(lambda: replay(contract, incidents, first=first, last=last), repeat=3)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"replay (vectorised), median of 3: {engine:8.3f} s   peak RSS so far {peak_mb:,.0f} MB")
    print(f"  target under 2 s: {'met' if engine < 2 else 'MISSED'}")
    if args.skip_reference:
        return 0
    reference = timed(lambda: reference_replay(contract, incidents, first, last), repeat=1)
    ratio = reference / engine
    print(f"reference (per slot, plain Python), 1 run: {reference:8.3f} s")
    print(f"speed-up: {ratio:,.1f}x   target at least 50x: {'met' if ratio >= 50 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
