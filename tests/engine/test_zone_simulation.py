"""k of n zones in the Monte Carlo: incidents land on zones as the scenario says, a trial is
measured by replay's rule (dumped and replayed, it gives the credits counted), and the measured
downtime agrees with what the zone processes give in closed form."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import ZoneQuorum
from slamodeler.domain.scenario import ZoneDraw
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import period_credits, simulate, trial_incidents
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from tests.helpers.builders import contract, scenario
from tests.helpers.paths import SAMPLES
from tests.helpers.strategies import contracts, scenarios
from tests.helpers.strategies import float_priced as _float_priced

ZONES = ["a", "b", "c"]


@st.composite
def zone_draws(draw):
    of = draw(st.lists(st.sampled_from(ZONES), min_size=1, max_size=3, unique=True))
    at_once = [draw(st.integers(0, 3)) for _ in of]
    at_once[0] += 1  # some incidents hit one zone
    shares = draw(st.sampled_from([None, [k + 1 for k in range(len(of))]]))
    out = {"of": of, "at_once": [k / sum(at_once) for k in at_once]}
    return out if shares is None else {**out, "shares": [k / sum(shares) for k in shares]}


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    contracts(),
    scenarios(),
    st.integers(1, 3),
    st.sampled_from([[], ["a", "b"], ["a", "b", "c"]]),
    st.lists(st.one_of(st.none(), zone_draws()), min_size=2, max_size=2),
    st.integers(0, 2**32 - 1),
)
def test_replaying_a_zoned_trial_gives_the_credits_the_simulation_counted(
    terms, scen, at_least, of, draws, seed
):
    if terms.measurement.period == "quarter":
        terms = terms.model_copy(
            update={"measurement": terms.measurement.model_copy(update={"period": "month"})}
        )
    rule = ZoneQuorum(at_least=min(at_least, len(of) or at_least), of=of)
    tier = terms.tiers[0]
    tier = tier.model_copy(update={"scope": tier.scope.model_copy(update={"zones": rule})})
    terms = terms.model_copy(update={"tiers": [tier, *terms.tiers[1:]]})
    processes = [
        p if d is None else p.model_copy(update={"zones": ZoneDraw(**d)})
        for p, d in zip(scen.processes, draws, strict=False)
    ]
    scen = scen.model_copy(update={"processes": processes})
    trials = 20
    run = simulate(terms, scen, trials, seed)
    sampled = [0, 7, 19]
    found = trial_incidents(terms, scen, seed, trials, sampled)
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    rows = run.measured.units[next(iter(run.measured.units))]  # tier 0's, the first measured
    unit = {"JPY": Decimal(1), "KWD": Decimal("0.001")}.get(terms.currency, Decimal("0.01"))
    tolerance = 1 if _float_priced(terms) else 0  # see slamodeler/engine/pricing.py
    for trial in sampled:
        replayed = replay(terms, found[trial], first=first, last=last).tiers[0]
        simulated = period_credits(run, tier.name, [trial])[0]
        for p, period in enumerate(replayed.periods):
            expected = int(period.credit_after_caps / unit)
            assert abs(int(simulated[p]) - expected) <= tolerance, (trial, period.period)
        row = int(np.flatnonzero((rows.trial == trial) & (rows.customer < 0))[0])
        assert rows.downtime[row].tolist() == [
            int(p.downtime_minutes * 1_000_000) for p in replayed.periods
        ], trial


def _downtime_minutes(at_once: list[float], trials: int = 3000) -> tuple[float, float, float]:
    """Two zones, k = 2, a Poisson process of 40 one-hour incidents a month drawn alike on
    either zone: the mean downtime a month over February to December (January starts from
    nothing), its standard error, and the same in closed form. An incident covers a slot when
    it starts in the 61 minutes before the slot ends, so a zone is down in a slot with
    probability p = 1 - exp(-rate x 61 / minutes of the month); thinned by zone, the two zones
    are independent Poisson processes, and both are down with probability p^2 (a two-zone
    event takes both: down unless neither a two-zone event nor both zones alone)."""
    terms = contract(tier={"scope": {"zones": {"at_least": 2, "of": ["a", "b"]}}})
    scen = scenario(
        processes=[
            {
                "name": "zone incidents",
                "frequency": {"dist": "poisson", "rate_per_month": 40},
                "duration_minutes": {"dist": "empirical", "values": [60]},
                "zones": {"of": ["a", "b"], "at_once": at_once},
            }
        ]
    )
    run = simulate(terms, scen, trials, 11)
    minutes = run.measured.units[next(iter(run.measured.units))].downtime[:, 1:] / 1e6
    per_trial = minutes.sum(axis=1)
    lengths = [float(p.minutes) for p in run.horizon.periods[1:]]
    both = at_once[1] if len(at_once) > 1 else 0.0
    expected = 0.0
    for length in lengths:
        one = 1 - math.exp(-40 * (1 - both) / 2 * 61 / length)  # a zone alone
        joint = 1 - math.exp(-40 * both * 61 / length)  # both at once
        expected += length * (1 - (1 - joint) * (1 - one * one))
    return per_trial.mean(), per_trial.std() / math.sqrt(trials), expected


@pytest.mark.parametrize("at_once", [[1.0], [0.5, 0.5], [0.0, 1.0]])
def test_the_downtime_of_two_zones_needed_is_the_closed_form_overlap(at_once):
    mean, stderr, expected = _downtime_minutes(at_once)
    assert abs(mean - expected) < 4 * stderr + 0.002 * expected, (mean, stderr, expected)


def test_a_zone_counts_only_if_listed_and_a_zoneless_incident_downs_every_zone():
    """Incidents on a zone the tier does not list never count; a process without zones takes
    the region down whatever the rule, as a replayed incident without a zone does."""
    terms = contract(tier={"scope": {"zones": {"at_least": 1, "of": ["a"]}}})
    elsewhere = {"of": ["b", "c"], "at_once": [0.0, 1.0]}
    process = {
        "name": "p",
        "frequency": {"dist": "poisson", "rate_per_month": 5},
        "duration_minutes": {"dist": "empirical", "values": [30]},
    }
    run = simulate(terms, scenario(processes=[{**process, "zones": elsewhere}]), 50, 3)
    assert not run.measured.units[next(iter(run.measured.units))].downtime.any()
    assert not run.notes
    zoneless = simulate(terms, scenario(processes=[process]), 50, 3)
    plain = simulate(contract(), scenario(processes=[process]), 50, 3)  # full impact, no rule
    downtime = zoneless.measured.units[next(iter(zoneless.measured.units))].downtime
    assert downtime.any()
    assert (
        downtime.tolist()
        == plain.measured.units[next(iter(plain.measured.units))].downtime.tolist()
    )
    assert zoneless.notes == [
        "tier T: counts 1 zones down, but no process of the scenario says which zones its "
        "incidents land on (zones:), so every incident takes the whole region down"
    ]


def test_the_ec2_sample_simulates_and_its_dumped_trials_replay_to_its_credits():
    terms = load_contract(SAMPLES / "real" / "aws_ec2_region.yaml")
    scen = load_scenario(SAMPLES / "scenarios" / "zone_outages.yaml")
    run = simulate(terms, scen, 60, 7)
    found = trial_incidents(terms, scen, 7, 60, range(60))
    credited = 0
    for trial, incidents in found.items():
        replayed = replay(terms, incidents, first="2025-01", last="2025-12").tiers[0]
        expected = [int(p.credit_after_caps * 100) for p in replayed.periods]
        assert period_credits(run, "Region", [trial])[0].tolist() == expected, trial
        credited += sum(expected) > 0
    assert 20 < credited < 60  # the check sees trials with and without credits
    assert {i.zone for i in found[0]} <= {"", "use1-az1", "use1-az2", "use1-az3", "use1-az4"}


def test_zone_draws_hit_as_many_distinct_zones_as_at_once_says_in_proportion_to_shares():
    from slamodeler.engine.zone_draws import draw_masks

    draw = ZoneDraw(of=["a", "b", "c"], shares=[0.5, 0.3, 0.2], at_once=[0.7, 0.2, 0.1])
    masks = draw_masks(np.random.default_rng(1), draw, ["x", "a", "b", "c"], 200_000)
    bits = (masks[:, None] >> np.arange(4)) & 1
    assert not bits[:, 0].any()  # zone x is not the process's
    counts = np.bincount(bits.sum(axis=1), minlength=4)[1:] / len(masks)
    assert np.allclose(counts, [0.7, 0.2, 0.1], atol=0.005)
    alone = bits[bits.sum(axis=1) == 1][:, 1:].mean(axis=0)
    assert np.allclose(alone, [0.5, 0.3, 0.2], atol=0.005)


def test_zones_of_incidents_that_hit_single_customers_replay_to_each_customers_credits():
    terms = contract(tier={"customers": 5, "scope": {"zones": {"at_least": 2, "of": ZONES}}})
    lasting = {"dist": "lognormal", "median": 30, "sigma": 1}
    scen = scenario(
        processes=[
            {
                "name": "own",
                "frequency": {"dist": "poisson", "rate_per_month": 4},
                "duration_minutes": lasting,
                "scope": {"independent": 0.5},
                "zones": {"of": ZONES, "at_once": [0.7, 0.3]},
            },
            {
                "name": "shared",
                "frequency": {"dist": "poisson", "rate_per_month": 2},
                "duration_minutes": lasting,
                "zones": {"of": ZONES},
            },
        ]
    )
    run = simulate(terms, scen, 12, 5)
    months = set()
    for trial in range(12):
        for customer in range(5):
            found = trial_incidents(terms, scen, 5, 12, [trial], customer=("T", customer))
            replayed = replay(terms, found[trial], first="2024-01", last="2024-12").tiers[0]
            expected = [int(p.credit_after_caps * 100) for p in replayed.periods]
            assert period_credits(run, "T", [trial], customer)[0].tolist() == expected
            months.update(bool(e) for e in expected)
    assert months == {True, False}  # months with and without credits were compared
