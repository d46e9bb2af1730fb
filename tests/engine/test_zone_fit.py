"""`slamodeler fit` on a history whose incidents carry zones: the fitted process draws zones
with the shares and the zones-at-once the history shows (rows sharing an id are one incident)."""

from __future__ import annotations

import json

from slamodeler.cli.main import main
from slamodeler.io.scenario_file import load_scenario


def _history(path):
    rows = ["id,start,end,impact,service,region,zone"]
    zones = [["a"]] * 20 + [["b"]] * 5 + [["a", "b"]] * 5 + [[""]] * 2
    for k, hit in enumerate(zones):
        day = 1 + k % 28
        month = 1 + k % 6
        for zone in hit:
            rows.append(
                f"I-{k},2024-{month:02d}-{day:02d}T10:00:00Z,2024-{month:02d}-{day:02d}T11:{k:02d}:00Z,"
                f"full,ec2,us-east-1,{zone}"
            )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_fit_takes_zone_shares_and_zones_at_once_from_the_incidents(tmp_path, capsys):
    history, out = tmp_path / "zones.csv", tmp_path / "fitted.yaml"
    _history(history)
    assert main(["fit", str(history), "--out", str(out)]) == 0
    printed = " ".join(capsys.readouterr().out.split())  # wrapped at 100 columns
    assert "zones hit: a 25, b 10 (incidents by zones at once, 1: 25, 2: 5)" in printed
    assert "2 incident(s) name no zone" in printed
    [process] = load_scenario(out).processes
    assert process.zones is not None
    assert process.zones.of == ["a", "b"]
    assert process.zones.shares == [round(25 / 35, 6), 1 - round(25 / 35, 6)]
    assert process.zones.at_once == [round(25 / 30, 6), round(1 - round(25 / 30, 6), 9)]
    assert main(["fit", str(history), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["zones"] == {"hits": {"a": 25, "b": 10}, "at_once": [25, 5], "zoneless": 2}


def test_a_history_without_zones_fits_a_process_without_zones(tmp_path, capsys):
    history, out = tmp_path / "plain.csv", tmp_path / "fitted.yaml"
    _history(history)
    history.write_text(
        "\n".join(line.rsplit(",", 1)[0] for line in history.read_text().splitlines()) + "\n"
    )
    assert main(["fit", str(history), "--out", str(out)]) == 0
    assert "zones hit" not in capsys.readouterr().out
    [process] = load_scenario(out).processes
    assert process.zones is None
    assert "\n  zones:" not in out.read_text(encoding="utf-8")
