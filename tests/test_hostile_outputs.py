"""Hostile conditions around what the tool writes: the internal-error log (planted symlinks,
foreign files, concurrent failures), CSV text that a spreadsheet would run as a formula, and
outputs that would replace a read-only file or the command's own input."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

import slamodeler.cli.main as cli
from slamodeler.services import error_log

FROZEN = "20240102-030405"


@pytest.fixture
def failing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """``validate`` fails with an internal error; the user's log folder and the system's
    temporary folder are inside the test's folder, and the clock is frozen so that the log's
    name is known in advance."""

    def boom(args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setitem(cli.COMMANDS, "validate", boom)
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
    from slamodeler.gui.errors import log, setup_logging

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
