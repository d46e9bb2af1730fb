"""Small defects a review found: fee files in the encodings Excel saves, range and period
messages that say what happened, empty set keys, and a report path that is a folder."""

from __future__ import annotations

import pytest

from slamodeler.io.fee_file import read_fee_rows
from tests.helpers.cli import run
from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES
from tests.helpers.workspace import file_state

TWILIO = SAMPLES / "real" / "twilio.yaml"
FEES = "tier,month,fee\nServices,2025-03,1250.50\nCafé Tier,2025-04,10\n"


@pytest.fixture
def incidents(tmp_path):
    path = tmp_path / "incidents.csv"
    path.write_text("id,start,end,impact\n1,2025-03-10T10:00:00Z,2025-03-10T10:30:00Z,full\n")
    return path


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252", "utf-8-sig"])
def test_a_fee_file_saved_by_excel_gives_the_fees_of_the_utf8_one(tmp_path, encoding):
    utf8, other = tmp_path / "utf8.csv", tmp_path / "other.csv"
    utf8.write_text(FEES, encoding="utf-8")
    other.write_bytes(FEES.encode(encoding))
    rows = read_fee_rows(other)
    assert rows == read_fee_rows(utf8) and rows[1].tier == "Café Tier"


def test_a_utf16_fee_file_replays_and_is_stored_as_the_utf8_one(ws, tmp_path, capsys, incidents):
    text = "tier,month,fee\nServices,2025-03,1250.50\n"
    utf8, utf16 = tmp_path / "utf8.csv", tmp_path / "utf16.csv"
    utf8.write_text(text, encoding="utf-8")
    utf16.write_bytes(text.encode("utf-16"))
    outs = [run(capsys, "replay", TWILIO, incidents, "--fees", f) for f in (utf8, utf16)]
    assert outs[0][0] == 0 and outs[0][1] == outs[1][1]
    code, out, _ = run(capsys, "ws", "add-fees", "--ws", ws, "excel", utf16)
    assert code == 0, out


def test_a_fee_file_in_no_encoding_says_to_save_it_as_utf8(ws, tmp_path, capsys, incidents):
    bad = tmp_path / "fees.csv"
    bad.write_bytes(b"tier,month,fee\nServ\x81ces,2025-03,10\n")
    hostile(capsys, "replay", TWILIO, incidents, "--fees", bad,
            names=["fees.csv", "line 2", "save it as UTF-8"])  # fmt: skip
    hostile(capsys, "ws", "add-fees", "--ws", ws, "f", bad,
            names=["fees.csv", "line 2", "save it as UTF-8"])  # fmt: skip


CLOUD = SAMPLES / "three_tier_cloud.yaml"
SAMPLE_INCIDENTS = SAMPLES / "incidents_sample.csv"


@pytest.mark.parametrize("command", [["memos"], ["replay"], ["slo", "budget"]])
def test_a_range_given_at_one_end_only_says_where_the_incidents_end(capsys, command):
    for option, names in (
        ("--from", ["--from 2030-01 is after the last period of the incidents (2025-01)",
                    "an earlier --from or a --to"]),
        ("--to", ["--to 2020-01 is before the first period of the incidents (2024-01)",
                  "a later --to or a --from"]),
    ):  # fmt: skip
        value = "2030-01" if option == "--from" else "2020-01"
        _, _, err = hostile(capsys, *command, CLOUD, SAMPLE_INCIDENTS, option, value, names=names)
        assert "None" not in err


def test_a_report_period_too_far_from_the_incidents_names_period_not_from_and_to(tmp_path, capsys):
    out = tmp_path / "r.html"
    _, _, err = hostile(capsys, "report", CLOUD, SAMPLE_INCIDENTS, "--period", "1999-01",
                        "-o", out, names=["--period 1999-01", "2024-01 to 2025-01", "20 years"])  # fmt: skip
    assert "--from" not in err and not out.exists()


def test_a_report_path_that_is_a_folder_says_it_is_a_folder(tmp_path, capsys):
    folder = tmp_path / "r.html"
    folder.mkdir()
    hostile(capsys, "report", CLOUD, SAMPLE_INCIDENTS, "--period", "2024-03", "-o", folder,
            names=["r.html: is a folder", "report.html"])  # fmt: skip


@pytest.mark.parametrize("key", ["", "  "])
def test_an_empty_set_name_is_refused_naming_the_argument(ws, tmp_path, capsys, key):
    fees = tmp_path / "fees.csv"
    fees.write_text("tier,month,fee\nBronze,2024-03,10\n", encoding="utf-8")
    before = file_state(ws)
    hostile(capsys, "ws", "add-fees", "--ws", ws, key, fees, names=["KEY: empty", "fee set"])
    hostile(capsys, "ws", "add-tickets", "--ws", ws, key, SAMPLES / "tickets_sample.csv",
            names=["KEY: empty", "ticket set"])  # fmt: skip
    hostile(capsys, "ws", "import-incidents", "--ws", ws, SAMPLE_INCIDENTS, "--as", key,
            names=["--as: empty", "incident set"])  # fmt: skip
    hostile(capsys, "ws", "import-scenario", "--ws", ws, SAMPLES / "scenarios" / "baseline.yaml",
            "--as", key, names=["--as: empty", "scenario"])  # fmt: skip
    assert file_state(ws) == before
