"""`slamodeler layers`: a table or JSON of several layers for a tier or the portfolio, the same
figures as the engine gives for the same seed, and the workbook with --xlsx."""

from __future__ import annotations

import json

import pytest

from slamodeler.domain.layers import parse_layer
from slamodeler.engine.exposure import exposures
from slamodeler.engine.layers import layer_figures
from slamodeler.engine.simulation import simulate
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from tests.helpers.cli import run
from tests.helpers.paths import SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
SCENARIO = SAMPLES / "scenarios" / "baseline.yaml"


def test_layers_as_json_are_the_engines_figures_for_the_seed(capsys):
    code, out, err = run(
        capsys, "layers", CONTRACT, "--scenario", SCENARIO, "--trials", "500", "--seed", "3",
        "--tier", "Gold", "--layer", "20kxs10k", "--layer", "unlimitedxs50000", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    found = json.loads(out)
    assert (found["series"], found["trials"], found["years"]) == ("Gold", 500, 1)
    run_ = simulate(load_contract(CONTRACT), load_scenario(SCENARIO), 500, 3)
    gold = next(e for e in exposures(run_) if e.name == "Gold").paid
    for given, text in zip(found["layers"], ["20kxs10k", "unlimitedxs50000"], strict=True):
        want = layer_figures(gold, parse_layer(text))
        assert given["expected"] == pytest.approx(want.expected)
        assert given["p_attach"] == pytest.approx(want.p_attach)
        assert given["p_exhaust_se"] == pytest.approx(want.p_exhaust_se)
    assert found["layers"][1]["limit"] is None


def test_layers_table_names_each_layer_with_its_standard_errors(capsys, tmp_path):
    book = tmp_path / "layers.xlsx"
    code, out, err = run(
        capsys, "layers", CONTRACT, "--scenario", SCENARIO, "--trials", "300",
        "--layer", "50000xs10000", "--layer", "200kxs60k", "--xlsx", book,
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("Layers of portfolio credits over a year, 300 trials")
    assert "50,000 xs 10,000" in out and "200,000 xs 60,000" in out and "±" in out
    assert f"wrote {book}" in err


def test_exact_layers_are_those_of_the_computed_distribution(capsys):
    from slamodeler.engine.exact import paid_distribution
    from slamodeler.engine.layers import distribution_layer

    terms, scen = SAMPLES / "ec2_region_sla.yaml", SAMPLES / "exact" / "platform_only.yaml"
    code, out, err = run(
        capsys, "layers", terms, "--scenario", scen, "--method", "exact",
        "--layer", "50kxs100k", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    assert "note: exact method" in err
    found = json.loads(out)
    assert (found["method"], found["trials"]) == ("exact", 0)
    values, probs = paid_distribution(load_contract(terms), load_scenario(scen), "portfolio")
    want = distribution_layer(values, probs, parse_layer("50kxs100k"))
    given = found["layers"][0]
    assert given["expected"] == pytest.approx(want.expected)
    assert (given["p_attach"], given["p_exhaust"]) == (want.p_attach, want.p_exhaust)
    assert given["expected_se"] == given["p_attach_se"] == 0
    assert found["mean"] == pytest.approx(float(values @ probs))


def _layers_json(capsys, *argv) -> dict:
    code, out, err = run(capsys, "layers", *argv, "--layer", "20kxs10k", "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_stored_version_scenario_and_fee_set_give_the_files_figures(ws, tmp_path, capsys):
    fees = tmp_path / "double.csv"
    rows = "".join(f"Gold,2027-{m:02d},24000\n" for m in range(1, 13))
    fees.write_text("tier,month,fee\n" + rows, encoding="utf-8")
    assert run(capsys, "ws", "add-fees", "double", fees, "--ws", ws)[0] == 0
    drawn = ("--trials", "400", "--seed", "5", "--tier", "Gold")
    from_files = _layers_json(capsys, CONTRACT, "--scenario", SCENARIO, "--fees", fees, *drawn)
    stored = _layers_json(
        capsys, "three_tier_cloud@1", "--scenario", "baseline", "--ws", ws, "--fees", "double",
        *drawn,
    )  # fmt: skip
    plain = _layers_json(capsys, CONTRACT, "--scenario", SCENARIO, *drawn)
    assert stored == from_files
    assert stored["mean"] == pytest.approx(2 * plain["mean"])  # Gold's fee doubled: every credit


def test_stored_inputs_with_the_exact_method_and_a_workbook(ws, tmp_path, capsys):
    one_process = SAMPLES / "exact" / "platform_only.yaml"
    assert run(capsys, "ws", "import-scenario", one_process, "--ws", ws)[0] == 0
    exact = _layers_json(
        capsys, "ec2_region_sla@1", "--scenario", "platform_only", "--ws", ws,
        "--method", "exact",
    )  # fmt: skip
    assert exact == _layers_json(
        capsys, SAMPLES / "ec2_region_sla.yaml", "--scenario", one_process,
        "--method", "exact",
    )  # fmt: skip
    assert exact["method"] == "exact" and exact["layers"][0]["expected_se"] == 0
    book = tmp_path / "layers.xlsx"
    code, _, err = run(
        capsys, "layers", "three_tier_cloud@1", "--scenario", "baseline", "--ws", ws,
        "--trials", "200", "--layer", "20kxs10k", "--xlsx", book,
    )  # fmt: skip
    assert code == 0 and f"wrote {book}" in err and book.is_file()


def test_stored_inputs_that_are_not_there_are_named(ws, capsys):
    code, _, err = run(
        capsys, "layers", "nosuch@1", "--scenario", "baseline", "--ws", ws, "--layer", "1xs1"
    )
    assert code == 2 and err.startswith("slamodeler: ") and "nosuch" in err
    code, _, err = run(
        capsys, "layers", "three_tier_cloud@1", "--scenario", "nosuch", "--ws", ws,
        "--layer", "1xs1",
    )  # fmt: skip
    assert code == 2 and err.startswith("slamodeler: ") and "nosuch" in err
