"""kill -9 of every command that writes a workspace, at named moments: afterwards the workspace
opens, verifies, holds everything committed before, and is not locked; and no process the
command started (simulation workers, multiprocessing's helpers) outlives it by more than a second.

The command runs in a child under a small runner that reports named moments on stderr (``@NAME``)
and stops at the one the test asks for, where the test kills it: the moment is chosen, not a race.
Its processes are found by an environment variable they all inherit (``/proc/PID/environ``).
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from slamodeler.cli.main import main as cli
from slamodeler.store.workspace import Workspace
from tests.helpers.paths import REPO, SAMPLES
from tests.helpers.workspace import sample_contract

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and SIGKILL")

SAMPLES = SAMPLES
TAG = "SLAMODELER_KILL_TEST"

# Runs the command line given after the moment to stop at ("NAME" or "NAME:N", the N-th time).
# Moments: "locked" (the writer lock taken), "commit" (a transaction's rows written, its commit
# not yet made), "committed", "progress" (a simulation between chunks, workers busy).
RUNNER = """
import sys, threading
from collections import Counter
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session
from slamodeler.cli import progress
from slamodeler.store import lock
seen = Counter()
stop_at = sys.argv[1]
def moment(name):
    seen[name] += 1
    sys.stderr.write(f"@{name}\\n")
    sys.stderr.flush()
    if stop_at in (name, f"{name}:{seen[name]}"):
        threading.Event().wait()
acquire = lock.WriterLock.acquire
def locked(self, *args):
    acquire(self, *args)
    moment("locked")
lock.WriterLock.acquire = locked
writing = []
def commit(conn):
    if conn.connection.dbapi_connection.total_changes:  # not a read's end
        writing.append(True)
        moment("commit")
def committed(session):
    if writing:
        writing.clear()
        moment("committed")
event.listen(Engine, "commit", commit)
event.listen(Session, "after_commit", committed)
progress.ProgressBar.__call__ = lambda self, done, total: done < total and moment("progress")
from slamodeler.launcher import main
sys.argv = ["slamodeler", *sys.argv[2:]]
sys.exit(main())
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with the samples, a draft sent for review and a stored run."""
    path = tmp_path_factory.mktemp("base") / "w.slamws"
    for argv in (
        ["init", "--samples"],
        ["submit", "three_tier_cloud@1"],
        ["replay", "ec2_region_sla@1", "incidents_sample"],
    ):
        assert cli(["ws", *argv, "--ws", str(path)]) == 0
    return path


def tagged(tag: str) -> list[int]:
    """Live processes (not zombies) that carry ``tag`` in their environment."""
    found = []
    needle = f"{TAG}={tag}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if needle in environ.split(b"\0") and state != "Z":
            found.append(int(entry.name))
    return found


def wait_for_moment(child: subprocess.Popen[bytes], moment: str, timeout: float = 180) -> None:
    """Read the child's stderr until it reports ``moment`` (the N-th time for NAME:N). The
    timeout is generous: on a busy 2-core machine, starting the program and two spawned
    workers (each importing numpy, scipy and pydantic) took over a minute once.

    The pipe is read with ``os.read``, not a buffered ``readline``: two moments written at once
    arrive in one read, and a line left in a reader's buffer is one ``select`` never reports
    (the child, stopped at that moment, writes nothing more)."""
    name, _, nth = moment.partition(":")
    wanted, said = int(nth or 1), b""
    assert child.stderr is not None
    fd = child.stderr.fileno()
    deadline = time.monotonic() + timeout
    while said.split(b"\n").count(f"@{name}".encode()) < wanted:
        left = deadline - time.monotonic()
        assert left > 0, f"never reached {moment}: {said.decode()}"
        if select.select([fd], [], [], left)[0]:
            chunk = os.read(fd, 65536)
            assert chunk, f"ended before {moment}: {said.decode()}"
            said += chunk


def kill_at(moment: str, path: Path, *argv: str) -> None:
    """Run ``slamodeler ws ARGV --ws PATH``, kill -9 it at ``moment``; then every process it
    started must be gone within a second."""
    tag = uuid.uuid4().hex
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(RUNNER), moment, "ws", *argv, "--ws", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env={**os.environ, TAG: tag},
    )
    try:
        wait_for_moment(child, moment)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        deadline = time.monotonic() + 1.0
        while tagged(tag) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not tagged(tag), "processes outlived the killed command by more than a second"
    finally:
        for pid in [child.pid, *tagged(tag)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        child.wait(timeout=30)
        assert child.stderr is not None
        child.stderr.close()


def entries(path: Path) -> list[str]:
    with Workspace.open(path, readonly=True) as ws:
        return [e.hash for e in ws.audit_entries()]


def check_after_kill(path: Path, before: list[str], moment: str) -> None:
    """It opens for writing at once (not locked), verifies, and lost nothing committed."""
    with Workspace.open(path) as ws:
        report = ws.verify()
        assert report.ok, report.problems
        after = [e.hash for e in ws.audit_entries()]
        assert after[: len(before)] == before, "committed entries were lost"
        if moment == "committed":
            assert len(after) > len(before)
        elif moment in ("locked", "commit"):
            assert after == before
        ws.add_version("after_the_kill", sample_contract(), "tester", "after the kill")
        assert ws.verify().ok


# 17 blocks: on 2 workers, 4 chunks (5, 4, 4 and 4 blocks), all in flight from the start
SIMULATE = ["simulate", "three_tier_cloud@1", "baseline", "--years", "1", "--trials", "33000"]
COMMANDS = {
    "import-contract": ["import-contract", str(SAMPLES / "ec2_region_sla.yaml"), "--as", "k2"],
    "import-incidents": [
        "import-incidents",
        str(SAMPLES / "incidents_sample.csv"),
        "--as",
        "inc2",
    ],
    "import-scenario": [
        "import-scenario",
        str(SAMPLES / "scenarios" / "bad_year.yaml"),
        "--as",
        "s2",
    ],
    "replay": ["replay", "three_tier_cloud@1", "incidents_sample"],
    "simulate": SIMULATE,
    "simulate --workers 2": [*SIMULATE, "--workers", "2"],
    "submit": ["submit", "ec2_region_sla@1"],
    "approve": ["approve", "three_tier_cloud@1", "--reason", "terms agreed"],
    "rerun": ["rerun", "1"],
}
CASES = [
    ("import-contract", "commit"),
    ("import-contract", "committed"),
    ("import-incidents", "commit"),
    ("import-scenario", "committed"),
    ("replay", "commit"),
    ("simulate", "progress"),
    ("simulate", "commit"),
    ("simulate --workers 2", "progress"),  # workers busy with the second and third chunks
    ("simulate --workers 2", "progress:3"),  # the last chunk in flight, a worker idle
    ("simulate --workers 2", "commit"),
    ("simulate --workers 2", "committed"),
    ("submit", "commit"),
    ("approve", "committed"),
    ("rerun", "commit"),
]


@pytest.mark.parametrize(("command", "moment"), CASES, ids=[f"{c}@{m}" for c, m in CASES])
def test_a_killed_writer_leaves_a_whole_unlocked_workspace_and_no_processes(
    base, tmp_path, command, moment
):
    path = tmp_path / "w.slamws"
    shutil.copy(base, path)
    before = entries(path)
    kill_at(moment, path, *COMMANDS[command])
    check_after_kill(path, before, moment)


@pytest.mark.parametrize("moment", ["locked", "commit", "committed", "commit:2"])
def test_a_killed_init_leaves_a_whole_workspace_or_one_that_init_makes_again(tmp_path, moment):
    path = tmp_path / "new.slamws"
    kill_at(moment, path, "init", "--samples")
    if moment in ("locked", "commit"):  # nothing committed: init works, not "already exists"
        assert cli(["ws", "init", "--ws", str(path)]) == 0
    check_after_kill(path, [], "")
