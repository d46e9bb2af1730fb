"""Reading a replay's result in tests."""

from __future__ import annotations

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
