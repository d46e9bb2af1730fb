"""Hostile per-incident credit clauses: nothing to pay, numbers out of range, a misspelt key,
and a measurement rule an incident's own downtime cannot be told under yet (a measured window).
Each is refused with exit 2 and a message naming the field; service hours, a maintenance
allowance and a k-of-n zone scope are accepted."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile

BASE = """format: slamodeler/v1
name: Per-incident
currency: USD
timezone: UTC
term: {start: 2024-01-01}
measurement: {MEASUREMENT}
exclusions: {EXCLUSIONS}
tiers:
  - name: Standard
    target_pct: 99.9
    monthly_fee: 1000
    scope: {SCOPE}
    credits: {kind: bands, bands: [{below: 99.9, credit_pct: 10}]}
    incident_credits: {CLAUSE}
"""
GOOD = "{longer_than_minutes: 30, credit_pct: 5}"


def _file(tmp_path, clause=GOOD, measurement="{}", exclusions="{}", scope="{}"):
    path = tmp_path / "incident.yaml"
    text = BASE.replace("{CLAUSE}", clause).replace("{MEASUREMENT}", measurement)
    text = text.replace("{EXCLUSIONS}", exclusions).replace("{SCOPE}", scope)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("clause", "names"),
    [
        ("{longer_than_minutes: 30}", ["incident_credits.credit_pct", "credit_pct_per_hour"]),
        ("{credit_pct: 0, credit_pct_per_hour: 0}", ["incident_credits.credit_pct"]),
        ("{longer_than_minutes: -5, credit_pct: 5}", ["incident_credits.longer_than_minutes"]),
        ("{credit_pct: 5, hours: rounded}", ["incident_credits.hours"]),
        ("{credit_pct: 5, max_pct_per_incident: -1}", ["incident_credits.max_pct_per_incident"]),
        ("{credit_pct_per_hour: 500}", ["incident_credits.credit_pct_per_hour"]),
        ("{credit_percent: 5}", ["incident_credits.credit_percent"]),
        ("five percent", ["incident_credits"]),
    ],
)
def test_a_bad_clause_is_refused_naming_the_field(tmp_path, capsys, clause, names):
    code, _, _ = hostile(capsys, "validate", _file(tmp_path, clause), names=names)
    assert code == 2


def test_the_good_clause_validates(tmp_path, capsys):
    code, _, _ = hostile(capsys, "validate", _file(tmp_path))
    assert code == 0


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("measurement", '{service_hours: {start: "08:00", end: "18:00"}}'),
        ("exclusions", "{maintenance_allowance_minutes_per_year: 600}"),
        ("scope", "{zones: {at_least: 2}}"),
        ("measurement", "{window: {kind: rolling, days: 30}}"),
        ("measurement", "{window: {kind: claim, days: 30}}"),
    ],
)
def test_per_incident_credits_under_rules_they_are_measured_with_validate(
    tmp_path, capsys, where, value
):
    code, _, _ = hostile(capsys, "validate", _file(tmp_path, **{where: value}))
    assert code == 0
