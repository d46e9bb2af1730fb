"""Bad ticket exports and fee files given to a workspace replay (`ws replay --tickets/--fees`):
refused naming the file, row and field, and nothing stored."""

from __future__ import annotations

from tests.helpers.hostile_inputs import hostile
from tests.helpers.workspace import file_state

REPLAY = ("ws", "replay", "three_tier_cloud@1", "incidents_sample")


def test_bad_files_refuse_a_workspace_replay(ws, tmp_path, capsys):
    before = file_state(ws)
    tickets = tmp_path / "tickets.csv"
    tickets.write_text("ticket,priority,opened,first_response\nT-1,P1,yesterday,\n")
    hostile(capsys, *REPLAY, "--ws", ws, "--tickets", tickets,
            names=["tickets.csv", "opened: 'yesterday' is not a date and time", "rows 2"])  # fmt: skip
    missing = tmp_path / "none.csv"
    hostile(capsys, *REPLAY, "--ws", ws, "--tickets", missing, names="none.csv")
    fees = tmp_path / "fees.csv"
    fees.write_text("tier,month,fee\nPlatinum,2024-03,10\n")
    hostile(capsys, *REPLAY, "--ws", ws, "--fees", fees,
            names=["fees.csv: row 2, tier: no tier named 'Platinum'"])  # fmt: skip
    hostile(capsys, "replay", "--ws", ws, "three_tier_cloud@1", "incidents_sample",
            "--fees", fees, names="no tier named 'Platinum'")  # fmt: skip
    assert file_state(ws) == before
