"""Hostile input to `slamodeler dispute`: a missing or broken claim, a claim that weighs an
impact the contract does not, an output over an input, file options with stored sets; each
refused with exit 2 and one message naming the file, row, field or option. A claim that
repeats an id is answered (the copies pair in file order)."""

from __future__ import annotations

from tests.helpers.dispute_sets import CONTRACT, OURS, write_claim
from tests.helpers.hostile_inputs import hostile

HEADER = "id,start,end,impact,cause,service,region,title\n"


def test_a_missing_claim_file_is_named(capsys, tmp_path):
    missing = tmp_path / "claim.csv"
    code, _, _ = hostile(capsys, "dispute", CONTRACT, OURS, missing, names=str(missing))
    assert code == 2


def test_a_claim_row_that_ends_before_it_starts_names_the_file_and_row(capsys, tmp_path):
    claim = tmp_path / "claim.csv"
    claim.write_text(
        HEADER + "C1,2024-03-05T12:00:00Z,2024-03-05T10:00:00Z,full,,Compute,us-east-1,x\n"
    )
    code, _, _ = hostile(
        capsys,
        "dispute",
        CONTRACT,
        OURS,
        claim,
        names=[claim.name, "rows 2", "end is before start"],
    )
    assert code == 2


def test_an_impact_the_contract_does_not_weigh_is_named(capsys, tmp_path):
    claim = tmp_path / "claim.csv"
    claim.write_text(
        HEADER + "C1,2024-03-05T10:00:00Z,2024-03-05T12:00:00Z,catastrophic,,Compute,us-east-1,x\n"
    )
    code, _, _ = hostile(
        capsys, "dispute", CONTRACT, OURS, claim, names=[claim.name, "catastrophic"]
    )
    assert code == 2


def test_a_workbook_over_the_claim_is_refused(capsys, tmp_path):
    claim = write_claim(tmp_path)
    xlsx = claim.with_suffix(".xlsx")
    claim.rename(xlsx)
    code, _, _ = hostile(capsys, "dispute", CONTRACT, OURS, xlsx, "--xlsx", xlsx, names="--xlsx")
    assert code == 2


def test_file_options_with_stored_sets_are_refused(capsys, ws):
    code, _, _ = hostile(
        capsys, "dispute", "--ws", ws, "three_tier_cloud@1", "a", "b", "--xlsx", "x.xlsx",
        names="--xlsx",
    )  # fmt: skip
    assert code == 2


def test_an_unknown_stored_set_is_named(capsys, ws):
    code, _, _ = hostile(
        capsys, "dispute", "--ws", ws, "three_tier_cloud@1", "nope", "nope2", names="nope"
    )
    assert code == 2


def test_a_claim_that_repeats_an_id_is_answered(capsys, tmp_path):
    claim = tmp_path / "claim.csv"
    row = "INC-1001,2024-01-09T14:05:00Z,2024-01-09T15:02:00Z,full,,Compute,us-east-1,x\n"
    claim.write_text(HEADER + row + row)
    code, out, _ = hostile(capsys, "dispute", CONTRACT, OURS, claim)
    assert code == 0
    assert "INC-1001 (row 3): only theirs" in out


def test_an_empty_claim_puts_every_incident_of_ours_in_dispute(capsys, tmp_path):
    claim = tmp_path / "claim.csv"
    claim.write_text(HEADER)
    code, out, _ = hostile(capsys, "dispute", CONTRACT, OURS, claim)
    assert code == 0
    assert "14 incident(s) recorded differently" in out


def test_two_empty_lists_are_refused(capsys, tmp_path):
    empty = tmp_path / "claim.csv"
    empty.write_text(HEADER)
    code, _, _ = hostile(capsys, "dispute", CONTRACT, empty, empty, names="neither incident list")
    assert code == 2
