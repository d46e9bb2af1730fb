"""Hostile inputs to fiscal periods and measured windows: a month that is not one, a window of
no days or of an unknown kind, and a period label of the other calendar."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

SLACK = SAMPLES / "real" / "slack.yaml"


def changed(tmp_path: Path, **measurement) -> Path:
    data = yaml.safe_load(SLACK.read_text(encoding="utf-8"))
    data["measurement"].update(measurement)
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("measurement", "field"),
    [
        ({"year_starts": "feb"}, "year_starts"),
        ({"year_starts": 2}, "year_starts"),
        ({"period": "week"}, "period"),
        ({"window": {"kind": "rolling", "days": 0}}, "days"),
        ({"window": {"kind": "rolling", "days": 100000}}, "days"),
        ({"window": {"kind": "trailing", "days": 30}}, "kind"),
        ({"window": {"kind": "claim"}}, "days"),
        ({"window": 365}, "window"),
    ],
)
def test_a_bad_period_or_window_is_refused_naming_the_field(tmp_path, capsys, measurement, field):
    hostile(capsys, "validate", changed(tmp_path, **measurement), names=field)


@pytest.mark.parametrize(
    ("label", "wanted"),
    [("2024-Q1", "FY<year it ends in>-Qn"), ("FY2025", "FY<year it ends in>-Qn"), ("2024-13", "")],
)
def test_a_period_label_of_the_other_calendar_is_refused(tmp_path, capsys, label, wanted):
    incidents = tmp_path / "none.csv"
    incidents.write_text("id,start,end,impact\nA,2024-03-01T00:00:00Z,2024-03-01T01:00:00Z,full\n")
    _, _, err = hostile(capsys, "replay", SLACK, incidents, "--from", label, names=label)
    assert wanted in err
