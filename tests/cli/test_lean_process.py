"""What a short command's process leaves out (slamodeler/cli/lean_process.py): a printed
`slamodeler replay` loads numpy with its BLAS on the main thread alone (OpenBLAS's own threads
spin about 0.1 s of CPU each at start for work a replay never gives them), keeping a count the
user set and leaving no setting behind; `validate` and a printed replay leave their objects out
of the collections at the interpreter's exit, and a replay to a workbook does not."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.helpers.paths import REPO, SAMPLES

counts_threads = pytest.mark.skipif(
    not os.path.isdir("/proc/self/task") or (os.cpu_count() or 1) < 2,
    reason="counts the process's threads in /proc; OpenBLAS starts none on one core",
)

# The command as `slamodeler ARGV` runs it, then the threads of the process and the variable.
PROGRAM = (
    "import json, os, sys\n"
    "from slamodeler.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "print(json.dumps({'exit': code, 'threads': len(os.listdir('/proc/self/task')),\n"
    "                  'setting': os.environ.get('OPENBLAS_NUM_THREADS')}))\n"
)
# The same, then at the very end of the exit handlers (the first registered runs last): whether
# the objects left were frozen out of the exit's collections.
AT_EXIT = (
    "import atexit, gc, sys\n"
    "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 0))\n"
    "from slamodeler.cli.main import main\n"
    "raise SystemExit(main(sys.argv[1:]))\n"
)
CONTRACT = str(SAMPLES / "three_tier_cloud.yaml")
REPLAY = ["replay", CONTRACT, str(SAMPLES / "incidents_sample.csv")]


def replayed(env: dict[str, str]) -> dict[str, object]:
    """The exit code, thread count and BLAS setting after a printed replay in a fresh process."""
    out = subprocess.run(
        [sys.executable, "-c", PROGRAM, *REPLAY],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "Total per customer" in out.stdout
    done: dict[str, object] = json.loads(out.stdout.splitlines()[-1])
    assert done["exit"] == 0
    return done


@counts_threads
def test_a_printed_replay_starts_no_blas_thread_and_leaves_no_setting():
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    assert replayed(env) == {"exit": 0, "threads": 1, "setting": None}


@counts_threads
def test_the_users_blas_thread_count_is_kept():
    done = replayed({**os.environ, "OPENBLAS_NUM_THREADS": "2"})
    assert done == {"exit": 0, "threads": 2, "setting": "2"}


@pytest.mark.parametrize(
    ("argv", "frozen"),
    [(["validate", CONTRACT], True), (REPLAY, True), ([*REPLAY, "--xlsx"], False)],
    ids=["validate", "printed replay", "replay to a workbook"],
)
def test_short_commands_leave_their_objects_out_of_the_exit_collections(argv, frozen, tmp_path):
    if argv[-1] == "--xlsx":
        argv = [*argv, str(tmp_path / "out.xlsx")]
    out = subprocess.run(
        [sys.executable, "-c", AT_EXIT, *argv],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[-1] == f"frozen at exit: {frozen}"
