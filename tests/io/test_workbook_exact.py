"""`simulate --method exact --xlsx`: the workbook of a computed result says so on every sheet
that shows it, holds the exact method's figures, and has no row or chart of trials."""

from __future__ import annotations

import json

import openpyxl
import pytest

from slamodeler.cli.main import main
from tests.helpers.paths import SAMPLES

EC2 = SAMPLES / "ec2_region_sla.yaml"
ONE = SAMPLES / "exact" / "platform_only.yaml"


def rows_of(sheet) -> dict[str, tuple]:
    return {r[0]: r[1:] for r in sheet.iter_rows(values_only=True) if r and r[0]}


def test_the_exposure_sheet_holds_the_computed_figures_and_no_trials(tmp_path, capsys):
    out = tmp_path / "exact.xlsx"
    args = ["simulate", str(EC2), "--scenario", str(ONE), "--method", "exact", "--format", "json"]
    assert main([*args, "--xlsx", str(out)]) == 0
    captured = capsys.readouterr()
    found = json.loads(captured.out)
    assert "computed figures (no trials)" in captured.err
    book = openpyxl.load_workbook(out)
    sheet = book["Exposure"]
    assert "exact method" in sheet["A1"].value and "not sampled" in sheet["A2"].value
    rows = {label: row for label, row in rows_of(sheet).items() if len(label) < 60}
    (tier,) = found["tiers"]
    assert rows["Mean"][:2] == pytest.approx([tier["mean"], found["portfolio"]["mean"]], abs=0.01)
    assert rows["P99"][0] == pytest.approx(tier["p99"], abs=0.01)
    assert rows["TVaR 99% (mean of the worst 1%)"][0] == pytest.approx(tier["tvar99"], abs=0.01)
    assert not [label for label in rows if "Trials" in str(label) or "confidence" in str(label)]
    assert not sheet._charts  # no histogram of trials, no convergence chart


def test_summary_and_assumptions_say_computed_not_sampled(tmp_path, capsys):
    out = tmp_path / "exact.xlsx"
    args = ["simulate", str(EC2), "--scenario", str(ONE), "--method", "exact"]
    assert main([*args, "--xlsx", str(out)]) == 0
    capsys.readouterr()
    book = openpyxl.load_workbook(out)
    summary = {r[1]: r[2:] for r in book["Summary"].iter_rows(values_only=True) if r[1]}
    assert summary["Simulation"][0].startswith("exact method (computed, not sampled: no trials)")
    assert "Computed mean" in summary["Tier"] and "Simulated mean" not in summary["Tier"]
    assumptions = rows_of(book["Assumptions"])
    assert assumptions["Method"][0].startswith("exact: the distributions computed, not sampled")
    assert "Seed" not in assumptions and "Trials" not in assumptions
    assert assumptions["Scenario"][0] == "Platform only"
