"""Band tiers priced by counting threshold codes equal the period-by-period pricing exactly,
including periods whose downtime sits exactly on a threshold, running caps that bind, an
empty base, and tiers of different bands sharing one measurement."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.engine import pricing
from slamodeler.engine.band_pricing import (
    CodedPeriods,
    Tables,
    _tests,
    price_band_tiers,
    row_sums,
)
from slamodeler.engine.horizon import build_horizon
from slamodeler.engine.periods import parse_label
from slamodeler.engine.pricing import price_tier
from slamodeler.engine.threshold_codes import sorted_tests
from slamodeler.io.contract_file import load_contract
from tests.helpers.at_once import run_at_once
from tests.helpers.band_periods import band_contracts, measured
from tests.helpers.builders import horizon_of
from tests.helpers.paths import SAMPLES


def sample_measured(months: int, seed: int):
    """The three-tier sample contract, ``months`` months from 2025-01 and periods measured
    as ``measured`` draws them."""
    contract = load_contract(SAMPLES / "three_tier_cloud.yaml")
    first = parse_label("2025-01", "month")
    horizon = build_horizon(contract, first, first + months - 1)
    return (contract, horizon, *measured(contract, horizon, seed))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(band_contracts(), st.integers(0, 2**32 - 1))
def test_counting_equals_pricing_period_by_period(contract, seed):
    horizon = horizon_of(contract, 30)
    down, excluded = measured(contract, horizon, seed)
    remove = contract.exclusions.excluded_time == "remove"
    jobs = price_band_tiers(contract, contract.tiers, CodedPeriods(down, excluded, horizon, remove))
    counted = [job() for job in jobs]
    for tier, fast in zip(contract.tiers, counted, strict=True):
        slow = price_tier(contract, tier, horizon, down, excluded)
        for name in ("owed", "issued", "paid", "capped_off", "breach_periods"):
            assert np.array_equal(getattr(fast, name), getattr(slow, name)), (tier.name, name)
        for name in ("hit_period_cap", "hit_year_cap", "hit_liability_cap"):
            assert np.array_equal(getattr(fast, name), getattr(slow, name)), (tier.name, name)


def test_thresholds_that_tie_in_floating_point_are_decided_exactly():
    """fl(down / base) equals fl(r) for downtimes a hair either side of the exact threshold;
    the code must still follow the exact comparison."""
    contract = Contract.model_validate(
        {
            "format": "slamodeler/v1",
            "name": "ties",
            "currency": "USD",
            "timezone": "UTC",
            "term": {"start": "2024-01-01", "months": 12},
            "tiers": [
                {
                    "name": "T",
                    "target_pct": "99.9",
                    "monthly_fee": 1000,
                    "customers": 1,
                    "credits": {"kind": "bands", "bands": [{"below": "99.9", "credit_pct": 10}]},
                }
            ],
        }
    )
    horizon = build_horizon(
        contract, parse_label("2024-01", "month"), parse_label("2024-01", "month")
    )
    base = int(horizon.period_micro[0])
    exact = base // 1000  # 0.1% of a 31-day month in micro-minutes is a whole number
    down = np.array([[exact - 1], [exact], [exact + 1]], dtype=np.int64)
    periods = CodedPeriods(down, 0 * down, horizon, remove_excluded=True)
    (job,) = price_band_tiers(contract, contract.tiers, periods)
    counted = job()
    assert counted.breach_periods.tolist() == [0, 0, 1]  # "below 99.9": exactly 99.9 is met
    assert counted.owed.tolist() == [0, 0, 10000]


def test_codes_do_not_depend_on_how_rows_are_split_across_threads(monkeypatch):
    """Rows are coded in chunks, on several threads at once: any chunking gives one result."""
    contract, horizon, down, excluded = sample_measured(24, seed=7)
    down = np.tile(down, (50, 1))
    excluded = np.tile(excluded, (50, 1))

    def priced():
        periods = CodedPeriods(down, excluded, horizon, remove_excluded=True)
        return [job() for job in price_band_tiers(contract, contract.tiers, periods)]

    whole = priced()
    monkeypatch.setattr(pricing, "CHUNK_TRIALS", 7)
    for one, other in zip(whole, priced(), strict=True):
        assert np.array_equal(one.owed, other.owed)
        assert np.array_equal(one.paid, other.paid)
        assert np.array_equal(one.breach_periods, other.breach_periods)
    assert any(tier.owed.any() for tier in whole)  # the case prices something


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 12), st.integers(0, 40_000), st.integers(0, 2**32), st.sampled_from([9, 15]))
def test_row_sums_in_chunks_are_the_integer_product(codes, rows, seed, digits):
    """``row_sums`` adds in float64 through BLAS, in chunks of rows small enough for one thread
    (several chunks at these sizes, and a last one cut short), or in integers where a sum could
    pass 2**53 (amounts of 15 digits): the integer product exactly."""
    rng = np.random.default_rng(seed)
    columns = rng.integers(-(10**digits), 10**digits, size=(codes, 6))
    total = rng.integers(0, 13, size=(codes, rows)).astype(np.float64)
    periods = int(total.sum(axis=0).max(initial=0))
    assert np.array_equal(row_sums(columns, total, periods), columns.T @ total.astype(np.int64))


def test_coding_again_and_again_gives_what_a_first_coding_gives():
    """From the second coding on, the periods' fractions are kept and reused: every coding
    must still equal the coding of fresh periods."""
    contract, horizon, down, excluded = sample_measured(12, seed=3)
    again = CodedPeriods(down, excluded, horizon, remove_excluded=True)
    tier_tests = [sorted_tests(_tests(tier)) for tier in contract.tiers]
    for tests in [*tier_tests, *tier_tests]:  # the third coding on reads the kept fractions
        fresh = CodedPeriods(down, excluded, horizon, remove_excluded=True)
        for mine, theirs in zip(again.codes(tests), fresh.codes(tests), strict=True):
            assert np.array_equal(mine, theirs)
    assert again._fraction is not None


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(band_contracts(), st.integers(0, 2**32 - 1), st.data())
def test_moving_one_threshold_recodes_as_a_fresh_coding_does(contract, seed, data):
    """A threshold dragged in the editor codes again only the periods between its old and new
    place: after every move, onto another threshold, onto a tie or anywhere, the codes, counts
    and totals equal a fresh coding's, and the arrays handed out before are left as they were."""
    horizon = horizon_of(contract, 15)
    down, excluded = measured(contract, horizon, seed)
    remove = contract.exclusions.excluded_time == "remove"
    periods = CodedPeriods(down, excluded, horizon, remove)
    tests = sorted_tests({test for tier in contract.tiers for test in _tests(tier)})
    thresholds = sorted({threshold for threshold, _ in tests})
    for _ in range(data.draw(st.integers(2, 6), label="moves")):
        before = [array.copy() for array in periods.codes(tests)]
        handed_out = periods.codes(tests)
        moved = data.draw(st.sampled_from(tests), label="moved")
        to = data.draw(
            st.one_of(st.sampled_from(thresholds), st.decimals(90, 100, places=3)), label="to"
        )
        tests = sorted_tests((set(tests) - {moved}) | {(to, moved[1])})
        fresh = CodedPeriods(down, excluded, horizon, remove).codes(tests)
        for mine, theirs in zip(periods.codes(tests), fresh, strict=True):
            assert np.array_equal(mine, theirs)
        for kept, given_before in zip(before, handed_out, strict=True):
            assert np.array_equal(kept, given_before)


def test_codings_asked_at_once_against_other_thresholds_each_get_their_own():
    """The desktop's views re-price one run on threads of their own, maybe against other
    thresholds (one dragged in the editor): each coding of the same periods equals a fresh
    coding of its tests, however the threads take turns."""
    contract, horizon, down, excluded = sample_measured(12, seed=4)
    periods = CodedPeriods(down, excluded, horizon, remove_excluded=True)
    asked = [sorted_tests(_tests(tier)) for tier in contract.tiers]
    asked.append(sorted_tests({test for tests in asked for test in tests}))
    wanted = [CodedPeriods(down, excluded, horizon, True).codes(tests) for tests in asked]
    wrong: list[int] = []

    def code_often(k: int) -> None:
        for _ in range(20):
            found = periods.codes(asked[k])
            if not all(np.array_equal(a, b) for a, b in zip(found, wanted[k], strict=True)):
                wrong.append(k)

    run_at_once(code_often, len(asked))
    assert not wrong


def test_a_moved_threshold_codes_only_the_periods_between():
    """From the third coding on, moving one threshold does not code every period again."""
    contract, horizon, down, excluded = sample_measured(12, seed=5)
    periods = CodedPeriods(down, excluded, horizon, remove_excluded=True)
    tests = sorted_tests({test for tier in contract.tiers for test in _tests(tier)})
    periods.codes(tests)
    periods.codes(tests[1:])  # one test fewer: every period coded again, fractions kept
    assert periods._codings == 2
    for threshold in ("99.88", "99.85", "99.86"):  # 99.9 dragged a little
        moved = [(Decimal(threshold), "below"), *tests[2:]]
        periods.codes(sorted_tests(set(moved)))
    assert periods._codings == 2


@pytest.mark.parametrize("seed", [0, 1])
def test_tiers_alike_but_for_name_and_scope_share_their_tables(seed):
    """A tier per region with the same terms builds its amounts per code once. Tiers that differ
    in one pricing term each (fee, either cap, affected share, target, a band's credit) under a
    liability cap and a minimum credit build their own, and each prices, priced together, as
    ``price_tier`` prices it alone."""
    sample = load_contract(SAMPLES / "three_tier_cloud.yaml")
    data = sample.model_dump(mode="json")
    first = data["tiers"][0] | {
        "caps": {"per_period_pct": "30", "per_year_pct_of_annual_fees": "40"}
    }
    bands = first["credits"]["bands"]
    variants = {
        "East": {"scope": {"regions": ["us-east-1"]}},
        "West": {"scope": {"regions": ["us-west-2"]}},
        "Dearer": {"monthly_fee": "2500"},
        "Period cap": {"caps": first["caps"] | {"per_period_pct": "20"}},
        "Year cap": {"caps": first["caps"] | {"per_year_pct_of_annual_fees": "15"}},
        "Affected": {"affected_share": "0.5"},
        "Target": {"target_pct": "99.0"},
        "Band": {
            "credits": first["credits"] | {"bands": [bands[0] | {"credit_pct": "15"}, *bands[1:]]}
        },
    }
    data["tiers"] = [first | {"name": name} | change for name, change in variants.items()]
    data["liability_cap"] = {"pct_of_annual_fees": "60"}
    data["claims"] = data["claims"] | {"min_credit": "25"}
    terms = Contract.model_validate(data)
    horizon = horizon_of(terms, 24)
    tests = sorted_tests({test for tier in terms.tiers for test in _tests(tier)})
    kept = Tables()
    found = [kept.of(terms, tier, horizon, tests) for tier in terms.tiers]
    assert found[0] is found[1]
    assert len({id(tables) for tables in found}) == len(found) - 1
    down, excluded = measured(terms, horizon, seed)
    remove = terms.exclusions.excluded_time == "remove"
    coded = CodedPeriods(down, excluded, horizon, remove)
    jobs = price_band_tiers(terms, terms.tiers, coded, kept)
    for tier, job in zip(terms.tiers, jobs, strict=True):
        fast, slow = job(), price_tier(terms, tier, horizon, down, excluded)
        for name in ("owed", "issued", "paid", "capped_off", "breach_periods", "hit_year_cap"):
            assert np.array_equal(getattr(fast, name), getattr(slow, name)), (tier.name, name)
        assert np.array_equal(fast.hit_liability_cap, slow.hit_liability_cap), tier.name
    # each variant prices otherwise (else sharing its tables with East's would go unseen)
    priced = {tier.name: job() for tier, job in zip(terms.tiers, jobs, strict=True)}
    east = priced["East"]
    for name in list(variants)[2:]:
        same_paid = np.array_equal(priced[name].paid, east.paid)
        assert not (same_paid and np.array_equal(priced[name].breach_periods, east.breach_periods))
