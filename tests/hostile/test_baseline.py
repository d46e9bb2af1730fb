"""Bad input to `slamodeler baseline`: a share or target out of range or not a number, an empty
history, a template the targets cannot move, and a stored set or version that is not there."""

from __future__ import annotations

import pytest

from tests.helpers.cli import run
from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

ROWS = "id,start,end,impact\n1,2024-01-10T10:00:00Z,2024-01-10T11:00:00Z,full\n"


@pytest.fixture
def history(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text(ROWS, encoding="utf-8")
    return path


@pytest.mark.parametrize("share", ["0", "-0.5", "1.5", "150%", "abc", "nan", "inf", ""])
def test_a_share_out_of_range_or_not_a_number_is_refused(history, capsys, share):
    code, _, err = hostile(capsys, "baseline", history, "--share", share, names="--share")
    assert code == 2 and "0.95" in err


@pytest.mark.parametrize("target", ["0", "100.5", "-1", "x", "nan"])
def test_a_candidate_target_out_of_range_is_refused(history, capsys, target):
    hostile(capsys, "baseline", history, "--targets", "99.9", target, names=["--targets", target])


def test_an_empty_incident_set_is_refused_naming_the_fix(tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_text("id,start,end,impact\n", encoding="utf-8")
    code, _, _ = hostile(capsys, "baseline", empty, names=["--from", "--to"])
    assert code == 2


def test_an_empty_set_with_a_range_gives_every_period_at_100(tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_text("id,start,end,impact\n", encoding="utf-8")
    code, out, _ = hostile(capsys, "baseline", empty, "--from", "2024-01", "--to", "2024-03")
    assert code == 0 and "Suggested target: 100.0000% - met in 3 of 3 periods" in out


def test_a_history_down_throughout_has_no_positive_target(tmp_path, capsys):
    down = tmp_path / "down.csv"
    down.write_text(
        "id,start,end,impact\n1,2024-01-01T00:00:00Z,2024-03-01T00:00:00Z,full\n", encoding="utf-8"
    )
    code, _, err = hostile(capsys, "baseline", down, names=["tier Service", "--share"])
    assert code == 2 and "no target above 0%" in err


def test_a_target_that_pushes_the_bands_out_of_range_is_refused_naming_the_tier(tmp_path, capsys):
    terms = SAMPLES / "three_tier_cloud.yaml"
    history = tmp_path / "h.csv"
    history.write_text(
        "id,start,end,impact,service,region\n"
        "1,2024-01-10T10:00:00Z,2024-01-10T11:00:00Z,full,Compute,us-east-1\n",
        encoding="utf-8",
    )
    # Bronze's bands 99.5 / 99.0 / 95.0 moved to a target of 0.5: 0.0 and -4.0 both clip to 0
    code, _, err = hostile(
        capsys, "baseline", history, "--contract", terms, "--targets", "0.5", names="Bronze"
    )
    assert code == 2 and "nearer 99.5%" in err


def test_a_missing_incident_file_is_refused(tmp_path, capsys):
    missing = tmp_path / "nope.csv"
    hostile(capsys, "baseline", missing, names="nope.csv")


def test_a_stored_set_that_is_not_there(tmp_path, capsys, history):
    ws = tmp_path / "w.slamws"
    assert run(capsys, "ws", "init", "--ws", ws)[0] == 0
    hostile(capsys, "baseline", "nothing", "--ws", ws, names="nothing")


def test_a_mapping_with_a_stored_set_is_refused(tmp_path, capsys, history):
    ws = tmp_path / "w.slamws"
    assert run(capsys, "ws", "init", "--ws", ws)[0] == 0
    hostile(capsys, "baseline", "x", "--ws", ws, "--mapping", history, names="--mapping")


def test_xlsx_over_the_incident_file_is_refused(tmp_path, capsys):
    sheet = tmp_path / "history.xlsx"
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["id", "start", "end", "impact"])
    wb.active.append(["1", "2024-01-10T10:00:00Z", "2024-01-10T11:00:00Z", "full"])
    wb.save(sheet)
    hostile(capsys, "baseline", sheet, "--xlsx", sheet, names="--xlsx")


def test_a_stored_version_that_is_not_there(tmp_path, capsys, history):
    ws = tmp_path / "w.slamws"
    assert run(capsys, "ws", "init", "--ws", ws)[0] == 0
    assert run(capsys, "ws", "import-incidents", history, "--as", "h", "--ws", ws)[0] == 0
    hostile(capsys, "baseline", "h", "--ws", ws, "--contract", "nobody@3", names="nobody")
