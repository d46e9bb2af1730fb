"""`slamodeler` alone opens the desktop application; with arguments it is the command line."""

from __future__ import annotations

from pathlib import Path

from slamodeler import launcher

SAMPLE = Path(__file__).resolve().parents[1] / "sample_contracts" / "three_tier_cloud.yaml"


def test_arguments_go_to_the_command_line(monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["slamodeler", "validate", str(SAMPLE)])
    assert launcher.main() == 0
    assert "valid" in capsys.readouterr().out


def test_no_arguments_open_the_desktop_application(monkeypatch):
    import slamodeler.gui.app

    monkeypatch.setattr("sys.argv", ["slamodeler"])
    monkeypatch.setattr(slamodeler.gui.app, "main", lambda: 7)
    assert launcher.main() == 7
