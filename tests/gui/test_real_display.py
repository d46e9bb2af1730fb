"""The whole window on a real X server: the tour (slamodeler/gui/tour.py) shows and paints every
tab and sub-tab before and after each run, at two sizes and in both palettes, under Xvfb with the
xcb platform, faulthandler on, in a process of its own. Offscreen tests once missed a crash in a
paint that a user met at once.

Needs Xvfb (``apt-get install xvfb``, and the xcb libraries .ci/run installs): without it this
test fails, it does not skip."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.paths import REPO


@pytest.fixture
def x_display(tmp_path: Path) -> Iterator[str]:
    """A fresh Xvfb server on a free display number; its ``:N``."""
    xvfb = shutil.which("Xvfb")
    assert xvfb, "Xvfb is not installed: apt-get install xvfb (see .ci/run)"
    read, write = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_every_view_paints_on_a_real_x_server(x_display: str, tmp_path: Path):
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {
        **os.environ,
        "DISPLAY": x_display,
        "QT_QPA_PLATFORM": "xcb",
        "XDG_RUNTIME_DIR": str(runtime),
        "PYTHONFAULTHANDLER": "1",
    }
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp_path / name.lower())
    shots = tmp_path / "shots"
    done = subprocess.run(
        [sys.executable, "-m", "slamodeler.gui.tour", "--shots", str(shots)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    said = f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    assert done.returncode == 0, said  # a crash is -11 (SIGSEGV) with faulthandler's trace
    assert "0 problem(s)" in done.stdout, said
    assert "painted" in done.stdout and " on xcb" in done.stdout, said
    from PySide6.QtGui import QImage

    pictures = sorted(shots.glob("*.png"))
    names = {p.stem for p in pictures}
    assert {"contract-editor", "compare-versions", "validation", "replay", "simulation"} <= names
    for path in pictures:
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1280, 800), path.name
        colours = {image.pixel(x, y) for x in range(0, 1280, 40) for y in range(0, 800, 40)}
        assert len(colours) > 8, f"{path.name} is blank"
