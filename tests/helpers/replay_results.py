"""Reading a replay's result in tests."""

from __future__ import annotations


def only(result, period=None):
    """The first tier's one period, or the one labelled ``period``."""
    periods = result.tiers[0].periods
    if period is None:
        assert len(periods) == 1
        return periods[0]
    return next(p for p in periods if p.period == period)
