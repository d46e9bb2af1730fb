"""The tail statistics' 95% confidence intervals as `simulate` shows them: in the JSON, the
table and the workbook's Exposure sheet, the same numbers around each estimate."""

from __future__ import annotations

import json

import openpyxl
import pytest

from slamodeler.cli.main import main
from tests.helpers.paths import SAMPLES

ARGS = [
    str(SAMPLES / "three_tier_cloud.yaml"),
    "--scenario",
    str(SAMPLES / "scenarios" / "bad_year.yaml"),
    "--trials",
    "2000",
    "--seed",
    "11",
]
NAMES = {"p95": "P95", "p99": "P99", "tvar99": "TVaR 99%"}


def test_json_table_and_workbook_show_the_same_intervals(capsys, tmp_path):
    book = tmp_path / "out.xlsx"
    assert main(["simulate", *ARGS, "--format", "json", "--xlsx", str(book)]) == 0
    doc = json.loads(capsys.readouterr().out)
    series = [*doc["tiers"], doc["portfolio"]]
    for block in series:
        assert block["ci95"].keys() == NAMES.keys()
        for key, (low, high) in block["ci95"].items():
            assert low <= block[key] <= high
    gold = doc["tiers"][2]["ci95"]
    assert gold["p99"] == [522000.0, 558000.0]  # the 1,971st and 1,989th of 2,000 trials

    assert main(["simulate", *ARGS]) == 0
    table = capsys.readouterr().out
    intervals = table.split("95% confidence intervals (docs/statistics.md):\n")[1]
    gold_row = next(line for line in intervals.splitlines() if line.startswith("Gold"))
    for low, high in gold.values():
        assert f"{low:,.0f} to {high:,.0f}" in gold_row

    sheet = openpyxl.load_workbook(book)["Exposure"]
    rows = {sheet.cell(r, 1).value: r for r in range(5, 40) if sheet.cell(r, 1).value}
    for column, block in enumerate(series, 2):
        for key, name in NAMES.items():
            low, high = block["ci95"][key]
            at_low = sheet.cell(rows[f"{name}, 95% confidence low"], column).value
            at_high = sheet.cell(rows[f"{name}, 95% confidence high"], column).value
            assert (at_low, at_high) == (
                pytest.approx(low, abs=0.005),
                pytest.approx(high, abs=0.005),
            )
