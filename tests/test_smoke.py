"""`slamodeler --smoke-test` from the source tree (the frozen build runs it in scripts/build_app.sh):
a subprocess, offscreen, so its environment changes stay out of the test process."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers.paths import REPO


def test_smoke_test_passes_from_the_source_tree(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "slamodeler", "--smoke-test"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    steps = [line for line in lines if line.startswith("  ok ")]
    assert len(steps) == 6, result.stdout
    assert "sample_contracts" in result.stdout
    assert lines[-1].startswith("smoke test passed in ")
    assert "FAIL" not in result.stdout


def test_smoke_test_reports_a_failed_step_and_exits_1(capsys):
    from slamodeler import smoke_test

    def broken():
        raise ImportError("no Qt here")

    assert smoke_test.run(broken) == 1
    out = capsys.readouterr().out
    assert "FAIL start the application: ImportError: no Qt here" in out
    assert "FAILED after" in out
