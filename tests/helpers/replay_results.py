"""Reading a replay's result in tests."""

from __future__ import annotations

from pathlib import Path

import yaml

from slamodeler.domain.results import TierReplay
from slamodeler.services.replay import replay_files
from tests.helpers.paths import SAMPLES
from tests.helpers.reference_replay import FIELDS


def only(result, period=None):
    """The first tier's one period, or the one labelled ``period``."""
    periods = result.tiers[0].periods
    if period is None:
        assert len(periods) == 1
        return periods[0]
    return next(p for p in periods if p.period == period)


def assert_agrees(engine, oracle) -> None:
    """Every tier and row of the engine's replay as the reference computed it
    (tests/helpers/reference_replay.py), and each row's explanation accounting for every minute."""
    for tier in engine.tiers:
        expected = oracle[tier.tier]
        assert [p.period for p in tier.periods] == [row["period"] for row in expected]
        for got, want in zip(tier.periods, expected, strict=True):
            for name in FIELDS:
                assert getattr(got, name) == want[name], (got.period, name)
            # The explanation accounts for every minute: per-incident shares add up.
            assert sum(s.counted_minutes for s in got.incidents) == got.downtime_minutes
            assert sum(s.excluded_minutes for s in got.incidents) == got.excluded_minutes
            assert sum(got.excluded_by_reason.values()) == got.excluded_minutes


def silver_explained(tmp_path: Path) -> TierReplay:
    """Silver (10% of 4,000 below 99.9%) with a 4% yearly cap (1,920 a contract year), claims
    within 30 days with 10% of them late (60% claim), and a right to terminate on 2 misses in any
    3 months; replayed on incidents_sample.csv."""
    data = yaml.safe_load((SAMPLES / "three_tier_cloud.yaml").read_text(encoding="utf-8"))
    data["tiers"] = [t for t in data["tiers"] if t["name"] == "Silver"]
    data["tiers"][0]["caps"]["per_year_pct_of_annual_fees"] = 4
    data["claims"].update(claim_deadline_days=30, late_share=0.1)
    data["chronic_failure"] = {"missed": 2, "of": 3}
    path = tmp_path / "silver.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return replay_files(path, SAMPLES / "incidents_sample.csv").result.tiers[0]
