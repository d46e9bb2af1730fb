"""Hypothesis strategies for random valid contracts, credit schedules, incident histories and
outage scenarios, shared by the replay, band-pricing, interval-measure and simulation property
tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import WEEKDAYS, Contract
from slamodeler.domain.either_or import EitherOr
from slamodeler.domain.incidents import Incident
from slamodeler.domain.scenario import Scenario
from tests.helpers.builders import scenario, ts

ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kathmandu", "Australia/Sydney"]


CAUSES = ["", "maintenance", "customer", "force_majeure", "third_party"]


pct = st.decimals(min_value=0, max_value=100, places=2)


@st.composite
def band_ends(draw, below: Decimal, lower: list[Decimal]) -> dict:
    """Ends a band may state besides ``below``: none (most often, as every contract before), its
    own upper end, and a lower end; the lower end is often the next band's threshold, so that
    the gap or overlap a text leaves there (GitHub's exactly 99.0%) is drawn often."""
    ends: dict = {}
    if draw(st.booleans()):
        return ends
    upper = draw(st.sampled_from([None, "included", "excluded"]))
    if upper is not None:
        ends["upper_end"] = upper
    choices = [*lower[:1], draw(st.decimals(80, below, places=3))]
    above = draw(st.none() | st.sampled_from(choices).filter(lambda a: a < below))
    if above is not None:
        ends["above"] = above
        ends["lower_end"] = draw(st.sampled_from(["included", "excluded"]))
    return ends


@st.composite
def schedules(draw):
    kind = draw(st.sampled_from(["bands", "linear", "per_hour", "fee_multiple"]))
    boundary = draw(st.sampled_from(["below", "at_or_below"]))
    if kind in ("bands", "linear"):
        n = draw(st.integers(1 if kind == "bands" else 2, 4))
        thresholds = sorted(
            draw(st.lists(st.decimals(90, 100, places=3), min_size=n, max_size=n, unique=True)),
            reverse=True,
        )
        credits = sorted(draw(st.lists(pct, min_size=n, max_size=n)))
        if kind == "bands":
            bands = [
                {"below": t, "credit_pct": c} for t, c in zip(thresholds, credits, strict=True)
            ]
            for i, band in enumerate(bands):
                band.update(draw(band_ends(thresholds[i], thresholds[i + 1 :])))
            return {"kind": kind, "boundary": boundary, "bands": bands}
        points = [
            {"availability_pct": t, "credit_pct": c}
            for t, c in zip(thresholds, credits, strict=True)
        ]
        return {"kind": kind, "points": points}
    if kind == "per_hour":
        return {
            "kind": kind,
            "boundary": boundary,
            "credit_pct_per_hour": draw(pct),
            "hours": draw(st.sampled_from(["started", "whole", "exact"])),
        }
    return {
        "kind": kind,
        "boundary": boundary,
        "multiple": draw(st.decimals(Decimal("0.5"), 20, places=1)),
    }


@st.composite
def contracts(draw, slot_rules: bool = False, service_hours: bool = False) -> Contract:
    """Random valid terms; with ``slot_rules``, the slot rules of measurement drawn too; with
    ``service_hours``, service hours and a fee multiple's share of scheduled availability."""
    windows = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "every": st.just("week"),
                    "day": st.sampled_from(["monday", "sunday", "saturday"]),
                    "start": st.sampled_from(["00:00", "02:00", "02:30", "23:00"]),
                    "minutes": st.integers(1, 600),
                }
            ),
            max_size=2,
        )
    )
    tier = {
        "name": "T",
        "target_pct": draw(st.decimals(95, 100, places=2).filter(lambda d: d > 0)),
        "monthly_fee": draw(st.decimals(0, 20000, places=2)),
        "customers": draw(st.integers(1, 50)),
        "scope": draw(st.sampled_from([{}, {"services": ["A"]}, {"regions": ["r1", "r2"]}])),
        "credits": draw(schedules()),
        "caps": {
            "per_period_pct": draw(st.none() | pct),
            "per_year_pct_of_annual_fees": draw(st.none() | pct),
        },
    }
    data = {
        "format": "slamodeler/v1",
        "name": "random terms",
        "currency": draw(st.sampled_from(["USD", "JPY", "KWD"])),
        "timezone": draw(st.sampled_from(ZONES)),
        "term": {
            "start": draw(st.dates(min_value=date(2023, 1, 1), max_value=date(2024, 6, 30))),
            "months": draw(st.integers(1, 24)),
        },
        "measurement": {
            "period": draw(st.sampled_from(["month", "month", "quarter"])),
            "impact_weights": {
                "full": 1,
                "partial": draw(st.decimals(0, 1, places=3)),
                "degraded": draw(st.decimals(0, 1, places=2)),
            },
            "slot_minutes": draw(st.sampled_from([1, 5, 15])),
            "min_downtime_minutes": draw(st.sampled_from([0, 1, 5, 10, 30])),
        },
        "exclusions": {
            "causes": draw(st.lists(st.sampled_from(CAUSES[1:]), unique=True)),
            "maintenance_windows": windows,
            "maintenance_allowance_minutes_per_year": draw(
                st.none() | st.decimals(0, 600, places=1)
            ),
            "excluded_time": draw(st.sampled_from(["remove", "available"])),
        },
        "tiers": [tier],
        "liability_cap": draw(
            st.none() | st.fixed_dictionaries({"amount": st.decimals(0, 50000, places=2)})
        ),
        "claims": {
            "min_credit": draw(st.decimals(0, 50, places=2)),
            "min_credit_rule": draw(st.sampled_from(["at_least", "more_than"])),
            "claim_rate": draw(st.decimals(0, 1, places=2)),
            **late_claims(draw),
        },
    }
    if slot_rules:
        data["measurement"] |= {
            "slot_counting": draw(st.sampled_from(["any", "whole", "more_than_half"])),
            "overlaps": draw(st.sampled_from(["worst", "add"])),
            "down_above": draw(st.none() | st.sampled_from([0, "0.05", "0.25", "0.3", "0.999"])),
        }
    if service_hours:
        data["measurement"]["service_hours"] = draw(service_hours_terms())
        if tier["credits"]["kind"] == "fee_multiple":
            tier["credits"]["share_of"] = draw(st.sampled_from(["period", "scheduled"]))
    return Contract.model_validate(data)


@st.composite
def service_hours_terms(draw) -> dict:
    """Hours that start or end on and off the slot grid, in DST gaps (02:30) and at midnight,
    with holidays in the replayed months (and one on a day without service hours)."""
    times = ["00:00", "02:30", "07:55", "08:00", "12:07", "18:00", "23:59"]
    start = draw(st.sampled_from(times[:-1]))
    end = draw(st.sampled_from([t for t in [*times, "24:00"] if t > start]))
    days = draw(st.lists(st.sampled_from(list(WEEKDAYS)), min_size=1, max_size=7, unique=True))
    holidays = draw(
        st.lists(st.dates(date(2024, 1, 1), date(2024, 5, 31)), max_size=4, unique=True)
    )
    return {"days": days, "start": start, "end": end, "holidays": holidays}


# Incident histories for replay property tests.
REPLAY_LABELS = ["full", "partial", "degraded", "none"]
RANGE_START = ts("2024-01-15T00:00")  # history from mid-January to early May 2024
RANGE_SECONDS = 110 * 86400


@st.composite
def incident_lists(draw, max_size=20) -> list[Incident]:
    out = []
    for n in range(draw(st.integers(0, max_size))):
        start = RANGE_START + draw(st.integers(0, RANGE_SECONDS))
        length = draw(st.sampled_from([0, 30, 60, 299, 300, 3600]) | st.integers(0, 3 * 86400))
        impact = draw(st.sampled_from(REPLAY_LABELS) | st.decimals(0, 1, places=4))
        out.append(
            Incident(
                id=f"i{n}",
                start=start,
                end=start + length,
                impact=impact,
                cause=draw(st.sampled_from(CAUSES)),
                service=draw(st.sampled_from(["", "A", "B"])),
                region=draw(st.sampled_from(["", "r1", "r3"])),
                title=f"incident {n}",
                row=n + 2,
            )
        )
    return out


def replay_range(contract: Contract) -> tuple[str, str]:
    if contract.measurement.period == "quarter":
        return "2024-Q1", "2024-Q2"
    return "2024-01", "2024-05"


SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# Outage scenarios for simulation property tests.
SCENARIO_LABELS = ["full", "partial", "degraded", "0.25"]
SCENARIO_CAUSES = ["", "maintenance", "customer", "third_party"]


@st.composite
def scenarios(draw) -> Scenario:
    def mix(keys):
        chosen = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=3, unique=True))
        weights = [draw(st.integers(1, 5)) for _ in chosen]
        return {k: w / sum(weights) for k, w in zip(chosen, weights, strict=True)}

    durations = st.sampled_from(
        [
            {"dist": "exponential", "mean": 60},
            {"dist": "lognormal", "median": 30, "sigma": 1.5},
            {"dist": "weibull", "shape": 0.7, "scale": 200},
            {"dist": "gamma", "shape": 2, "scale": 40},
            {"dist": "empirical", "values": [0, 0.5, 3, 17.25, 600]},
        ]
    )
    processes = [
        {
            "name": f"p{i}",
            "frequency": draw(
                st.sampled_from(
                    [
                        {"dist": "poisson", "rate_per_month": 3.0},
                        {"dist": "negbin", "mean_per_month": 2.0, "dispersion": 0.7},
                    ]
                )
            ),
            "duration_minutes": draw(durations),
            "impact": mix(SCENARIO_LABELS),
            "cause": mix(SCENARIO_CAUSES),
            "scope": draw(
                st.sampled_from(
                    ["all", {"region": "r1"}, {"service": "A"}, {"region": "elsewhere"}]
                )
            ),
            "start_profile": draw(
                st.sampled_from(["uniform", {"hour_of_week": [0] * 50 + [1] * 100 + [3] * 18}])
            ),
        }
        for i in range(draw(st.integers(1, 2)))
    ]
    catastrophes = draw(
        st.sampled_from(
            [
                [],
                [
                    {
                        "name": "big one",
                        "rate_per_year": 1.5,
                        "minutes": {"dist": "uniform", "low": 60, "high": 3000},
                    }
                ],
            ]
        )
    )
    return scenario(
        processes=processes,
        catastrophes=catastrophes,
        stress={
            "frequency": draw(st.sampled_from([0.5, 1.0, 2.0])),
            "duration": draw(st.sampled_from([1.0, 3.0])),
        },
    )


def float_priced(terms) -> bool:
    tier = terms.tiers[0]
    other = [tier.either_or.credits] if tier.either_or is not None else []
    return any(
        schedule.kind in ("linear", "fee_multiple")
        or (schedule.kind == "per_hour" and schedule.hours == "exact")
        for schedule in [tier.credits, *other]
    )


@st.composite
def with_either_or(draw, terms: st.SearchStrategy[Contract]) -> Contract:
    """``terms`` whose first tier has an ``either_or`` credit: a random schedule, pick and,
    for a per-hour or fee-multiple schedule, often a target of its own."""
    contract = draw(terms)
    tier = contract.tiers[0]
    credits = draw(schedules())
    targets = st.decimals(95, 100, places=2).filter(lambda d: d > 0)
    # a target only where the schedule pays below one (bands and curves have their own)
    target = None if credits["kind"] in ("bands", "linear") else draw(st.none() | targets)
    other = EitherOr.model_validate(
        {
            "pick": draw(st.sampled_from(["greater", "first"])),
            "target_pct": target,
            "credits": credits,
        }
    )
    return contract.model_copy(update={"tiers": [tier.model_copy(update={"either_or": other})]})


def late_claims(draw) -> dict:
    """A claim deadline or none; with one, a share of claims made after it."""
    days = draw(st.none() | st.integers(1, 90))
    if days is None:
        return {}
    return {"claim_deadline_days": days, "late_share": draw(st.decimals(0, 1, places=2))}


# Four months (or two quarters) of outages long enough to reach the credit bands: the claim
# clauses' property tests replay them.
DAY = 86400
RANGES = {"month": ("2024-01", "2024-04"), "quarter": ("2024-Q1", "2024-Q2")}


@st.composite
def outages(draw) -> list[Incident]:
    """A few outages over four months, long enough to reach the credit bands."""
    starts = draw(st.lists(st.integers(0, 110 * DAY), max_size=6))
    return [
        Incident(
            id=f"o{n}",
            start=ts("2024-01-01T00:00") + start,
            end=ts("2024-01-01T00:00") + start + draw(st.integers(0, 3 * DAY)),
            impact=draw(st.sampled_from(["full", "partial"])),
            row=n + 2,
        )
        for n, start in enumerate(starts)
    ]


@st.composite
def claim_contracts(draw) -> Contract:
    """A random contract (every measurement rule ``contracts`` draws, slot rules too) measuring
    the days before each claim: short windows, a month's, and a year's that reaches back past
    the horizon's start."""
    data = draw(contracts(slot_rules=True)).model_dump(mode="json")
    data["measurement"]["period"] = draw(st.sampled_from(["month", "month", "quarter"]))
    days = draw(st.integers(1, 40) | st.sampled_from([90, 365]))
    data["measurement"]["window"] = {"kind": "claim", "days": days}
    return Contract.model_validate(data)


@st.composite
def held_claim_contracts(draw) -> Contract:
    """A ``claim_contracts`` contract sold as two tiers of 1 to 3 customers each, held together
    under a ``customer_cap`` (an amount, a share of the annual fees, or both), each tier scoped
    to a service of its own name (kept its regions), so a customer's whole history replays as
    one file (``agreement.customer_history``)."""
    data = draw(claim_contracts()).model_dump(mode="json")
    customers = draw(st.integers(1, 3))
    first = {**data["tiers"][0], "customers": customers}
    second = {
        **first,
        "name": "U",
        "monthly_fee": draw(st.decimals(0, 5000, places=2)),
        "credits": draw(schedules()),
    }
    data["tiers"] = [
        {**tier, "scope": {**tier["scope"], "services": [tier["name"]]}} for tier in (first, second)
    ]
    cap = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "amount": st.decimals(0, 5000, places=2),
                "pct_of_annual_fees": st.decimals(0, 30, places=1),
            },
        ).filter(bool)
    )
    data["customer_cap"] = cap
    return Contract.model_validate(data)
