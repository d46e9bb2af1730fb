"""``slamodeler --smoke-test``: does this build of the application work end to end?

Starts the application offscreen, seeds a fresh temporary workspace with the sample contracts,
creates the main window on it, replays the sample three-tier contract on the sample incident set,
simulates the baseline scenario and writes an exposure workbook. Prints one line per step and
exits 0, or names the step that failed and exits 1. Run by scripts/build_app.sh inside the
frozen application (docs/packaging.md) and by tests/test_smoke.py from the source tree.

Everything happens in a temporary folder; the user's workspace and settings are not touched.
The GUI is reached only through the ``gui`` callable the launcher passes in (tests/
test_architecture.py: only the launcher imports slamodeler.gui from outside it).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

CONTRACT = "three_tier_cloud"
INCIDENTS = "incidents_sample"
SCENARIO = "baseline"
TRIALS = 2_000
SEED = 1
AUTHOR = "smoke-test"


def say(text: str) -> None:
    """Print, also in a windowed build where ``sys.stdout`` is None."""
    stream = sys.stdout or sys.stderr
    if stream is not None:
        print(text, file=stream, flush=True)


class Failed(Exception):
    pass


@contextmanager
def _environment(home: Path) -> Iterator[None]:
    """Offscreen unless told otherwise; settings and data folders inside ``home``."""
    names = ("QT_QPA_PLATFORM", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "SLAMODELER_AUTHOR")
    saved = {name: os.environ.get(name) for name in names}
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    os.environ["SLAMODELER_AUTHOR"] = AUTHOR
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run(gui: Callable[[], ModuleType]) -> int:
    """The smoke test; ``gui()`` returns ``slamodeler.gui.app``. 0 when every step passed."""
    started = time.perf_counter()
    frozen = " (frozen)" if getattr(sys, "frozen", False) else ""
    say(f"slamodeler smoke test{frozen}")
    with tempfile.TemporaryDirectory(prefix="slamodeler-smoke-") as folder:
        home = Path(folder)
        with _environment(home):
            try:
                _steps(gui, home)
            except Failed:
                say(f"FAILED after {time.perf_counter() - started:.1f} s")
                return 1
    say(f"smoke test passed in {time.perf_counter() - started:.1f} s")
    return 0


def _step(name: str, action: Callable[[], Any]) -> Any:
    clock = time.perf_counter()
    try:
        result, detail = action()
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        say(f"  FAIL {name}: {type(exc).__name__}: {exc}")
        for line in traceback.format_exc().rstrip().splitlines():
            say(f"       {line}")
        raise Failed(name) from exc
    say(f"  ok   {name} ({time.perf_counter() - clock:.2f} s){': ' + detail if detail else ''}")
    return result


def _steps(gui: Callable[[], ModuleType], home: Path) -> None:
    from slamodeler import __version__
    from slamodeler.services.export import save_workbook
    from slamodeler.services.replay import ReplayRun
    from slamodeler.services.runs import replay_stored, simulate_stored
    from slamodeler.services.versions import resolve
    from slamodeler.services.workspaces import SAMPLES, Workspace, init_workspace

    path = home / "smoke.slamws"
    state: dict[str, Any] = {}

    def start() -> tuple[Any, str]:
        module = gui()
        app = module.create_application([sys.argv[0] if sys.argv else "slamodeler"])
        state["module"] = module
        return app, f"{module.versions_text().splitlines()[1]}, platform {app.platformName()}"

    def seed() -> tuple[None, str]:
        opened = init_workspace(path, AUTHOR, samples=True)
        opened.workspace.close()
        seeded = opened.seeded
        wanted = {f"contract {CONTRACT}", f"incident set {INCIDENTS}", f"scenario {SCENARIO}"}
        missing = wanted - set(seeded)
        if missing:
            raise Failed(
                f"the sample workspace lacks {', '.join(sorted(missing))} "
                f"(sample contracts looked for in {SAMPLES})"
            )
        return None, f"{len(seeded)} items from {SAMPLES}"

    def window() -> tuple[None, str]:
        module = state["module"]
        main = module.MainWindow(workspace=path)
        try:
            main.show()
            app.processEvents()
            if main.ws is None:
                raise Failed("the main window opened no workspace")
            versions = len(main.browser.items_of("version"))
            if not versions:
                raise Failed("the workspace browser shows no contract version")
            if main.windowIcon().isNull() or main.open_action.icon().isNull():
                raise Failed("the icons were not found (resources/icons beside the package)")
            title = main.windowTitle()
        finally:
            main.confirm = lambda *args: True
            main.close()
            main.deleteLater()
            app.processEvents()
        return None, f"{title!r}, {versions} contract versions"

    def replay() -> tuple[Any, str]:
        ws = state["ws"] = Workspace.open(path)
        stored = replay_stored(ws, CONTRACT, INCIDENTS, AUTHOR)
        state["replay"] = stored
        result = stored.result
        return (
            stored,
            f"run {stored.run.id}, {len(result.tiers)} tiers, {result.first}..{result.last}",
        )

    def simulate() -> tuple[Any, str]:
        stored = simulate_stored(state["ws"], CONTRACT, SCENARIO, AUTHOR, trials=TRIALS, seed=SEED)
        state["simulation"] = stored
        from slamodeler.engine import compiled_kernels

        measured = "compiled" if compiled_kernels.measure() is not None else "numpy (no numba)"
        return stored, (
            f"run {stored.run.id}, {TRIALS} trials, {len(stored.exposures)} exposures, "
            f"measurement {measured}"
        )

    def workbook() -> tuple[Path, str]:
        out = home / "exposure.xlsx"
        ws = state["ws"]
        stored_replay, stored_sim = state["replay"], state["simulation"]
        _, version = resolve(ws, CONTRACT)
        contract = ws.contract_of(version)
        incidents = ws.load_incidents(ws.incident_set(INCIDENTS))
        save_workbook(
            out,
            replay=ReplayRun(contract, incidents, stored_replay.result),
            simulation=stored_sim.simulation,
            exposures=stored_sim.exposures,
            contract_label=f"{CONTRACT}@{version.number}",
        )
        size = out.stat().st_size if out.is_file() else 0
        if size == 0:
            raise Failed(f"no workbook at {out}")
        return out, f"{size:,} bytes"

    say(f"  version {__version__}, Python {sys.version.split()[0]}")
    app = _step("start the application", start)
    _step("seed a temporary workspace with the sample contracts", seed)
    _step("create the main window", window)
    try:
        _step(f"replay {CONTRACT} on {INCIDENTS}", replay)
        _step(f"simulate {TRIALS:,} trials of {SCENARIO}", simulate)
        _step("write the exposure workbook", workbook)
    finally:
        if "ws" in state:
            state["ws"].close()
