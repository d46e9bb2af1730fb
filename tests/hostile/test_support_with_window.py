"""Support response targets under a claim window stay refused: a ticket counts in the billing
period it was opened in, and a claim window's rows are claims, not periods (docs/measurement.md,
section 1b). Refused with exit 2, naming tiers[N].support and measurement.window."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile

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


@pytest.mark.parametrize("window", ["{kind: claim, days: 30}"])
def test_support_targets_with_a_claim_window_are_refused_naming_both(tmp_path, capsys, window):
    path = tmp_path / "support.yaml"
    path.write_text(TERMS.replace("WINDOW", window), encoding="utf-8")
    code, _, _ = hostile(
        capsys, "validate", path, names=["tiers[0].support", "measurement.window", "leave out"]
    )
    assert code == 2
