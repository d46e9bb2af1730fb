"""`simulate --ws --method exact`: the computed result stored as a run of kind ``exact`` with its
horizon, listed by `ws list`, reproduced by `ws rerun` and exported by `ws export` as the
workbook of a computed result."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from tests.helpers.cli import run
from tests.helpers.paths import SAMPLES

EC2 = SAMPLES / "ec2_region_sla.yaml"
ONE = SAMPLES / "exact" / "platform_only.yaml"


def cli(capsys, *argv: object) -> tuple[str, str]:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out, err


@pytest.fixture
def ws(tmp_path: Path, capsys) -> Path:
    """A workspace holding the EC2-style contract and the one-process scenario."""
    path = tmp_path / "e.slamws"
    common = ("--ws", path, "--author", "Ana")
    cli(capsys, "ws", "init", *common)
    cli(capsys, "ws", "import-contract", EC2, *common)
    cli(capsys, "ws", "import-scenario", ONE, *common)
    return path


def test_an_exact_run_is_stored_listed_and_rerun_exactly(ws, capsys):
    args = ("simulate", "ec2_region_sla@1", "--ws", ws, "--scenario", "platform_only")
    out, err = cli(capsys, *args, "--method", "exact", "--years", "2", "--format", "json")
    stored = json.loads(out)
    assert stored["method"] == "exact" and stored["trials"] is None
    assert stored["horizon"] == {"from": "2027-01", "to": "2028-12", "periods": 24}
    assert "stored as run 1; `slamodeler ws rerun 1` reproduces it" in err
    files, _ = cli(capsys, "simulate", EC2, "--scenario", ONE, "--method", "exact", "--years",
                   "2", "--format", "json")  # fmt: skip
    assert json.loads(files)["tiers"] == stored["tiers"]
    listed, _ = cli(capsys, "ws", "list", "--ws", ws)
    assert "1  exact ec2_region_sla@1 under platform_only, computed (no trials)" in listed
    out, _ = cli(capsys, "ws", "rerun", "1", "--ws", ws)
    assert "run 1 (exact ec2_region_sla@1 under platform_only, computed (no trials)): " in out
    assert "reproduced exactly" in out


def test_the_stored_exact_run_exports_as_a_computed_workbook(ws, capsys, tmp_path):
    cli(capsys, "simulate", "ec2_region_sla@1", "--ws", ws, "--scenario", "platform_only",
        "--method", "exact")  # fmt: skip
    out = tmp_path / "run1.xlsx"
    cli(capsys, "ws", "export", "1", "--ws", ws, "--out", out)
    book = openpyxl.load_workbook(out)
    assert book["Exposure"]["A1"].value.endswith("exact method")
    methods = [r[1] for r in book["Assumptions"].iter_rows(values_only=True) if r[0] == "Method"]
    assert methods and methods[0].startswith("exact: the distributions computed, not sampled")
