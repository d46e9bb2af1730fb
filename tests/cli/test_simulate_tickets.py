"""``simulate --dump-trials`` with a scenario's tickets: beside each trial's incidents, a ticket
export of its late tickets, and the replay command the run prints, run as printed, gives the
credits the simulation counted."""

from __future__ import annotations

import json
import shlex
from decimal import Decimal

from slamodeler.cli.main import main
from slamodeler.engine.simulation import period_credits, simulate
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from tests.helpers.ticket_terms import SUPPORT_CONTRACT, TICKETS_SCENARIO


def test_a_dumped_trial_and_its_tickets_replay_to_the_simulated_credits(capsys, tmp_path):
    contract, scenario = tmp_path / "support.yaml", tmp_path / "tickets.yaml"
    contract.write_text(SUPPORT_CONTRACT, encoding="utf-8")
    scenario.write_text(TICKETS_SCENARIO, encoding="utf-8")
    folder = tmp_path / "dumped"
    args = ["simulate", contract, "--scenario", scenario, "--trials", "40", "--seed", "5"]
    assert main([str(a) for a in (*args, "--dump-trials", "3", "--dump-dir", folder)]) == 0
    err = capsys.readouterr().err
    assert (folder / "trial-000002-tickets.csv").exists()
    command = shlex.split(err.split("replay one with: ")[1].strip())
    assert command[-2:] == ["--tickets", str(folder / "trial-000000-tickets.csv")]
    assert main([*command[1:], "--format", "json"]) == 0
    replayed = json.loads(capsys.readouterr().out)
    run = simulate(load_contract(contract), load_scenario(scenario), 40, 5)
    expected = period_credits(run, "Business", [0])[0].tolist()
    periods = replayed["tiers"][0]["periods"]
    assert [int(Decimal(p["credit_after_caps"]) * 100) for p in periods] == expected
    assert sum(expected) > 0


def test_tiers_that_each_draw_tickets_get_a_file_each(capsys, tmp_path):
    tier = SUPPORT_CONTRACT.split("tiers:\n")[1]
    two = SUPPORT_CONTRACT + tier.replace("name: Business", "name: Premium")
    contract, scenario = tmp_path / "support.yaml", tmp_path / "tickets.yaml"
    contract.write_text(two, encoding="utf-8")
    scenario.write_text(TICKETS_SCENARIO, encoding="utf-8")
    folder = tmp_path / "dumped"
    args = ["simulate", contract, "--scenario", scenario, "--trials", "5", "--dump-trials", "1"]
    assert main([str(a) for a in (*args, "--dump-dir", folder)]) == 0
    assert "--tier NAME --tickets" in capsys.readouterr().err
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "trial-000000-tickets-tier1.csv",
        "trial-000000-tickets-tier2.csv",
        "trial-000000.csv",
    ]
    first, second = (folder / n for n in names[:2])
    assert first.read_text() != second.read_text()  # tiers draw apart
