"""Baseline from history (docs/baseline.md) on the two real histories in ../shared/data and on
100,000 synthetic incidents over 5 years, with the three-tier sample contract as the template.

Reports, in one run, the baseline's time (one replay to measure, one per candidate target) beside
one replay of the same contract on the same incidents, and their ratio. No target is set (issue 17
asks for none): the ratio should stay near 1 + the number of candidates.

    python benchmarks/baseline_cost.py [--repeat R]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from fractions import Fraction
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.replay_speed import synthetic_incidents  # noqa: E402
from slamodeler.engine.baseline import DEFAULT_TARGETS, baseline  # noqa: E402
from slamodeler.engine.replay import replay  # noqa: E402
from slamodeler.io.contract_file import load_contract  # noqa: E402
from slamodeler.services.baseline import default_template  # noqa: E402
from slamodeler.services.replay import load_incident_file  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
MAPPINGS = ROOT / "sample_contracts" / "mappings"


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sample = load_contract(ROOT / "sample_contracts" / "three_tier_cloud.yaml")
    cases = [
        (
            "github 2022-2026, default template",
            default_template(),
            load_incident_file(
                DATA / "github_status_incidents_2022_2026.csv",
                MAPPINGS / "github_status_2022_2026.yaml",
            ).incidents,
        ),
        (
            "cloud 2018-2020, default template",
            default_template(),
            load_incident_file(
                DATA / "cloud_provider_status_incidents_2018_2020.csv",
                MAPPINGS / "cloud_status_2018_2020.yaml",
            ).incidents,
        ),
        ("100,000 synthetic, three tiers", sample, synthetic_incidents(100_000, 5)),
    ]
    print(
        f"{len(DEFAULT_TARGETS)} candidate targets plus the suggested one; median of {args.repeat}"
    )
    print(f"{'case':40} {'replay s':>9} {'baseline s':>11} {'ratio':>6}")
    for name, terms, incidents in cases:
        one = best(partial(replay, terms, incidents), args.repeat)
        found = best(partial(baseline, terms, incidents, Fraction(95, 100)), args.repeat)
        print(f"{name:40} {one:9.3f} {found:11.3f} {found / one:6.1f}")


if __name__ == "__main__":
    main()
