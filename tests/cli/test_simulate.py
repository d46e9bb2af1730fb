"""The simulate command end to end: stable JSON, the table, dumped trials that replay to the
same credits, and bad input refused with exit code 2."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from slamodeler.cli.main import main
from tests.helpers.paths import MAPPINGS, SAMPLES, SHARED_DATA

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
BASELINE = SAMPLES / "scenarios" / "baseline.yaml"
STAT_KEYS = {
    "mean",
    "stderr",
    "p50",
    "p90",
    "p95",
    "p99",
    "tvar99",
    "p_any_breach",
    "expected_breach_periods",
    "p_cap_hit",
    "capped_off_mean",
    "revenue",
    "cost",
    "margin_mean",
}


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def simulate_baseline(capsys, trials: int, seed: int, *more: object) -> tuple[int, str, str]:
    """``simulate`` of the sample contract under the baseline scenario, as JSON."""
    argv = ("--trials", trials, "--seed", seed, "--format", "json", *more)
    return run(capsys, "simulate", CONTRACT, "--scenario", BASELINE, *argv)


def test_json_has_the_documented_fields(capsys):
    code, out, err = simulate_baseline(capsys, 3000, 9)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["format"] == "slamodeler-simulation/v1"
    assert (doc["trials"], doc["seed"], doc["cancelled"]) == (3000, 9, False)
    assert len(doc["contract_hash"]) == 64 and doc["engine_version"]
    assert doc["horizon"] == {"from": "2027-01", "to": "2027-12", "periods": 12}
    assert [t["tier"] for t in doc["tiers"]] == ["Bronze", "Silver", "Gold"]
    for block in [*doc["tiers"], doc["portfolio"]]:
        assert block.keys() >= STAT_KEYS
        assert block["p50"] <= block["p90"] <= block["p95"] <= block["p99"] <= block["tvar99"]
    # Portfolio revenue and mean are the sums over tiers.
    assert doc["portfolio"]["revenue"] == pytest.approx(sum(t["revenue"] for t in doc["tiers"]))
    assert doc["portfolio"]["mean"] == pytest.approx(sum(t["mean"] for t in doc["tiers"]), abs=0.05)
    # Bronze: 1,500 a month x 12 x 120 customers.
    assert doc["tiers"][0]["revenue"] == 1500 * 12 * 120


def test_same_seed_same_numbers_with_two_workers(capsys):
    _, one, _ = simulate_baseline(capsys, 4100, 5)
    _, two, _ = simulate_baseline(capsys, 4100, 5, "--workers", "2")
    assert json.loads(one)["tiers"] == json.loads(two)["tiers"]


def test_table_names_the_run(capsys):
    code, out, _ = run(capsys, "simulate", CONTRACT, "--scenario", BASELINE, "--trials", "500")
    assert code == 0
    assert "scenario 'Baseline', 2027-01 to 2027-12, 500 trial(s) (seed 1)" in out
    assert "portfolio" in out and "TVaR99" in out


def test_a_dumped_trial_replays_to_the_simulated_credits(capsys, tmp_path):
    code, out, err = simulate_baseline(capsys, 50, 3, "--dump-trials", "2", "--dump-dir", tmp_path)
    assert code == 0, err
    files = sorted(tmp_path.glob("trial-*.csv"))
    assert [f.name for f in files] == ["trial-000000.csv", "trial-000001.csv"]
    code, out, err = run(
        capsys,
        "replay",
        CONTRACT,
        files[0],
        "--from",
        "2027-01",
        "--to",
        "2027-12",
        "--format",
        "json",
    )
    assert code == 0, err
    replayed = json.loads(out)
    from slamodeler.engine.simulation import period_credits, simulate
    from slamodeler.io.contract_file import load_contract
    from slamodeler.io.scenario_file import load_scenario

    sim = simulate(load_contract(CONTRACT), load_scenario(BASELINE), 50, 3)
    for tier in replayed["tiers"]:
        expected = period_credits(sim, tier["tier"], [0])[0].tolist()
        assert [int(Decimal(p["credit_after_caps"]) * 100) for p in tier["periods"]] == expected


def test_schema_of_the_scenario(capsys):
    code, out, _ = run(capsys, "schema", "--scenario")
    assert code == 0
    assert json.loads(out)["properties"]["format"]["const"] == "slamodeler-scenario/v1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "format: slamodeler-scenario/v1\nname: x\nstart: '2027-01'\nprocesses:\n"
            "  - name: p\n    frequency: {dist: poisson, rate_per_month: -1}\n"
            "    duration_minutes: {dist: exponential, mean: 10}\n",
            "line 6, processes[0].frequency.rate_per_month: input should be greater than or "
            "equal to 0",
        ),
        (
            "format: slamodeler-scenario/v1\nname: x\nstart: '2027-01'\nprocesses:\n"
            "  - name: p\n    frequency: {dist: poisson, rate_per_month: 1}\n"
            "    duration_minutes: {dist: exponential, mean: 10}\n"
            "    impact: {full: 0.5, partial: 0.4}\n",
            "impact probabilities add up to 0.9; they must add up to 1",
        ),
        (
            "format: slamodeler-scenario/v1\nname: x\nstart: '2027-01'\nprocesses:\n"
            "  - name: p\n    frequency: {dist: binomial, n: 3}\n"
            "    duration_minutes: {dist: exponential, mean: 10}\n",
            "processes[0].frequency: dist must be one of 'poisson', 'negbin'",
        ),
        (
            "format: slamodeler-scenario/v1\nname: x\nstart: '2027-01'\nprocesses:\n"
            "  - name: p\n    frequency: {dist: poisson, rate_per_month: 1}\n"
            "    duration_minutes: {dist: pareto, alpha: 2}\n",
            "processes[0].duration_minutes: dist must be one of",
        ),
        (
            "format: slamodeler-scenario/v1\nname: x\nstart: 2027-01\nprocesses: []\n",
            "a scenario needs at least one process or catastrophe",
        ),
        ("format: slamodeler/v1\nname: x\n", "not a scenario file"),
        (
            "format: slamodeler-scenario/v1\nname: x\nstart: '2027-01'\nprocesses:\n"
            "  - name: p\n    frequency: {dist: poisson, rate_per_month: 1}\n"
            "    duration_minutes: {dist: exponential, mean: 10}\n    impact: {severe: 1}\n",
            "impact 'severe', which the contract does not weigh",
        ),
    ],
)
def test_bad_scenarios_exit_2_with_the_place(capsys, tmp_path, text, message):
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "simulate", CONTRACT, "--scenario", path, "--trials", "10")
    assert code == 2
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--trials", "0"], "--trials must be at least 1"),
        (["--workers", "0"], "--workers must be at least 1"),
        (["--years", "0"], "--years must be between 1 and 50"),
        (["--dump-trials", "20", "--trials", "10"], "--dump-trials must be between"),
        (["--dask", "tcp://127.0.0.1:1"], "cannot reach the Dask scheduler"),
    ],
)
def test_bad_options_exit_2(capsys, args, message):
    code, _, err = run(capsys, "simulate", CONTRACT, "--scenario", BASELINE, *args)
    assert code == 2 and message in err


def test_simulate_from_an_incident_history_fits_a_scenario_first(capsys):
    code, out, err = run(
        capsys,
        "simulate",
        SAMPLES / "quarterly_collaboration.yaml",
        "--incidents",
        SHARED_DATA / "github_status_incidents_2022_2026.csv",
        "--mapping",
        MAPPINGS / "github_status_2022_2026.yaml",
        "--trials",
        "500",
        "--format",
        "json",
    )
    assert code == 0, err
    assert "fitted from" in err
    doc = json.loads(out)
    # The GitHub history ends in 2026-08; the next quarter starts in October.
    assert doc["horizon"]["from"] == "2026-Q4"
    assert doc["scenario"]["name"]


def test_fit_then_simulate_the_written_scenario(capsys, tmp_path):
    out_file = tmp_path / "fitted.yaml"
    code, _, err = run(
        capsys,
        "fit",
        SHARED_DATA / "cloud_provider_status_incidents_2018_2020.csv",
        "--mapping",
        MAPPINGS / "cloud_status_2018_2020.yaml",
        "--start",
        "2027-01",
        "--out",
        out_file,
    )
    assert code == 0, err
    code, out, err = run(
        capsys,
        "simulate",
        SAMPLES / "ec2_region_sla.yaml",
        "--scenario",
        out_file,
        "--trials",
        "300",
        "--format",
        "json",
    )
    assert code == 0, err
    assert json.loads(out)["horizon"]["from"] == "2027-01"


def test_one_trial_gives_null_for_the_standard_error(capsys):
    code, out, _ = run(
        capsys, "simulate", CONTRACT, "--scenario", BASELINE, "--trials", "1", "--format", "json"
    )
    assert code == 0
    assert '"stderr": null' in out and "NaN" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--seed", "-1"], "the seed must be a whole number"),
        (["--mapping", "x.yaml"], "--mapping goes with --incidents"),
    ],
)
def test_more_bad_options_exit_2(capsys, args, message):
    code, _, err = run(capsys, "simulate", CONTRACT, "--scenario", BASELINE, *args)
    assert code == 2 and message in err


def test_catastrophe_causes_are_excluded_as_in_replay(capsys, tmp_path):
    scenario = tmp_path / "cat.yaml"
    scenario.write_text(
        "format: slamodeler-scenario/v1\nname: c\nstart: '2027-01'\ncatastrophes:\n"
        "  - {name: storm, rate_per_year: 5, minutes: {dist: exponential, mean: 300},"
        " cause: Force_Majeure, impact: Full}\n",
        encoding="utf-8",
    )
    code, out, err = run(
        capsys, "simulate", CONTRACT, "--scenario", scenario, "--trials", "20", "--format", "json"
    )
    assert code == 0, err
    assert all(t["mean"] == 0 for t in json.loads(out)["tiers"])  # force majeure is excluded
