"""`slamodeler compare`: the table, the JSON, the workbook's Redline sheet, and two stored
versions compared with --ws."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from tests.helpers.cli import run
from tests.helpers.paths import SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
BASELINE = SAMPLES / "scenarios" / "baseline.yaml"


def gold_at_15(tmp_path: Path) -> Path:
    """Gold's first band at 15% instead of 10%, and the monthly window an hour shorter."""
    text = CONTRACT.read_text()
    text = text.replace("- {below: 99.99, credit_pct: 10}", "- {below: 99.99, credit_pct: 15}")
    text = text.replace("minutes: 240}", "minutes: 180}")
    path = tmp_path / "redline.yaml"
    path.write_text(text)
    return path


def test_the_table_shows_each_tier_the_portfolio_and_each_change(tmp_path, capsys):
    redline = gold_at_15(tmp_path)
    code, out, _ = run(
        capsys, "compare", CONTRACT, redline, "--scenario", BASELINE, "--trials", "500"
    )
    assert code == 0
    assert out.startswith(f"{redline} against {CONTRACT}: credits paid per year, USD; 500 trials")
    assert "measured on the same draws" in out
    for name in ("Bronze", "Silver", "Gold", "portfolio"):
        assert any(line.startswith(name) for line in out.splitlines())
    assert "Maintenance window 1, minutes: 240 -> 180" in out
    assert "Gold, band 1, credit %: 10 -> 15" in out


def test_json_and_workbook_agree(tmp_path, capsys):
    redline = gold_at_15(tmp_path)
    out_xlsx = tmp_path / "redline.xlsx"
    code, out, err = run(
        capsys, "compare", CONTRACT, redline, "--scenario", BASELINE, "--trials", "400",
        "--seed", "3", "--format", "json", "--xlsx", out_xlsx,
    )  # fmt: skip
    assert code == 0 and f"wrote {out_xlsx}" in err
    found = json.loads(out)
    assert (found["trials"], found["seed"], found["how"]) == (400, 3, "measured on the same draws")
    gold = next(t for t in found["tiers"] if t["name"] == "Gold")
    assert gold["mean"] > 0 and gold["p_costs_less"] == 0.0
    assert len(found["steps"]) == 2
    steps_total = sum(s["in_order"] for s in found["steps"])
    assert abs(steps_total - found["portfolio"]["mean"]) < 1e-6
    sheet = openpyxl.load_workbook(out_xlsx)["Redline"]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert list(rows["Statistic"][:4]) == ["Bronze", "Silver", "Gold", "portfolio"]
    assert rows["Difference: mean"][3] == found["portfolio"]["mean"]
    assert rows["Difference: P99"][2] == gold["p99"]


def test_two_stored_versions_under_a_stored_scenario(ws, tmp_path, capsys):
    code, _, _ = run(capsys, "ws", "import-contract", gold_at_15(tmp_path), "--ws", ws,
                     "--as", "three_tier_cloud")  # fmt: skip
    assert code == 0
    code, out, _ = run(
        capsys, "compare", "three_tier_cloud@1", "2", "--ws", ws, "--scenario", "baseline",
        "--trials", "300", "--format", "json",
    )  # fmt: skip
    assert code == 0
    found = json.loads(out)
    assert (found["base"], found["redline"]) == ("three_tier_cloud@1", "three_tier_cloud@2")
    assert found["portfolio"]["mean"] > 0


def test_a_start_moved_to_a_quarter_is_noted_once(capsys):
    quarterly = SAMPLES / "quarterly_collaboration.yaml"
    code, _, err = run(
        capsys, "compare", quarterly, quarterly, "--scenario", BASELINE, "--trials", "200",
        "--start", "2027-02",
    )  # fmt: skip
    assert code == 0
    notes = [line for line in err.splitlines() if line.startswith("note: Start moved")]
    assert notes == [
        "note: Start moved from 2027-02 to 2027-04: the contract measures calendar quarters"
    ]
