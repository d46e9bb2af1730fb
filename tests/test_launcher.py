"""`slamodeler` alone opens the desktop application; with arguments it is the command line."""

from __future__ import annotations

from slamodeler import launcher
from tests.helpers.paths import SAMPLES

SAMPLE = SAMPLES / "three_tier_cloud.yaml"


def test_arguments_go_to_the_command_line(monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["slamodeler", "validate", str(SAMPLE)])
    assert launcher.main() == 0
    assert "valid" in capsys.readouterr().out


def test_no_arguments_open_the_desktop_application(monkeypatch):
    import slamodeler.gui.app

    monkeypatch.setattr("sys.argv", ["slamodeler"])
    monkeypatch.setattr(slamodeler.gui.app, "main", lambda: 7)
    assert launcher.main() == 7


def test_every_compiled_kernel_module_ships_as_a_source_file():
    """numba finds a cached kernel by its function's source file: a kernel module the spec
    leaves in the frozen app's archive cannot cache, and silently takes the numpy path there."""
    root = SAMPLES.parent
    spec = (root / "slamodeler.spec").read_text()
    modules = sorted(
        ".".join(path.relative_to(root).with_suffix("").parts)
        for path in (root / "slamodeler").rglob("jit_*.py")
    )
    assert len(modules) >= 4
    for module in modules:
        assert f'"{module}": "py"' in spec, module
