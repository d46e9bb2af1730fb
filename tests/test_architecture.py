"""The import direction of DESIGN.md: domain <- engine <- io, store <- services <- gui, cli.
Qt only in gui/, SQL only in store/. These tests fail when the rule is broken."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.paths import PACKAGE

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


# -- services are the only door: gui/ and cli/ import no engine, io or store -------------------

BEHIND_SERVICES = ("engine", "io", "store")
FRONT_ENDS = ("gui", "cli")
# A front-end module that must import below the services goes here as (module, imported) -> why.
# None needs to today: what the front ends show of the engine's and io's results, the services
# hand out as part of their interface (each module's ``__all__``). The check fails on any other
# such import, and on an entry here that no longer imports it.
ALLOWED_BELOW_SERVICES: dict[tuple[str, str], str] = {}


def _module_of(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The modules an import statement may load: ``import a.b`` and ``from a import b`` name
    ``a.b``; a relative ``from .x import y`` is resolved against ``module``."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".")[
            : len(module.split(".")) - node.level + (1 if is_package else 0)
        ]
        base = ".".join([*package, *([base] if base else [])])
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def below_services_imports(root: Path) -> list[tuple[str, str]]:
    """Every (module, imported module) where a module in ``root``'s gui/ or cli/ imports
    ``root``'s engine, io or store: ``import x.y``, ``from x import y`` and relative imports,
    at module level or inside functions and classes, wherever they stand. Imports under ``if
    TYPE_CHECKING:`` count too: the front ends take their types from the services, which say
    which lower-layer types they hand out and why. ``root``: the package's folder."""
    package = root.name
    banned = tuple(f"{package}.{layer}" for layer in BEHIND_SERVICES)
    found: set[tuple[str, str]] = set()
    for front in FRONT_ENDS:
        for path in sorted((root / front).rglob("*.py")):
            module = _module_of(path, root)
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Import | ast.ImportFrom):
                    continue
                for name in _imported(node, module, path.name == "__init__.py"):
                    hit = next((b for b in banned if name == b or name.startswith(b + ".")), None)
                    if hit is not None:
                        # ``from slamodeler.engine import x``: x may be a module or a name in it
                        parts = name.split(".")
                        named = ".".join(parts[:3]) if len(parts) > 2 else name
                        found.add((path.relative_to(root).as_posix(), named))
    return sorted(found)


def test_gui_and_cli_reach_engine_io_and_store_only_through_services():
    found = below_services_imports(PACKAGE)
    wrong = [f"{m} imports {name}" for m, name in found if (m, name) not in ALLOWED_BELOW_SERVICES]
    assert not wrong, (
        "front ends past the services (go through slamodeler.services):\n" + "\n".join(wrong)
    )
    stale = sorted(set(ALLOWED_BELOW_SERVICES) - set(found))
    assert not stale, f"allowed but no longer imported; remove from ALLOWED_BELOW_SERVICES: {stale}"


def _copy_of_package(tmp_path: Path) -> Path:
    """The package's gui/ and cli/ as they are, in a temporary tree to add modules to."""
    root = tmp_path / "slamodeler"
    for front in FRONT_ENDS:
        shutil.copytree(PACKAGE / front, root / front, ignore=shutil.ignore_patterns("__pycache__"))
    return root


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ("from slamodeler.engine.replay import replay\n", "slamodeler.engine.replay"),
        ("import slamodeler.store.workspace\n", "slamodeler.store.workspace"),
        ("from slamodeler.store import tables\n", "slamodeler.store.tables"),
        ("from slamodeler import io\n", "slamodeler.io"),
        (
            "def later():\n    from slamodeler.engine import simulation\n",
            "slamodeler.engine.simulation",
        ),
        (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from slamodeler.store.tables import RunRow\n",
            "slamodeler.store.tables",
        ),
        ("from ..engine.caps import liability_cap_amount\n", "slamodeler.engine.caps"),
    ],
)
def test_the_check_catches_a_gui_module_importing_the_engine_or_the_store(tmp_path, source, caught):
    root = _copy_of_package(tmp_path)
    assert not [f for f in below_services_imports(root) if f not in ALLOWED_BELOW_SERVICES]
    (root / "gui" / "probe.py").write_text(source, encoding="utf-8")
    assert ("gui/probe.py", caught) in below_services_imports(root)


def test_the_check_passes_a_gui_module_going_through_services(tmp_path):
    root = _copy_of_package(tmp_path)
    (root / "gui" / "probe.py").write_text(
        "from slamodeler.services.runs import rerun\nimport slamodeler.domain.contract\n",
        encoding="utf-8",
    )
    assert not [m for m, _ in below_services_imports(root) if m == "gui/probe.py"]
