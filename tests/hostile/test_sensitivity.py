"""Hostile input to `slamodeler sensitivity`: a term the contract or scenario does not have, a
range upside down, a value the term refuses, text where a number goes, a malformed range or
spider, an unknown tier; each refused with exit 2 and one message naming the term or option."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
BASELINE = SAMPLES / "scenarios" / "baseline.yaml"


def sensitivity(capsys, *more: object, names):
    """Refused: exit 2, naming ``names``."""
    code, out, err = hostile(
        capsys, "sensitivity", CONTRACT, "--scenario", BASELINE, "--trials", "50", *more,
        names=names,
    )  # fmt: skip
    assert code == 2
    return code, out, err


def test_an_unknown_contract_term_is_named_with_the_terms_near_it(capsys):
    _, _, err = sensitivity(
        capsys, "--term", "tiers[Gold].credit_pct=5:20", names="tiers[Gold].credit_pct"
    )
    assert "tiers[Gold].target_pct" in err and "tiers[Gold].monthly_fee" in err


def test_an_unknown_scenario_parameter_lists_the_scenarios_terms(capsys):
    _, _, err = sensitivity(
        capsys, "--term", "processes[api].frequency.rate_per_month=1:2", names="processes[api]"
    )
    assert "processes[platform incidents].frequency.rate_per_month" in err


def test_a_tier_the_contract_does_not_have_is_named(capsys):
    _, _, err = sensitivity(
        capsys, "--term", "claims.claim_rate=0.4:0.8", "--tier", "Platinum", names="Platinum"
    )
    assert "Bronze, Silver, Gold" in err


def test_low_above_high_is_refused_naming_the_term(capsys):
    _, _, err = sensitivity(
        capsys, "--term", "claims.claim_rate=0.8:0.4", names="claims.claim_rate"
    )
    assert "low 0.8 is above high 0.4" in err


@pytest.mark.parametrize(
    ("term", "field"),
    [
        ("claims.claim_rate=0.5:1.5", "claim"),
        ("tiers[Gold].target_pct=99:101", "Gold"),
        ("stress.frequency=-1:1", "stress.frequency"),
        ("tiers[Gold].credits.bands[0].credit_pct=10:200", "Gold, band 2"),
    ],
)
def test_a_value_the_term_refuses_names_the_field(capsys, term, field):
    sensitivity(capsys, "--term", term, names=field)


@pytest.mark.parametrize("term", ["claims.claim_rate=a:0.8", "claims.claim_rate=0.4:nan",
                                  "claims.claim_rate=0.4:inf", "claims.claim_rate=:0.8"])  # fmt: skip
def test_text_where_a_number_goes_is_refused(capsys, term):
    _, _, err = sensitivity(capsys, "--term", term, names=["--term", "not a number"])
    assert "PATH=LOW:HIGH" in err


@pytest.mark.parametrize("term", ["claims.claim_rate", "claims.claim_rate=0.4",
                                  "=0.4:0.8", "claims.claim_rate=0.4:0.6:0.8"])  # fmt: skip
def test_a_malformed_range_shows_the_form(capsys, term):
    sensitivity(capsys, "--term", term, names=["--term", "PATH=LOW:HIGH"])


@pytest.mark.parametrize(
    ("spider", "names"),
    [
        ("claims.claim_rate=0.4:0.8", "PATH=LOW:HIGH:STEPS"),
        ("claims.claim_rate=0.4:0.8:x", "STEPS 'x'"),
        ("claims.claim_rate=0.4:0.8:1", "steps 1"),
        ("claims.claim_rate=0.4:0.8:99", "steps 99"),
    ],
)
def test_a_malformed_spider_is_refused(capsys, spider, names):
    sensitivity(capsys, "--spider", spider, names=names)


def test_no_term_or_both_forms_are_refused(capsys):
    sensitivity(capsys, names="--term PATH=LOW:HIGH")
    sensitivity(
        capsys,
        "--term",
        "claims.claim_rate=0.4:0.8",
        "--spider",
        "claims.claim_rate=0.4:0.8:3",
        names="not both",
    )


def test_the_workbook_may_not_replace_an_input(capsys, tmp_path):
    copy = tmp_path / "c.xlsx"
    copy.write_bytes(b"")
    code, _, _ = hostile(
        capsys, "sensitivity", CONTRACT, "--scenario", copy, "--term", "claims.claim_rate=0.4:0.8",
        "--xlsx", copy, names="--xlsx",
    )  # fmt: skip
    assert code == 2


def test_a_misspelt_path_lists_the_terms_under_its_longest_known_part(capsys):
    _, _, err = sensitivity(
        capsys, "--term", "tiers[Gold].credits.band[1].credit_pct=20:40", names="band[1]"
    )
    assert (
        "such as tiers[Gold].credits.bands[0].below, tiers[Gold].credits.bands[0].credit_pct" in err
    )


def test_a_variant_too_large_to_run_is_refused_before_anything_runs(capsys):
    _, _, err = sensitivity(
        capsys, "--term", "years=1:20", "--trials", "2000000", names="years = 20"
    )
    assert "at most 20,000,000 trial-years" in err
