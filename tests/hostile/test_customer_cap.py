"""Hostile customer caps: an unknown tier, tiers held together with different customer counts
and a cap with no limit are refused with exit 2 naming the field; a contract without the cap
hashes as before."""

from __future__ import annotations

from pathlib import Path

from slamodeler.io.contract_file import load_contract
from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import DOCS

DOC = (DOCS / "contract-format.md").read_text(encoding="utf-8")


def _example(tmp_path: Path, cap_line: str, customers: str = "") -> Path:
    """The worked example of docs/contract-format.md with another customer_cap line."""
    start = DOC.index("<!-- file: customer-cap.yaml -->")
    text = DOC[
        DOC.index("```yaml\n", start) + 8 : DOC.index("```", DOC.index("```yaml\n", start) + 8)
    ]
    text = text.replace("customer_cap: {amount: 800}", cap_line)
    if customers:
        text = text.replace(
            "    monthly_fee: 500\n", f"    monthly_fee: 500\n    customers: {customers}\n"
        )
    path = tmp_path / "cap.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_tier_the_contract_does_not_have_is_refused(capsys, tmp_path):
    bad = _example(tmp_path, "customer_cap: {amount: 800, tiers: [Compute, Backup]}")
    code, _, err = hostile(capsys, "validate", bad, names=["customer_cap.tiers[1]", "'Backup'"])
    assert code == 2 and "Compute, Storage" in err


def test_tiers_held_together_with_different_customer_counts_are_refused(capsys, tmp_path):
    bad = _example(tmp_path, "customer_cap: {amount: 800}", customers="4")
    code, _, err = hostile(capsys, "validate", bad, names=["customer_cap.tiers", "Storage 4"])
    assert code == 2 and "give them equal counts" in err


def test_a_cap_without_a_limit_is_refused(capsys, tmp_path):
    bad = _example(tmp_path, "customer_cap: {tiers: [Compute]}")
    code, _, _ = hostile(capsys, "validate", bad, names=["customer_cap", "give amount"])
    assert code == 2


def test_no_customer_cap_is_left_out_of_the_hashed_terms(tmp_path):
    contract = load_contract(_example(tmp_path, "customer_cap: {amount: 800}"))
    plain = contract.model_copy(update={"customer_cap": None})
    assert "customer_cap" not in plain.canonical_dump()
    assert contract.content_hash() != plain.content_hash()
