"""`slamodeler portfolio`: a workspace's contracts at their approved version (else their latest),
the JSON agreeing with `simulate` for a portfolio of one, and the workbook's Portfolio sheet."""

from __future__ import annotations

import json

import openpyxl
import pytest

from tests.helpers.cli import run
from tests.helpers.paths import SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
BASELINE = SAMPLES / "scenarios" / "baseline.yaml"


def test_a_portfolio_of_one_contract_prints_what_simulate_prints(capsys):
    common = ("--scenario", BASELINE, "--trials", "1500", "--seed", "4", "--format", "json")
    code, out, _ = run(capsys, "portfolio", CONTRACT, *common)
    assert code == 0
    found = json.loads(out)
    code, out, _ = run(capsys, "simulate", CONTRACT, *common)
    own = json.loads(out)["portfolio"]
    (member,) = found["contracts"]
    for key in ("mean", "p95", "p99", "tvar99"):
        assert member[key] == own[key] == found["portfolio"][key]
    assert member["ci95"] == own["ci95"] == found["portfolio"]["ci95"]
    assert member["tvar99_contribution"] == pytest.approx(own["tvar99"], rel=1e-12)
    assert member["tvar99_share"] == pytest.approx(1.0)
    assert found["diversification_benefit"] == 0.0


def test_a_workspace_prices_the_approved_version_else_the_latest(tmp_path, capsys):
    ws = tmp_path / "book.slamws"
    quiet = tmp_path / "quiet.yaml"  # another contract: Gold alone, fee doubled
    text = CONTRACT.read_text().replace("name: Example Cloud Compute", "name: Quiet deal", 1)
    quiet.write_text(text.replace("monthly_fee: 12000", "monthly_fee: 24000"))
    redline = tmp_path / "three_tier_cloud.yaml"  # the same contract, version 2: not approved
    redline.write_text(CONTRACT.read_text().replace("credit_pct: 10}", "credit_pct: 12}"))
    for argv in (
        ("init",),
        ("import-contract", CONTRACT),
        ("approve", "three_tier_cloud@1", "--reason", "signed"),
        ("import-contract", redline),
        ("import-contract", quiet),
        ("import-scenario", BASELINE),
    ):
        code, _, err = run(capsys, "ws", *argv, "--ws", ws, "--author", "fay")
        assert code == 0, err
    out_xlsx = tmp_path / "book.xlsx"
    code, out, err = run(
        capsys, "portfolio", "--ws", ws, "--scenario", "baseline", "--trials", "800",
        "--seed", "2", "--xlsx", out_xlsx,
    )  # fmt: skip
    assert code == 0, err
    assert f"wrote {out_xlsx}" in err
    rows = [line.split("  ")[0] for line in out.splitlines()]
    assert "quiet@1 (latest, draft)" in rows
    assert "three_tier_cloud@1 (approved)" in rows
    assert not any("three_tier_cloud@2" in line for line in out.splitlines())
    assert out.splitlines()[0].startswith("2 contracts on the same simulated incidents")
    lines = out.splitlines()
    assert any(line.startswith("Diversification benefit: ") for line in lines)
    assert lines[-1].startswith("portfolio ") and " to " in lines[-1]  # its 95% intervals
    book = openpyxl.load_workbook(out_xlsx)
    assert book.sheetnames[1] == "Portfolio"
    labels = [r[0] for r in book["Portfolio"].iter_rows(min_row=5, max_row=7, values_only=True)]
    assert labels == ["quiet@1 (latest, draft)", "three_tier_cloud@1 (approved)", "Portfolio"]
    code, out, err = run(
        capsys, "portfolio", "quiet", "--ws", ws, "--scenario", "baseline", "--trials", "800",
        "--seed", "2",
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[0].startswith("1 contract on the same simulated incidents")
    assert "quiet@1 (latest, draft)" in out and "three_tier_cloud" not in out
