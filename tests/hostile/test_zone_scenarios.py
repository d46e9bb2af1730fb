"""Bad zone draws in a scenario (processes[i].zones): refused before anything is drawn, naming
the key and the fix; and a k-of-n contract under a scenario that draws no zones is simulated
with a note saying every incident takes the region down."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

REGION = SAMPLES / "real" / "aws_ec2_region.yaml"
ZONED = SAMPLES / "scenarios" / "zone_outages.yaml"
GOOD = """      of: [use1-az1, use1-az2, use1-az3, use1-az4]
      at_once: [0.9, 0.1]
"""


@pytest.mark.parametrize(
    ("zones", "names", "says"),
    [
        ("      of: []\n", "processes[0].zones.of", "at least 1 item"),
        ("      of: [a, A]\n", "processes[0].zones.of", "zone 'a' is listed twice"),
        ("      of: [a, ' ']\n", "processes[0].zones.of", "must not be empty"),
        (
            "      of: [a, b]\n      at_once: [0.5, 0.3]\n",
            "processes[0].zones.at_once",
            "adds up to 0.8",
        ),
        ("      of: [a]\n      at_once: [0.5, 0.5]\n", "processes[0].zones.at_once", "give 1 to 1"),
        ("      of: [a, b]\n      shares: [1]\n", "processes[0].zones.shares", "give one each"),
        (
            "      of: [a, b]\n      shares: [0.5, 0.6]\n",
            "processes[0].zones.shares",
            "add up to 1.1",
        ),
        ("      of: [a, b]\n      shares: [1, 0]\n", "processes[0].zones.shares", "greater than 0"),
        (
            "      of: [a, b]\n      at_once: [-1, 2]\n",
            "processes[0].zones.at_once",
            "greater than or equal to 0",
        ),
        ("      of: [a]\n      together: [1]\n", "processes[0].zones.together", "unknown key"),
        (
            "      of: " + str([f"z{i}" for i in range(63)]) + "\n",
            "processes[0].zones.of",
            "at most 62",
        ),
    ],
)
def test_a_bad_zone_draw_is_refused_naming_the_key(tmp_path, capsys, zones, names, says):
    bad = tmp_path / "zones.yaml"
    bad.write_text(ZONED.read_text(encoding="utf-8").replace(GOOD, zones), encoding="utf-8")
    code, _, err = hostile(
        capsys, "simulate", REGION, "--scenario", bad, "--trials", "10", names=[bad.name, names]
    )
    assert code == 2
    assert says in err


def test_more_than_62_zones_across_processes_is_refused(tmp_path, capsys):
    text = ZONED.read_text(encoding="utf-8")
    many = "      of: " + str([f"z{i}" for i in range(40)]) + "\n"
    more = "      of: " + str([f"y{i}" for i in range(40)]) + "\n"
    first, rest = text.split("  - name: regional")
    bad = tmp_path / "zones.yaml"
    bad.write_text(
        first.replace(GOOD, many) + "  - name: regional" + rest + "    zones:\n" + more,
        encoding="utf-8",
    )
    code, _, err = hostile(
        capsys,
        "simulate",
        REGION,
        "--scenario",
        bad,
        "--trials",
        "10",
        names=[bad.name, "processes"],
    )
    assert code == 2
    assert "name 80 zones; at most 62 in all" in err


def test_a_k_of_n_contract_under_a_scenario_without_zones_runs_with_a_note(capsys):
    scenario = SAMPLES / "scenarios" / "baseline.yaml"
    code, out, err = hostile(capsys, "simulate", REGION, "--scenario", scenario, "--trials", "10")
    assert code == 0
    assert "no process of the scenario says which zones" in out + err
