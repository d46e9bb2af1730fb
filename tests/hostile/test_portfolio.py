"""Hostile input to `slamodeler portfolio`: an empty workspace, contracts that cannot share one
drawing (another currency or first month, a process that hits customers one by one),
a missing scenario, a contract key the workspace does not hold, an output over an input; each refused with exit 2 and
one message naming the contract, the field and the fix."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.cli import run
from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
BASELINE = SAMPLES / "scenarios" / "baseline.yaml"


def edited(tmp_path: Path, old: str, new: str, name: str = "deal.yaml") -> Path:
    text = CONTRACT.read_text()
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1))
    return path


def portfolio(capsys, *argv: object, names):
    return hostile(capsys, "portfolio", *argv, "--trials", "100", names=names)


def test_an_empty_workspace_is_refused_with_what_to_import(capsys, tmp_path):
    ws = tmp_path / "empty.slamws"
    assert run(capsys, "ws", "init", "--ws", ws, "--author", "a")[0] == 0
    assert run(capsys, "ws", "import-scenario", BASELINE, "--ws", ws, "--author", "a")[0] == 0
    code, _, _ = portfolio(
        capsys, "--ws", ws, "--scenario", "baseline", names=["empty.slamws", "import-contract"]
    )
    assert code == 2


def test_the_sample_workspace_mixes_currencies_and_is_refused_naming_the_contract(capsys, tmp_path):
    ws = tmp_path / "samples.slamws"
    assert run(capsys, "ws", "init", "--ws", ws, "--samples", "--author", "a")[0] == 0
    code, _, _ = portfolio(
        capsys,
        "--ws",
        ws,
        "--scenario",
        "baseline",
        names=["quarterly_collaboration@1 (latest, draft)", "currency", "EUR"],
    )
    assert code == 2


def test_quarters_that_start_apart_from_months_are_refused_with_a_start(capsys, tmp_path):
    quarterly = edited(tmp_path, "period: month", "period: quarter")
    code, _, _ = portfolio(
        capsys, CONTRACT, quarterly, "--scenario", BASELINE, "--start", "2027-02",
        names=[str(quarterly), "measurement.period", "--start 2027-04"],
    )  # fmt: skip
    assert code == 2


def test_a_process_hitting_customers_one_by_one_is_refused_for_several_contracts(capsys, tmp_path):
    text = BASELINE.read_text()
    assert "scope: {region: us-east-1}" in text
    one_by_one = tmp_path / "own.yaml"
    one_by_one.write_text(text.replace("scope: {region: us-east-1}", "scope: {independent: 0.1}"))
    code, _, _ = portfolio(
        capsys, CONTRACT, CONTRACT, "--scenario", one_by_one, names=["'regional'", "one by one"]
    )
    assert code == 2


def test_a_missing_contract_file_is_named(capsys, tmp_path):
    missing = tmp_path / "nope.yaml"
    code, _, _ = portfolio(capsys, CONTRACT, missing, "--scenario", BASELINE, names=str(missing))
    assert code == 2


def test_a_key_the_workspace_does_not_hold_or_no_contract_at_all_is_refused(capsys, tmp_path):
    ws = tmp_path / "x.slamws"
    for argv in (("init",), ("import-contract", CONTRACT), ("import-scenario", BASELINE)):
        assert run(capsys, "ws", *argv, "--ws", ws, "--author", "fay")[0] == 0
    code, _, _ = portfolio(
        capsys, "three_tier_clod", "--ws", ws, "--scenario", "baseline",
        names=["no contract 'three_tier_clod'", "three_tier_cloud"],
    )  # fmt: skip
    assert code == 2
    code, _, _ = portfolio(capsys, "--scenario", BASELINE, names="--ws")
    assert code == 2


def test_the_workbook_over_a_contract_file_is_refused(capsys, tmp_path):
    copy = tmp_path / "c.xlsx"
    copy.write_bytes(CONTRACT.read_bytes())
    code, _, _ = portfolio(
        capsys, CONTRACT, copy, "--scenario", BASELINE, "--xlsx", copy, names=["--xlsx", "destroy"]
    )
    assert code == 2
    assert copy.read_bytes() == CONTRACT.read_bytes()


def test_a_scenario_one_contract_cannot_run_names_that_contract(capsys, tmp_path):
    """The deal drops the weight of partial outages, which the scenario draws."""
    unweighed = edited(tmp_path, "impact_weights: {full: 1.0, partial: 0.3, degraded: 0.0}",
                       "impact_weights: {full: 1.0, degraded: 0.0}")  # fmt: skip
    code, _, _ = portfolio(
        capsys, CONTRACT, unweighed, "--scenario", BASELINE, names=[str(unweighed), "partial"]
    )
    assert code == 2


def test_a_scenario_missing_from_the_workspace_is_named_with_those_it_has(capsys, tmp_path):
    ws = tmp_path / "book.slamws"
    assert run(capsys, "ws", "init", "--ws", ws, "--samples", "--author", "a")[0] == 0
    code, _, _ = portfolio(capsys, "--ws", ws, "--scenario", "nope", names=["nope", "bad_year"])
    assert code == 2
