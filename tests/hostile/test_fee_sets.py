"""Bad fee files and ticket exports added to a workspace as sets, and runs naming sets that are
not there: refused naming the file, row and field, or the set and the sets there are; nothing
is stored."""

from __future__ import annotations

from tests.helpers.hostile_inputs import hostile
from tests.helpers.workspace import file_state

REPLAY = ("ws", "replay", "three_tier_cloud@1", "incidents_sample")


def test_bad_fee_files_are_not_stored(ws, tmp_path, capsys):
    before = file_state(ws)
    fees = tmp_path / "fees.csv"
    for text, names in (
        ("tier,month,fee\nBronze,March,10\n", ["fees.csv: row 2, month: 'March'", "YYYY-MM"]),
        ("tier,month,fee\nBronze,2024-03,ten\n", ["fees.csv: row 2, fee: 'ten'"]),
        ("tier,month,fee\nBronze,2024-03,10\nbronze,2024-03,11\n", ["row 3, month", "twice"]),
        ("tier,month,fee\n,2024-03,10\n", ["row 2, tier: empty"]),
        ("tier;month;fee\nBronze;2024-03;10\n", ["fees.csv: row 1: the header must be"]),
        ("tier,month,fee\n", ["fees.csv: no fees after the header"]),
    ):
        fees.write_text(text, encoding="utf-8")
        hostile(capsys, "ws", "add-fees", "f", fees, "--ws", ws, names=names)
    hostile(capsys, "ws", "add-fees", "bad key!", fees, "--ws", ws,
            names="fee set name 'bad key!'")  # fmt: skip
    hostile(capsys, "ws", "add-fees", "f", tmp_path / "none.csv", "--ws", ws, names="none.csv")
    assert file_state(ws) == before


def test_bad_ticket_exports_are_not_stored(ws, tmp_path, capsys):
    before = file_state(ws)
    tickets = tmp_path / "tickets.csv"
    tickets.write_text("ticket,priority,opened,first_response\nT-1,P1,yesterday,\n")
    hostile(capsys, "ws", "add-tickets", "t", tickets, "--ws", ws,
            names=["tickets.csv", "opened: 'yesterday' is not a date and time", "rows 2"])  # fmt: skip
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns: {opened: Nowhere}\n")
    hostile(capsys, "ws", "add-tickets", "t", tickets, "--ws", ws, "--tickets-mapping", mapping,
            names="Nowhere")  # fmt: skip
    assert file_state(ws) == before


def test_runs_naming_unknown_or_unfitting_sets_are_refused(ws, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fees = tmp_path / "platinum.csv"
    fees.write_text("tier,month,fee\nPlatinum,2024-03,10\n", encoding="utf-8")
    hostile(capsys, "ws", "add-fees", "platinum", fees, "--ws", ws)  # accepted: any contract's
    fees.unlink()
    before = file_state(ws)
    hostile(capsys, *REPLAY, "--ws", ws, "--fees", "platinum",
            names="fee set platinum: row 2, tier: no tier named 'Platinum'")  # fmt: skip
    hostile(capsys, *REPLAY, "--ws", ws, "--fees", "nosuch",
            names=["--fees nosuch: no fee set 'nosuch'", "(fee sets: platinum)", "ws add-fees"])  # fmt: skip
    hostile(capsys, *REPLAY, "--ws", ws, "--tickets", "nosuch",
            names=["--tickets nosuch: no ticket set 'nosuch'", "(ticket sets: none yet)"])  # fmt: skip
    hostile(capsys, "simulate", "three_tier_cloud@1", "--scenario", "baseline", "--ws", ws,
            "--fees", "nosuch", names="no fee set 'nosuch'")  # fmt: skip
    hostile(capsys, "profitability", "three_tier_cloud@1", "--scenario", "baseline", "--ws", ws,
            "--fees", "nosuch", names="no fee set 'nosuch'")  # fmt: skip
    (tmp_path / "platinum").write_text("tier,month,fee\nBronze,2024-03,10\n", encoding="utf-8")
    hostile(capsys, *REPLAY, "--ws", ws, "--fees", "platinum",
            names="--fees platinum: both a stored fee set and a file")  # fmt: skip
    assert file_state(ws) == before
