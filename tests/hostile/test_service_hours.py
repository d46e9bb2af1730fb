"""Hostile service hours in a contract file: hours across midnight, times not "HH:MM", unknown or
repeated days, no days, holidays that are not dates, and a fee multiple's unknown share; each
refused naming the line and the field."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile

BASE = """format: slamodeler/v1
name: Service hours
currency: USD
timezone: UTC
term: {{start: 2024-01-01}}
measurement:
  service_hours: {hours}
tiers:
  - name: T
    target_pct: 99.9
    monthly_fee: 1000
    credits: {{kind: fee_multiple, multiple: 10, share_of: {share}}}
"""


@pytest.mark.parametrize(
    ("hours", "field"),
    [
        ('{start: "22:00", end: "06:00"}', "measurement.service_hours.end"),
        ('{start: "8:00", end: "18:00"}', "measurement.service_hours.start"),
        ('{start: "08:00", end: "25:00"}', "measurement.service_hours.end"),
        ('{start: "24:00", end: "24:00"}', "measurement.service_hours.start"),
        ('{start: "08:00"}', "measurement.service_hours.end"),
        (
            '{days: [monday, funday], start: "08:00", end: "18:00"}',
            "measurement.service_hours.days",
        ),
        (
            '{days: [monday, monday], start: "08:00", end: "18:00"}',
            "measurement.service_hours.days",
        ),
        ('{days: [], start: "08:00", end: "18:00"}', "measurement.service_hours.days"),
        (
            '{start: "08:00", end: "18:00", holidays: [25.12.2024]}',
            "measurement.service_hours.holidays",
        ),
        ("office hours", "measurement.service_hours"),
    ],
)
def test_bad_service_hours_are_refused_naming_the_field(tmp_path, capsys, hours, field):
    path = tmp_path / "hours.yaml"
    path.write_text(BASE.format(hours=hours, share="period"))
    hostile(capsys, "validate", path, names=[str(path), field])


def test_an_unknown_share_of_is_refused_naming_the_field(tmp_path, capsys):
    path = tmp_path / "hours.yaml"
    path.write_text(BASE.format(hours="null", share="month"))
    hostile(capsys, "validate", path, names=[str(path), "line 12", "share_of"])
