"""`slamodeler fit --ws --tickets KEY`: a key that names no stored ticket set (and no file), a
--tickets-mapping with a stored set, --ws without --tickets, and --out naming the workspace are
refused, naming the key, the sets there are and how to list or add them, or the workspace."""

from __future__ import annotations

from tests.helpers.cli import run
from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES
from tests.helpers.ticket_terms import SUPPORT_CONTRACT

INCIDENTS = SAMPLES / "incidents_sample.csv"


def test_fit_refuses_unknown_ticket_sets_and_misplaced_options(ws, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    contract = tmp_path / "support.yaml"
    contract.write_text(SUPPORT_CONTRACT, encoding="utf-8")
    fit = ("fit", INCIDENTS, "--contract", contract, "--ws", ws)
    code, _, _ = hostile(capsys, *fit, "--tickets", "nosuch",
            names=["--tickets nosuch: no ticket set 'nosuch'", "(ticket sets: none yet)",
                   "`slamodeler ws list --ws team.slamws`", "ws add-tickets"])  # fmt: skip
    assert code == 2
    added = run(capsys, "ws", "add-tickets", "march", SAMPLES / "tickets_sample.csv", "--ws", ws)
    assert added[0] == 0, added[2]
    code, _, _ = hostile(capsys, *fit, "--tickets", "march", "--tickets-mapping", tmp_path / "map.yaml",
            names=["--tickets-mapping", "ticket set march", "ws add-tickets"])  # fmt: skip
    assert code == 2
    code, _, _ = hostile(capsys, *fit[:4], "--ws", ws, names="--ws go with --tickets")
    assert code == 2
    before = ws.read_bytes()
    code, _, _ = hostile(capsys, *fit, "--tickets", "march", "--out", ws,
                         names=[f"--out {ws}", "is the workspace this command reads"])  # fmt: skip
    assert code == 2 and ws.read_bytes() == before


def test_memos_refuse_to_write_over_the_workspace_they_read(ws, capsys):
    before = ws.read_bytes()
    code, _, _ = hostile(
        capsys, "memos", "three_tier_cloud@1", "incidents_sample", "--ws", ws, "-o", ws,
        names=[f"-o {ws}", "is the workspace this command reads"],
    )  # fmt: skip
    assert code == 2 and ws.read_bytes() == before
