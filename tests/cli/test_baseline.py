"""`slamodeler baseline`: the table and JSON a user reads, with the default template, a contract
file, and a stored incident set (--ws)."""

from __future__ import annotations

import json

import pytest

from tests.helpers.cli import run
from tests.helpers.paths import SAMPLES

# Jan: 60 min down; Feb: none; Mar: 600 min; Apr: 30 min (tests/engine/test_baseline.py)
HISTORY = (
    "id,start,end,impact\n"
    "A,2024-01-10T10:00:00Z,2024-01-10T11:00:00Z,full\n"
    "B,2024-02-01T00:00:00Z,2024-02-01T00:00:00Z,full\n"
    "C,2024-03-05T00:00:00Z,2024-03-05T10:00:00Z,full\n"
    "D,2024-04-20T12:00:00Z,2024-04-20T12:30:00Z,full\n"
)


@pytest.fixture
def history(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text(HISTORY, encoding="utf-8")
    return path


def test_the_table_says_the_target_the_share_met_and_each_candidates_cost(history, capsys):
    code, out, err = run(
        capsys, "baseline", history, "--share", "0.75", "--targets", "99.0", "99.9"
    )
    assert code == 0, err
    assert "measured by default template" in out
    assert (
        "Suggested target: 99.8655% - met in 3 of 4 periods (75.0%); asked: 75%, at least 3 of 4."
        in out
    )
    assert "Set by 2024-01 (99.865591%), the 3rd best period; 1 period(s) at exactly that" in out
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.startswith("  99")}
    assert rows["99.0%"][1:4] == ["1", "75.0%", "100.00"]
    assert rows["99.9%"][1:4] == ["2", "50.0%", "350.00"]
    assert rows["99.8655%"][1:5] == ["(suggested)", "1", "75.0%", "250.00"]


def test_json_gives_the_definition_inputs_and_each_period(history, capsys):
    code, out, _ = run(
        capsys, "baseline", history, "--format", "json", "--share", "95%", "--targets", "99.9"
    )
    assert code == 0
    tier = json.loads(out)["tiers"][0]
    assert (tier["periods"], tier["needed_periods"], tier["deciding_period"]) == (4, 4, "2024-03")
    assert tier["suggested_target_pct"] == 98.6559 and tier["share_met"] == 1.0
    assert tier["share_met_interval_95"] == [round(0.025 ** (1 / 4), 6), 1.0]  # 4 of 4 met
    assert [p["period"] for p in tier["availability"]] == [
        "2024-01",
        "2024-02",
        "2024-03",
        "2024-04",
    ]
    assert [c["target_pct"] for c in tier["candidates"]] == [98.6559, 99.9]
    assert tier["candidates"][1]["missed"] == ["2024-01", "2024-03"]


def test_a_contract_file_is_the_template_for_each_tier(history, capsys):
    contract = SAMPLES / "three_tier_cloud.yaml"
    mapped = history.parent / "scoped.csv"
    mapped.write_text(
        HISTORY.replace("id,start,end,impact", "id,start,end,impact,service,region").replace(
            ",full\n", ",full,Compute,us-east-1\n"
        ),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "baseline", mapped, "--contract", contract, "--share", "0.5")
    assert code == 0, err
    assert [line.split()[1] for line in out.splitlines() if line.startswith("Tier ")] == [
        "Bronze",
        "Silver",
        "Gold",
    ]
    assert "All 120 customer(s)" in out


def test_a_stored_incident_set_with_ws(history, tmp_path, capsys):
    ws = tmp_path / "w.slamws"
    assert run(capsys, "ws", "init", "--ws", ws)[0] == 0
    assert run(capsys, "ws", "import-incidents", history, "--as", "hist", "--ws", ws)[0] == 0
    code, out, err = run(capsys, "baseline", "hist", "--ws", ws, "--share", "0.75")
    assert code == 0, err
    assert "Suggested target: 99.8655%" in out


def test_a_stored_version_is_the_template_with_ws(history, tmp_path, capsys):
    ws = tmp_path / "w.slamws"
    assert run(capsys, "ws", "init", "--ws", ws, "--samples")[0] == 0
    assert run(capsys, "ws", "import-incidents", history, "--as", "hist", "--ws", ws)[0] == 0
    code, out, err = run(
        capsys,
        "baseline",
        "hist",
        "--ws",
        ws,
        "--contract",
        "three_tier_cloud@1",
        "--format",
        "json",
    )
    assert code == 0, err
    found = json.loads(out)
    assert found["template"] == "three_tier_cloud@1"
    assert [t["tier"] for t in found["tiers"]] == ["Bronze", "Silver", "Gold"]


def test_under_a_claim_window_the_table_says_each_claim_counts_as_a_period(history, capsys):
    contract = SAMPLES / "real" / "cloudflare_r2.yaml"
    code, out, err = run(capsys, "baseline", history, "--contract", contract, "--share", "0.5")
    assert code == 0, err
    assert "Measured over the 30 days before each claim" in out
    assert "each of those counts as a period." in out
