"""`slamodeler slo`: what a user reads from budget, policy, objective, export and import."""

from __future__ import annotations

import json

import pytest

from tests.helpers.cli import run
from tests.helpers.paths import SAMPLES

EC2 = SAMPLES / "ec2_region_sla.yaml"
THREE = SAMPLES / "three_tier_cloud.yaml"
# April 2024 (UTC, 43,200 min): a full outage of 30 min and a partial one (weight 0.3) of 60
APRIL = (
    "id,start,end,impact\n"
    "A,2024-04-03T10:00:00Z,2024-04-03T10:30:00Z,full\n"
    "B,2024-04-20T00:00:00Z,2024-04-20T01:00:00Z,partial\n"
)
CONTRACT = """format: slamodeler/v1
name: Example API
currency: USD
timezone: UTC
term: {start: 2024-01-01, months: 12}
tiers:
  - name: API
    target_pct: 99.9
    monthly_fee: 1000
    credits: {kind: bands, bands: [{below: 99.9, credit_pct: 10}]}
"""


@pytest.fixture
def files(tmp_path):
    contract, incidents = tmp_path / "api.yaml", tmp_path / "april.csv"
    contract.write_text(CONTRACT, encoding="utf-8")
    incidents.write_text(APRIL, encoding="utf-8")
    return contract, incidents


def test_budget_shows_the_periods_budget_spend_and_each_incidents_burn(files, capsys):
    code, out, err = run(capsys, "slo", "budget", *files)
    assert code == 0, err
    rows = [line.split() for line in out.splitlines()]
    assert ["2024-04", "43,200.00", "43.20", "48.00", "111.1%", "-4.80"] in rows
    assert ["2024-04", "A", "30.00", "30.00", "69.4%", "1,000.0x"] in rows
    assert ["2024-04", "B", "60.00", "18.00", "41.7%", "300.0x"] in rows
    assert "partial (weight 0.3) spends a budget minute in 3.33333 minutes" in out
    assert "2 outage(s) (overlapping incidents merged) in 43,200.00 minutes: MTTR 45.00 min" in out


def test_budget_so_far_gives_the_pace_in_the_period_the_instant_falls_in(files, capsys):
    code, out, _ = run(capsys, "slo", "budget", *files, "--at", "2024-04-10T00:00Z")
    assert code == 0
    assert out.splitlines()[-1] == (
        "  So far, at 2024-04-10 00:00 UTC: 30.0% of 2024-04 gone, 69.4% of its budget spent: "
        "burn rate 2.31x; at this pace it is gone by 2024-04-13 23:02 UTC"
    )
    assert "  2024-04  B" not in out  # not yet begun
    assert "1 outage(s) (overlapping incidents merged) in 12,960.00 minutes" in out  # 9 days


def test_budget_without_incidents_needs_the_periods_and_gives_each_budget(files, capsys):
    code, out, _ = run(
        capsys,
        "slo",
        "budget",
        files[0],
        "--from",
        "2024-02",
        "--to",
        "2024-03",
        "--objective",
        "99.95",
        "--format",
        "json",
    )
    assert code == 0
    periods = json.loads(out)["tiers"][0]["periods"]
    # February 2024 has 29 days: 41,760 minutes, 0.05% of them
    assert [p["budget_minutes"] for p in periods] == [20.88, 22.32]


def test_policy_prints_the_workbooks_table_for_999_over_30_days(files, capsys):
    code, out, _ = run(capsys, "slo", "policy", files[0])
    assert code == 0
    rows = [line.split() for line in out.splitlines() if line.startswith(("page", "ticket"))]
    assert [r[:8] for r in rows] == [
        ["page", "2%", "1", "h", "5", "min", "14.4x", "0.86"],
        ["page", "5%", "6", "h", "30", "min", "6x", "2.16"],
        ["ticket", "10%", "3", "d", "6", "h", "1x", "4.32"],
    ]


def test_policy_for_a_31_day_month_in_json(files, capsys):
    code, out, _ = run(capsys, "slo", "policy", files[0], "--days", "31", "--format", "json")
    assert code == 0
    assert [r["burn_rate"] for r in json.loads(out)["rules"]] == [14.88, 6.2, 31 / 30]


def test_an_unreachable_rule_never_fires_in_the_table_and_is_null_in_json(capsys):
    argv = ("slo", "policy", THREE, "--tier", "Gold", "--objective", "93")
    code, out, _ = run(capsys, *argv)
    assert code == 0
    rows = [line.split() for line in out.splitlines() if line.startswith(("page", "ticket"))]
    assert [r[-2:] for r in rows] == [
        ["(unreachable)", "never"],
        ["151.20", "min"],
        ["302.40", "min"],
    ]
    code, out, _ = run(capsys, *argv, "--format", "json")
    rules = json.loads(out)["rules"]
    assert [r["full_outage_fires_in_minutes"] for r in rules] == [None, 151.2, 302.4]


def test_a_threshold_under_1x_over_a_week_is_explained(capsys):
    code, out, _ = run(capsys, "slo", "policy", THREE, "--tier", "Gold", "--days", "7")
    assert code == 0
    assert "0.233333x" in out
    assert "below 1x:" in out and "would not spend the budget" in out
    code, out, _ = run(capsys, "slo", "policy", THREE, "--tier", "Gold")
    assert "below 1x" not in out


def test_objective_exact_names_the_objective_and_the_scenarios_mttr(capsys):
    code, out, err = run(
        capsys, "slo", "objective", EC2, "--scenario", SAMPLES / "exact" / "platform_only.yaml"
    )
    assert code == 0, err
    assert "Internal objective: 99.9902% keeps P(breach) at or under 0.05" in out
    assert "P(a period misses 99.99%) = 0.8316" in out
    assert "MTTR 82.4 min, MTBF 16.84 days, 1.8 incidents a month" in out


def test_objective_simulated_gives_its_error_in_json(capsys):
    code, out, _ = run(
        capsys,
        "slo",
        "objective",
        EC2,
        "--scenario",
        SAMPLES / "exact" / "platform_only.yaml",
        "--method",
        "monte-carlo",
        "--trials",
        "2000",
        "--breach",
        "10%",
        "--format",
        "json",
    )
    assert code == 0
    found = json.loads(out)
    at = found["at_objective"]
    assert found["breach_level"] == 0.1 and found["method"] == "monte-carlo"
    assert at["breach_probability"] + 1.96 * at["breach_probability_se"] <= 0.1
    assert at["breach_probability_se"] > 0


def test_export_then_import_gives_back_the_target(files, tmp_path, capsys):
    out, back = tmp_path / "slo.yaml", tmp_path / "back.yaml"
    code, text, _ = run(capsys, "slo", "export", files[0], "--objective", "99.95", "--out", out)
    assert code == 0 and "3 alert policies for tier API at 99.95%" in text
    code, text, _ = run(capsys, "slo", "import", out, "--out", back)
    assert code == 0 and "tier API, target 99.95% (monthly, UTC)" in text
    code, _, _ = run(capsys, "validate", back)
    assert code == 0
