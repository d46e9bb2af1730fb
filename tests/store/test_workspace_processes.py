"""Two processes and one workspace: a second writer is refused with a clear message while
readers go on; a writer killed mid-import (SIGKILL) leaves a workspace that opens, verifies and
holds either nothing of the import or all of it."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from slamodeler.domain.errors import InputError
from slamodeler.store.workspace import Workspace
from tests.helpers.paths import REPO
from tests.helpers.workspace import sample_contract

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork-free children")

HOLDER = """
import sys
from slamodeler.store.workspace import Workspace
ws = Workspace.open(sys.argv[1])
print("open", flush=True)
sys.stdin.readline()
ws.close()
"""

IMPORTER = """
import sys
from slamodeler.store.workspace import Workspace
from tests.helpers.workspace import synthetic_incidents
incidents = synthetic_incidents(int(sys.argv[2]), "big")
ws = Workspace.open(sys.argv[1])
print("importing", flush=True)
ws.add_incident_set("big", incidents, "child")
print("done", flush=True)
ws.close()
"""


def child(script: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "w.slamws"
    with Workspace.create(path, "ana") as ws:
        ws.add_version("c", sample_contract(), "ana", "first")
    return path


def test_a_second_writer_gets_a_clear_message_and_readers_go_on(path):
    holder = child(HOLDER, path)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(InputError) as refused:
            Workspace.open(path)
        message = str(refused.value)
        assert f"open for writing in another process (pid {holder.pid})" in message
        assert "commands that only read still work" in message
        with Workspace.open(path, readonly=True) as reader:
            assert [c.key for c, _ in reader.contracts()] == ["c"]
            assert reader.verify().ok
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)
    with Workspace.open(path) as ws:  # the lock went with the holder
        ws.add_version("d", sample_contract(), "ana", "now it is free")


def test_a_killed_writer_leaves_no_stale_lock(path):
    holder = child(HOLDER, path)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    with Workspace.open(path) as ws:
        assert ws.verify().ok


ROWS = 100_000


def wait_for_wal(path: Path, size: int, timeout: float = 30) -> None:
    wal = path.with_name(path.name + "-wal")
    deadline = time.monotonic() + timeout
    while not (wal.exists() and wal.stat().st_size > size):
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.002)


@pytest.mark.parametrize("when", ["before writing", "while writing", "after commit"])
def test_a_writer_killed_mid_import_leaves_nothing_or_everything(path, when):
    importer = child(IMPORTER, path, ROWS)
    assert importer.stdout is not None
    assert importer.stdout.readline().strip() == "importing"
    if when == "while writing":
        wait_for_wal(path, 1_000_000)  # pages of the import are in the WAL, not yet committed
    elif when == "after commit":
        assert importer.stdout.readline().strip() == "done"
    importer.send_signal(signal.SIGKILL)
    importer.wait(timeout=30)
    with Workspace.open(path) as ws:
        report = ws.verify()
        assert report.ok, report.problems
        sets = ws.incident_sets()
        if sets:
            [big] = sets
            assert len(ws.load_incidents(big).incidents) == ROWS
            assert ws.audit_entries()[-1].action == "import incidents"
        else:
            assert ws.audit_entries()[-1].action == "add version"
        if when == "before writing":
            assert not sets
        elif when == "after commit":
            assert sets  # "while writing" may end either way: both are whole states
        # and it goes on working
        ws.add_version("d", sample_contract(), "ana", "after the crash")
        assert ws.verify().ok
