"""`slamodeler sensitivity`: the tornado's table and JSON, the spider, the terms it can vary, and
the workbook's Sensitivity sheet."""

from __future__ import annotations

import json

import openpyxl

from tests.helpers.cli import run
from tests.helpers.paths import SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
BASELINE = SAMPLES / "scenarios" / "baseline.yaml"
TERMS = [
    "--term",
    "claims.claim_rate=0.4:0.9",
    "--term",
    "tiers[Gold].credits.bands[0].credit_pct=5:20",
    "--term",
    "stress.frequency=1:1",
]


def test_the_table_lists_the_bars_widest_first_with_their_changes(capsys):
    code, out, _ = run(
        capsys, "sensitivity", CONTRACT, "--scenario", BASELINE, *TERMS, "--trials", "300"
    )
    assert code == 0
    assert "credits paid per year (all tiers), USD; 300 trials, seed 1" in out
    rows = [line.split() for line in out.splitlines() if line.startswith(("claims", "tiers", "st"))]
    assert [r[0] for r in rows] == [
        "claims.claim_rate",
        "tiers[Gold].credits.bands[0].credit_pct",
        "stress.frequency",
    ]
    assert rows[0][1:4] == ["0.6", "0.4", "0.9"]
    assert rows[2][4:] == ["+0", "0", "+0", "0", "+0", "+0"]  # at its base: no width


def test_json_gives_each_bar_and_one_tiers_credits(capsys):
    code, out, _ = run(
        capsys, "sensitivity", CONTRACT, "--scenario", BASELINE, *TERMS, "--trials", "300",
        "--tier", "Gold", "--order", "p99", "--format", "json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["tiers"] == ["Gold"] and data["order"] == "p99"
    widths = [b["p99_width"] for b in data["bars"]]
    assert widths == sorted(widths, reverse=True)
    gold = next(b for b in data["bars"] if b["term"].startswith("tiers[Gold]"))
    assert gold["low"]["value"] == 5 and gold["high"]["value"] == 20
    assert gold["low"]["mean_change"] < 0 < gold["high"]["mean_change"]
    assert gold["high"]["mean_change_stderr"] > 0


def test_a_spider_walks_the_range_and_writes_its_sheet(capsys, tmp_path):
    out_file = tmp_path / "spider.xlsx"
    code, out, err = run(
        capsys, "sensitivity", CONTRACT, "--scenario", BASELINE, "--spider",
        "claims.claim_rate=0.2:1:5", "--trials", "300", "--xlsx", out_file,
    )  # fmt: skip
    assert code == 0 and f"wrote {out_file}" in err
    values = [line.split()[0] for line in out.splitlines()[4:]]
    assert values == ["0.2", "0.4", "0.6", "0.8", "1"]
    sheet = openpyxl.load_workbook(out_file)["Sensitivity"]
    assert sheet["A1"].value == "Sensitivity of claims.claim_rate"


def test_list_terms_shows_the_contracts_and_the_scenarios_paths(capsys):
    code, out, _ = run(capsys, "sensitivity", CONTRACT, "--scenario", BASELINE, "--list-terms")
    assert code == 0
    rows = {line.split("  ")[0]: line.split()[-2:] for line in out.splitlines()[2:]}
    assert rows["tiers[Gold].credits.bands[1].credit_pct"] == ["contract", "30"]
    assert rows["catastrophes[region loss].rate_per_year"] == ["scenario", "0.02"]
    assert "years" not in rows  # the horizon is --years, not a term
