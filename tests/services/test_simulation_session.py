"""The simulation's rules, each in one place: the default number of trials, at least one trial,
the horizon's years (a scenario's, and the replay's range apart), models changed only through
validation, whether a result may be re-priced, and the caps' ceilings computed exactly."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from slamodeler.cli.main import build_parser, main
from slamodeler.domain.errors import ContractError, InputError
from slamodeler.domain.limits import DEFAULT_TRIALS, MAX_REPLAY_YEARS, MAX_SCENARIO_YEARS
from slamodeler.domain.scenario import Scenario
from slamodeler.domain.simulation_request import SettingError, SimulationRequest
from slamodeler.domain.validation import changed
from slamodeler.engine.caps import cap_ceilings
from slamodeler.engine.periods import check_range
from slamodeler.engine.simulation import reprice, simulate
from slamodeler.io.scenario_file import load_scenario
from slamodeler.services import simulation_session
from slamodeler.services.fit import SetFit, store_fitted_scenario
from slamodeler.services.simulate import with_horizon
from tests.helpers.builders import contract
from tests.helpers.paths import SAMPLES

BASELINE = SAMPLES / "scenarios" / "baseline.yaml"
ONE_PROCESS = {
    "format": "slamodeler-scenario/v1",
    "name": "one process",
    "start": "2024-01",
    "years": 1,
    "processes": [
        {
            "name": "p",
            "frequency": {"dist": "poisson", "rate_per_month": 2},
            "duration_minutes": {"dist": "exponential", "mean": 60},
        }
    ],
}


def test_one_default_number_of_trials_for_every_front_end():
    assert DEFAULT_TRIALS == 10_000 == SimulationRequest().trials
    parser = build_parser()
    simulate_args = parser.parse_args(["simulate", "c.yaml", "--scenario", "s.yaml"])
    ws_args = parser.parse_args(["ws", "simulate", "k@1", "baseline"])
    assert simulate_args.trials == ws_args.trials == DEFAULT_TRIALS


@pytest.mark.parametrize("trials", [0, -5])
def test_trials_below_one_are_refused_by_the_domain_naming_the_field(trials):
    with pytest.raises(SettingError, match=rf"^trials {trials}: must be at least 1$") as caught:
        SimulationRequest(trials=trials)
    assert (caught.value.field, caught.value.need) == ("trials", "at least 1")
    scenario = Scenario.model_validate(ONE_PROCESS)
    with pytest.raises(SettingError, match="trials"):  # the engine asks the same check
        simulate(contract(), scenario, trials, 1)


@pytest.mark.parametrize("command", [["simulate", "--scenario"], ["export", "--scenario"]])
def test_the_command_line_words_the_domain_s_refusal_for_its_option(capsys, command):
    name, option = command
    argv = [name, str(SAMPLES / "three_tier_cloud.yaml")]
    if name == "export":
        argv += [str(SAMPLES / "incidents_sample.csv"), "--out", "x.xlsx"]
    assert main([*argv, option, str(BASELINE), "--trials", "0"]) == 2
    assert capsys.readouterr().err == "slamodeler: --trials must be at least 1\n"


def test_years_beyond_the_limit_are_refused_through_every_path_that_changes_a_scenario():
    scenario = load_scenario(BASELINE)
    too_many = MAX_SCENARIO_YEARS + 1
    with pytest.raises(SettingError, match=rf"years {too_many}: must be between 1 and 50"):
        with_horizon(scenario, None, too_many)
    with pytest.raises(SettingError, match="years"):
        SimulationRequest(years=0)
    with pytest.raises(ContractError) as caught:  # a model changed is validated again
        changed(scenario, "scenario", years=too_many)
    assert [p.path for p in caught.value.problems] == ["years"]
    assert changed(scenario, "scenario", years=MAX_SCENARIO_YEARS).years == MAX_SCENARIO_YEARS
    assert with_horizon(scenario, "2030-02", 3).model_dump() == {
        **scenario.model_dump(),
        "start": "2030-02",
        "years": 3,
    }


def test_a_fitted_scenario_stored_under_a_blank_name_is_refused_naming_the_field():
    """``model_copy`` let a fitted scenario be renamed to nothing; the domain refuses it now."""
    fit = SetFit("history", None, load_scenario(BASELINE), None)  # type: ignore[arg-type]
    with pytest.raises(ContractError) as caught:
        store_fitted_scenario(None, fit, "   ", "tester")  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == ["name"]


def test_the_replay_s_range_and_a_scenario_s_horizon_are_two_limits():
    assert (MAX_REPLAY_YEARS, MAX_SCENARIO_YEARS) == (20, 50)
    first = 2000 * 12
    check_range(first, first + MAX_REPLAY_YEARS * 12 - 1)
    with pytest.raises(InputError, match="spans more than 20 years"):
        check_range(first, first + MAX_REPLAY_YEARS * 12)
    years_30 = Scenario.model_validate({**ONE_PROCESS, "years": 30})  # a replay could not
    assert years_30.years == 30


def test_whether_a_result_may_be_re_priced_is_one_answer_of_the_session():
    terms = contract()
    run = simulate(terms, Scenario.model_validate(ONE_PROCESS), 50, 3)
    credits = contract(tier={"monthly_fee": 2000})
    measured = contract(tier={"customers": 3})
    assert simulation_session.can_reprice(run, credits) == ""
    reason = simulation_session.can_reprice(run, measured)
    assert reason.startswith("the new terms change how periods are measured")
    with pytest.raises(InputError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        reprice(run, measured)
    assert reprice(run, credits).contract == credits


def caps_contract():
    """A fee of 0.10 a month: summed in floats, twelve of them come to 1.2000000000000002."""
    return contract(
        tier={
            "monthly_fee": "0.1",
            "customers": 3,
            "caps": {"per_period_pct": 100, "per_year_pct_of_annual_fees": 50},
        },
        claims={"claim_rate": "0.1"},
        liability_cap={"amount": 1000},
    )


def test_cap_ceilings_are_exact():
    terms = caps_contract()
    run = simulate(terms, Scenario.model_validate(ONE_PROCESS), 10, 1)
    # 12 periods x 0.1 x 100% x 3 customers x 0.1 claimed; half a year's fees; one term's 1000
    assert cap_ceilings(terms, run.horizon, "T") == {
        "per-period cap": Fraction(36, 100),
        "yearly cap": Fraction(18, 100),
        "liability cap": Fraction(300),
    }
    assert simulation_session.ceilings(run, "T") == {
        "per-period cap": Decimal("0.36"),
        "yearly cap": Decimal("0.18"),
        "liability cap": Decimal("300.00"),
    }


def test_the_portfolio_s_ceilings_sum_the_kinds_every_tier_has():
    terms = caps_contract()
    second = {**terms.tiers[0].model_dump(), "name": "U", "caps": {"per_period_pct": 50}}
    both = changed(terms, "contract", tiers=[terms.tiers[0].model_dump(), second])
    run = simulate(both, Scenario.model_validate(ONE_PROCESS), 10, 1)
    assert cap_ceilings(both, run.horizon, "portfolio") == {
        "per-period cap": Fraction(36, 100) + Fraction(18, 100),
        "liability cap": Fraction(600),
    }
