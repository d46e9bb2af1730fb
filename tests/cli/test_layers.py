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
