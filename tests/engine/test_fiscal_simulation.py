"""The Monte Carlo on fiscal quarters and years measures the periods replay does (a dumped trial
replays to the credits counted) (windows: test_window_simulation.py,
test_claim_window_simulation.py and test_claim_window_caps.py)."""

from __future__ import annotations

import pytest

from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import period_credits, simulate, trial_incidents
from tests.helpers.builders import contract, scenario

FEE_MULTIPLE = {"kind": "fee_multiple", "boundary": "below", "multiple": 10}


@pytest.mark.parametrize(
    ("period", "labels"),
    [
        ("quarter", ["FY2025-Q1", "FY2025-Q2", "FY2025-Q3", "FY2025-Q4"]),
        ("year", ["FY2025"]),
    ],
)
def test_fiscal_periods_simulate_as_they_replay(period, labels):
    terms = contract(
        measurement={"period": period, "year_starts": "february"},
        tier={"target_pct": 99.99, "credits": FEE_MULTIPLE},
    )
    # A start in January moves to the fiscal year's first month, February.
    run = simulate(terms, scenario(start="2024-01", years=1), 30, 11)
    assert [p.label for p in run.horizon.periods] == labels
    assert run.horizon.periods[0].first_day.isoformat() == "2024-02-01"
    trials = [0, 9, 29]
    found = trial_incidents(terms, scenario(start="2024-02", years=1), 11, 30, trials)
    assert any(found[t] for t in trials)
    for trial in trials:
        replayed = replay(terms, found[trial], first=labels[0], last=labels[-1]).tiers[0]
        expected = [int(p.credit_after_caps * 100) for p in replayed.periods]
        assert period_credits(run, "T", [trial])[0].tolist() == expected
