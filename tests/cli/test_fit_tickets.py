"""``slamodeler fit --tickets``: per priority of a tier's response targets, the tickets opened a
month and the share answered late by replay's rule, written into the fitted scenario."""

from __future__ import annotations

import json

from slamodeler.cli.main import main
from slamodeler.io.scenario_file import load_scenario
from tests.helpers.cli import run
from tests.helpers.paths import SAMPLES
from tests.helpers.ticket_terms import SUPPORT_CONTRACT

TICKETS = SAMPLES / "tickets_sample.csv"
INCIDENTS = SAMPLES / "incidents_sample.csv"


def test_fit_writes_ticket_rates_and_late_shares_into_the_scenario(capsys, tmp_path):
    contract, out = tmp_path / "support.yaml", tmp_path / "fitted.yaml"
    contract.write_text(SUPPORT_CONTRACT, encoding="utf-8")
    args = [INCIDENTS, "--tickets", TICKETS, "--contract", contract, "--out", out]
    assert main(["fit", *map(str, args)]) == 0
    err = capsys.readouterr().err
    assert "ticket priorities without a response target in tier Business: 'p3'" in err
    # service-hours clock: P1 T-107 unanswered and past 15 minutes by the export's end; P2 T-103
    # (75 min) and T-108 (90 min) late, T-104 in time; March and April: 2 months
    tickets = load_scenario(out).tickets
    assert tickets is not None
    assert [(t.priority, t.per_month, t.miss_probability) for t in tickets] == [
        ("p1", 2.0, 0.25),
        ("p2", 1.5, 0.6667),
    ]
    assert main(["fit", *map(str, args[:-2]), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["tickets"][1] == {
        "priority": "p2",
        "per_month": 1.5,
        "miss_probability": 0.6667,
        "tickets": 3,
        "months": 2,
        "late": 2,
        "judged": 3,
    }
    assert data["scenario"]["tickets"][0]["per_month"] == 2.0


def test_fit_without_tickets_leaves_the_scenario_without_them(capsys):
    assert main(["fit", str(INCIDENTS), "--format", "json"]) == 0
    assert "tickets" not in json.loads(capsys.readouterr().out)["scenario"]


def test_fit_with_ws_takes_a_stored_ticket_set_by_its_key(ws, capsys, tmp_path):
    contract = tmp_path / "support.yaml"
    contract.write_text(SUPPORT_CONTRACT, encoding="utf-8")
    code, _, err = run(capsys, "ws", "add-tickets", "march", TICKETS, "--ws", ws)
    assert code == 0, err
    fit = ["fit", INCIDENTS, "--contract", contract, "--format", "json"]
    code, out, err = run(capsys, *fit, "--tickets", "march", "--ws", ws)
    assert code == 0, err
    stored = json.loads(out)["tickets"]
    assert [(t["priority"], t["per_month"], t["late"]) for t in stored] == [
        ("p1", 2.0, 1),
        ("p2", 1.5, 2),
    ]
    code, out, _ = run(capsys, *fit, "--tickets", TICKETS)
    assert code == 0 and json.loads(out)["tickets"] == stored  # the set fits as its file
    code, out, err = run(capsys, *fit[:-2], "--tickets", "march", "--ws", ws)
    assert code == 0, err
    assert "Support tickets (ticket set march, targets of tier Business):" in out
    code, _, err = run(capsys, *fit, "--tickets", TICKETS, "--ws", ws)  # a file still works
    assert code == 0, err
