"""Rolling windows in the Monte Carlo (``measurement.window`` kind ``rolling``): a simulated
trial, dumped and replayed, gives the credits the simulation counted, on random contracts and on
the 2008 EC2 SLA checked by hand."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.domain.incidents import Incident
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import period_credits, simulate, trial_incidents
from tests.helpers.agreement import trials_replay_to_their_credits
from tests.helpers.builders import contract, scenario, ts
from tests.helpers.paths import SAMPLES
from tests.helpers.strategies import contracts, scenarios

FEE_MULTIPLE = {"kind": "fee_multiple", "boundary": "below", "multiple": 10}
EC2 = SAMPLES / "real" / "aws_ec2_2008.yaml"


@st.composite
def rolling_contracts(draw) -> Contract:
    """A random contract (every measurement rule ``contracts`` draws, slot rules too, and fees
    that vary by month) measuring a rolling window: short ones that cut periods, and a year that
    overlaps a dozen."""
    data = draw(contracts(slot_rules=True)).model_dump(mode="json")
    data["measurement"]["period"] = draw(st.sampled_from(["month", "month", "quarter"]))
    days = draw(st.integers(1, 40) | st.sampled_from([90, 365]))
    data["measurement"]["window"] = {"kind": "rolling", "days": days}
    months = st.sampled_from([f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13)])
    data["tiers"][0]["monthly_fees"] = draw(
        st.dictionaries(months, st.decimals(0, 30000, places=2), max_size=12)
    )  # a row's fee is its month's, not its window's
    return Contract.model_validate(data)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(rolling_contracts(), scenarios(), st.integers(0, 2**32 - 1))
def test_a_trial_with_rolling_windows_replays_to_the_credits_counted(terms, scen, seed):
    trials_replay_to_their_credits(terms, scen, seed, 25, [0, 7, 24])


def quiet_region():
    """Two years from 2009 of a few outages of about an hour, some the customer's doing."""
    return scenario(
        start="2009-01",
        years=2,
        processes=[
            {
                "name": "region",
                "frequency": {"dist": "poisson", "rate_per_month": 0.3},
                "duration_minutes": {"dist": "lognormal", "median": 60, "sigma": 1.0},
                "impact": {"full": 1.0},
                "cause": {"": 0.7, "customer": 0.3},
            }
        ],
    )


def test_the_2008_ec2_sla_simulates_each_months_trailing_year_as_counted_by_hand():
    terms = Contract.model_validate(yaml.safe_load(EC2.read_text()))
    scen = quiet_region()
    run = simulate(terms, scen, 40, 5)
    assert [p.label for p in run.horizon.periods][::11] == ["2009-01", "2009-12", "2010-11"]
    trials = list(range(40))
    found = trial_incidents(terms, scen, 5, 40, trials)
    credits = period_credits(run, "EC2", trials)
    months_paid = 0
    for trial in trials:
        # 5-minute slots (the epoch is on the grid): down where a counted incident touches,
        # excluded where only an excluded cause does
        down, excused = set(), set()
        for i in found[trial]:
            slots = range(i.start // 300, -(-i.end // 300))
            (excused if i.cause == "customer" else down).update(slots)
        excused -= down
        for month, period in enumerate(run.horizon.periods):
            end = period.end // 300
            window = range(end - 365 * 288, end)  # before 2009: no history, up
            base = 365 * 1440 - 5 * sum(s in excused for s in window)
            downtime = 5 * sum(s in down for s in window)
            credit = 200_00 if 100 * (base - downtime) < 99.95 * base else 0
            assert credits[trial][month] == credit, (trial, period.label)
            months_paid += credit > 0
    assert 0 < months_paid < 40 * 24  # both outcomes occur
    trials_replay_to_their_credits(terms, scen, 5, 40, trials)


def test_the_allowance_and_minimum_downtime_run_across_window_edges_as_replay_runs_them():
    # Rules that do not add up over pieces of a window: maintenance excused in time order until
    # each contract year's allowance is spent (years from July), and runs shorter than the
    # minimum downtime, which join across every cut at a window edge or a month end.
    terms = contract(
        term={"start": "2024-07-01", "months": 12},
        measurement={
            "period": "month",
            "window": {"kind": "rolling", "days": 45},
            "slot_minutes": 5,
            "min_downtime_minutes": 30,
        },
        exclusions={
            "causes": ["maintenance"],
            "maintenance_allowance_minutes_per_year": 240,
            "excluded_time": "remove",
        },
        tier={"target_pct": 99.99, "credits": FEE_MULTIPLE},
    )
    scen = scenario(
        start="2024-01",
        years=2,
        processes=[
            {
                "name": "work",
                "frequency": {"dist": "poisson", "rate_per_month": 4.0},
                "duration_minutes": {"dist": "exponential", "mean": 40},
                "impact": {"full": 0.8, "partial": 0.2},
                "cause": {"": 0.5, "maintenance": 0.5},
            }
        ],
    )
    trials_replay_to_their_credits(terms, scen, 3, 30, range(30))


def ec2_with(**terms) -> Contract:
    data = yaml.safe_load(EC2.read_text())
    return Contract.model_validate({**data, **terms})


def test_a_windows_row_is_its_period_for_chronic_failure_and_the_customer_cap():
    # One day down on 10 February 2010: every trailing year from February's on holds it.
    day = [
        Incident(
            id="a", start=ts("2010-02-10T00:00"), end=ts("2010-02-11T00:00"), impact="full", row=2
        )
    ]
    chronic = ec2_with(chronic_failure={"missed": 2, "of": 3})
    found = replay(chronic, day, first="2010-01", last="2010-06").tiers[0]
    assert [p.chronic_missed for p in found.periods][1:3] == [(), ("2010-02", "2010-03")]
    # term 2009-01 + 12 months, renewed: 9 months of 2,000 left after March 2010
    assert (found.termination_right_from, found.revenue_at_risk) == ("2010-03", 18000)
    capped = ec2_with(customer_cap={"amount": 150})
    found = replay(capped, day, first="2010-01", last="2010-06").tiers[0]
    assert [p.credit_after_caps for p in found.periods] == [0, 150, 0, 0, 0, 0]


def test_chronic_failure_and_the_customer_cap_simulate_rolling_windows_as_they_replay():
    terms = ec2_with(chronic_failure={"missed": 2, "of": 3}, customer_cap={"amount": 500})
    scen = quiet_region()
    run = simulate(terms, scen, 30, 9)
    found = trial_incidents(terms, scen, 9, 30, range(30))
    replayed = [
        replay(terms, found[t], first="2009-01", last="2010-12").tiers[0] for t in range(30)
    ]
    totals = run.pricing["EC2"]
    # the customer cap cuts the credits issued over the term (minor units, one customer)
    assert totals.issued.tolist() == [int(r.total("credit_after_caps") * 100) for r in replayed]
    assert totals.termination_right.tolist() == [
        r.termination_right_from is not None for r in replayed
    ]
    assert totals.revenue_at_risk.tolist() == [float(r.revenue_at_risk) for r in replayed]
    assert 0 < sum(totals.termination_right) < 30
    assert (totals.cut_by_customer_cap > 0).any()
