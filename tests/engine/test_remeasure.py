"""A run's histories under other terms: measured again when the measurement terms differ and
the seed draws the same incidents (the run's own trials, dumped and replayed under the new
terms, give the new credits), refused with what differs when it would not."""

from __future__ import annotations

import numpy as np
import pytest

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.scenario import Scenario
from slamodeler.engine.outage_model import OutageModel
from slamodeler.engine.remeasure import draw_changes, measurement_changes, remeasure
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import (
    draw_block,
    period_credits,
    scenario_horizon,
    simulate,
    trial_incidents,
    why_not_repriced,
)
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from tests.helpers.builders import contract, scenario
from tests.helpers.paths import SAMPLES

CONTRACT = load_contract(SAMPLES / "three_tier_cloud.yaml")
SCENARIO = load_scenario(SAMPLES / "scenarios" / "bad_year.yaml")
PER_INCIDENT = {"longer_than_minutes": 30, "credit_pct": "5", "credit_pct_per_hour": "2"}


def measured_otherwise(**changes: object) -> Contract:
    """Downtime counted from 30 minutes on, and a partial outage counting half."""
    data = CONTRACT.model_dump(mode="json")
    data["measurement"]["min_downtime_minutes"] = 30
    data["measurement"]["impact_weights"]["partial"] = "0.5"
    return Contract.model_validate({**data, **changes})


def test_the_changed_measurement_terms_are_named():
    assert measurement_changes(CONTRACT, measured_otherwise()) == [
        "measurement.impact_weights",
        "measurement.min_downtime_minutes",
    ]
    assert measurement_changes(CONTRACT, CONTRACT) == []


def test_the_stored_draws_measured_again_give_what_their_replay_gives():
    run = simulate(CONTRACT, SCENARIO, 300, 7)
    terms = measured_otherwise()
    assert draw_changes(run, terms) == []
    again = remeasure(run, terms)
    sampled = [0, 5, 17, 123, 299]
    # the incidents of the stored run, drawn for the old terms, replayed under the new
    found = trial_incidents(CONTRACT, SCENARIO, 7, 300, sampled)
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    for trial in sampled:
        for tier in replay(terms, found[trial], first=first, last=last).tiers:
            credits = [int(p.credit_after_caps * 100) for p in tier.periods]
            assert period_credits(again, tier.tier, [trial])[0].tolist() == credits
    changed = sum(
        (again.pricing[t.name].paid != run.pricing[t.name].paid).sum() for t in CONTRACT.tiers
    )
    assert changed > 0  # the new terms matter in these histories


def test_the_same_seed_draws_the_same_incidents_for_terms_measured_otherwise():
    terms = measured_otherwise()
    old = OutageModel(SCENARIO, CONTRACT, scenario_horizon(CONTRACT, SCENARIO))
    new = OutageModel(SCENARIO, terms, scenario_horizon(terms, SCENARIO))
    a, b = draw_block(old, 7, 0, 300), draw_block(new, 7, 0, 300)
    for name in ("trial", "start", "end", "impact", "cause", "source", "tier", "customer"):
        assert np.array_equal(getattr(a, name), getattr(b, name))


def test_another_time_zone_is_refused_naming_it_and_the_fix():
    run = simulate(CONTRACT, SCENARIO, 50, 7)
    berlin = measured_otherwise(timezone="Europe/Berlin")
    with pytest.raises(InputError) as caught:
        remeasure(run, berlin)
    assert str(caught.value) == (
        "the new terms change what the run's incidents were drawn from: timezone "
        "(America/New_York -> Europe/Berlin); run `slamodeler simulate` with the new terms instead"
    )


def test_customers_drawn_one_by_one_must_stay_as_many():
    data = SCENARIO.model_dump(mode="json", exclude_none=True)
    data["processes"][0]["scope"] = {"independent": 0.4}
    run = simulate(CONTRACT, Scenario.model_validate(data), 50, 7)
    tiers = CONTRACT.model_dump(mode="json")["tiers"]
    tiers[0]["customers"] = 5
    fewer = measured_otherwise(tiers=tiers)
    assert draw_changes(run, fewer) == [
        "tier customers ([120, 60, 25] -> [5, 60, 25]), which a process hitting customers one "
        "by one draws for"
    ]


def test_terms_that_write_their_numbers_otherwise_are_re_priced_not_measured_again():
    """A weight written 1.0 in one file and 1 in another (as a workspace stores it) measures
    alike: the run is re-priced, not refused nor measured again."""
    data = CONTRACT.model_dump(mode="json")
    data["measurement"]["impact_weights"] = {"full": "1", "partial": "0.30", "degraded": "0"}
    data["tiers"][0]["credits"]["bands"][0]["credit_pct"] = 12
    same = Contract.model_validate(data)
    run = simulate(CONTRACT, SCENARIO, 50, 7)
    assert why_not_repriced(run, same) == ""
    assert measurement_changes(CONTRACT, same) == []


def test_new_per_incident_credits_are_measured_again_not_refused():
    """Re-pricing refuses them (they are counted per incident); the same draws measured again
    under them give what a simulation of the new terms with the seed gives."""
    terms = contract(tier={"incident_credits": PER_INCIDENT})
    run = simulate(terms, scenario(), 50, 1)
    changed = contract(tier={"incident_credits": {**PER_INCIDENT, "credit_pct": "7"}})
    assert measurement_changes(terms, changed) == ["tiers[0].incident_credits"]
    again = remeasure(run, changed)
    fresh = simulate(changed, scenario(), 50, 1)
    assert (again.pricing["T"].owed == fresh.pricing["T"].owed).all()
    assert again.pricing["T"].owed.sum() > run.pricing["T"].owed.sum()
