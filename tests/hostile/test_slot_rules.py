"""Hostile slot rules in a contract file: an unknown counting rule or overlap rule, a threshold
written as a percentage, negative, or as text; each refused naming the line and the field."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile

BASE = """format: slamodeler/v1
name: Slot rules
currency: USD
timezone: UTC
term: {{start: 2024-01-01}}
measurement:
  {rule}
tiers:
  - name: T
    target_pct: 99.9
    monthly_fee: 1000
    credits: {{kind: bands, bands: [{{below: 99.9, credit_pct: 10}}]}}
"""


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ("slot_counting: partial", "measurement.slot_counting"),
        ("overlaps: sum", "measurement.overlaps"),
        ("down_above: 5", "measurement.down_above"),
        ("down_above: -0.05", "measurement.down_above"),
        ("down_above: five percent", "measurement.down_above"),
        ("down_above: 1", "measurement.down_above"),
    ],
)
def test_a_bad_slot_rule_is_refused_naming_the_field(tmp_path, capsys, rule, field):
    path = tmp_path / "rules.yaml"
    path.write_text(BASE.format(rule=rule))
    hostile(capsys, "validate", path, names=[str(path), "line 7", field])


def test_a_threshold_written_as_a_percentage_says_how_to_write_it(tmp_path, capsys):
    path = tmp_path / "rules.yaml"
    path.write_text(BASE.format(rule="down_above: 5"))
    _, _, err = hostile(capsys, "validate", path, names="measurement.down_above")
    assert "write 5% as 0.05" in err
