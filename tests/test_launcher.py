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
