"""Hostile inputs to a stored exact-method run: re-pricing it (it has no trials) is refused
naming the command that computes the other terms instead; --workers with it too."""

from __future__ import annotations

from slamodeler.cli.main import main
from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES


def _workspace(tmp_path, capsys):
    path = tmp_path / "e.slamws"
    for argv in (
        ("ws", "init"),
        ("ws", "import-contract", SAMPLES / "ec2_region_sla.yaml"),
        ("ws", "import-scenario", SAMPLES / "exact" / "platform_only.yaml"),
        ("simulate", "ec2_region_sla@1", "--scenario", "platform_only", "--method", "exact"),
    ):
        assert main([str(a) for a in (*argv, "--ws", path)]) == 0
    capsys.readouterr()
    return path


def test_an_exact_run_is_not_re_priced(tmp_path, capsys):
    path = _workspace(tmp_path, capsys)
    code, _, err = hostile(
        capsys, "reprice", "1", "ec2_region_sla@1", "--ws", path, names=["run 1", "--method exact"]
    )
    assert code == 2 and "no trials to price again" in err
    assert "simulate KEY@N --ws e.slamws --scenario platform_only --method exact" in err


def test_workers_with_a_stored_exact_run_are_refused(tmp_path, capsys):
    path = _workspace(tmp_path, capsys)
    code, _, err = hostile(
        capsys, "simulate", "ec2_region_sla@1", "--ws", path, "--scenario", "platform_only",
        "--method", "exact", "--workers", "2", names=["--workers"],
    )  # fmt: skip
    assert code == 2 and "--method monte-carlo" in err
