"""`simulate --method exact` end to end: the simulation's JSON with the method named, no seed
and no trials, figures that agree with a Monte Carlo of the same files, a fee file's fees."""

from __future__ import annotations

import json

from slamodeler.cli.main import main
from tests.helpers.paths import SAMPLES

EC2 = SAMPLES / "ec2_region_sla.yaml"
ONE = SAMPLES / "exact" / "platform_only.yaml"


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_json_names_the_method_and_has_the_simulations_keys(capsys):
    code, out, err = run(
        capsys, "simulate", EC2, "--scenario", ONE, "--method", "exact", "--format", "json"
    )
    assert code == 0 and "note: exact method" in err
    exact = json.loads(out)
    code, out, _ = run(
        capsys, "simulate", EC2, "--scenario", ONE, "--trials", "4000", "--format", "json"
    )
    drawn = json.loads(out)
    assert exact["method"] == "exact" and "method" not in drawn
    assert exact["seed"] is None and exact["trials"] is None
    assert set(exact) - {"method"} == set(drawn)
    (tier,), (sampled,) = exact["tiers"], drawn["tiers"]
    assert set(tier) == set(sampled) and tier["stderr"] == 0 and tier["trials"] is None
    assert abs(tier["mean"] - sampled["mean"]) < 4 * sampled["stderr"]
    assert tier["revenue"] == sampled["revenue"] and exact["portfolio"]["mean"] == tier["mean"]


def test_a_fee_file_changes_the_exact_figures_as_the_simulations(capsys, tmp_path):
    fees = tmp_path / "fees.csv"
    fees.write_text("tier,month,fee\nRegion,2027-03,50000\n", encoding="utf-8")
    args = ("simulate", EC2, "--scenario", ONE, "--method", "exact", "--format", "json")
    _, plain, _ = run(capsys, *args)
    code, dearer, _ = run(capsys, *args, "--fees", fees)
    assert code == 0
    before, after = json.loads(plain)["tiers"][0], json.loads(dearer)["tiers"][0]
    assert after["revenue"] == before["revenue"] + 25000 * 10
    assert after["mean"] > before["mean"]
