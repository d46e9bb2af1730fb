"""Bad support tickets in a scenario (``tickets``): rates and miss probabilities out of range,
missing or unknown keys and a priority given twice are refused naming the key and the fix;
priorities no support target names are simulated with a note that they credit nothing (a
scenario may serve several contracts, so a priority one contract lacks is not an error)."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

CONTRACT = """format: slamodeler/v1
name: Support
currency: USD
timezone: UTC
term: {start: 2027-01-01}
tiers:
  - name: T
    target_pct: 99.9
    monthly_fee: 1000
    credits: {kind: bands, bands: [{below: 99.9, credit_pct: 10}]}
    support:
      targets: [{priority: P1, respond_within_minutes: 15, credit_pct: 5}]
"""
SCENARIO = """format: slamodeler-scenario/v1
name: Tickets
start: "2027-01"
processes:
  - name: platform
    frequency: {dist: poisson, rate_per_month: 1}
    duration_minutes: {dist: exponential, mean: 30}
tickets:
"""


def _run(tmp_path, capsys, tickets: str, names: list[str]):
    contract, scenario = tmp_path / "support.yaml", tmp_path / "tickets.yaml"
    contract.write_text(CONTRACT, encoding="utf-8")
    scenario.write_text(SCENARIO + tickets, encoding="utf-8")
    args = ("simulate", contract, "--scenario", scenario, "--trials", "20")
    return hostile(capsys, *args, names=[scenario.name, *names])


@pytest.mark.parametrize(
    ("tickets", "names", "says"),
    [
        (
            "  - {priority: P1, per_month: -1, miss_probability: 0.1}\n",
            "tickets[0].per_month",
            "greater than or equal to 0",
        ),
        (
            "  - {priority: P1, per_month: .nan, miss_probability: 0.1}\n",
            "tickets[0].per_month",
            "finite number",
        ),
        (
            "  - {priority: P1, per_month: 20000, miss_probability: 0.1}\n",
            "tickets[0].per_month",
            "less than or equal to 10000",
        ),
        (
            "  - {priority: P1, per_month: 2, miss_probability: 1.5}\n",
            "tickets[0].miss_probability",
            "less than or equal to 1",
        ),
        (
            "  - {priority: P1, per_month: 2, miss_probability: -0.1}\n",
            "tickets[0].miss_probability",
            "greater than or equal to 0",
        ),
        (
            "  - {priority: P1, per_month: 2, miss_probability: 10%}\n",
            "tickets[0].miss_probability",
            "number",
        ),
        ("  - {priority: P1, per_month: 2}\n", "tickets[0].miss_probability", "missing"),
        (
            "  - {priority: ' ', per_month: 2, miss_probability: 0.1}\n",
            "tickets[0].priority",
            "at least 1 character",
        ),
        (
            "  - {priority: P1, per_month: 2, miss_probability: 0.1, misses: 3}\n",
            "tickets[0].misses",
            "unknown key",
        ),
        (
            "  - {priority: P1, per_month: 2, miss_probability: 0.1}\n"
            "  - {priority: p1, per_month: 1, miss_probability: 0.2}\n",
            "tickets[1].priority",
            "priority 'p1' is given twice",
        ),
        ("  {priority: P1}\n", "tickets", "list"),
    ],
)
def test_bad_tickets_are_refused_naming_the_key(tmp_path, capsys, tickets, names, says):
    code, _, err = _run(tmp_path, capsys, tickets, [names])
    assert code == 2
    assert says in err


def test_a_priority_no_target_names_is_simulated_with_a_note(tmp_path, capsys):
    tickets = (
        "  - {priority: P1, per_month: 2, miss_probability: 0.1}\n"
        "  - {priority: P9, per_month: 2, miss_probability: 0.1}\n"
    )
    code, out, err = _run(tmp_path, capsys, tickets, [])
    assert code == 0
    assert "scenario tickets of priorities 'p9': no tier has a support target" in out + err


def test_tickets_of_no_priority_the_tier_has_keep_the_not_simulated_note(tmp_path, capsys):
    tickets = "  - {priority: P2, per_month: 2, miss_probability: 0.1}\n"
    code, out, err = _run(tmp_path, capsys, tickets, [])
    assert code == 0
    assert "tier T: the scenario's tickets name none of its support priorities" in out + err


def test_an_empty_tickets_list_is_no_tickets_with_the_note(tmp_path, capsys):
    code, out, err = _run(tmp_path, capsys, "  []\n", [])
    assert code == 0
    assert "tier T: the scenario's tickets name none of its support priorities" in out + err


@pytest.mark.parametrize(
    ("extra", "names", "says"),
    [
        ([], ["--tickets needs --contract"], "which tickets were late"),
        (["--contract", "SUPPORT", "--tier", "Gold"], ["--tier"], "no tier named 'Gold'"),
        (["--contract", "PLAIN"], ["plain.yaml", "support.targets"], "no tier has support"),
    ],
)
def test_fit_tickets_without_targets_to_judge_them_is_refused(tmp_path, capsys, extra, names, says):
    support, plain = tmp_path / "support.yaml", tmp_path / "plain.yaml"
    support.write_text(CONTRACT, encoding="utf-8")
    plain.write_text(CONTRACT.split("    support:")[0], encoding="utf-8")
    files = {"SUPPORT": support, "PLAIN": plain}
    tickets = SAMPLES / "tickets_sample.csv"
    args = [
        SAMPLES / "incidents_sample.csv",
        "--tickets",
        tickets,
        *(files.get(a, a) for a in extra),
    ]
    code, _, err = hostile(capsys, "fit", *args, names=names)
    assert code == 2
    assert says in err


def test_fit_contract_without_tickets_is_refused(tmp_path, capsys):
    code, _, err = hostile(
        capsys, "fit", SAMPLES / "incidents_sample.csv", "--tier", "T", names=["--tickets"]
    )
    assert code == 2
    assert "go with --tickets FILE" in err
