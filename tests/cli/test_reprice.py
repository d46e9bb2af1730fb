"""`slamodeler reprice RUN CONTRACT`: a stored simulation priced under other terms gives what
simulating them with the run's seed and trials gives, compared with the stored result; stored
as a run (which `ws rerun` reproduces) when the terms are a version."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from slamodeler.cli.main import main
from tests.helpers.paths import SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
RUN = ("--trials", "500", "--seed", "4")


def cli(capsys, *argv: object) -> tuple[str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out, err


@pytest.fixture
def ws(tmp_path: Path, capsys) -> Path:
    """A workspace with run 1: the sample contract under the bad year, 500 trials, seed 4; and a
    redline with larger credits stored as version 2."""
    path = tmp_path / "r.slamws"
    common = ("--ws", path, "--author", "Ana")
    cli(capsys, "ws", "init", *common)
    cli(capsys, "ws", "import-contract", CONTRACT, *common)
    cli(capsys, "ws", "import-scenario", SAMPLES / "scenarios" / "bad_year.yaml", *common)
    cli(capsys, "ws", "simulate", "three_tier_cloud@1", "bad_year", *RUN, *common)
    redline = tmp_path / "redline.yaml"
    redline.write_text(CONTRACT.read_text().replace("credit_pct: 25", "credit_pct: 30"))
    cli(capsys, "ws", "import-contract", redline, "--as", "three_tier_cloud", *common)
    return path


def test_a_version_re_priced_is_what_simulating_it_gives_and_is_stored(ws, capsys):
    out, err = cli(capsys, "reprice", "1", "three_tier_cloud@2", "--ws", ws, "--format", "json")
    doc = json.loads(out)
    source = doc.pop("repriced_from")
    assert source["method"] == "re-priced" and source["stored_as_run"] == 2
    assert "stored as run 2; `slamodeler ws rerun 2` reproduces it" in err
    again, _ = cli(capsys, "ws", "simulate", "three_tier_cloud@2", "bad_year", *RUN, "--ws", ws,
                   "--format", "json")  # fmt: skip
    assert doc == json.loads(again)
    listed, _ = cli(capsys, "ws", "list", "--ws", ws)
    assert (
        "2  simulate three_tier_cloud@2 under bad_year, 500 trials, seed 4, re-priced from run 1"
        in listed
    )
    out, _ = cli(capsys, "ws", "rerun", "2", "--ws", ws)
    assert (
        "run 2 (simulate three_tier_cloud@2 under bad_year, 500 trials, seed 4, re-priced from "
        "run 1): reproduced exactly" in out
    )
    gold = next(row for row in source["comparison"] if row["series"] == "Gold")
    assert gold["mean"][0] == gold["mean"][1]  # Gold's terms did not change
    bronze = next(row for row in source["comparison"] if row["series"] == "Bronze")
    assert bronze["p99"][1] > bronze["p99"][0]


def test_the_table_compares_the_stored_result_with_the_new_one(ws, capsys):
    out, _ = cli(capsys, "reprice", "1", "three_tier_cloud@2", "--ws", ws)
    stored = json.loads(cli(capsys, "ws", "rerun", "1", "--ws", ws, "--format", "json")[0])
    now = json.loads(cli(capsys, "ws", "rerun", "2", "--ws", ws, "--format", "json")[0])
    table = out.split("Stored run 1 against the terms now (credits paid over the horizon):\n")[1]
    row = next(line for line in table.splitlines() if line.startswith("Bronze")).split()
    before, after = stored["tiers"][0]["mean"], now["tiers"][0]["mean"]
    assert row[1:4] == [f"{before:,.0f}", f"{after:,.0f}", f"{after - before:+,.0f}"]


def test_terms_measured_otherwise_are_measured_again_on_the_same_draws(ws, tmp_path, capsys):
    longer = tmp_path / "longer.yaml"
    longer.write_text(
        CONTRACT.read_text().replace("min_downtime_minutes: 1", "min_downtime_minutes: 30")
    )
    book = tmp_path / "out.xlsx"
    out, err = cli(capsys, "reprice", "1", longer, "--ws", ws, "--format", "json", "--xlsx", book)
    doc = json.loads(out)
    source = doc.pop("repriced_from")
    assert source["method"] == "re-measured"
    assert source["measurement_changes"] == ["measurement.min_downtime_minutes"]
    assert "not stored: the terms are a file" in err
    fresh, _ = cli(capsys, "simulate", longer, "--scenario", SAMPLES / "scenarios" / "bad_year.yaml",
                   *RUN, "--format", "json")  # fmt: skip
    assert doc["tiers"] == json.loads(fresh)["tiers"]
    sheet = openpyxl.load_workbook(book)["Exposure"]
    rows = {sheet.cell(r, 1).value: r for r in range(5, 40) if sheet.cell(r, 1).value}
    assert sheet.cell(rows["Mean"], 2).value == pytest.approx(doc["tiers"][0]["mean"], abs=0.005)
