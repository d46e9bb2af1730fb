"""Property tests: the vectorised replay agrees with the plain per-slot reference
(tests/helpers/reference_replay.py, written from docs/measurement.md alone) on random contracts and
histories, and obeys the invariants a contract reader relies on."""

from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from hypothesis import example, given
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.domain.incidents import Incident
from slamodeler.engine.replay import replay
from tests.helpers.agreement import replay_agrees_with_reference
from tests.helpers.builders import contract, incident
from tests.helpers.reference_replay import FIELDS
from tests.helpers.strategies import SETTINGS, contracts, incident_lists, replay_range


@SETTINGS
@given(contracts(), incident_lists())
def test_engine_agrees_with_the_reference(contract, incidents):
    replay_agrees_with_reference(contract, incidents, *replay_range(contract))


@SETTINGS
@given(contracts(), incident_lists())
def test_credits_are_never_negative_nor_above_the_caps(contract, incidents):
    first, last = replay_range(contract)
    tier_terms = contract.tiers[0]
    caps = tier_terms.caps
    months = 3 if contract.measurement.period == "quarter" else 1
    tier = replay(contract, incidents, first=first, last=last).tiers[0]
    by_year: dict[int, Decimal] = {}
    for p in tier.periods:
        assert 0 <= p.availability_pct <= 100
        assert p.credit_after_caps >= 0 and p.credit_owed >= 0 and p.capped_off >= 0
        assert p.credit_after_caps + p.capped_off + p.below_min_credit == p.credit_owed
        fee = tier_terms.monthly_fee * months
        if caps.per_period_pct is not None:
            assert p.credit_after_caps <= fee * caps.per_period_pct / 100
        by_year[p.contract_year] = by_year.get(p.contract_year, Decimal(0)) + p.credit_after_caps
        assert p.expected_paid <= p.credit_after_caps
    if caps.per_year_pct_of_annual_fees is not None:
        limit = tier_terms.monthly_fee * 12 * caps.per_year_pct_of_annual_fees / 100
        assert all(total <= limit for total in by_year.values())
    if contract.liability_cap is not None:
        start, months = contract.term.start, contract.term.months
        by_term: dict[int, Decimal] = {}
        for p in tier.periods:
            year, month = int(p.period[:4]), _first_month(p.period)
            elapsed = (year - start.year) * 12 + month - start.month - (start.day > 1)
            key = elapsed // months
            by_term[key] = by_term.get(key, Decimal(0)) + p.credit_after_caps
        assert all(total <= contract.liability_cap.amount for total in by_term.values())


def _first_month(label: str) -> int:
    return (int(label[-1]) - 1) * 3 + 1 if "Q" in label else int(label[5:7])


def _short_runs_terms(**exclusions) -> Contract:
    return contract(
        measurement={"period": "month", "slot_minutes": 1, "min_downtime_minutes": 5},
        exclusions={"excluded_time": "remove", **exclusions},
    )


# a customer-caused minute, and later 10 minutes of ours; then a minute of ours over the first
OURS = incident("2024-01-20T00:00", "2024-01-20T00:10")
CUSTOMER = incident("2024-01-15T00:00", "2024-01-15T00:01", cause="customer")
OVER = incident("2024-01-15T00:00", "2024-01-15T00:01")


@SETTINGS
@given(contracts(), incident_lists(max_size=12), incident_lists(max_size=3))
@example(_short_runs_terms(causes=["customer"]), [OURS, CUSTOMER], [OVER])  # found at a desk
def test_adding_incidents_never_raises_availability(contract, incidents, more):
    m, x = contract.measurement, contract.exclusions
    if m.min_downtime_minutes > m.slot_minutes and (x.causes or x.maintenance_windows):
        # Not an invariant of these rules together (see the test below): held without the
        # minimum downtime period, the one rule that lets an added outage undo an exclusion.
        measurement = m.model_copy(update={"min_downtime_minutes": 0})
        contract = contract.model_copy(update={"measurement": measurement})
    first, last = replay_range(contract)
    before = replay(contract, incidents, first=first, last=last).tiers[0].periods
    after = replay(contract, incidents + more, first=first, last=last).tiers[0].periods
    for b, a in zip(before, after, strict=True):
        assert a.availability_pct <= b.availability_pct
        assert a.downtime_minutes >= b.downtime_minutes


def _minutes(terms: Contract, incidents: list[Incident]) -> tuple:
    """January's excluded, downtime and below-minimum minutes and availability, held to the
    reference."""
    found = replay_agrees_with_reference(terms, incidents, "2024-01", "2024-01")
    row = found.tiers[0].periods[0]
    minutes = (row.excluded_minutes, row.downtime_minutes, row.below_minimum_minutes)
    return (*minutes, row.availability_pct)


def test_an_outage_too_short_to_count_over_excluded_time_leaves_that_time_available():
    # docs/measurement.md: a slot's excluded time is w_all - w_m (section 5), and a run shorter
    # than the minimum downtime is no downtime (section 6). A customer-caused minute is excluded;
    # a 1-minute outage of ours over it makes w_m = w_all, so nothing is excluded there, and the
    # run is too short to count: the minute is available, and availability rises (once found by
    # test_adding_incidents_never_raises_availability, which now holds this case apart).
    terms = _short_runs_terms(causes=["customer"])
    before = _minutes(terms, [OURS, CUSTOMER])
    after = _minutes(terms, [OURS, CUSTOMER, OVER])
    assert before[:3] == (1, 10, 0) and after[:3] == (0, 10, 1)
    assert after[3] == Fraction(100 * (44640 - 10), 44640) > before[3]


def test_an_outage_too_short_to_count_over_maintenance_frees_allowance_for_later_downtime():
    # With "maintenance" excluded and an allowance of 1 minute a year, a maintenance-cause minute
    # spends the allowance. A 1-minute outage of ours over it makes that minute count (w_nc = 1),
    # too short to be downtime, and the allowance excuses the first minute of a later 10-minute
    # maintenance instead: downtime falls from 10 minutes to 9.
    early = incident("2024-01-15T00:00", "2024-01-15T00:01", cause="maintenance")
    later = incident("2024-01-16T00:00", "2024-01-16T00:10", cause="maintenance")
    over = incident("2024-01-15T00:00", "2024-01-15T00:01")
    terms = _short_runs_terms(causes=["maintenance"], maintenance_allowance_minutes_per_year=1)
    before = _minutes(terms, [early, later])
    after = _minutes(terms, [early, later, over])
    assert before[:3] == (1, 10, 0) and after[:3] == (1, 9, 1)
    assert after[3] > before[3]


@SETTINGS
@given(contracts(), incident_lists(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(contract, incidents, rnd: random.Random):
    first, last = replay_range(contract)
    shuffled = list(incidents)
    rnd.shuffle(shuffled)
    # Ties between identical incidents go to the one listed first; make them distinguishable only
    # by position, so that totals (not attribution) are compared.
    a = replay(contract, incidents, first=first, last=last).tiers[0]
    b = replay(contract, [replace(i) for i in shuffled], first=first, last=last).tiers[0]
    for x, y in zip(a.periods, b.periods, strict=True):
        assert all(getattr(x, name) == getattr(y, name) for name in FIELDS)
        assert x.excluded_by_reason == y.excluded_by_reason
