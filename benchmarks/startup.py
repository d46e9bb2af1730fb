"""Start-up of the desktop application: from launching the process to its first paint,
against ``python -c "import PySide6.QtWidgets"`` timed in the same run (issue 13).

Each run launches ``slamodeler`` (the real launcher, ``slamodeler.launcher.main``) in a fresh
process with its own per-user folders, so that QSettings and the default workspace are those of
a new user; runs alternate with the baseline. Two cases:
- first run: a new user; the default workspace is created and seeded with the samples;
- later run: the same user again; the default workspace exists and opens.
Reports the medians, per case, of the time from the launch to:
- the first paint: the start-up screen (gui/startup_screen.py), shown before the rest loads;
- the main window's first paint (the workspace is open by then);
- the first paint with the last contract version in the editor (the window usable);
against the baseline, the launch to the end of ``python -c "import PySide6.QtWidgets"``.
Target: the first paint within 2x the baseline. Also the time of one full garbage collection
on the GUI thread a second after the window is up (the hitch a user meets now and then).

Offscreen unless DISPLAY is set, then on that X server (xcb). The machine's load is printed:
two cores shared with other work make single figures move.

    python benchmarks/startup.py [--runs N] [--root CHECKOUT]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 2.0
BASELINE = "import PySide6.QtWidgets"
# Run in the launched process, before the launcher: the start-up screen's and the main window's
# paintEvent note the time of their first call, and the main window's also the first with the
# workspace shown. (Wrapping the two paintEvents costs nothing measurable; an event filter on the
# whole application would run Python for every event of the start and slow what it times.)
# A second later, with the window idle, one full garbage collection is timed on the GUI thread:
# what a user meets now and then while working (gui/collector.py), then the window closes.
PROBE = r"""
import gc, json, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow
try:
    from slamodeler.gui.startup_screen import StartupScreen
except ImportError:  # a checkout from before the start-up screen (--root)
    StartupScreen = None

times = {}

def noting(cls, name):
    painted = cls.paintEvent

    def paintEvent(self, event):
        painted(self, event)
        times.setdefault(name, time.time())
        if name == "window" and getattr(self, "editor", None) is not None and "ready" not in times:
            times["ready"] = time.time()
            QTimer.singleShot(1000, lambda: collect_and_close(self))

    cls.paintEvent = paintEvent

def collect_and_close(window):
    start = time.perf_counter()
    gc.collect()
    times["collection"] = time.perf_counter() - start
    print(json.dumps(times), flush=True)
    window.close()

if StartupScreen is not None:
    noting(StartupScreen, "screen")
noting(QMainWindow, "window")
sys.argv = ["slamodeler"]
from slamodeler.launcher import main
main()
"""


STAGES = {
    "screen": "first paint (the start-up screen, if any)",
    "window": "the main window's first paint",
    "ready": "workspace shown, last version in the editor",
}


def environment(home: Path, root: Path = ROOT) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
    env["HOME"] = str(home)
    env["SLAMODELER_AUTHOR"] = "benchmark"
    env["PYTHONPATH"] = str(root)
    env["QT_QPA_PLATFORM"] = "xcb" if os.environ.get("DISPLAY") else "offscreen"
    return env


def launch_app(home: Path, root: Path = ROOT) -> dict[str, float]:
    """Seconds from the launch to the start-up screen's first paint ("screen"), the main
    window's ("window") and the first paint with the workspace shown ("ready")."""
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=environment(home, root),
        cwd=root,  # first on the path of a ``-c`` program
        capture_output=True,
        text=True,
        timeout=120,
    )
    if out.returncode != 0 or not out.stdout.strip():
        raise SystemExit(f"the application did not start:\n{out.stderr}")
    times = json.loads(out.stdout.strip().splitlines()[-1])
    times.setdefault("screen", times["window"])  # no start-up screen: the window is the first
    return {name: at - start for name, at in times.items() if name in STAGES} | {
        "collection": times["collection"]
    }


def launch_baseline(home: Path) -> float:
    start = time.time()
    subprocess.run([sys.executable, "-c", BASELINE], env=environment(home), check=True)
    return time.time() - start


def free_cores() -> float:
    """Cores not busy over the last minute, by the load average."""
    return max(0.0, (os.cpu_count() or 1) - os.getloadavg()[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="launches of each kind (default 7)")
    parser.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="the checkout to launch (default this one; another to compare with, e.g. from "
        "`git archive COMMIT | tar -x -C DIR`)",
    )
    args = parser.parse_args()
    platform = "xcb on " + os.environ["DISPLAY"] if os.environ.get("DISPLAY") else "offscreen"
    print(
        f"{args.root}: {args.runs} runs of each, alternating, {platform}; "
        f"{os.cpu_count()} cores, {free_cores():.1f} free at the start (load average)"
    )
    first: list[dict[str, float]] = []
    later: list[dict[str, float]] = []
    baseline: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "returning"
        launch_app(home, args.root)  # the returning user's first run, not counted
        for run in range(args.runs):
            baseline.append(launch_baseline(home))
            first.append(launch_app(Path(tmp) / f"new{run}", args.root))
            later.append(launch_app(home, args.root))
    base = statistics.median(baseline)
    print(f"baseline ({BASELINE}), median: {base:6.3f} s")
    ratios = []
    for case, runs in (("first run", first), ("later run", later)):
        print(f"{case}, medians:")
        for name, what in STAGES.items():
            at = statistics.median(r[name] for r in runs)
            print(f"  {what:<40} {at:6.3f} s  {at / base:5.1f}x the baseline")
        ratios.append(statistics.median(r["screen"] for r in runs) / base)
        collection = statistics.median(r["collection"] for r in runs)
        print(
            f"  a full garbage collection on the GUI thread, window idle: {collection * 1000:5.1f} ms"
        )
    worst = max(ratios)
    verdict = "met" if worst <= TARGET else "NOT met"
    print(
        f"first paint / baseline, worse case: {worst:.1f}x   target at most {TARGET:g}x: {verdict}"
    )
    print(f"free cores at the end (load average): {free_cores():.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
