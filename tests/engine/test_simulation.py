"""Monte Carlo: the same rules as replay, reproducible from the seed alone, re-priceable, and
cancellable with a usable partial result."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.engine.exposure import exposures, tail_mean
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import (
    BLOCK_TRIALS,
    CancelToken,
    period_credits,
    reprice,
    simulate,
    trial_incidents,
    trials_per_block,
)
from tests.helpers.agreement import monthly, trials_replay_to_their_credits
from tests.helpers.builders import contract, scenario
from tests.helpers.strategies import contracts, scenarios


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(contracts(), scenarios(), st.integers(0, 2**32 - 1))
def test_replaying_a_trial_gives_the_credits_the_simulation_counted(terms, scen, seed):
    trials_replay_to_their_credits(monthly(terms), scen, seed, 25, [0, 7, 24])


def test_a_long_horizon_draws_smaller_blocks_with_the_same_guarantees():
    """Over 10 years a block is 200 trials (about 2,000 years of history): results still do not
    depend on chunking, and a trial across a block boundary replays to what was counted."""
    scen = scenario(years=10)
    terms = contract(tier={"customers": 2})
    assert trials_per_block(scen) == BLOCK_TRIALS // 10 == 200
    run = simulate(terms, scen, 450, 3)
    _same(run, simulate(terms, scen, 450, 3, blocks_per_chunk=1))
    picked = [199, 200, 449]  # the last of block 0, the first of block 1, the last (short) block
    found = trial_incidents(terms, scen, 3, 450, picked)
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    for trial in picked:
        replayed = replay(terms, found[trial], first=first, last=last).tiers[0]
        expected = [int(p.credit_after_caps * 100) for p in replayed.periods]
        assert period_credits(run, "T", [trial])[0].tolist() == expected
    assert any(found[t] for t in picked)


def test_consistency_on_the_sample_contract_and_scenario():
    from slamodeler.io.contract_file import load_contract
    from slamodeler.io.scenario_file import load_scenario

    terms = load_contract("sample_contracts/three_tier_cloud.yaml")
    scen = load_scenario("sample_contracts/scenarios/baseline.yaml")
    run = simulate(terms, scen, 3000, 11)
    picked = [0, 1999, 2000, 2999]  # across a block boundary, last block shorter
    found = trial_incidents(terms, scen, 11, 3000, picked)
    for trial in picked:
        result = replay(terms, found[trial], first="2027-01", last="2027-12")
        for tier in result.tiers:
            expected = [int(p.credit_after_caps * 100) for p in tier.periods]
            assert period_credits(run, tier.tier, [trial])[0].tolist() == expected


def _same(a, b):
    for name in a.pricing:
        x, y = a.pricing[name], b.pricing[name]
        assert np.array_equal(
            period_credits(a, name, slice(None)), period_credits(b, name, slice(None))
        )
        assert np.array_equal(x.paid, y.paid)
        assert np.array_equal(x.breach_periods, y.breach_periods)


TRIALS = 2 * BLOCK_TRIALS + 123  # two full blocks and a short one


@pytest.fixture(scope="module")
def baseline():
    terms = contract(tier={"customers": 3})
    return terms, scenario(), simulate(terms, scenario(), TRIALS, 2024)


def test_same_seed_same_result_whatever_the_chunking(baseline):
    terms, scen, reference = baseline
    _same(reference, simulate(terms, scen, TRIALS, 2024, blocks_per_chunk=1))
    with ThreadPoolExecutor(3) as pool:
        _same(reference, simulate(terms, scen, TRIALS, 2024, executor=pool, blocks_per_chunk=1))


def test_same_result_with_two_worker_processes(baseline):
    terms, scen, reference = baseline
    with ProcessPoolExecutor(2) as pool:
        _same(reference, simulate(terms, scen, TRIALS, 2024, executor=pool, blocks_per_chunk=1))


def test_same_result_on_a_dask_cluster(baseline):
    import distributed  # the optional Dask support, installed by the test extra

    terms, scen, reference = baseline
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        run = simulate(
            terms, scen, TRIALS, 2024, executor=client.get_executor(), blocks_per_chunk=1
        )
    _same(reference, run)


def test_another_seed_gives_another_result(baseline):
    terms, scen, reference = baseline
    other = simulate(terms, scen, TRIALS, 2025)
    assert not np.array_equal(other.pricing["T"].paid, reference.pricing["T"].paid)


def test_repricing_equals_a_fresh_simulation(baseline):
    _terms, scen, reference = baseline
    changed = contract(
        tier={
            "customers": 3,
            "monthly_fee": 1234.56,
            "credits": {
                "kind": "bands",
                "boundary": "at_or_below",
                "bands": [{"below": 99.95, "credit_pct": 5}, {"below": 99.5, "credit_pct": 20}],
            },
            "caps": {"per_period_pct": 15, "per_year_pct_of_annual_fees": 6},
        },
        claims={"min_credit": 20, "claim_rate": 0.7},
        liability_cap={"amount": 700},
    )
    _same(reprice(reference, changed), simulate(changed, scen, TRIALS, 2024))
    assert not np.array_equal(
        reprice(reference, changed).pricing["T"].paid, reference.pricing["T"].paid
    )


def test_repricing_prices_again_only_the_tiers_whose_terms_changed():
    """A tier whose terms are unchanged keeps its totals; the edited one equals a fresh
    simulation; a contract-wide term (the claim rate) prices every tier again."""
    data = contract(tier={"customers": 3}).model_dump(mode="json")
    second = dict(data["tiers"][0], name="U", monthly_fee=250, customers=2)
    two = Contract.model_validate({**data, "tiers": [data["tiers"][0], second]})
    scen = scenario()
    base = simulate(two, scen, 700, 11)
    edited = two.model_dump(mode="json")
    edited["tiers"][1]["credits"]["bands"][0]["below"] = 99.7
    one_changed = Contract.model_validate(edited)
    repriced = reprice(base, one_changed)
    assert repriced.pricing["T"] is base.pricing["T"]
    assert repriced.pricing["U"] is not base.pricing["U"]
    _same(repriced, simulate(one_changed, scen, 700, 11))
    claims = Contract.model_validate({**edited, "claims": {"claim_rate": 0.5}})
    again = reprice(repriced, claims)
    assert all(again.pricing[t] is not repriced.pricing[t] for t in ("T", "U"))
    _same(again, simulate(claims, scen, 700, 11))


def test_exposures_of_a_repriced_run_are_those_computed_afresh():
    """Exposure summaries of the tiers that re-pricing kept are reused; they must equal a
    computation from nothing, and the edited tier's and the portfolio's must follow the edit."""
    from slamodeler.engine import exposure

    data = contract(tier={"customers": 3}).model_dump(mode="json")
    second = dict(data["tiers"][0], name="U", monthly_fee=250, customers=2)
    two = Contract.model_validate({**data, "tiers": [data["tiers"][0], second]})
    base = simulate(two, scenario(), 900, 4)
    before = exposures(base)
    edited = two.model_dump(mode="json")
    edited["tiers"][1]["credits"]["bands"][0]["credit_pct"] = 20
    repriced = reprice(base, Contract.model_validate(edited))
    reused = exposures(repriced)
    exposure._memo.clear()
    afresh = exposures(repriced)
    for a, b in zip(reused, afresh, strict=True):
        assert {k: v for k, v in vars(a).items() if k != "paid"} == {
            k: v for k, v in vars(b).items() if k != "paid"
        }
        assert np.array_equal(a.paid, b.paid)
    assert reused[0] is before[0]  # T's terms did not change: its summary is reused
    assert reused[1].mean > before[1].mean and reused[2].mean > before[2].mean


def test_repricing_refuses_changed_measurement(baseline):
    _terms, _, reference = baseline
    with pytest.raises(InputError, match="new simulation"):
        reprice(reference, contract(tier={"customers": 3}, measurement={"slot_minutes": 5}))


def test_cancel_leaves_a_usable_partial_result(baseline):
    terms, scen, _ = baseline
    token = CancelToken()
    seen = []

    def progress(done, total):
        seen.append((done, total))
        token.cancel()

    run = simulate(
        terms, scen, 10 * BLOCK_TRIALS, 5, blocks_per_chunk=2, progress=progress, cancel=token
    )
    assert run.cancelled
    assert run.trials == 2 * BLOCK_TRIALS == seen[-1][0]
    assert seen == [(2 * BLOCK_TRIALS, 10 * BLOCK_TRIALS)]
    tier, portfolio = exposures(run)
    assert tier.trials == 2 * BLOCK_TRIALS and np.isfinite(portfolio.mean)
    # The partial result is the first trials of the full run, exactly.
    full = simulate(terms, scen, 10 * BLOCK_TRIALS, 5)
    assert np.array_equal(full.pricing["T"].paid[: run.trials], run.pricing["T"].paid)


def test_statistics_follow_their_definitions(baseline):
    _terms, _, run = baseline
    tier, portfolio = exposures(run)
    paid = run.pricing["T"].paid * 0.01  # all three customers
    assert tier.mean == pytest.approx(paid.mean())
    assert tier.stderr == pytest.approx(paid.std(ddof=1) / np.sqrt(len(paid)))
    ordered = np.sort(paid)
    n = len(paid)
    assert tier.quantiles["p95"] == ordered[int(np.ceil(0.95 * n)) - 1]
    assert tier.tvar99 == pytest.approx(ordered[-int(np.ceil(0.01 * n)) :].mean())
    assert tier.tvar99 >= tier.quantiles["p99"] >= tier.quantiles["p50"]
    assert portfolio.mean == pytest.approx(tier.mean)  # one tier: the portfolio is that tier
    assert tier.revenue == 1000 * 12 * 3
    assert tier.margin_mean == pytest.approx(tier.revenue - tier.cost - tier.mean)


def test_tail_mean_of_a_small_sample():
    assert tail_mean(np.array([1.0, 2, 3, 4, 100]), 0.99) == 100
    assert tail_mean(np.arange(1.0, 201), 0.99) == pytest.approx((199 + 200) / 2)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {
                "processes": [
                    {
                        "name": "x",
                        "frequency": {"dist": "poisson", "rate_per_month": 1},
                        "duration_minutes": {"dist": "exponential", "mean": 5},
                        "impact": {"severe": 1.0},
                    }
                ]
            },
            "does not weigh",
        ),
    ],
)
def test_scenarios_that_do_not_fit_the_contract_are_refused(changes, message):
    terms = contract()
    with pytest.raises(InputError, match=message):
        simulate(terms, scenario(**changes), 10, 1)


def test_pricing_in_row_chunks_equals_pricing_at_once(baseline, monkeypatch):
    from slamodeler.engine import pricing

    _, _, run = baseline
    whole = pricing.price_tier(
        run.contract, run.contract.tiers[0], run.horizon, *_arrays(run), keep_periods=True
    )
    monkeypatch.setattr(pricing, "CHUNK_TRIALS", 1000)
    chunked = pricing.price_tier(
        run.contract, run.contract.tiers[0], run.horizon, *_arrays(run), keep_periods=True
    )
    for name in pricing.TierPricing.__dataclass_fields__:
        assert np.array_equal(getattr(whole, name), getattr(chunked, name)), name


def _arrays(run):
    (rows,) = run.measured.units.values()
    return rows.downtime, rows.excluded


def _two_tiers():
    base = contract(tier={"customers": 3})
    second = base.tiers[0].model_copy(
        update={"name": "U", "customers": 5, "monthly_fee": Decimal(400)}
    )
    return base.model_copy(update={"tiers": [base.tiers[0], second]})


INDEPENDENT = {
    "name": "own",
    "frequency": {"dist": "poisson", "rate_per_month": 2.0},
    "duration_minutes": {"dist": "exponential", "mean": 50},
    "scope": {"independent": 0.4},
}


def test_each_customer_hit_on_its_own_replays_to_its_own_credits():
    terms = _two_tiers()
    scen = scenario(processes=[*scenario().model_dump()["processes"], INDEPENDENT])
    trials = 30
    run = simulate(terms, scen, trials, 77)
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    for tier in terms.tiers:
        for trial in (0, 13, 29):
            total = 0
            for customer in range(tier.customers):
                found = trial_incidents(
                    terms, scen, 77, trials, [trial], customer=(tier.name, customer)
                )[trial]
                replayed = replay(terms, found, first=first, last=last, tiers=[tier.name])
                credits = [int(p.credit_after_caps * 100) for p in replayed.tiers[0].periods]
                assert period_credits(run, tier.name, [trial], customer)[0].tolist() == credits
                total += sum(credits)
            # The tier's total is the sum over its customers, each counted once.
            assert run.pricing[tier.name].issued[trial] == total


def test_independent_outages_keep_the_mean_and_narrow_the_spread():
    # The same incidents per customer, either shared by all five customers at once or drawn
    # for each on its own: the expected credits agree, the spread of the total narrows.
    terms = contract(tier={"customers": 5})
    one_by_one = {**INDEPENDENT, "scope": {"independent": 1.0}}
    shared = {**INDEPENDENT, "scope": "all"}
    a = simulate(terms, scenario(processes=[one_by_one]), 20_000, 3).pricing["T"].paid / 100
    b = simulate(terms, scenario(processes=[shared]), 20_000, 4).pricing["T"].paid / 100
    se = np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    assert abs(a.mean() - b.mean()) < 4 * se
    assert a.std() < 0.7 * b.std()
