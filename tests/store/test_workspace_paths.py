"""Workspaces at odd paths and in folders that cannot be written.

A file name holding ``?``, ``#`` or ``%41`` is the file named, never a URI's query, fragment or
escape. A workspace in a read-only folder (a read-only share, a CD, another user's folder) is
read: SQLite cannot put its ``-shm`` file there, so it is opened immutable. The folder is made
read-only the way the user meets it: a file system mounted read-only (as root, which a chmod does
not stop), or a folder without write permission (as anyone else).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import REPO, SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"


@pytest.mark.parametrize(
    "name",
    [
        "a?.slamws",
        "pct%41.slamws",
        "C#/w.slamws",
        "x#y.slamws",
        "q?a=1#f%2F.slamws",
        "sp ace.slamws",
    ],
)
def test_a_workspace_named_with_uri_characters_is_that_file(capsys, tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "C#").mkdir()
    before = set(tmp_path.iterdir())
    _, out, _ = hostile(capsys, "ws", "init", "--ws", name, names=name)
    assert f"created workspace {name}" in out
    assert (tmp_path / name).is_file()
    made = {p.name for p in set(tmp_path.iterdir()) - before} - {Path(name).parts[0]}
    assert made <= {name + ".lock", name + "-wal", name + "-shm"}, made  # no `a`, `pctA`, `C`
    hostile(capsys, "ws", "import-contract", CONTRACT, "--ws", name, "--as", "c", names=name)
    _, out, _ = hostile(capsys, "ws", "list", "--ws", name, names=name)
    assert "c@1" in out or "c " in out
    _, out, _ = hostile(capsys, "ws", "verify", "--ws", name, names=name)
    assert "verified" in out
    assert not (tmp_path / "C").exists() and not (tmp_path / "a").exists()
    assert not (tmp_path / "pctA.slamws").exists()


def _sh(*argv: str) -> None:
    subprocess.run(argv, check=True, capture_output=True, timeout=30)


@pytest.fixture
def read_only_folder(tmp_path) -> Iterator[tuple[Path, Callable[[bool], None]]]:
    """A folder and ``read_only(flag)`` to make it read-only or writable again: a tmpfs
    remounted read-only as root, a folder without write permission for anyone else."""
    folder = tmp_path / "share"
    folder.mkdir()
    root = os.geteuid() == 0
    if root:
        _sh("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(folder))

    def read_only(flag: bool) -> None:
        if root:
            _sh("mount", "-o", "remount," + ("ro" if flag else "rw"), str(folder))
        else:
            folder.chmod(0o555 if flag else 0o755)
        assert os.access(folder, os.W_OK) is not flag

    try:
        yield folder, read_only
    finally:
        if root:
            _sh("umount", str(folder))
        else:
            folder.chmod(0o755)


def test_a_workspace_in_a_read_only_folder_is_read(capsys, read_only_folder):
    folder, read_only = read_only_folder
    ws = folder / "w.slamws"
    hostile(capsys, "ws", "init", "--ws", ws, "--samples")
    hostile(capsys, "ws", "replay", "three_tier_cloud@1", "incidents_sample", "--ws", ws)
    read_only(True)
    for leftover in ("-wal", "-shm"):
        assert not ws.with_name(ws.name + leftover).exists()  # closed cleanly
    files = sorted(p.name for p in folder.iterdir())
    for argv in (
        ["list"],
        ["verify"],
        ["history", "three_tier_cloud"],
        ["diff", "three_tier_cloud@1", "three_tier_cloud@1"],
        ["export-contract", "three_tier_cloud@1"],
    ):
        code, out, err = hostile(capsys, "ws", *argv, "--ws", ws)
        assert code == 0, err
    _, out, _ = hostile(capsys, "ws", "verify", "--ws", ws)
    assert "verified" in out
    code, out, err = hostile(capsys, "ws", "rerun", "1", "--ws", ws)
    assert code == 0 and "opened read-only" in err, out + err
    argv = ("ws", "replay", "three_tier_cloud@1", "incidents_sample", "--ws", ws)
    code, _, err = hostile(capsys, *argv, names=str(ws))
    assert code == 2 and "read-only" in err and "Nothing was changed" in err
    assert sorted(p.name for p in folder.iterdir()) == files


WRITER_LEFT_OPEN = """
import os, sqlite3, sys
from slamodeler.io.contract_file import load_contract
from slamodeler.store.workspace import Workspace
other = sqlite3.connect(sys.argv[1])  # another connection open: closing ws does not checkpoint
other.execute("SELECT count(*) FROM meta").fetchall()
ws = Workspace.open(sys.argv[1])
ws.add_version("late", load_contract(sys.argv[2]), "ana", "committed, still in the wal")
os._exit(0)
"""


def test_a_read_only_folder_with_the_latest_changes_in_a_wal_file(capsys, read_only_folder):
    """A writer that never closed leaves committed changes in the -wal file: they are read
    (not opened immutable, which would skip them); without the -shm file SQLite cannot read
    them in such a folder, and the message says so rather than calling the file damaged."""
    folder, read_only = read_only_folder
    ws = folder / "w.slamws"
    hostile(capsys, "ws", "init", "--ws", ws)
    run = [sys.executable, "-c", WRITER_LEFT_OPEN, str(ws), str(CONTRACT)]
    subprocess.run(run, check=True, timeout=60, cwd=REPO)
    assert ws.with_name(ws.name + "-wal").stat().st_size > 0
    read_only(True)
    _, out, _ = hostile(capsys, "ws", "list", "--ws", ws)
    assert "late" in out
    read_only(False)
    ws.with_name(ws.name + "-shm").unlink()
    read_only(True)
    code, _, err = hostile(capsys, "ws", "list", "--ws", ws, names=[str(ws), "w.slamws-wal"])
    assert code == 2 and "copy the workspace and its -wal file" in err
    assert "restore it from a backup" not in err
