"""Support targets and per-incident credits under a measured window: `validate` takes them
(docs/measurement.md, section 1b), and under a claim window `simulate` prices them too (each to
the first claim after it: tests/engine/test_claim_window_events.py)."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

TERMS = """format: slamodeler/v1
name: Support under a window
currency: USD
timezone: UTC
term: {start: 2024-01-01}
measurement: {window: WINDOW}
tiers:
  - name: Standard
    target_pct: 99.9
    monthly_fee: 1000
    credits: {kind: bands, bands: [{below: 99.9, credit_pct: 10}]}
    support: {targets: [{priority: P1, respond_within_minutes: 15, credit_pct: 5}]}
"""


@pytest.mark.parametrize("window", ["{kind: rolling, days: 30}", "{kind: claim, days: 30}"])
def test_support_targets_with_a_measured_window_validate(tmp_path, capsys, window):
    path = tmp_path / "support.yaml"
    path.write_text(TERMS.replace("WINDOW", window), encoding="utf-8")
    code, _, _ = hostile(capsys, "validate", path)
    assert code == 0


@pytest.mark.parametrize(
    "clause",
    [
        "support: {targets: [{priority: P1, respond_within_minutes: 15, credit_pct: 5}]}",
        "incident_credits: {longer_than_minutes: 30, credit_pct: 5}",
    ],
)
def test_a_simulation_under_a_claim_window_prices_them(tmp_path, capsys, clause):
    path = tmp_path / "claims.yaml"
    terms = TERMS.replace("WINDOW", "{kind: claim, days: 30}")
    terms = terms.replace(
        "    support: {targets: [{priority: P1, respond_within_minutes: 15, credit_pct: 5}]}",
        f"    {clause}",
    )
    path.write_text(terms, encoding="utf-8")
    args = ["simulate", path, "--scenario", SAMPLES / "scenarios" / "baseline.yaml"]
    code, out, _ = hostile(capsys, *args, "--trials", "10")
    assert code == 0
    assert "Standard" in out
