"""`slamodeler fit --ws --tickets KEY`: a key that names no stored ticket set (and no file), a
--tickets-mapping with a stored set, and --ws without --tickets are refused, naming the key,
the sets there are and how to list or add them."""

from __future__ import annotations

from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES
from tests.helpers.ticket_terms import SUPPORT_CONTRACT

INCIDENTS = SAMPLES / "incidents_sample.csv"


def test_fit_refuses_unknown_ticket_sets_and_misplaced_options(ws, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    contract = tmp_path / "support.yaml"
    contract.write_text(SUPPORT_CONTRACT, encoding="utf-8")
    fit = ("fit", INCIDENTS, "--contract", contract, "--ws", ws)
    hostile(capsys, *fit, "--tickets", "nosuch",
            names=["--tickets nosuch: no ticket set 'nosuch'", "(ticket sets: none yet)",
                   "`slamodeler ws list --ws team.slamws`", "ws add-tickets"])  # fmt: skip
    hostile(capsys, "ws", "add-tickets", "march", SAMPLES / "tickets_sample.csv", "--ws", ws)
    hostile(capsys, *fit, "--tickets", "march", "--tickets-mapping", tmp_path / "map.yaml",
            names=["--tickets-mapping", "ticket set march", "ws add-tickets"])  # fmt: skip
    hostile(capsys, *fit[:4], "--ws", ws, names="--ws go with --tickets")
