"""Either this credit or that one (docs/measurement.md, section 11): each period pays the
greater of a tier's two credits, or the first that gives anything, never both; replay says
which was paid, agrees with the per-minute reference, and a simulated trial replays to the
credits the simulation counted."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import simulate, trial_incidents
from tests.helpers.agreement import (
    monthly,
    replay_agrees_with_reference,
    trials_replay_to_their_credits,
)
from tests.helpers.builders import contract, incident, scenario
from tests.helpers.strategies import (
    SETTINGS,
    contracts,
    incident_lists,
    replay_range,
    scenarios,
    with_either_or,
)

OUTAGE_CREDIT = {"kind": "per_hour", "credit_pct_per_hour": 5, "hours": "started"}


def _terms(pick: str, **other: object):
    # bands 10% below 99.9, 25% below 99.0, 100% below 95.0 (tests/helpers/builders.py)
    either = {"pick": pick, "name": "outage credit", "credits": OUTAGE_CREDIT, **other}
    return contract(tier={"either_or": either})


def _outages() -> list:
    # April: 1 hour (99.86%): bands 10%, outage credit 5% -> bands paid.
    # May: 3.5 hours (99.53%): bands 10%, outage credit 4 started hours = 20% -> outage paid.
    # June: 8 hours (98.89%): bands 25%, outage credit 40% -> outage paid.
    return [
        incident("2024-04-10T10:00", "2024-04-10T11:00"),
        incident("2024-05-10T10:00", "2024-05-10T13:30"),
        incident("2024-06-10T10:00", "2024-06-10T18:00"),
    ]


def test_the_greater_credit_is_paid_and_the_other_is_named_as_not_paid():
    periods = replay(_terms("greater"), _outages(), first="2024-04", last="2024-06").tiers[0]
    assert [p.credit_pct for p in periods.periods] == [10, 20, 40]
    assert [p.credit_owed for p in periods.periods] == [Decimal("100"), 200, 400]
    april, may, _ = periods.periods
    assert april.band == 0
    assert april.rule.endswith("; not paid: outage credit 5% per hour x 1 h (started) -> 5%")
    assert may.band is None
    assert may.rule == (
        "outage credit paid (it is greater): 5% per hour x 4 h (started) -> 20%; "
        "not paid: the tier's credit band 1: availability < 99.9% -> 10%"
    )


def test_first_pays_the_tiers_credit_whenever_it_gives_anything():
    # The outage credit pays only below its own target, 99.95%, when the bands pay nothing:
    # bands from 99.9 down; a 40-minute outage (99.907%) misses 99.95 but no band.
    terms = _terms("first", target_pct=Decimal("99.95"))
    history = [*_outages(), incident("2024-07-10T10:00", "2024-07-10T10:40")]
    tier = replay(terms, history, first="2024-04", last="2024-07").tiers[0]
    assert [p.credit_pct for p in tier.periods] == [10, 10, 25, 5]
    assert tier.periods[3].rule.startswith("outage credit paid (the tier's credit is 0%)")


def test_a_tie_pays_the_tiers_own_credit():
    # 2 hours: bands 10%, outage credit 2 started hours x 5% = 10%.
    history = [incident("2024-04-10T10:00", "2024-04-10T12:00")]
    tier = replay(_terms("greater"), history, first="2024-04", last="2024-04").tiers[0]
    assert tier.periods[0].band == 0 and tier.periods[0].credit_pct == 10


def test_without_the_clause_a_contract_dumps_and_hashes_as_before():
    plain = contract()
    assert "either_or" not in plain.canonical_dump()["tiers"][0]  # type: ignore[index]
    assert _terms("greater").content_hash() != plain.content_hash()


@SETTINGS
@given(with_either_or(contracts()), incident_lists())
def test_replay_agrees_with_the_reference(terms, incidents):
    replay_agrees_with_reference(terms, incidents, *replay_range(terms))


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(with_either_or(contracts()), scenarios(), st.integers(0, 2**32 - 1))
def test_replaying_a_trial_gives_the_credits_the_simulation_counted(terms, scen, seed):
    trials_replay_to_their_credits(monthly(terms), scen, seed, 20, [0, 19])


def test_the_runs_totals_are_the_replayed_credits_of_each_trial():
    """A band tier is otherwise priced by counting (engine/band_pricing.py), which knows only
    bands: with an either-or credit the run's own totals must come through the same rule."""
    terms, scen = _terms("greater"), scenario()
    run = simulate(terms, scen, 40, 5)
    found = trial_incidents(terms, scen, 5, 40, range(40))
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    replayed = [
        sum(
            p.credit_after_caps
            for p in replay(terms, found[t], first=first, last=last).tiers[0].periods
        )
        for t in range(40)
    ]
    assert run.pricing["T"].issued.tolist() == [int(total * 100) for total in replayed]
    paid_by_outage_credit = [
        p
        for t in range(40)
        for p in replay(terms, found[t], first=first, last=last).tiers[0].periods
        if p.rule.startswith("outage credit paid")
    ]
    assert paid_by_outage_credit  # the scenario's outages make the other credit win somewhere
