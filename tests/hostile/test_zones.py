"""Bad k-of-n zone rules: refused, naming the field."""

from __future__ import annotations

from slamodeler.cli.main import main
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


def test_replaying_a_stored_set_under_a_zone_rule_is_refused(tmp_path, capsys):
    """A workspace's incident sets keep no zones yet: replaying one under k of n would count
    every incident as the whole region, so it is refused instead."""
    ws = tmp_path / "z.slamws"
    history = tmp_path / "zones.csv"
    history.write_text(
        "id,start,end,impact,service,region,zone\n"
        "Z-1,2025-03-05T10:00:00Z,2025-03-05T11:00:00Z,full,ec2,us-east-1,use1-az1\n",
        encoding="utf-8",
    )
    author = ["--ws", str(ws), "--author", "ana"]
    assert main(["ws", "init", *author]) == 0
    assert main(["ws", "import-contract", str(REGION), "--as", "ec2", *author]) == 0
    assert main(["ws", "import-incidents", str(history), "--as", "h", *author]) == 0
    capsys.readouterr()  # what the setup printed
    code, _, err = hostile(
        capsys, "ws", "replay", "ec2@1", "h", *author, names="tiers[0].scope.zones"
    )
    assert code == 2
    assert "do not keep zones yet" in err
