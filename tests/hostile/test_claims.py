"""Hostile claim terms: a minimum credit rule the format does not know is refused with exit 2,
naming the line, the field and the words it takes, as is a claim rate spread wider than its
mean allows; the default rule hashes as before."""

from __future__ import annotations

from slamodeler.io.contract_file import load_contract
from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

S3 = SAMPLES / "real" / "aws_s3.yaml"


def test_an_unknown_minimum_credit_rule_is_refused(capsys, tmp_path):
    bad = tmp_path / "rule.yaml"
    text = S3.read_text(encoding="utf-8").replace("more_than", "greater_than")
    bad.write_text(text, encoding="utf-8")
    code, _, err = hostile(
        capsys, "validate", bad, names=["claims.min_credit_rule", "'at_least' or 'more_than'"]
    )
    assert code == 2 and "line 49" in err


def test_a_claim_rate_spread_too_wide_for_its_mean_is_refused(capsys, tmp_path):
    bad = tmp_path / "spread.yaml"
    text = S3.read_text(encoding="utf-8").replace(
        "claim_rate: 1}", "claim_rate: 0.9, claim_rate_sd: 0.3}"
    )
    bad.write_text(text, encoding="utf-8")
    code, _, err = hostile(capsys, "validate", bad, names=["claims.claim_rate_sd", "0.3000"])
    assert code == 2 and "lower claim_rate_sd or leave it out" in err


def test_the_default_rule_is_left_out_of_the_hashed_terms():
    """Contracts hashed before the rule existed keep their hash (and stored versions verify)."""
    contract = load_contract(S3)
    at_least = contract.model_copy(
        update={"claims": contract.claims.model_copy(update={"min_credit_rule": "at_least"})}
    )
    assert "min_credit_rule" not in at_least.canonical_dump()["claims"]
    assert contract.canonical_dump()["claims"]["min_credit_rule"] == "more_than"
