"""A scenario's start aligned to the contract's periods, in one place (``horizon.aligned_start``)
that the simulation, the CLI and the desktop share: a fitted scenario runs on a quarterly
contract, with a note saying what moved."""

from __future__ import annotations

import json

import pytest

from slamodeler.domain.errors import InputError
from slamodeler.engine.fitted_scenario import report_to_scenario
from slamodeler.engine.fitting import fit_incidents
from slamodeler.engine.horizon import aligned_start
from slamodeler.services.simulate import simulate_files, with_horizon
from slamodeler.services.simulation_session import SimulationRequest
from tests.helpers.builders import history
from tests.helpers.cli import run
from tests.helpers.workspace import SAMPLES

QUARTERLY = SAMPLES / "quarterly_collaboration.yaml"
MOVED = "Start moved from 2026-09 to 2026-10: the contract measures calendar quarters"


@pytest.mark.parametrize("month", ["2026-01", "2026-09", "2026-12"])
def test_a_monthly_contract_keeps_any_start(month):
    assert aligned_start(month, "month") == (month, "")


@pytest.mark.parametrize(
    ("month", "aligned"),
    [
        ("2026-09", "2026-10"),
        ("2026-10", "2026-10"),
        ("2026-12", "2027-01"),
        ("2027-01", "2027-01"),
    ],
)
def test_a_quarterly_contract_starts_at_the_next_quarter(month, aligned):
    start, note = aligned_start(month, "quarter")
    assert start == aligned
    expected = (
        ""
        if month == aligned
        else f"Start moved from {month} to {aligned}: the contract measures calendar quarters"
    )
    assert note == expected


def fitted_to_august():
    """A scenario fitted to a history that ends in 2026-08, so it starts in 2026-09."""
    report = fit_incidents(history(80, seed=1, first="2024-09-01"), source="h.csv")
    scenario = report_to_scenario(report)
    assert scenario.start == "2026-09"
    return scenario


def test_a_fitted_scenario_runs_on_a_quarterly_contract_through_the_service():
    run_ = simulate_files(QUARTERLY, fitted_to_august(), SimulationRequest(trials=50, seed=3))
    labels = [p.label for p in run_.horizon.periods]
    assert labels == ["2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3"]
    assert run_.scenario.start == "2026-10"
    assert run_.notes[0] == MOVED


def test_start_and_years_replace_the_scenario_s_own():
    scenario = with_horizon(fitted_to_august(), "2027-02", 2)
    assert (scenario.start, scenario.years) == ("2027-02", 2)
    run_ = simulate_files(
        QUARTERLY,
        fitted_to_august(),
        SimulationRequest(trials=20, seed=3, start="2027-02", years=2),
    )
    assert [run_.horizon.periods[i].label for i in (0, -1)] == ["2027-Q2", "2029-Q1"]
    with pytest.raises(
        InputError, match=r"start '2027-2': must be a month YYYY-MM, e\.g\. 2027-01"
    ):
        with_horizon(scenario, "2027-2", None)


def test_ws_simulate_with_a_start_aligns_it_stores_it_and_reruns_it(ws, capsys):
    code, out, err = run(
        capsys, "ws", "simulate", "quarterly_collaboration@1", "baseline", "--ws", ws,
        "--start", "2026-09", "--trials", "200", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    assert f"note: {MOVED}" in err
    simulated = json.loads(out)
    assert simulated["horizon"]["from"] == "2026-Q4"
    code, out, err = run(capsys, "ws", "rerun", "1", "--ws", ws, "--format", "json")
    assert code == 0 and "reproduced exactly" in err
    assert json.loads(out) == simulated
