"""Support response targets in replay: hand-computed misses and credits, the rules at their
edges (exactly on time, unanswered, service hours, a priority's cap, the tier's caps after), and
agreement with the per-slot reference on random contracts, histories and tickets."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from slamodeler.domain.contract import Contract
from slamodeler.domain.support import Ticket
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import simulate
from tests.helpers.agreement import replay_agrees_with_reference
from tests.helpers.builders import contract, scenario, ts
from tests.helpers.strategies import (
    contracts,
    incident_lists,
    replay_range,
)
from tests.helpers.support_strategies import support_terms, tickets

P1 = {"priority": "P1", "respond_within_minutes": 15, "credit_pct": 5}
P2 = {"priority": "P2", "respond_within_minutes": 60, "credit_amount": 50}
OFFICE = {"start": "08:00", "end": "18:00"}


def ticket(ident: str, priority: str, opened: str, answered: str | None, row: int = 2) -> Ticket:
    return Ticket(
        ident, priority.lower(), ts(opened), None if answered is None else ts(answered), row
    )


def march(*tickets: Ticket, **tier: object):
    """March 2024 (UTC) replayed for the base tier with these support terms and no incidents."""
    terms = contract(tier={"support": {"targets": [P1, P2]}, **tier})
    return replay(terms, [], first="2024-03", last="2024-03", tickets=tickets).tiers[0].periods[0]


def test_a_response_exactly_on_target_is_in_time_and_a_second_later_is_a_miss():
    on_time = ticket("A", "P1", "2024-03-04T09:00:00", "2024-03-04T09:15:00")
    late = ticket("B", "P1", "2024-03-05T09:00:00", "2024-03-05T09:15:01", row=3)
    p = march(on_time, late)
    assert [m.ticket.id for m in p.support.misses] == ["B"]
    assert p.support.tickets == 2
    assert p.credit_pct == 5
    assert p.credit_owed == Decimal("50.00")  # 5% of 1,000
    assert (
        "B (row 3) P1 (within 15 min): answered in 15.02 min, 0.02 min late: 5%"
        in (p.support.lines()[1])
    )


def test_an_amount_per_miss_is_a_share_of_the_period_fee():
    p = march(ticket("A", "P2", "2024-03-04T09:00:00", "2024-03-04T10:30:00"))
    assert p.support.credit_pct == Fraction(5)  # 50 of 1,000
    assert p.credit_owed == Decimal("50.00")
    assert p.support.misses[0].response_minutes == 90


def test_an_unanswered_ticket_is_a_miss_only_once_its_target_passed_by_the_replay_end():
    passed = ticket("A", "P1", "2024-03-31T23:40:00", None)
    pending = ticket("B", "P1", "2024-03-31T23:50:00", None, row=3)
    p = march(passed, pending)
    assert [m.ticket.id for m in p.support.misses] == ["A"]
    assert p.support.misses[0].response_minutes is None
    assert p.support.tickets == 1  # the pending one is not counted either way
    assert "no response by the end of the replay" in p.support.lines()[1]


def test_a_priority_cap_limits_its_misses_and_the_tier_caps_apply_to_the_sum():
    late = [
        ticket(f"T{k}", "P1", f"2024-03-{k + 4:02d}T09:00:00", f"2024-03-{k + 4:02d}T10:00:00", k)
        for k in range(5)
    ]
    capped = {**P1, "max_pct_per_period": 12}
    terms = {"support": {"targets": [capped, P2]}, "caps": {"per_period_pct": 10}}
    p = march(*late, **terms)
    assert p.support.credit_pct == 12  # 5 misses of 5%, cut to 12%
    assert p.support.capped_percent == {"p1": 13, "p2": 0}
    assert p.credit_owed == Decimal("120.00")
    assert p.credit_after_caps == Decimal("100.00")  # the tier's 10% cap, as for any credit
    assert p.capped_by_period == Decimal("20.00")


def test_the_service_hours_clock_counts_only_service_time():
    # Friday 17:50 to Monday 08:10: 10 + 10 service minutes; around the clock, 62 hours.
    friday = ticket("A", "P1", "2024-03-08T17:50:00", "2024-03-11T08:10:00")
    office = contract(
        measurement={"period": "month", "service_hours": OFFICE},
        tier={"support": {"clock": "service_hours", "targets": [P1]}},
    )
    p = replay(office, [], "2024-03", "2024-03", tickets=[friday]).tiers[0].periods[0]
    assert p.support.misses[0].response_minutes == 20
    clock = contract(tier={"support": {"targets": [P1]}})
    p = replay(clock, [], "2024-03", "2024-03", tickets=[friday]).tiers[0].periods[0]
    assert p.support.misses[0].response_minutes == 62 * 60 + 20


def test_without_tickets_the_credits_are_those_without_support_terms():
    terms = contract(tier={"support": {"targets": [P1]}})
    plain = contract()
    assert terms.content_hash() != plain.content_hash()
    got = replay(terms, [], "2024-03", "2024-03").tiers[0].periods[0]
    assert got.credit_pct == 0 and got.support is not None and got.support.tickets == 0


@pytest.mark.parametrize(
    ("support", "measurement", "message"),
    [
        ({"targets": [{**P1, "credit_amount": 3}]}, None, "credit_pct: give the credit per miss"),
        ({"targets": [{"priority": "P1", "respond_within_minutes": 15}]}, None, "one of them"),
        ({"targets": [P1, {**P1, "priority": " p1 "}]}, None, "priority 'p1' has two targets"),
        ({"targets": []}, None, "at least 1 item"),
        ({"clock": "service_hours", "targets": [P1]}, None, "needs measurement.service_hours"),
        ({"targets": [{**P1, "respond_within_minutes": 0}]}, None, "greater than or equal to 1"),
    ],
)
def test_support_terms_that_cannot_apply_are_refused_naming_the_field(
    support, measurement, message
):
    with pytest.raises(ValidationError, match=message):
        contract(
            tier={"support": support},
            measurement={"period": "month", **(measurement or {})},
        )


def test_an_amount_per_miss_needs_a_fee():
    with pytest.raises(ValidationError, match=r"tiers\[0\].support.targets\[1\].credit_amount"):
        contract(tier={"monthly_fee": 0, "support": {"targets": [P1, P2]}})


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.booleans().flatmap(lambda hours: st.tuples(contracts(service_hours=hours), st.just(hours))),
    incident_lists(),
    tickets(),
    st.data(),
)
def test_replay_with_support_targets_agrees_with_the_reference(drawn, incidents, found, data):
    terms, hours = drawn
    body = terms.model_dump(mode="json")
    body["tiers"][0]["monthly_fee"] = str(max(Decimal(body["tiers"][0]["monthly_fee"]), 1))
    body["tiers"][0]["support"] = data.draw(support_terms(hours))
    terms = Contract.model_validate(body)
    replay_agrees_with_reference(terms, incidents, *replay_range(terms), found)


def test_a_simulation_says_it_leaves_support_credits_out():
    terms = contract(tier={"support": {"targets": [P1]}})
    run = simulate(terms, scenario(), 50, 3)
    assert any("tier T: support response targets are not simulated" in n for n in run.notes)
    assert not any("support" in n for n in simulate(contract(), scenario(), 50, 3).notes)
