"""The import direction of DESIGN.md: domain <- engine <- io, store <- services <- gui, cli.
Qt only in gui/, SQL only in store/. These tests fail when the rule is broken."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "slamodeler"
LOWER = {
    "domain": set(),
    "engine": {"domain"},
    "io": {"domain", "engine"},
    "store": {"domain", "engine", "io"},
    "services": {"domain", "engine", "io", "store"},
    "gui": {"domain", "engine", "io", "store", "services"},
    "cli": {"domain", "engine", "io", "store", "services"},
}
XDG = ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")
QT_OR_SQL = ("PySide6", "shiboken6", "pyqtgraph", "sqlmodel", "sqlalchemy", "sqlite3")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_layers_import_only_downwards():
    wrong = []
    for layer, allowed in LOWER.items():
        folder = PACKAGE / layer
        for path in folder.rglob("*.py") if folder.exists() else []:
            for name in _imports(path):
                parts = name.split(".")
                upward = (
                    parts[0] == "slamodeler"
                    and len(parts) > 1
                    and parts[1] in LOWER
                    and parts[1] not in allowed | {layer}
                )
                if upward:
                    wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
                if parts[0] in QT_OR_SQL and not (
                    (layer == "gui" and parts[0] in QT_OR_SQL[:3])
                    or (layer == "store" and parts[0] in QT_OR_SQL[3:])
                ):
                    wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not wrong, "imports against DESIGN.md's direction:\n" + "\n".join(wrong)


def test_only_the_launcher_reaches_the_gui_from_outside():
    outside = [p for p in PACKAGE.rglob("*.py") if "gui" not in p.relative_to(PACKAGE).parts]
    reaching = sorted(
        str(p.relative_to(PACKAGE))
        for p in outside
        if any(name.startswith("slamodeler.gui") for name in _imports(p))
    )
    assert reaching == ["launcher.py"]


def test_core_and_cli_load_no_qt_or_sql_in_a_fresh_interpreter():
    code = (
        "import json, sys\n"
        "import slamodeler.cli.main, slamodeler.services.replay, slamodeler.engine.replay\n"
        "import slamodeler.io.incident_import, slamodeler.io.contract_file\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {QT_OR_SQL!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


@pytest.mark.parametrize("layer", ["domain", "engine", "io", "services", "cli"])
def test_ruff_bans_qt_and_sql_below_gui_and_store(layer):
    source = "import PySide6\nimport sqlmodel\n"
    result = subprocess.run(
        [
            "ruff",
            "check",
            "--select",
            "TID251",
            "--stdin-filename",
            f"slamodeler/{layer}/probe.py",
            "-",
        ],
        input=source,
        capture_output=True,
        text=True,
        cwd=PACKAGE.parent,
    )
    assert result.returncode == 1
    assert result.stdout.count("TID251") == 2


# Imported by the actions that need them (a fit, a workbook, a cluster), never to open the window:
# each takes longer to import than the window takes to open (benchmarks/startup.py).
NOT_AT_START = ("scipy", "openpyxl", "distributed", "dask")


def test_the_desktop_application_opens_without_scipy_openpyxl_or_dask(tmp_path):
    code = (
        "import json, sys\n"
        "from PySide6.QtCore import QSettings\n"
        "from slamodeler.gui.app import MainWindow, create_application\n"
        "app = create_application()\n"
        "window = MainWindow(QSettings(sys.argv[1], QSettings.Format.IniFormat))\n"
        "window.show()\n"
        "app.processEvents()\n"
        "assert window.ws is not None and window.editor is not None, 'no workspace shown'\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(NOT_AT_START)!r})))\n"
        "window.close()\n"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "SLAMODELER_AUTHOR": "tester",
        **{name: str(tmp_path / name.lower()) for name in XDG},
    }
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "settings.ini")],
        capture_output=True,
        text=True,
        env=env,
        cwd=PACKAGE.parent,
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "xdg_data_home").is_dir()  # the first run's default workspace, made there
    assert json.loads(out.stdout.splitlines()[-1]) == []
