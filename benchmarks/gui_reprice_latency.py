"""Live re-pricing in the desktop application: from the release of a dragged point of the
penalty curve to the simulation's figures (table and charts) following it, at 100,000 trials.

The window runs offscreen on a copy of the sample workspace; the simulation tab runs the
baseline scenario, then points of Bronze's curve are dragged one after another. A drag ends when
the mouse is released, which emits the curve's ``handle_moved``: the benchmark emits it, and
times until the view says the figures follow the new terms (``repriced``). Reports, in one run:
- each drag's latency, against the 200 ms target (issue 6);
- the bare engine work, ``reprice`` + ``exposures`` on the GUI thread for the same contracts,
  as the view did before (and what the latency cannot go below);
- a burst of drags 20 ms apart: from the last release to its figures (coalescing: the re-price
  in flight finishes, the last drag is priced next, the drags in between never are).

    python benchmarks/gui_reprice_latency.py [--trials N] [--drags K]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402, TID251 (it times the desktop application)
from PySide6.QtWidgets import QApplication  # noqa: E402, TID251

from slamodeler.engine.exposure import exposures  # noqa: E402
from slamodeler.engine.simulation import reprice  # noqa: E402
from slamodeler.gui.app import MainWindow, create_application  # noqa: E402
from slamodeler.services.workspace import init_workspace  # noqa: E402

TARGET = 0.200
BURST_GAP = 0.020


def pump_until(app: QApplication, done, timeout: float = 60.0) -> None:
    """Run the event loop until ``done()`` holds."""
    end = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > end:
            raise TimeoutError("the view did not settle")
        app.processEvents()
        time.sleep(0.0005)


def idle(app: QApplication, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)


def drag_targets(count: int) -> list[tuple[int, float, float]]:
    """Bronze's bands 1 and 2 moved in turn, each time somewhere new (handle, availability %,
    credit %): every drag changes the terms."""
    return [
        (1, 98.9 - 0.1 * (k // 2), 26.0 + k) if k % 2 == 0 else (0, 99.5, 11.0 + k)
        for k in range(count)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--drags", type=int, default=8)
    args = parser.parse_args()
    app = create_application(["benchmark"])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.slamws"
        init_workspace(path, "benchmark", samples=True).workspace.close()
        settings = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings, workspace=path)
        window.confirm = lambda *a: True
        window.resize(1280, 800)
        window.show()
        view, editor = window.simulation, window.editor
        view.choose_scenario("baseline")
        view.trials.setValue(args.trials)
        ended: list[bool] = []
        view.finished.connect(lambda: ended.append(True))
        t0 = time.perf_counter()
        view.run()
        pump_until(app, lambda: bool(ended), timeout=600)
        run = view.run_result
        print(
            f"{run.trials:,} trials, scenario {run.scenario.name}, {len(run.contract.tiers)} tiers, "
            f"{len(run.horizon.periods)} periods (simulated in {time.perf_counter() - t0:.2f} s, "
            "not counted)"
        )

        settled: list[float] = []
        view.repriced.connect(lambda: settled.append(time.perf_counter()))
        latencies, contracts = [], []
        for handle, x, y in drag_targets(args.drags):
            before = len(settled)
            start = time.perf_counter()
            editor.curve.handle_moved.emit(handle, x, y)  # the mouse is released
            pump_until(app, lambda n=before: len(settled) > n)
            latencies.append(settled[-1] - start)
            contracts.append(window.current_contract())
            assert view.run_result.contract == contracts[-1]
            idle(app, 0.1)

        bare = []
        for contract in contracts:
            start = time.perf_counter()
            exposures(reprice(run, contract))
            bare.append(time.perf_counter() - start)

        before = len(settled)
        for handle, x, y in drag_targets(5):
            last = time.perf_counter()
            editor.curve.handle_moved.emit(handle, x, y + 0.5)
            idle(app, BURST_GAP)
        pump_until(app, lambda: len(settled) > before and not view.repricer.busy)
        burst = settled[-1] - last
        assert view.run_result.contract == window.current_contract()

        median, worst = statistics.median(latencies), max(latencies)
        bare_median = statistics.median(bare)
        print(
            f"drag to figures, {len(latencies)} drags:  median {median * 1000:6.0f} ms   "
            f"max {worst * 1000:6.0f} ms   target under {TARGET * 1000:.0f} ms: "
            f"{'met' if worst < TARGET else 'MISSED'}"
        )
        print(
            f"bare reprice + exposures:     median {bare_median * 1000:6.0f} ms   "
            f"max {max(bare) * 1000:6.0f} ms   (the floor; the view adds "
            f"{(median - bare_median) * 1000:+.0f} ms at the median)"
        )
        print(
            f"burst of 5 drags {BURST_GAP * 1000:.0f} ms apart: last release to figures "
            f"{burst * 1000:6.0f} ms"
        )
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
