"""The internal objective under a scenario (exact and simulated) and a scenario's MTTR and MTBF,
against answers worked out by hand."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.scenario import Scenario
from slamodeler.engine.baseline import with_target
from slamodeler.engine.slo_objective import (
    duration_mean,
    internal_objective_exact,
    internal_objective_simulated,
    scenario_reliability,
)
from slamodeler.services.baseline import DEFAULT_TEMPLATE


def _scenario(**process: object) -> Scenario:
    base = {
        "name": "outages",
        "frequency": {"dist": "poisson", "rate_per_month": 2.0},
        "duration_minutes": {"dist": "exponential", "mean": 10.0},
    }
    return Scenario.model_validate(
        {
            "format": "slamodeler-scenario/v1",
            "name": "two a month",
            "start": "2025-01",
            "years": 1,
            "processes": [{**base, **process}],
        }
    )


def _contract(target: str) -> Contract:
    return with_target(Contract.model_validate(DEFAULT_TEMPLATE), Decimal(target))


def test_a_budget_under_one_slot_breaches_with_the_first_incident_exact():
    # 99.999% of a month is under half a minute: a period breaches iff an incident counts in a
    # slot, i.e. lasts at least half a second as drawn (rounded to the second): P = 1 - f0 with
    # f0 = 1 - exp(-0.5 s / 600 s). P(breach) = 1 - exp(-2 m (1 - f0)) = 0.05 at the answer.
    found = internal_objective_exact(_contract("99.999"), "Service", _scenario(), 0.05)
    counts = math.exp(-0.5 / 600)
    assert found.at_scenario.breach == pytest.approx(1 - math.exp(-2 * counts), rel=1e-9)
    assert found.answer.scale == pytest.approx(-math.log(0.95) / (2 * counts), rel=1e-6)
    assert found.answer.breach == pytest.approx(0.05, abs=1e-7)
    # at that rate the mean downtime is 2 m (10 + 1) minutes a month (an incident touches one
    # slot more than it lasts, on average): far under the target's own budget
    month = 525_600 / 12
    mean_down = 2 * found.answer.scale * 11 / month
    assert 1 - found.answer.mean_availability == pytest.approx(mean_down, rel=0.01)
    assert found.objective_percent >= 100 * found.answer.mean_availability


def test_the_simulation_finds_the_same_objective_within_its_error():
    contract, scenario = _contract("99.9"), _scenario()
    exact = internal_objective_exact(contract, "Service", scenario, 0.1)
    simulated = internal_objective_simulated(contract, "Service", scenario, 0.1, 4000, 3)
    assert simulated.at_scenario.breach == pytest.approx(
        exact.at_scenario.breach, abs=4 * simulated.at_scenario.breach_se
    )
    # the simulation asks the estimate plus 1.96 errors to be under the level: a bit safer
    assert simulated.answer.breach + 1.96 * simulated.answer.breach_se <= 0.1
    assert simulated.answer.scale <= exact.answer.scale * 1.02
    assert simulated.answer.scale == pytest.approx(exact.answer.scale, rel=0.15)
    assert simulated.answer.mean_se > 0 and exact.answer.mean_se == 0


def test_a_level_out_of_range_is_refused():
    with pytest.raises(InputError, match="--breach"):
        internal_objective_exact(_contract("99.9"), "Service", _scenario(), 1.5)


def test_the_scenarios_mttr_and_mtbf_from_its_parameters():
    scenario = _scenario(
        duration_minutes={"dist": "lognormal", "median": 45, "sigma": 1.1},
        impact={"full": 0.75, "none": 0.25},
    )
    found = scenario_reliability(_contract("99.9"), "Service", scenario)
    mean = 45 * math.exp(1.1**2 / 2)  # 82.41 minutes
    assert found.method == "exact"
    assert found.incidents_per_month == pytest.approx(1.5)  # impact none weighs 0
    assert found.mttr_minutes == pytest.approx(mean)
    month = 525_600 / 12
    assert found.mtbf_minutes == pytest.approx(month / 1.5 - mean)
    assert found.availability == pytest.approx(1 - 1.5 * mean / month)


def test_customers_hit_one_by_one_are_simulated_and_agree_with_the_parameters():
    scenario = _scenario(scope={"independent": 0.5})
    found = scenario_reliability(_contract("99.9"), "Service", scenario, trials=4000, seed=5)
    assert found.method == "monte-carlo"
    assert found.incidents_per_month == pytest.approx(1.0, rel=0.05)  # 2 a month, each 50%
    assert found.mttr_minutes == pytest.approx(10.0, abs=4 * found.mttr_se)


@pytest.mark.parametrize(
    ("dist", "mean"),
    [
        ({"dist": "exponential", "mean": 7.0}, 7.0),
        ({"dist": "weibull", "shape": 1.0, "scale": 5.0}, 5.0),
        ({"dist": "gamma", "shape": 2.0, "scale": 3.0}, 6.0),
        ({"dist": "uniform", "low": 10.0, "high": 20.0}, 15.0),
        ({"dist": "empirical", "values": [1.0, 2.0, 6.0]}, 3.0),
    ],
)
def test_duration_means_in_closed_form(dist, mean):
    scenario = _scenario(duration_minutes=dist)
    assert duration_mean(scenario.processes[0].duration_minutes) == pytest.approx(mean)


def test_the_first_slots_are_the_whole_lattices_first_entries():
    """first_slots computes only the low end of each period's distribution, at any frequency
    stress: it must equal the start of the full recursion the exact method runs."""
    from slamodeler.engine.exact import downtimes, first_slots

    quarterly = Contract.model_validate(
        {
            **DEFAULT_TEMPLATE,
            "measurement": {
                **DEFAULT_TEMPLATE["measurement"],
                "period": "quarter",
                "slot_minutes": 5,
            },
        }
    )
    scenario = _scenario(duration_minutes={"dist": "lognormal", "median": 20, "sigma": 0.8})
    found = downtimes(quarterly, scenario)
    low = first_slots(found, 1.0, 60)
    assert len(low) == 4
    for whole, part in zip(found.periods, low, strict=True):
        assert part == pytest.approx(whole[:61], abs=1e-12)
    doubled = found.scenario.model_copy(
        update={"stress": found.scenario.stress.model_copy(update={"frequency": 2.0})}
    )
    again = downtimes(quarterly, doubled)
    assert first_slots(found, 2.0, 60)[0] == pytest.approx(again.periods[0][:61], abs=1e-12)
