"""Bad input to `slamodeler memos` and `slamodeler layers`: layers not written LIMITxsRETENTION,
no layer, an unknown tier, an output over an input or where it cannot be written, and a stored
version that is not there."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
INCIDENTS = SAMPLES / "incidents_sample.csv"
SCENARIO = SAMPLES / "scenarios" / "baseline.yaml"
LAYERS = ("layers", CONTRACT, "--scenario", SCENARIO, "--trials", "50")


@pytest.mark.parametrize(
    "text", ["abc", "", "50000", "xs10000", "0xs10", "=-5xs10", "1e5xs0", "9999999999999999xs0"]
)
def test_a_layer_not_written_limit_xs_retention_is_refused(capsys, text):
    code, _, err = hostile(capsys, *LAYERS, f"--layer={text.lstrip('=')}", names="--layer")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_layers_without_a_layer_are_refused_with_an_example(capsys):
    _, _, err = hostile(capsys, *LAYERS, names="--layer")
    assert "50000xs10000" in err


def test_an_unknown_tier_is_refused_naming_the_tiers(capsys):
    _, _, err = hostile(capsys, *LAYERS, "--layer", "1kxs1k", "--tier", "Platinum", names="--tier")
    assert "Bronze, Silver, Gold, portfolio" in err


def test_memos_written_over_the_incident_file_are_refused(capsys, tmp_path):
    incidents = tmp_path / "incidents.csv"
    incidents.write_bytes(INCIDENTS.read_bytes())
    hostile(capsys, "memos", CONTRACT, incidents, "-o", incidents, names=["-o", "incident file"])
    assert incidents.read_bytes() == INCIDENTS.read_bytes()


def test_memos_into_a_missing_folder_are_refused_naming_the_path(capsys, tmp_path):
    out = tmp_path / "no-such-folder" / "memos.csv"
    hostile(capsys, "memos", CONTRACT, INCIDENTS, "-o", out, names=str(out))


def test_memos_from_a_workspace_refuse_a_workbook_and_a_missing_version(capsys, ws, tmp_path):
    book = tmp_path / "m.xlsx"
    hostile(capsys, "memos", "three_tier_cloud@1", "incidents_sample", "--ws", ws, "--xlsx", book,
            names="--xlsx")  # fmt: skip
    hostile(capsys, "memos", "three_tier_cloud@7", "incidents_sample", "--ws", ws,
            names="version 7")  # fmt: skip
    hostile(capsys, "memos", "three_tier_cloud@1", "incidents_sample", "--ws", ws, "--mapping", book,
            names="--mapping")  # fmt: skip


def test_memos_from_a_workspace_refuse_the_file_options_of_a_replay(capsys, ws, tmp_path):
    fees = tmp_path / "fees.csv"
    fees.write_text("tier,month,fee\nBronze,2024-03,3000\n", encoding="utf-8")
    hostile(capsys, "memos", "three_tier_cloud@1", "incidents_sample", "--ws", ws, "--fees", fees,
            names="--fees")  # fmt: skip


def test_a_layers_workbook_of_more_trials_than_a_sheet_has_rows_is_refused_before_running(
    capsys, tmp_path
):
    book = tmp_path / "layers.xlsx"
    _, _, err = hostile(capsys, "layers", CONTRACT, "--scenario", SCENARIO, "--layer", "1kxs1k",
                        "--trials", "2000000", "--xlsx", book, names=["--xlsx", "--trials"])  # fmt: skip
    assert "1,048,569" in err and not book.exists()


def test_memos_for_a_billion_customers_are_refused_before_any_is_made(capsys, tmp_path):
    text = CONTRACT.read_text(encoding="utf-8").replace("customers: 120", "customers: 1000000000")
    assert "1000000000" in text
    huge = tmp_path / "huge.yaml"
    huge.write_text(text, encoding="utf-8")
    _, _, err = hostile(capsys, "memos", huge, INCIDENTS, names=["--tier", "customers"])
    assert "Bronze 1,000,000,000" in err


@pytest.mark.parametrize(
    ("extra", "names"),
    [
        (("--xlsx", "exact-layers.xlsx"), "--xlsx"),
        (("--workers", "2"), "--workers"),
        (("--tier", "Platinum"), "--tier"),
    ],
)
def test_exact_layers_refuse_what_needs_trials_and_unknown_tiers(capsys, tmp_path, extra, names):
    scen = SAMPLES / "exact" / "platform_only.yaml"
    argv = [str(tmp_path / a) if a.endswith(".xlsx") else a for a in extra]
    hostile(capsys, "layers", SAMPLES / "ec2_region_sla.yaml", "--scenario", scen,
            "--method", "exact", "--layer", "1kxs1k", *argv, names=names)  # fmt: skip


def test_exact_layers_where_the_method_does_not_apply_name_the_term(capsys):
    hostile(capsys, "layers", CONTRACT, "--scenario", SAMPLES / "exact" / "platform_only.yaml",
            "--method", "exact", "--layer", "1kxs1k", names="maintenance_windows")  # fmt: skip
