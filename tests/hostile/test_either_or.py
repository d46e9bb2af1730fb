"""Hostile either-or credits: an unknown pick, a target out of range or that a band schedule
cannot use, no schedule, a misspelt key, a clause that is not a mapping, and a replay over such a
file. Each is refused with exit 2 and a message naming the field."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

BASE = (SAMPLES / "three_tier_cloud.yaml").read_text(encoding="utf-8")
HOUR = "{kind: per_hour, credit_pct_per_hour: 5}"


def _with_clause(tmp_path, clause: str):
    """The sample contract with ``either_or: clause`` on its first tier."""
    head, first_tier = BASE.split("  - name: ", 1)[0], BASE.split("  - name: ", 1)[1]
    name_line, rest = first_tier.split("\n", 1)
    path = tmp_path / "either.yaml"
    text = f"{head}  - name: {name_line}\n    either_or: {clause}\n{rest}"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("clause", "names"),
    [
        (f"{{pick: both, credits: {HOUR}}}", ["tiers[0].either_or.pick", "greater"]),
        (f"{{target_pct: 120, credits: {HOUR}}}", ["tiers[0].either_or.target_pct"]),
        (f"{{target_pct: 0, credits: {HOUR}}}", ["tiers[0].either_or.target_pct"]),
        (
            "{target_pct: 99, credits: {kind: bands, bands: [{below: 99, credit_pct: 10}]}}",
            ["tiers[0].either_or.target_pct", "leave target_pct out"],
        ),
        ("{pick: greater}", ["tiers[0].either_or.credits", "missing"]),
        ("{credits: {kind: hourly}}", ["tiers[0].either_or.credits", "per_hour"]),
        (f"{{chose: first, credits: {HOUR}}}", ["tiers[0].either_or.chose", "unknown key"]),
        (f"{{name: '', credits: {HOUR}}}", ["tiers[0].either_or.name"]),
        ("yes", ["tiers[0].either_or"]),
        ("[]", ["tiers[0].either_or"]),
    ],
)
def test_a_bad_clause_is_refused_naming_the_field(tmp_path, capsys, clause, names):
    code, _, _ = hostile(capsys, "validate", _with_clause(tmp_path, clause), names=names)
    assert code == 2


def test_a_replay_over_a_bad_clause_is_refused_before_reading_incidents(tmp_path, capsys):
    path = _with_clause(tmp_path, f"{{pick: worst, credits: {HOUR}}}")
    incidents = SAMPLES / "incidents_sample.csv"
    code, _, _ = hostile(capsys, "replay", path, incidents, names=["tiers[0].either_or.pick"])
    assert code == 2


def test_the_clause_on_the_sample_is_accepted(tmp_path, capsys):
    """The helper above writes a valid clause where it should: the refusals are the clause's."""
    path = _with_clause(tmp_path, f"{{pick: first, credits: {HOUR}}}")
    code, _, _ = hostile(capsys, "validate", path)
    assert code == 0
