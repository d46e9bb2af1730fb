"""Tiers in distinct scopes measured over the incidents their scopes share (engine/
shared_scopes.py) get what measuring each scope on its own gets, integer for integer, and a
simulated trial replays to the credits the simulation counted."""

from __future__ import annotations

import numpy as np
import pytest

from slamodeler.engine import simulation, window_measure
from slamodeler.engine.outage_model import OutageModel
from slamodeler.engine.simulation import (
    block_rng,
    measure_drawn,
    scenario_horizon,
)
from tests.helpers.agreement import trials_replay_to_their_credits
from tests.helpers.scope_cases import tiers_in_distinct_regions

MEASUREMENTS = {
    "as the sample": {},
    "rolling 30 days": {"window": {"kind": "rolling", "days": 30}},
    "minimum downtime, 5-minute slots": {"min_downtime_minutes": 10, "slot_minutes": 5},
    "whole slots, added, threshold": {
        "slot_counting": "whole",
        "overlaps": "add",
        "down_above": "0.3",
    },
    "office hours": {
        "service_hours": {
            "start": "09:00",
            "end": "17:00",
        }
    },
}


@pytest.mark.parametrize("block", [0, 1])
@pytest.mark.parametrize("name", sorted(MEASUREMENTS))
def test_scopes_measured_over_their_shared_incidents_measure_as_each_alone(
    monkeypatch, block, name
):
    terms, scen = tiers_in_distinct_regions()
    measurement = terms.measurement.model_dump(mode="json") | MEASUREMENTS[name]
    terms = terms.model_validate(terms.model_dump(mode="json") | {"measurement": measurement})
    horizon = scenario_horizon(terms, scen)
    model = OutageModel(scen, terms, horizon)
    drawn = model.draw(block_rng(5, block), 700)
    shared = measure_drawn(drawn, model, terms, horizon, (0, 0))
    monkeypatch.setattr(simulation, "_measured_over_shared", lambda *args: {})
    alone = measure_drawn(drawn, model, terms, horizon, (0, 0))
    assert shared.keys() == alone.keys() and len(alone) == 4
    for key, rows in alone.items():
        assert np.array_equal(rows.downtime, shared[key].downtime), key
        assert np.array_equal(rows.excluded, shared[key].excluded), key


def test_the_shared_incidents_are_measured_once_for_those_tiers():
    """Else the test above compares a path with itself."""
    terms, scen = tiers_in_distinct_regions()
    horizon = scenario_horizon(terms, scen)
    model = OutageModel(scen, terms, horizon)
    drawn = model.draw(block_rng(5, 0), 700)
    first, stop = simulation.SlotRules.of(terms.measurement).counted_range(
        horizon.grid, drawn.start, drawn.end
    )
    columns = (first, stop, model.impact_micro[drawn.impact], model.cause_class[drawn.cause])
    measured = []

    def measure(inc):
        measured.append(inc.n_trials)
        return window_measure.measure_rows(inc, horizon, 1, 0)

    over = simulation._measured_over_shared(drawn, model, terms, columns, measure)
    assert len(over) == 4
    assert len(measured) == 2 and measured[0] == 700 and 0 < measured[1] < 4 * 700


def test_a_trial_of_tiers_in_distinct_scopes_replays_to_its_credits():
    terms, scen = tiers_in_distinct_regions()
    trials_replay_to_their_credits(terms, scen, 3, 2500, [0, 1999, 2000, 2499])
