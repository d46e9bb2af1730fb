"""Bad k-of-n zone rules: refused, naming the field."""

from __future__ import annotations

from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

REGION = SAMPLES / "real" / "aws_ec2_region.yaml"


def test_more_zones_needed_than_listed_is_refused(tmp_path, capsys):
    bad = tmp_path / "zones.yaml"
    bad.write_text(
        REGION.read_text(encoding="utf-8").replace("at_least: 2,", "at_least: 4,"),
        encoding="utf-8",
    )
    code, _, err = hostile(capsys, "validate", bad, names=[bad.name, "zones"])
    assert code == 2
    assert "4 of 3 zones can never be down" in err
