"""Per-incident credits and support misses in the Monte Carlo under a claim window
(docs/measurement.md, section 1b): each is credited once, to the first claim of its row after it
(an incident at its first counted slot, a drawn miss at the start of its period, where the
dumped ticket is opened), as a % of that claim's fees, before its caps. Counted by hand on a
small case, and a simulated trial dumped with its tickets and replayed gives the credits the
simulation counted, to the cent."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.domain.scenario import Scenario
from slamodeler.engine.claim_events import (
    NO_CLAIM,
    ClaimEvents,
    claim_columns,
    incidents_by_claim,
    misses_by_claim,
)
from slamodeler.engine.claim_simulation import price_claims
from slamodeler.engine.incident_credits import Measured
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import (
    customer_paid,
    period_credits,
    scenario_horizon,
    simulate,
    trial_incidents,
    trial_support_tickets,
)
from slamodeler.engine.slots import MICRO
from tests.helpers.agreement import held_customers_replay_to_their_credits
from tests.helpers.builders import contract, scenario, ts
from tests.helpers.incident_credit_terms import incident_credit_terms
from tests.helpers.paths import SAMPLES
from tests.helpers.strategies import contracts, held_claim_contracts, scenarios

SUPPORT = {
    "targets": [
        {"priority": "P1", "respond_within_minutes": 15, "credit_pct": 5, "max_pct_per_period": 10},
        {"priority": "P2", "respond_within_minutes": 60, "credit_amount": 100},
    ]
}
TICKETS = [
    {"priority": "P1", "per_month": 2, "miss_probability": 0.3},
    {"priority": "P2", "per_month": 3, "miss_probability": 0.2},
]


def _claim_terms(days: int, **tier: object) -> Contract:
    """A claim window of ``days``, 5% per incident longer than 30 minutes, ``SUPPORT``."""
    return contract(
        measurement={"period": "month", "window": {"kind": "claim", "days": days}},
        tier={
            "incident_credits": {"longer_than_minutes": 30, "credit_pct": "5"},
            "support": SUPPORT,
            **tier,
        },
    )


def test_an_event_goes_to_the_first_claim_of_its_row_after_it():
    claims = np.array([[100, 200, NO_CLAIM], [50, NO_CLAIM, NO_CLAIM]], np.int64)
    row = np.array([0, 0, 0, 0, 1, 1], np.int64)
    at = np.array([99, 100, 199, 200, 10, 50], np.int64)
    # a claim bills [previous claim, claim): an event at a claim's instant is the next one's
    assert claim_columns(claims, row, at).tolist() == [0, 1, 1, -1, 0, -1]


def _hand_case() -> tuple[Contract, np.ndarray, ClaimEvents]:
    """Two claims of 31 days on row 0 (none on row 1): 1 February 2024 (January: one month's
    fee, 3,000) and 3 March 2024 (1 February to 3 March of a leap year: 1 + 2/31 of a month,
    3,000 x 33/31), with incidents and misses before, between and after them."""
    terms = _claim_terms(31, monthly_fee=3000)
    horizon = scenario_horizon(terms, scenario(start="2024-01"))
    claims = np.array(
        [[ts("2024-02-01T00:00"), ts("2024-03-03T00:00")], [NO_CLAIM, NO_CLAIM]], np.int64
    )
    grid = horizon.grid
    starts = ["2024-01-10T08:00", "2024-02-15T08:00", "2024-03-05T08:00", "2024-01-05T08:00"]
    found = Measured(
        counted=np.array([45, 20, 120, 600], np.int64) * MICRO,  # minutes
        period=np.zeros(4, np.int64),  # the calendar's: not what a claim window reads
        slot=np.array([(ts(s) - grid.origin) // grid.slot_seconds for s in starts], np.int64),
    )
    row = np.array([0, 0, 0, 1], np.int64)
    tier = terms.tiers[0]
    assert tier.incident_credits is not None and tier.support is not None
    per_incident = incidents_by_claim(tier.incident_credits, found, row, claims, grid)
    # 45 min: 5% to the February claim; 20 min: not longer than 30; after the last claim, and on
    # a row without a claim: none
    assert per_incident.tolist() == [[5, 0], [0, 0]]
    misses = np.zeros((2, 12, 2), np.int64)
    misses[0, 0] = (3, 1)  # January: before the first claim
    misses[0, 1] = (1, 0)  # opened 1 February 00:00, the first claim's instant: the second's
    misses[0, 2] = (0, 2)  # 1 March, before 3 March: the second claim's
    misses[0, 3] = (1, 0)  # April: after the last claim, none
    misses[1, 0] = (4, 4)  # no claim on the row: none
    month_starts = np.array([p.start for p in horizon.periods], np.int64)
    by_claim = misses_by_claim(misses, month_starts, claims)
    assert by_claim.tolist() == [[[3, 1], [1, 2]], [[0, 0], [0, 0]]]
    return terms, claims, ClaimEvents(per_incident, 1, by_claim, tuple(tier.support.targets))


def test_a_small_case_counted_by_hand():
    terms, claims, events = _hand_case()
    tier = terms.tiers[0]
    horizon = scenario_horizon(terms, scenario(start="2024-01"))
    # the second claim's 31 days (44,640 minutes) hold 60 minutes down: 99.87%, below 99.9%: 10%
    downtime = np.array([[0, 60], [0, 0]], np.int64) * MICRO
    fee = Fraction(3000 * 33, 31)
    assert events.percent(0, 0, Fraction(3000)) == 5 + 10 + Fraction(100, 3000) * 100
    priced = price_claims(
        terms, tier, horizon, downtime, np.zeros_like(downtime), claims, True, events=events
    )
    assert priced.issued_by_period is not None
    # February claim: 5% (the 45-minute incident) + 3 P1 misses 15% cut to 10% = 15% of 3,000,
    # and a P2 miss of 100: 550.00. March claim: 10% (availability) + one P1 miss 5% = 15% of
    # 3,193.55 (479.03) and two P2 misses of 100: 679.03.
    assert fee * 15 / 100 + 200 == Fraction(21050, 31)  # 679.032...
    assert priced.issued_by_period.tolist() == [[55000, 67903], [0, 0]]
    assert priced.issued.tolist() == [122903, 0]
    without = price_claims(terms, tier, horizon, downtime, np.zeros_like(downtime), claims, True)
    assert without.issued.tolist() == [31935, 0]  # the availability credit alone: 10% of 3,193.55


def test_no_incident_files_no_claim_so_support_misses_credit_nothing():
    quiet = [
        {
            "name": "none",
            "frequency": {"dist": "poisson", "rate_per_month": 0},
            "duration_minutes": {"dist": "exponential", "mean": 10},
        }
    ]
    terms = contract(
        measurement={"period": "month", "window": {"kind": "claim", "days": 30}},
        tier={"support": SUPPORT},
    )
    run = simulate(terms, scenario(processes=quiet, tickets=TICKETS), 20, 3)
    assert not run.pricing["T"].issued.any()


@st.composite
def claim_contracts_with_events(draw) -> Contract:
    """A random contract measuring the days before each claim (slot rules, service hours and
    every rule ``contracts`` draws), its first tier with per-incident credits and support
    targets, some other tiers with per-incident credits."""
    data = draw(contracts(slot_rules=True, service_hours=draw(st.booleans()))).model_dump(
        mode="json"
    )
    data["measurement"]["period"] = draw(st.sampled_from(["month", "month", "quarter"]))
    days = draw(st.integers(1, 40) | st.sampled_from([90, 365]))
    data["measurement"]["window"] = {"kind": "claim", "days": days}
    terms = draw(incident_credit_terms())
    for tier in data["tiers"]:
        if draw(st.booleans()):
            tier["incident_credits"] = terms
    data["tiers"][0]["incident_credits"] = terms
    data["tiers"][0]["support"] = {
        "clock": draw(st.sampled_from(["around_the_clock", "service_hours"]))
        if data["measurement"].get("service_hours")
        else "around_the_clock",
        # an amount per miss needs a fee: without one, the % per miss only
        "targets": SUPPORT["targets"][: 2 if float(data["tiers"][0]["monthly_fee"]) else 1],
    }
    return Contract.model_validate(data)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(claim_contracts_with_events(), scenarios(), st.integers(0, 2**32 - 1))
def test_a_dumped_trial_with_tickets_replays_to_the_credits_counted(terms, scen, seed):
    scen = Scenario.model_validate({**scen.model_dump(mode="json"), "tickets": TICKETS})
    trials, sampled = 25, [0, 7, 24]
    run = simulate(terms, scen, trials, seed)
    incidents = trial_incidents(terms, scen, seed, trials, sampled)
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    tickets = trial_support_tickets(terms, scen, seed, sampled, terms.tiers[0].name)
    unit = {"KWD": 1000, "JPY": 1}.get(terms.currency, 100)
    for trial in sampled:  # only the first tier has support targets: its tickets are the trial's
        found = replay(terms, incidents[trial], first, last, tickets=tickets[trial])
        for tier in found.tiers:
            expected = [int(p.credit_after_caps * unit) for p in tier.periods]
            simulated = period_credits(run, tier.tier, [trial])[0].tolist()
            assert simulated == expected + [0] * (len(simulated) - len(expected)), trial


def test_customers_hit_on_their_own_draw_their_own_tickets_under_a_claim_window():
    terms = _claim_terms(10, customers=3)
    own = {
        "name": "own",
        "frequency": {"dist": "poisson", "rate_per_month": 1.0},
        "duration_minutes": {"dist": "exponential", "mean": 120},
        "scope": {"independent": 0.5},
    }
    scen = scenario(processes=[*scenario().model_dump()["processes"], own], tickets=TICKETS)
    run = simulate(terms, scen, 12, 8)
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    support = 0
    for trial in (0, 5, 11):
        total = 0
        for customer in range(3):
            found = trial_incidents(terms, scen, 8, 12, [trial], customer=("T", customer))[trial]
            tickets = trial_support_tickets(terms, scen, 8, [trial], "T", customer)[trial]
            support += len(tickets)
            rows = replay(terms, found, first, last, tickets=tickets).tiers[0].periods
            credits = [int(p.credit_after_caps * 100) for p in rows]
            simulated = period_credits(run, "T", [trial], customer)[0].tolist()
            assert simulated == credits + [0] * (len(simulated) - len(credits))
            # one customer's credits for its tail (profitability.py), on its own claims too
            assert customer_paid(run, "T", customer)[trial] == sum(credits)
            total += sum(credits)
        assert run.pricing["T"].issued[trial] == total
    assert support  # tickets were drawn and replayed


def test_the_customer_cap_cuts_claims_with_their_per_incident_and_support_credits():
    # Cloudflare R2 sold as two tiers of one customer's subscription under one cap, the first
    # with per-incident and support credits: the cap walks each history's claims with them
    data = yaml.safe_load((SAMPLES / "real" / "cloudflare_r2.yaml").read_text())
    storage = {
        **data["tiers"][0],
        "name": "Storage",
        "customers": 3,
        "incident_credits": {"longer_than_minutes": 30, "credit_pct": "5"},
        "support": SUPPORT,
    }
    egress = {**data["tiers"][0], "name": "Egress", "customers": 3, "monthly_fee": 900}
    terms = Contract.model_validate(
        {**data, "tiers": [storage, egress], "customer_cap": {"amount": 900}}
    )
    errors = {
        "name": "errors",
        "frequency": {"dist": "poisson", "rate_per_month": 2.5},
        "duration_minutes": {"dist": "lognormal", "median": 45, "sigma": 1.2},
    }
    scen = scenario(start="2025-01", processes=[errors], tickets=TICKETS)
    run = simulate(terms, scen, 30, 5)
    incidents = trial_incidents(terms, scen, 5, 30, range(30))
    tickets = trial_support_tickets(terms, scen, 5, range(30), "Storage")
    cut = 0
    for trial in range(30):
        found = replay(terms, incidents[trial], "2025-01", "2025-12", tickets=tickets[trial])
        for tier in found.tiers:
            issued = int(tier.total("credit_after_caps") * 3 * 100)
            assert run.pricing[tier.tier].issued[trial] == issued, (trial, tier.tier)
            cut += tier.total("capped_by_customer")
    assert cut > 0  # the cap bound in some trials


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(held_claim_contracts(), incident_credit_terms(), scenarios(), st.integers(0, 2**32 - 1))
def test_customers_hit_one_by_one_under_a_customer_cap_with_per_incident_credits_replay(
    terms, per_incident, scen, seed
):
    # both rules at once: each customer claims in both tiers at every incident of its history,
    # each claim takes the per-incident credits since the one before, and the cap walks them
    data = terms.model_dump(mode="json")
    data["tiers"] = [{**tier, "incident_credits": per_incident} for tier in data["tiers"]]
    own = {
        "name": "own",
        "frequency": {"dist": "poisson", "rate_per_month": 1.0},
        "duration_minutes": {"dist": "exponential", "mean": 120},
        "scope": {"independent": 0.6},
    }
    processes = [*scen.model_dump(mode="json")["processes"], own]
    scen = Scenario.model_validate({**scen.model_dump(mode="json"), "processes": processes})
    held_customers_replay_to_their_credits(Contract.model_validate(data), scen, seed, 8, [0, 3, 7])
