"""Per-incident credits under a k-of-n zone scope (docs/measurement.md, section 8a): an incident
counts the minutes in which the region is down (at least k zones, from the incidents not
excluded) while it is open, in the period of its first such minute. A hand-computed case on the
EC2 region-level SLA with a per-incident clause added, replay against the reference, and a
simulated trial replayed to its credits."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract, ZoneQuorum
from slamodeler.domain.incidents import Incident
from slamodeler.domain.scenario import ZoneDraw
from slamodeler.engine.incident_credits import open_slots
from slamodeler.engine.incident_zones import simulated_measure
from slamodeler.engine.simulation import scenario_horizon
from slamodeler.engine.slot_rules import SlotRules
from slamodeler.io.contract_file import load_contract
from slamodeler.services.period_explanation import explain_period
from tests.helpers.agreement import (
    monthly,
    replay_agrees_with_reference,
    trials_replay_to_their_credits,
)
from tests.helpers.builders import incident, scenario, ts
from tests.helpers.incident_credit_terms import contracts_with_incident_credits
from tests.helpers.paths import SAMPLES
from tests.helpers.strategies import CAUSES, replay_range, scenarios

CLAUSE = {"longer_than_minutes": 10, "credit_pct": "5", "credit_pct_per_hour": "2"}
ZONES = ["a", "b", "c"]


def ec2_per_incident() -> Contract:
    """The EC2 region-level SLA with 5% per incident longer than 10 minutes, plus 2% per
    started hour (a clause added for the test; the real SLA has none)."""
    data = load_contract(SAMPLES / "real" / "aws_ec2_region.yaml").model_dump(mode="json")
    data["tiers"][0]["incident_credits"] = CLAUSE
    return Contract.model_validate(data)


def az(start: str, end: str, zone: str, cause: str = "") -> Incident:
    return incident(start, end, cause=cause, service="ec2", region="us-east-1", zone=zone)


def test_each_incident_counts_the_minutes_the_region_is_down_while_it_is_open():
    """March 2025. use1-az1 10:00-11:00 and use1-az2 10:40-11:30 on the 5th: the region is down
    10:40-11:00, so each counts 20 minutes: 5% + 1 started hour x 2% = 7% each. use1-az3 is not
    the customer's zone; use1-az4 alone for 6 hours never makes a quorum; on the 10th use1-az1
    is down with use1-az2 by force majeure, so no quorum from the incidents not excluded. An
    incident without a zone (the 25th, 30 minutes) takes the region down on its own: 7%.
    use1-az1 from 23:00 on the 31st to 01:00 and use1-az2 00:00-00:30 on April 1: the region is
    down 30 minutes in April, so both credits fall in April though the first opened in March.
    March: 50 region minutes, 30 excluded: 100 x 44,560 / 44,610 = 99.888% -> 10% of bands,
    + 3 x 7% = 31%. April: 30 of 43,200 minutes -> 10%, + 2 x 7% = 24%."""
    history = [
        az("2025-03-05T10:00", "2025-03-05T11:00", "use1-az1"),
        az("2025-03-05T10:40", "2025-03-05T11:30", "use1-az2"),
        az("2025-03-05T10:00", "2025-03-05T12:00", "use1-az3"),
        az("2025-03-20T06:00", "2025-03-20T12:00", "use1-az4"),
        az("2025-03-10T10:00", "2025-03-10T10:30", "use1-az1"),
        az("2025-03-10T10:00", "2025-03-10T10:30", "use1-az2", cause="force_majeure"),
        az("2025-03-25T00:00", "2025-03-25T00:30", ""),
        az("2025-03-31T23:00", "2025-04-01T01:00", "use1-az1"),
        az("2025-04-01T00:00", "2025-04-01T00:30", "use1-az2"),
    ]
    ids = [i.id for i in history]
    march, april = (
        replay_agrees_with_reference(ec2_per_incident(), history, "2025-03", "2025-04")
        .tiers[0]
        .periods
    )
    assert (march.downtime_minutes, march.excluded_minutes) == (50, 30)
    assert march.incident_credit_percent == 21
    assert (march.credit_pct, march.credit_after_caps) == (31, Decimal("3100.00"))
    assert march.incident_credits.endswith(
        f"{ids[0]} 20 min -> 7%; {ids[1]} 20 min -> 7%; {ids[6]} 30 min -> 7%"
    )
    assert (
        "per-incident credits (5% each + 2% per started hour, incidents longer than 10 min, "
        f"minutes with 2 or more zones down): {ids[7]} 30 min -> 7%; {ids[8]} 30 min -> 7%"
    ) in explain_period(april).rules
    assert (april.downtime_minutes, april.incident_credit_percent) == (30, 14)
    assert (april.credit_pct, april.credit_after_caps) == (24, Decimal("2400.00"))
    assert april.incident_credits.endswith(f"{ids[7]} 30 min -> 7%; {ids[8]} 30 min -> 7%")


def test_without_zones_the_same_incidents_count_their_own_minutes():
    """Zones left out, use1-az1 alone for 60 minutes earns 5% + 1 started hour x 2% = 7%; with
    the zone scope it earns nothing, one zone down not being the region."""
    data = ec2_per_incident().model_dump(mode="json")
    data["tiers"][0]["scope"]["zones"] = None
    terms = Contract.model_validate(data)
    history = [az("2025-03-05T10:00", "2025-03-05T11:00", "use1-az1")]
    (march,) = replay_agrees_with_reference(terms, history, "2025-03", "2025-03").tiers[0].periods
    assert march.incident_credit_percent == 7
    region = replay_agrees_with_reference(ec2_per_incident(), history, "2025-03", "2025-03")
    assert region.tiers[0].periods[0].incident_credit_percent == 0


@st.composite
def zoned(draw) -> Contract:
    data = draw(contracts_with_incident_credits()).model_dump(mode="json")
    of = draw(st.sampled_from([[], ["a", "b"], ZONES]))
    at_least = draw(st.integers(1, max(len(of), 1) if of else 3))
    data["tiers"][0]["scope"]["zones"] = {"at_least": at_least, "of": of}
    return Contract.model_validate(data)


@st.composite
def zoned_histories(draw) -> list[Incident]:
    out = []
    start0 = ts("2024-01-25T00:00")
    for n in range(draw(st.integers(0, 10))):
        start = start0 + draw(st.integers(0, 40 * 86400))
        length = draw(st.sampled_from([0, 60, 299, 1800, 3601]) | st.integers(0, 86400))
        out.append(
            Incident(
                id=f"i{draw(st.integers(0, 8))}",
                start=start,
                end=start + length,
                impact=draw(st.sampled_from(["full", "partial", "degraded"])),
                cause=draw(st.sampled_from(CAUSES)),
                zone=draw(st.sampled_from(["", "a", "b", "c", "d"])),
                row=n + 2,
            )
        )
    return out


@settings(
    max_examples=30,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(zoned(), zoned_histories())
def test_replay_agrees_with_the_reference_under_k_of_n_zones(terms, incidents):
    first, last = replay_range(terms)
    replay_agrees_with_reference(terms, incidents, first, last)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(zoned(), scenarios(), st.integers(0, 2**32 - 1), st.sampled_from([[1, 1], [1, 2, 1]]))
def test_a_zoned_trial_replays_to_its_per_incident_credits(terms, scen, seed, at_once):
    terms = monthly(terms)
    rule = terms.tiers[0].scope.zones
    assert isinstance(rule, ZoneQuorum)
    draw = ZoneDraw(of=ZONES[: len(at_once) + 1], at_once=[k / sum(at_once) for k in at_once])
    processes = [p.model_copy(update={"zones": draw}) for p in scen.processes]
    scen = scen.model_copy(update={"processes": processes})
    trials_replay_to_their_credits(terms, scen, seed, 20, [0, 7, 19])


def test_the_simulation_credits_an_incident_in_the_period_its_region_minutes_start():
    """The month-crossing pair of the hand-computed case, as two simulated rows: on row 0 zone
    a from 23:00 on March 31 to 01:00 and zone b 00:00-00:30 on April 1 (30 region minutes each,
    in April); on row 1 zone a alone for the same two hours (none). Zone c on row 1 by an
    excluded cause makes no quorum."""
    terms = ec2_per_incident()
    horizon = scenario_horizon(terms, scenario(start="2025-01"))
    grid = horizon.grid
    spans = [
        ("2025-03-31T23:00", "2025-04-01T01:00"),
        ("2025-04-01T00:00", "2025-04-01T00:30"),
        ("2025-03-31T23:00", "2025-04-01T01:00"),
        ("2025-03-31T23:00", "2025-04-01T01:00"),
    ]
    first, stop = grid.index_range(
        np.array([ts(a) for a, _ in spans]), np.array([ts(b) for _, b in spans])
    )
    found = simulated_measure(
        horizon,
        open_slots(horizon),
        SlotRules.of(terms.measurement),
        1,
        (
            np.array([0, 0, 1, 1]),
            first,
            stop,
            np.array([1, 2, 1, 4]),
            np.array([True, True, True, False]),
        ),
        2,
    )
    assert (found.counted // 1_000_000).tolist() == [30, 30, 0, 0]
    april = [p.label for p in horizon.periods].index("2025-04")
    assert found.period[:2].tolist() == [april, april]
