"""The test suite's own layout (tests/README.md): a test module imports what it shares from
tests/helpers, never from another test module, so moving or deleting one test module never
breaks another; and no test computes a path from its own place in the folders (tests/helpers/
paths.py does, once)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers.paths import REPO

TESTS = REPO / "tests"


def imports_of_test_modules(root: Path) -> list[str]:
    """``path: module`` for every import of a test module (``test_*``) by another module of the
    tests under ``root``, conftest.py and the helpers included."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                if module.split(".")[0] == "tests" and module.rsplit(".", 1)[-1].startswith(
                    "test_"
                ):
                    found.append(f"{path.relative_to(root)}: {module}")
    return found


def paths_from_file_location(root: Path) -> list[str]:
    """Modules under ``root`` that compute a path from ``__file__``, other than the paths helper."""
    allowed = {Path("helpers/paths.py")}
    return [
        str(path.relative_to(root))
        for path in sorted(root.rglob("*.py"))
        if path.relative_to(root) not in allowed
        and any(
            isinstance(node, ast.Name) and node.id == "__file__"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        )
    ]


def test_no_test_module_imports_another():
    assert imports_of_test_modules(TESTS) == []


def test_the_check_finds_a_test_module_importing_another(tmp_path):
    (tmp_path / "engine").mkdir()
    (tmp_path / "engine" / "test_caps.py").write_text("def helper(): ...\n")
    (tmp_path / "test_ok.py").write_text("from tests.helpers.builders import contract\n")
    (tmp_path / "test_bad.py").write_text("from tests.engine.test_caps import helper\n")
    (tmp_path / "test_worse.py").write_text("import tests.test_ok\n")
    assert imports_of_test_modules(tmp_path) == [
        "test_bad.py: tests.engine.test_caps",
        "test_worse.py: tests.test_ok",
    ]


def test_paths_are_computed_in_one_place():
    assert paths_from_file_location(TESTS) == []


def test_the_check_finds_a_path_computed_from_a_test_file(tmp_path):
    (tmp_path / "gui").mkdir()
    (tmp_path / "gui" / "test_x.py").write_text(
        "from pathlib import Path\nROOT = Path(__file__).resolve().parents[2]\n"
    )
    assert paths_from_file_location(tmp_path) == ["gui/test_x.py"]
