"""The `slamodeler` program: with no arguments the desktop application, else the command line.

The only module outside slamodeler/gui that reaches the GUI, and only when asked, so that the
commands never load Qt (tests/test_architecture.py).
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    if getattr(sys, "frozen", False):  # a frozen build also starts the simulation's spawned workers
        import multiprocessing  # (only there: the commands start sooner without it)

        multiprocessing.freeze_support()
        jit_cache_outside_bundle()
    if sys.argv[1:] == ["--smoke-test"]:
        from slamodeler.smoke_test import run

        def gui():  # slamodeler.gui.app, imported inside the smoke test's first step
            from slamodeler.gui import app

            return app

        return run(gui)
    if len(sys.argv) > 1:
        from slamodeler.cli.main import main as cli

        return cli()
    try:
        # On screen at once (Qt only); the application takes a second more to import and open.
        from slamodeler.gui.startup_screen import StartupScreen
    except ImportError as exc:
        return _without_gui(exc)
    screen = StartupScreen.show_now()
    try:
        from slamodeler.gui.app import main as gui
    except ImportError as exc:
        screen.close()
        return _without_gui(exc)
    screen.until_window()
    try:
        return gui()
    finally:
        screen.close()  # closed already, unless the application stopped before its window showed


def _without_gui(exc: ImportError) -> int:
    from slamodeler.cli.main import build_parser

    build_parser().print_help()
    print(
        f"\nslamodeler: the desktop application needs PySide6 and pyqtgraph ({exc}); "
        "install them with pip install -e . or use a command above",
        file=sys.stderr,
    )
    return 0


def jit_cache_outside_bundle() -> None:
    """A frozen build's files are read-only and shared by its users: numba keeps the compiled
    kernels (every ``jit_*.py``: the simulation's and the CSV reader's) in the user's cache
    folder instead, unless NUMBA_CACHE_DIR says where. Spawned workers inherit it."""
    if getattr(sys, "frozen", False) and "NUMBA_CACHE_DIR" not in os.environ:
        import platformdirs

        from slamodeler import APP_NAME

        folder = platformdirs.user_cache_dir(APP_NAME, appauthor=False)
        os.environ["NUMBA_CACHE_DIR"] = os.path.join(folder, "numba")
