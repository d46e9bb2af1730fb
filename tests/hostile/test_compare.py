"""Hostile input to `slamodeler compare`: missing or broken files, versions whose years cannot
line up, a scenario one of the two cannot run, outputs over inputs; each refused with exit 2
and one message naming the file, the field or the option."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.cli import run
from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
BASELINE = SAMPLES / "scenarios" / "baseline.yaml"


def edited(tmp_path: Path, old: str, new: str, name: str = "redline.yaml") -> Path:
    text = CONTRACT.read_text()
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1))
    return path


def compare(capsys, base, redline, *more: object, names):
    return hostile(
        capsys, "compare", base, redline, "--scenario", BASELINE, "--trials", "100", *more,
        names=names,
    )  # fmt: skip


def test_a_missing_redline_file_is_named(capsys, tmp_path):
    missing = tmp_path / "nope.yaml"
    code, _, _ = compare(capsys, CONTRACT, missing, names=str(missing))
    assert code == 2


def test_a_broken_redline_names_its_file_and_field(capsys, tmp_path):
    bad = edited(tmp_path, "target_pct: 99.9", "target_pct: 120")
    code, _, _ = compare(capsys, CONTRACT, bad, names=[str(bad), "target_pct"])
    assert code == 2


def test_other_time_zones_cannot_share_draws(capsys, tmp_path):
    other = edited(tmp_path, "timezone: America/New_York", "timezone: Europe/Paris")
    code, _, _ = compare(capsys, CONTRACT, other, names=["timezone", "Europe/Paris"])
    assert code == 2


def test_months_against_quarters_that_start_apart_are_refused_naming_the_period(capsys, tmp_path):
    quarterly = edited(tmp_path, "period: month", "period: quarter")
    code, _, err = compare(
        capsys, CONTRACT, quarterly, "--start", "2027-02", names=["measurement.period", "--start"]
    )
    assert code == 2 and "2027-04" in err


def test_a_scenario_the_redline_cannot_run_names_the_redline(capsys, tmp_path):
    """The redline drops the weight of partial outages, which the scenario draws."""
    unweighed = edited(tmp_path, "impact_weights: {full: 1.0, partial: 0.3, degraded: 0.0}",
                       "impact_weights: {full: 1.0, degraded: 0.0}")  # fmt: skip
    code, _, _ = compare(capsys, CONTRACT, unweighed, names=[str(unweighed), "partial"])
    assert code == 2


def test_no_trials_is_refused_naming_the_option(capsys, tmp_path):
    code, _, _ = hostile(
        capsys, "compare", CONTRACT, CONTRACT, "--scenario", BASELINE, "--trials", "0",
        names="--trials",
    )  # fmt: skip
    assert code == 2


def test_the_workbook_may_not_replace_the_redline(capsys, tmp_path):
    target = tmp_path / "redline.xlsx"
    target.write_bytes(b"")
    code, _, _ = compare(capsys, CONTRACT, target, "--xlsx", target, names=["--xlsx", "redline"])
    assert code == 2 and target.read_bytes() == b""


def test_an_unknown_stored_version_is_named(capsys, ws):
    code, _, _ = hostile(
        capsys, "compare", "three_tier_cloud@1", "three_tier_cloud@9", "--ws", ws,
        "--scenario", "baseline", "--trials", "100", names="9",
    )  # fmt: skip
    assert code == 2


def test_a_workbook_from_stored_versions_is_refused_with_the_way_to_get_one(capsys, ws, tmp_path):
    code, _, _ = hostile(
        capsys, "compare", "three_tier_cloud@1", "1", "--ws", ws, "--scenario", "baseline",
        "--xlsx", tmp_path / "x.xlsx", names=["--xlsx", "export-contract"],
    )  # fmt: skip
    assert code == 2


def test_identical_files_compare_to_nothing(capsys):
    code, out, _ = run(capsys, "compare", CONTRACT, CONTRACT, "--scenario", BASELINE,
                       "--trials", "100")  # fmt: skip
    assert code == 0 and "The two contracts have the same terms." in out
