"""The compiled kernels read and write no index out of bounds. numba checks no index unless told
to, so a kernel that strays past an array reads garbage or writes over other memory and still
passes a test that happens not to look there. Every compiled-kernel test runs again in a fresh
process with numba's bounds checks on (``NUMBA_BOUNDSCHECK=1``), compiled into a cache of its
own: a stray index is then an IndexError and a failed test."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers.paths import REPO


def test_the_compiled_kernels_stay_in_bounds(tmp_path):
    files = sorted(str(p.relative_to(REPO)) for p in (REPO / "tests").rglob("test_compiled_*.py"))
    assert len(files) >= 4
    env = {
        **os.environ,
        "NUMBA_BOUNDSCHECK": "1",
        "NUMBA_CACHE_DIR": str(tmp_path / "numba"),
        "HYPOTHESIS_PROFILE": "ci",
        "QT_QPA_PLATFORM": "offscreen",
    }
    found = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *files],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert found.returncode == 0, found.stdout[-4000:] + found.stderr[-2000:]
