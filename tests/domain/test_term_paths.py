"""Terms addressed by path: every numeric term of a contract or scenario is listed, reads back
what it holds, and can be set; a path that is not a term, or a value the term refuses, is an
input error naming the place."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.domain.errors import ContractError, InputError
from slamodeler.domain.term_paths import numeric_terms, term_value, with_term
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from tests.helpers.paths import SAMPLES
from tests.helpers.strategies import contracts

CLOUD = load_contract(SAMPLES / "three_tier_cloud.yaml")


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(contracts(), st.data())
def test_setting_a_term_to_its_own_value_changes_nothing_and_a_new_value_reads_back(contract, data):
    terms = numeric_terms(contract)
    path = data.draw(st.sampled_from(sorted(terms)))
    assert with_term(contract, path, terms[path]) == contract
    changed = {k: v for k, v in numeric_terms(contract).items() if k != path}
    try:
        moved = with_term(contract, path, terms[path] / 2 if terms[path] else 1)
    except ContractError:
        return  # half of it is not allowed there (a band above the next, say): refused, named
    assert {k: v for k, v in numeric_terms(moved).items() if k != path} == changed


def test_a_band_is_named_by_tier_and_position_and_set_exactly():
    path = "tiers[Gold].credits.bands[1].credit_pct"
    assert term_value(CLOUD, path) == Decimal("30")  # Gold: 10, 30, 100
    moved = with_term(CLOUD, path, 12.5)
    assert moved.tiers[2].credits.bands[1].credit_pct == Decimal("12.5")
    assert moved.tiers[1] == CLOUD.tiers[1]


def test_a_scenario_process_is_named_by_its_name():
    bad_year = load_scenario(SAMPLES / "scenarios" / "bad_year.yaml")
    path = "processes[platform incidents].frequency.rate_per_month"
    assert term_value(bad_year, path) == pytest.approx(1.8)
    assert term_value(with_term(bad_year, path, 3.6), path) == pytest.approx(3.6)
    assert "stress.frequency" in numeric_terms(bad_year)


def test_a_value_the_term_refuses_names_the_place_in_words():
    with pytest.raises(ContractError, match=r"Gold, target %: input should be less than"):
        with_term(CLOUD, "tiers[Gold].target_pct", 150)


def test_a_path_that_is_no_term_names_the_terms_near_it():
    with pytest.raises(InputError, match=r"tiers\[Gold\]\.target: no numeric term there") as e:
        term_value(CLOUD, "tiers[Gold].target")
    assert "tiers[Gold].target_pct" in str(e.value)
