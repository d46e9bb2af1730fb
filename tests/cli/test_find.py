"""`slamodeler find`: the answer in words, as JSON, and in the workbook."""

from __future__ import annotations

import json

import openpyxl

from tests.helpers.cli import run
from tests.helpers.paths import SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
BASELINE = SAMPLES / "scenarios" / "baseline.yaml"
FEE = "tiers[Gold].monthly_fee"


def find(capsys, *more: object):
    return run(
        capsys, "find", CONTRACT, "--scenario", BASELINE, "--trials", "500", "--seed", "3", *more
    )


def test_the_break_even_fee_in_words_with_its_uncertainty(capsys):
    code, out, _ = find(capsys, "--term", FEE, "--statistic", "margin", "--budget", "0",
                        "--tier", "Gold")  # fmt: skip
    assert code == 0
    first = out.splitlines()[0]
    assert first.startswith(
        f"{FEE}: the lowest value that keeps expected margin per year of tier Gold at least "
        "0.00 USD is "
    )
    assert first.endswith("(now 12000).")
    assert "Uncertainty of the answer: " in out
    assert "500 trials, seed 3, 1 simulation(s)" in out


def test_json_has_the_answer_its_interval_and_every_value_priced(capsys):
    code, out, _ = find(capsys, "--term", "tiers[Gold].credits.bands[0].credit_pct",
                        "--statistic", "mean", "--budget", "300000", "--json")  # fmt: skip
    assert code == 0
    found = json.loads(out)
    assert found["extreme"] == "highest" and found["tier"] is None
    low, high = map(float, found["interval"])
    assert low <= float(found["answer"]) <= high
    assert found["at_answer"]["statistic"] <= 300000
    values = [float(p["value"]) for p in found["points"]]
    assert values == sorted(values) and found["within"] == ["0", "30"]
    assert found["notes"] and "narrowed to 0:30" in found["notes"][0]


def test_the_workbook_has_a_finder_sheet_and_the_contract_at_the_answer(capsys, tmp_path):
    out = tmp_path / "find.xlsx"
    code, text, err = find(capsys, "--term", FEE, "--statistic", "margin", "--budget", "0",
                           "--tier", "Gold", "--xlsx", out)  # fmt: skip
    assert code == 0 and f"wrote {out}" in err
    book = openpyxl.load_workbook(out)
    sheet = book["Finder"]
    assert book.sheetnames.index("Finder") == book.sheetnames.index("Exposure") + 1
    rows = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    answer = text.split(" is ", 1)[1].split(" ")[0]
    assert str(rows["Answer"]) == answer
    assert rows["Term"] == FEE and rows["Budget"] == 0
    assert sheet._charts  # the statistic against the term
