"""Error budgets, each incident's burn rate, MTTR/MTBF of a replay, and the SRE workbook's
burn-rate policy: against numbers worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import Incident
from slamodeler.engine.replay import replay
from slamodeler.engine.slo_budget import (
    alert_policy,
    period_budgets,
    replay_reliability,
)
from slamodeler.services.baseline import DEFAULT_TEMPLATE

DAYS_30 = 30 * 1440


def test_the_workbook_policy_for_999_over_30_days_is_reproduced_exactly():
    rules = alert_policy(Decimal("99.9"), DAYS_30)
    assert [(r.severity, r.budget_share, r.long_minutes, r.short_minutes) for r in rules] == [
        ("page", Fraction(2, 100), 60, 5),
        ("page", Fraction(5, 100), 360, 30),
        ("ticket", Fraction(10, 100), 3 * 1440, 6 * 60),
    ]
    assert [r.burn_rate for r in rules] == [Fraction(144, 10), Fraction(6), Fraction(1)]
    # a full outage burns at 1000x: 14.4x over an hour is reached after 0.864 minutes
    assert [r.full_outage_minutes for r in rules] == [
        Fraction(864, 1000),
        Fraction(216, 100),
        Fraction(432, 100),
    ]
    assert all(r.reachable for r in rules)


def test_the_thresholds_scale_with_the_contracts_period_and_the_shares_stay():
    july = alert_policy(Decimal("99.9"), 31 * 1440)  # 2% of 744 h in 1 h
    assert [r.burn_rate for r in july] == [Fraction(1488, 100), Fraction(62, 10), Fraction(31, 30)]
    quarter = alert_policy(Decimal("99.95"), 90 * 1440)
    assert [r.burn_rate for r in quarter] == [Fraction(432, 10), Fraction(18), Fraction(3)]
    assert [r.budget_share for r in quarter] == [r.budget_share for r in july]


def test_a_rate_above_what_a_full_outage_burns_is_flagged_unreachable():
    rules = alert_policy(Decimal("95"), DAYS_30)  # a full outage burns 20x
    assert [r.reachable for r in rules] == [True, True, True]
    rules = alert_policy(Decimal("93"), DAYS_30)  # 14.29x < 14.4x
    assert [r.reachable for r in rules] == [False, True, True]
    # an unreachable rule never fires, even under a full outage
    assert rules[0].full_outage_minutes is None
    assert rules[1].full_outage_minutes == 6 * Fraction(7, 100) * 360


@pytest.mark.parametrize("objective", ["100", "0", "-1", "NaN"])
def test_an_objective_out_of_range_is_refused(objective):
    with pytest.raises(InputError, match="objective"):
        alert_policy(Decimal(objective), DAYS_30)


def _at(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


# April 2024 in UTC: 43,200 minutes. A full outage of 30 min, a partial one (weight 0.3) of 60.
APRIL = [
    Incident("A", _at("2024-04-03T10:00"), _at("2024-04-03T10:30"), "full", row=2),
    Incident("B", _at("2024-04-20T00:00"), _at("2024-04-20T01:00"), "partial", row=3),
]


def _template() -> Contract:
    return Contract.model_validate(DEFAULT_TEMPLATE)


def test_a_periods_budget_spent_and_each_incidents_burn_by_hand():
    contract = _template()
    tier = replay(contract, APRIL, "2024-04", "2024-04").tiers[0]
    (april,) = period_budgets(contract, tier, {i.row: i for i in APRIL})
    assert april.budget_minutes == Fraction(432, 10)  # 0.1% of 43,200
    assert april.spent_minutes == Decimal(48)  # 30 + 0.3 * 60
    assert april.spent_share == Fraction(48) / Fraction(432, 10)  # 111.1%
    a, b = april.incidents
    assert (a.id, a.minutes, a.counted_minutes, a.burn_rate) == ("A", 30, 30, 1000)
    assert a.budget_share == Fraction(30) / Fraction(432, 10)
    assert (b.id, b.minutes, b.counted_minutes, b.burn_rate) == ("B", 60, 18, 300)


def test_an_internal_objective_gives_a_smaller_budget():
    contract = _template()
    tier = replay(contract, APRIL, "2024-04", "2024-04").tiers[0]
    (april,) = period_budgets(contract, tier, {i.row: i for i in APRIL}, Decimal("99.95"))
    assert april.budget_minutes == Fraction(216, 10)
    assert april.incidents[0].burn_rate == 2000


def test_mttr_and_mtbf_of_a_replay_merge_overlapping_incidents():
    overlap = Incident("C", _at("2024-04-03T10:20"), _at("2024-04-03T10:40"), "full", row=4)
    incidents = [*APRIL, overlap]
    tier = replay(_template(), incidents, "2024-04", "2024-04").tiers[0]
    found = replay_reliability(tier, {i.row: i for i in incidents})
    # outages: 10:00-10:40 (A and C merged) and B's hour: 100 minutes in 2
    assert found.outages == 2
    assert found.mttr_minutes == 50
    assert found.mtbf_minutes == Fraction(43200 - 100, 2)
    assert found.availability == 1 - Fraction(100, 43200)


def test_no_outage_leaves_mttr_and_mtbf_undefined():
    tier = replay(_template(), [], "2024-04", "2024-04").tiers[0]
    found = replay_reliability(tier, {})
    assert (found.outages, found.mttr_minutes, found.mtbf_minutes) == (0, None, None)


def test_the_budget_spent_so_far_and_the_pace_part_way_through_a_period():
    from slamodeler.engine.slo_budget import so_far, until

    at = _at("2024-04-10T00:00")  # 9 of April's 30 days gone: A (30 min) is known, B is not
    known = until(APRIL, at)
    assert [i.id for i in known] == ["A"]
    contract = _template()
    tier = replay(contract, known, "2024-04", "2024-04").tiers[0]
    budgets = period_budgets(contract, tier, {i.row: i for i in known})
    found = so_far(budgets, tier.periods, at)
    assert found is not None and found.period == "2024-04"
    assert found.elapsed == Fraction(9, 30)
    assert found.spent == Fraction(30) / Fraction(432, 10)
    assert found.burn_rate == found.spent / Fraction(9, 30)  # 2.31x
    # 43.2 minutes at 30 / 9 days a day: gone 30 days / 2.3148 after April 1st
    assert found.runs_out_at == _at("2024-04-01T00:00") + int(30 * 86400 / found.burn_rate)
    assert so_far(budgets, tier.periods, _at("2024-05-02T00:00")) is None


def test_an_incident_open_at_the_instant_is_cut_there():
    from slamodeler.engine.slo_budget import until

    (cut,) = until(APRIL[:1], _at("2024-04-03T10:10"))
    assert cut.end - cut.start == 600
