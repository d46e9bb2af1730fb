"""The `slamodeler` program: with no arguments the desktop application, else the command line.

The only module outside slamodeler/gui that reaches the GUI, and only when asked, so that the
commands never load Qt (tests/test_architecture.py).
"""

from __future__ import annotations

import sys


def main() -> int:
    if getattr(sys, "frozen", False):  # a frozen build also starts the simulation's spawned workers
        import multiprocessing  # (only there: the commands start sooner without it)

        multiprocessing.freeze_support()
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
