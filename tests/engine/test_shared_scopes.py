"""Tiers in distinct scopes measured over the incidents their scopes share (engine/
shared_scopes.py) get what measuring each scope on its own gets, integer for integer, and a
simulated trial replays to the credits the simulation counted."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.engine import simulation, window_measure
from slamodeler.engine.interval_measure import (
    IntervalIncidents,
    measure_intervals,
    period_groups,
)
from slamodeler.engine.outage_model import OutageModel
from slamodeler.engine.shared_scopes import (
    PeriodGroups,
    measured_changes,
    measured_over,
    shared_base,
    swept_changes,
)
from slamodeler.engine.simulation import (
    block_rng,
    measure_drawn,
    scenario_horizon,
)
from slamodeler.engine.slot_rules import SlotRules
from tests.helpers.agreement import trials_replay_to_their_credits
from tests.helpers.builders import horizon_of
from tests.helpers.interval_sets import interval_sets, numpy_measurement
from tests.helpers.kernels import counting_kernel
from tests.helpers.scope_cases import scoped_incidents, sweep_of, tiers_in_distinct_regions
from tests.helpers.strategies import contracts

FIELDS = ("downtime", "excluded", "below_minimum")

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
@pytest.mark.parametrize("years", [1, 2])
@pytest.mark.parametrize("allowance", [600, None])
@pytest.mark.parametrize("name", sorted(MEASUREMENTS))
def test_scopes_measured_over_their_shared_incidents_measure_as_each_alone(
    monkeypatch, block, years, allowance, name
):
    """Under each measurement, with the sample's allowance (a group of periods measured
    together per contract year: two over two years) or none (each period apart, unless a rule
    runs across them: minimum downtime runs, rolling windows)."""
    terms, scen = tiers_in_distinct_regions()
    scen = scen.model_copy(update={"years": years})
    data = terms.model_dump(mode="json")
    data["measurement"] |= MEASUREMENTS[name]
    data["exclusions"]["maintenance_allowance_minutes_per_year"] = allowance
    terms = terms.model_validate(data)
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


@pytest.mark.parametrize("path", ["batch", "sweep"])
@pytest.mark.parametrize("own_first", [False, True])
def test_a_run_across_periods_is_measured_whole(own_first, path):
    """Minimum downtime of 10 minutes, no allowance: 6 minutes of a shared incident at the end
    of January and 6 of a scope's own at the start of February (or the other way round) are one
    run of 12 minutes for that scope, downtime in both months, where the shared ones alone are
    below the minimum. So its periods are not measured apart (the batch): the run would be cut
    at the month's end; and a sweep over the base starts before the shared incident (no gap
    lies between them)."""
    terms, _ = tiers_in_distinct_regions()
    data = terms.model_dump(mode="json")
    data["measurement"] |= {"min_downtime_minutes": 10, "slot_minutes": 1}
    data["exclusions"] |= {"maintenance_allowance_minutes_per_year": None, "causes": []}
    data["exclusions"]["maintenance_windows"] = []
    terms = terms.model_validate(data)
    horizon, measure = _measure(terms, 2)
    february = int(horizon.period_starts[1])
    inc = IntervalIncidents(
        1,
        np.zeros(2, dtype=np.int64),
        np.array([february - 6, february]),
        np.array([february, february + 6]),
        np.full(2, 1_000_000),
        np.zeros(2, dtype=np.int8),
    )
    reach = np.array([[True, True], [True, False]])  # source 0 shared, source 1 scope 0's
    source = np.array([1, 0]) if own_first else np.array([0, 1])
    shared = (reach, source, inc.trial, (inc.first, inc.stop, inc.weight, inc.klass))
    if path == "sweep":
        swept = swept_changes(*shared, 1, sweep_of(terms, horizon))
        assert swept is not None
        base, changes = swept
    else:
        base = shared_base(*shared, 1, measure)
        assert base is not None
        bounds = period_groups(horizon, 1, 10)
        assert bounds.tolist() == [0, 2]
        groups = PeriodGroups.of(bounds, horizon.period_starts, inc.first, inc.stop)
        changes = measured_changes(base, *shared, measure, groups)
    assert base.measured.downtime.sum() == 0  # 6 minutes: below
    mine, other = measured_over(base, changes)
    assert mine.downtime.tolist() == [[6_000_000, 6_000_000]]
    assert other.downtime.tolist() == [[0, 0]]
    # without the minimum, each month is measured apart, from its own incidents alone
    assert period_groups(horizon, 1, 1).tolist() == [0, 1, 2]


def test_per_incident_credits_of_scopes_measured_over_what_they_share():
    """What a tier measured over the shared incidents sees is looked for only for its
    per-incident credits: those of a scope's first tier, and of a later tier of a scope whose
    first has none, as measuring each scope alone gives them."""
    terms, scen = tiers_in_distinct_regions()
    credits = {"longer_than_minutes": 30, "credit_pct": "5", "credit_pct_per_hour": "1.5"}
    tiers = terms.model_dump(mode="json")["tiers"]
    tiers[1]["incident_credits"] = credits
    tiers.append(tiers[0] | {"name": "Again", "incident_credits": credits})
    terms = terms.model_validate(terms.model_dump(mode="json") | {"tiers": tiers})
    horizon = scenario_horizon(terms, scen)
    model = OutageModel(scen, terms, horizon)
    drawn = model.draw(block_rng(5, 0), 700)
    shared = measure_drawn(drawn, model, terms, horizon, (0, 0))
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(simulation, "_measured_over_shared", lambda *args: {})
        alone = measure_drawn(drawn, model, terms, horizon, (0, 0))
    found = [name for rows in shared.values() for name in rows.incident_percent]
    assert sorted(found) == ["Again", tiers[1]["name"]]
    for key, rows in alone.items():
        assert rows.incident_percent.keys() == shared[key].incident_percent.keys(), key
        for name, values in rows.incident_percent.items():
            assert values.any() and np.array_equal(values, shared[key].incident_percent[name])


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

    def cannot(base, own, row_trial):
        return None

    measures = (measure, cannot)  # where the sweep cannot: the base, then the batch
    over = simulation._measured_over_shared(drawn, model, terms, horizon, columns, measures, False)
    assert len(over) == 4
    assert len(measured) == 2 and measured[0] == 700 and 0 < measured[1] < 4 * 700
    swept = []

    def sweep(base, own, row_trial):
        swept.append((base.n_trials, len(row_trial)))
        return sweep_of(terms, horizon)(base, own, row_trial)

    measured.clear()  # where it can, the sweep measures it all: the base and the rows over it
    again = simulation._measured_over_shared(
        drawn, model, terms, horizon, columns, (measure, sweep), False
    )
    assert not measured and len(swept) == 1 and swept[0][0] == 700 and 0 < swept[0][1] < 4 * 700
    for key, rows in over.items():
        assert np.array_equal(rows.downtime, again[key].downtime), key
        assert np.array_equal(rows.excluded, again[key].excluded), key


def test_a_trial_of_tiers_in_distinct_scopes_replays_to_its_credits():
    terms, scen = tiers_in_distinct_regions()
    trials_replay_to_their_credits(terms, scen, 3, 2500, [0, 1999, 2000, 2499])


def _measure(terms, months):
    m = terms.measurement
    horizon = horizon_of(terms, months)
    rules = SlotRules.of(m)
    return horizon, functools.partial(
        measure_intervals,
        horizon=horizon,
        slot_minutes=m.slot_minutes,
        min_downtime_minutes=m.min_downtime_minutes,
        rules=rules,
    )


def _some(inc: IntervalIncidents, at) -> IntervalIncidents:
    return IntervalIncidents(
        inc.n_trials, inc.trial[at], inc.first[at], inc.stop[at], inc.weight[at], inc.klass[at]
    )


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(contracts(slot_rules=True), st.sampled_from([1, 2, 3, 13, 14]), st.integers(2, 5), st.data())
def test_any_scopes_measured_over_what_they_share_measure_as_each_alone(
    terms, months, n_scopes, data
):
    """Scopes that see any sources (all of them, some, none), over incidents of any sources:
    each scope's rows are those of its incidents measured alone."""
    horizon, measure = _measure(terms, months)
    inc, reach, source = scoped_incidents(data, horizon, n_scopes)
    shared = (reach, source, inc.trial, (inc.first, inc.stop, inc.weight, inc.klass))
    base = shared_base(*shared, inc.n_trials, measure)
    if base is None:
        assert not np.all(reach, axis=0)[source].any()
        return
    m = terms.measurement
    bounds = period_groups(horizon, m.slot_minutes, m.min_downtime_minutes)
    groups = PeriodGroups.of(bounds, horizon.period_starts, inc.first, inc.stop)
    over = measured_over(base, measured_changes(base, *shared, measure, groups))
    assert len(over) == n_scopes
    for scope, got in zip(reach, over, strict=True):
        alone = measure(_some(inc, np.flatnonzero(scope[source])))
        for name in ("downtime", "excluded"):
            assert np.array_equal(getattr(got, name), getattr(alone, name)), name


@pytest.mark.parametrize("path", ["compiled", "numpy"])
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(contracts(slot_rules=True), st.integers(1, 3), st.randoms(use_true_random=False), st.data())
def test_a_trial_measures_as_its_incidents_in_any_order(path, terms, months, rnd, data):
    """The batch of measured_over holds a scope's incidents in another order than the scope
    alone: the measurement takes each trial's incidents as a set."""
    horizon, measure = _measure(terms, months)
    inc = data.draw(interval_sets(horizon))
    order = list(range(len(inc.trial)))
    rnd.shuffle(order)
    with pytest.MonkeyPatch.context() as patched:
        if path == "numpy":
            numpy_measurement(patched)
        else:
            calls = counting_kernel(patched, "measure")
        a, b = measure(inc), measure(_some(inc, np.array(order, dtype=np.int64)))
        # the compiled sweep ran, not numpy twice, where it covers the rules
        compiled = not SlotRules.of(terms.measurement).adds and inc.zones is None
        if path == "compiled" and compiled and horizon.service is None and len(inc.trial):
            assert calls
    for name in FIELDS:
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
