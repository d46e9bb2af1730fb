"""Hostile inputs to `slamodeler reprice`: terms whose incidents would be drawn otherwise, a run
that is not a simulation or not there, terms that are not there, and a workbook in the way."""

from __future__ import annotations

from pathlib import Path

import pytest

from slamodeler.cli.main import main
from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"


@pytest.fixture
def ws(tmp_path: Path, capsys) -> Path:
    """Run 1: a simulation (200 trials); run 2: a replay."""
    path = tmp_path / "w.slamws"
    common = ["--ws", str(path), "--author", "ana"]
    for argv in (
        ["ws", "init"],
        ["ws", "import-contract", str(CONTRACT)],
        ["ws", "import-scenario", str(SAMPLES / "scenarios" / "bad_year.yaml")],
        ["ws", "import-incidents", str(SAMPLES / "incidents_sample.csv"), "--as", "history"],
        ["ws", "simulate", "three_tier_cloud@1", "bad_year", "--trials", "200"],
        ["ws", "replay", "three_tier_cloud@1", "history", "--from", "2024-01", "--to", "2024-02"],
    ):
        assert main([*argv, *common]) == 0
    capsys.readouterr()
    return path


def test_another_time_zone_is_refused_with_what_differs_and_the_fix(ws, tmp_path, capsys):
    berlin = tmp_path / "berlin.yaml"
    berlin.write_text(CONTRACT.read_text().replace("America/New_York", "Europe/Berlin"))
    wanted = ["timezone (America/New_York -> Europe/Berlin)", "slamodeler simulate"]
    hostile(capsys, "reprice", 1, berlin, "--ws", ws, names=wanted)


def test_a_replay_is_not_re_priced(ws, capsys):
    hostile(capsys, "reprice", 2, CONTRACT, "--ws", ws, names=["run 2 is a replay", "ws replay"])


def test_a_run_that_is_not_there(ws, capsys):
    hostile(capsys, "reprice", 9, CONTRACT, "--ws", ws, names="no run 9")


@pytest.mark.parametrize(
    ("terms", "named"),
    [("missing.yaml", "missing.yaml"), ("three_tier_cloud@7", "no version 7")],
)
def test_terms_that_are_not_there(ws, capsys, terms, named):
    hostile(capsys, "reprice", 1, terms, "--ws", ws, names=named)


def test_the_workbook_may_not_replace_an_input(ws, tmp_path, capsys):
    terms = tmp_path / "terms.xlsx"  # whatever its name, the terms' file is an input
    terms.write_text(CONTRACT.read_text())
    hostile(capsys, "reprice", 1, terms, "--ws", ws, "--xlsx", terms, names="--xlsx")
    assert terms.read_text() == CONTRACT.read_text()
