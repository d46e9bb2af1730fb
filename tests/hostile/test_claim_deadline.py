"""Hostile claim deadlines: a share of late claims with no deadline to miss, a deadline that is
not a whole number of days, and a late share written as a percentage are refused with exit 2,
naming the field and the fix."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

INTERCONNECT = SAMPLES / "real" / "google_cloud_interconnect.yaml"


@pytest.mark.parametrize(
    ("claims", "names"),
    [
        ("{late_share: 0.2}", ["claims.late_share", "set claim_deadline_days"]),
        ("{claim_deadline_days: 0}", ["claims.claim_deadline_days", "greater than or equal to 1"]),
        ("{claim_deadline_days: 2.5}", ["claims.claim_deadline_days"]),
        ("{claim_deadline_days: 30, late_share: 20}", ["claims.late_share"]),
    ],
)
def test_a_bad_claim_deadline_is_refused(capsys, tmp_path, claims, names):
    bad = tmp_path / "deadline.yaml"
    text = INTERCONNECT.read_text(encoding="utf-8")
    bad.write_text(text.replace("claims: {claim_deadline_days: 30}", f"claims: {claims}"))
    code, _, err = hostile(capsys, "validate", bad, names=names)
    assert code == 2 and err.startswith("slamodeler: ")
