"""`slamodeler profitability`: the table and JSON of margins and fees, and two versions priced on
the same draws, from files and from a workspace."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from slamodeler.engine.profitability import with_fee
from slamodeler.engine.simulation import reprice
from slamodeler.services.profitability import profitability_files
from slamodeler.services.simulation_session import SimulationRequest, exposures
from tests.helpers.cli import run
from tests.helpers.paths import SAMPLES

SAMPLE = SAMPLES / "three_tier_cloud.yaml"
BASELINE = SAMPLES / "scenarios" / "baseline.yaml"


def redline(tmp_path, old: str, new: str):
    path = tmp_path / "redline.yaml"
    path.write_text(SAMPLE.read_text().replace(old, new, 1))
    return path


def test_the_table_shows_each_tier_with_its_fees(capsys):
    code, out, err = run(
        capsys, "profitability", SAMPLE, "--scenario", BASELINE, "--trials", 500,
        "--target-margin", 0.4, "--tail-charge", 0.2,
    )  # fmt: skip
    assert code == 0, err
    head, columns = out.splitlines()[:2]
    assert "500 trial(s) (seed 1)" in head and "(12 months)" in head
    for name in ("break-even fee", "fee for 40%", "risk-adj. margin", "tail charge"):
        assert name in columns
    rows = {line.split()[0]: line.split() for line in out.splitlines()[3:7]}
    assert set(rows) == {"Bronze", "Silver", "Gold", "portfolio"}
    assert rows["Bronze"][1:3] == ["2,160,000", "1,008,000"]  # 1,500 and 700 x 120 x 12
    assert "Per customer" in out and "0.2 x (TVaR99 - mean)" in out


def test_json_fees_give_back_their_margins_when_priced(capsys, tmp_path):
    code, out, _ = run(
        capsys, "profitability", SAMPLE, "--scenario", BASELINE, "--trials", 400,
        "--format", "json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["format"] == "slamodeler-profitability/v1"
    gold = data["contract"]["tiers"][2]
    assert gold["name"] == "Gold" and gold["monthly_fee"] == 12000
    assert gold["per_customer"]["revenue"] == 144_000
    assert gold["margin"] == pytest.approx(gold["revenue"] - gold["cost"] - gold["credits_mean"])
    assert gold["risk_adjusted_margin"] == pytest.approx(gold["margin"] - gold["tail_charge"])
    assert abs(gold["break_even"]["margin"]) < 0.02 * 25 * 12
    assert gold["target"]["margin_share"] == pytest.approx(0.3, abs=1e-5)
    assert "against" not in data


def test_the_same_contract_against_itself_differs_by_exactly_nothing(capsys):
    code, out, _ = run(
        capsys, "profitability", SAMPLE, "--scenario", BASELINE, "--trials", 300,
        "--against", SAMPLE, "--format", "json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["how_against_was_priced"] == "re-priced on the same simulated trials"
    for d in data["differences"]:
        assert d["credits_mean"] == 0 and d["credits_stderr"] == 0 and d["margin"] == 0
        fees = (d["break_even_fee"], d["target_fee"])
        assert fees == ((None, None) if d["name"] == "portfolio" else (0, 0))


def test_a_redline_on_the_same_draws_has_a_far_smaller_standard_error(tmp_path):
    """Gold's 10% band raised to 12%: priced on the same trials, the standard error of the
    difference is a small share of what two independent runs would give."""
    other = redline(
        tmp_path, "- {below: 99.99, credit_pct: 10}", "- {below: 99.99, credit_pct: 12}"
    )
    found = profitability_files(SAMPLE, BASELINE, SimulationRequest(2000, 5), against=other)
    gold = next(d for d in found.differences if d.name == "Gold")
    a, b = (v.result.tiers[2] for v in (found.main, found.against))
    independent = (a.credits_stderr**2 + b.credits_stderr**2) ** 0.5
    assert gold.credits_mean > 0 and gold.credits_stderr * 10 < independent
    assert gold.margin == pytest.approx(-gold.credits_mean)


def test_a_version_measured_differently_is_simulated_again_on_the_same_draws(tmp_path, capsys):
    other = redline(tmp_path, "minutes: 240}", "minutes: 120}")
    code, out, err = run(
        capsys, "profitability", SAMPLE, "--scenario", BASELINE, "--trials", 300,
        "--against", other,
    )  # fmt: skip
    assert code == 0, err
    assert "simulated again on the same draws (seed 1): the new terms change how periods" in out
    found = profitability_files(SAMPLE, BASELINE, SimulationRequest(300, 1), against=other)
    # shorter maintenance windows exclude less: never fewer credits in any trial
    for a, b in zip(found.main.result.tiers, found.against.result.tiers, strict=True):
        assert (b.paid >= a.paid).all()


def test_a_fee_raised_in_the_other_version_moves_revenue_and_the_fees_not(tmp_path):
    other = redline(tmp_path, "monthly_fee: 1500", "monthly_fee: 1600")
    found = profitability_files(SAMPLE, BASELINE, SimulationRequest(500, 2), against=other)
    bronze = found.differences[0]
    assert bronze.revenue == 100 * 120 * 12
    main = found.main.simulation
    priced = exposures(reprice(main, with_fee(main.contract, "Bronze", Decimal("1600"))))[0]
    assert bronze.credits_mean == pytest.approx(
        priced.mean - found.main.result.tiers[0].credits_mean
    )
    assert abs(bronze.break_even_fee) <= 0.02  # the fee that breaks even does not depend on the fee


def test_stored_versions_from_a_workspace(ws, tmp_path, capsys):
    code, _, _ = run(
        capsys, "ws", "import-contract", redline(tmp_path, "monthly_fee: 12000", "monthly_fee: 13000"),
        "--ws", ws,
    )  # fmt: skip
    assert code == 0
    code, out, err = run(
        capsys, "profitability", "--ws", ws, "three_tier_cloud@1", "--scenario", "baseline",
        "--against", "three_tier_cloud@2", "--trials", 300,
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("three_tier_cloud@1 (")
    assert (
        "three_tier_cloud@2 less three_tier_cloud@1 (re-priced on the same simulated trials)" in out
    )
    gold = next(line for line in out.splitlines() if line.startswith("Gold ") and "+" in line)
    assert gold.split()[1] == "+300,000"  # 1,000 x 25 x 12
