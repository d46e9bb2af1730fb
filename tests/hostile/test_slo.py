"""Bad input to `slamodeler slo`: objectives, levels, days and trials out of range, a tier not
there or not named, budgets without periods, and OpenSLO files that are not what they claim."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

EC2 = SAMPLES / "ec2_region_sla.yaml"
PLATFORM = SAMPLES / "exact" / "platform_only.yaml"
THREE = SAMPLES / "three_tier_cloud.yaml"


@pytest.mark.parametrize("objective", ["100", "0", "abc", "nan", "-5"])
def test_an_objective_out_of_range_is_refused(capsys, objective):
    hostile(capsys, "slo", "policy", EC2, "--objective", objective, names="--objective")


@pytest.mark.parametrize("level", ["0", "1", "1.5", "x", "nan"])
def test_a_breach_level_out_of_range_is_refused(capsys, level):
    hostile(
        capsys, "slo", "objective", EC2, "--scenario", PLATFORM, "--breach", level, names="--breach"
    )


def test_days_and_trials_out_of_range_are_refused(capsys):
    hostile(capsys, "slo", "policy", EC2, "--days", "0", names="--days")
    hostile(
        capsys,
        "slo",
        "objective",
        EC2,
        "--scenario",
        PLATFORM,
        "--method",
        "monte-carlo",
        "--trials",
        "5",
        names="--trials",
    )


def test_a_tier_must_be_named_and_exist(capsys):
    hostile(capsys, "slo", "policy", THREE, names=["--tier", "Bronze"])
    hostile(capsys, "slo", "policy", THREE, "--tier", "Platinum", names="Platinum")


def test_a_budget_without_incidents_needs_its_periods(capsys):
    hostile(capsys, "slo", "budget", EC2, names=["--from", "--to"])


def test_the_exact_method_names_the_term_it_cannot_price(capsys):
    hostile(
        capsys,
        "slo",
        "objective",
        THREE,
        "--tier",
        "Gold",
        "--scenario",
        PLATFORM,
        names="exclusions.maintenance_windows",
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("kind: SLI\nmetadata: {name: x}\n", "no object of kind SLO"),
        ("{{{", "not YAML"),
        (
            "kind: SLO\nmetadata: 7\nspec: {objectives: [{target: 2}]}\n",
            "spec.objectives[0].target",
        ),
        ("kind: SLO\nspec: {timeWindow: 1M, objectives: [{target: 0.99}]}\n", "spec.timeWindow"),
        ("kind: SLO\nspec: 3\n", "spec.objectives"),
        (
            "kind: SLO\nspec: {budgetingMethod: Occurrences, objectives: [{target: 0.99}]}\n",
            "spec.budgetingMethod",
        ),
        (
            "kind: SLO\nspec: {objectives: [{target: 0.99, timeSliceTarget: 0.9}]}\n",
            "timeSliceTarget",
        ),
        (
            "kind: SLO\nspec: {objectives: [{target: 0.99, timeSliceWindow: 7m}]}\n",
            "timeSliceWindow",
        ),
        (
            "kind: SLO\nspec: {timeWindow: [{duration: 1M, calendar: {startTime: soon}}], "
            "objectives: [{target: 0.99}]}\n",
            "startTime",
        ),
    ],
)
def test_an_openslo_file_that_is_not_an_slo_is_refused(tmp_path, capsys, text, words):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, _ = hostile(
        capsys, "slo", "import", path, "--out", tmp_path / "c.yaml", names=["bad.yaml", words]
    )
    assert code == 2


def test_the_output_may_not_replace_the_input(tmp_path, capsys):
    out = tmp_path / "slo.yaml"
    hostile(capsys, "slo", "export", EC2, "--out", out)
    hostile(capsys, "slo", "import", out, "--out", out, names="--out")


@pytest.mark.parametrize("at", ["2024-04-10", "yesterday", "2024-13-01T00:00Z"])
def test_an_instant_without_offset_or_not_a_time_is_refused(capsys, at):
    hostile(capsys, "slo", "budget", EC2, "--at", at, names=["--at", "offset"])


@pytest.mark.parametrize("at", ["0001-01-01T00:00Z", "1899-12-31T00:00Z", "3000-01-01T00:00Z"])
def test_an_instant_outside_the_calendar_is_refused_naming_the_option(capsys, at):
    code, _, _ = hostile(capsys, "slo", "budget", EC2, "--at", at, names=["--at", "1900 to 2999"])
    assert code == 2


def test_a_scenario_that_never_reaches_the_tier_is_explained(tmp_path, capsys):
    far = tmp_path / "far.yaml"
    far.write_text(
        "format: slamodeler-scenario/v1\nname: elsewhere\nstart: '2027-01'\nprocesses:\n"
        "  - name: eu\n    frequency: {dist: poisson, rate_per_month: 2}\n"
        "    duration_minutes: {dist: exponential, mean: 30}\n    scope: {region: eu-west-1}\n",
        encoding="utf-8",
    )
    code, _, err = hostile(capsys, "slo", "objective", THREE, "--tier", "Bronze", "--scenario",
                           far, "--method", "monte-carlo", "--trials", "500",
                           names="scope")  # fmt: skip
    assert code == 2 and "100 times as frequent" in err


def test_a_zone_openslo_cannot_write_is_refused_naming_the_timezone(tmp_path, capsys):
    """OpenSLO names a calendar's zone Area/Location; CET has no such form."""
    contract = tmp_path / "cet.yaml"
    text = EC2.read_text(encoding="utf-8").replace("America/Los_Angeles", "CET")
    contract.write_text(text, encoding="utf-8")
    out = tmp_path / "slo.yaml"
    hostile(
        capsys,
        "slo",
        "export",
        contract,
        "--out",
        out,
        names=["cet.yaml", "timezone", "CET", "Europe/"],
    )
    assert not out.exists()


@pytest.mark.parametrize("where", ["folder", "missing folder"])
def test_an_out_that_is_a_folder_or_in_no_folder_is_refused(tmp_path, capsys, where):
    out = tmp_path if where == "folder" else tmp_path / "nowhere" / "g.yaml"
    slo = tmp_path / "slo.yaml"
    hostile(capsys, "slo", "export", THREE, "--tier", "Gold", "--out", slo)
    for argv in (("export", THREE, "--tier", "Gold"), ("import", slo)):
        code, _, _ = hostile(
            capsys, "slo", *argv, "--out", out, names=["--out", str(out), "folder that exists"]
        )
        assert code == 2
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("objective", ["0.999", "1"])
def test_an_objective_given_as_a_share_is_refused_with_the_percentage(capsys, objective):
    code, _, _ = hostile(capsys, "slo", "policy", THREE, "--tier", "Gold", "--objective",
                         objective, names=["--objective", "did you mean 99.9?"])  # fmt: skip
    assert code == 2


def test_an_objective_with_more_decimals_than_a_target_holds_is_refused(capsys):
    code, _, _ = hostile(capsys, "slo", "policy", THREE, "--tier", "Gold", "--objective",
                         "99.123456789", names=["--objective", "decimals"])  # fmt: skip
    assert code == 2
