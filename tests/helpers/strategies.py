"""Hypothesis strategies for random valid contracts and credit schedules, shared by the replay,
band-pricing, interval-measure and simulation property tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.domain.incidents import Incident
from tests.helpers.builders import ts

ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kathmandu", "Australia/Sydney"]


CAUSES = ["", "maintenance", "customer", "force_majeure", "third_party"]


pct = st.decimals(min_value=0, max_value=100, places=2)


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
def contracts(draw) -> Contract:
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
            "claim_rate": draw(st.decimals(0, 1, places=2)),
        },
    }
    return Contract.model_validate(data)


LABELS = ["full", "partial", "degraded", "none"]
RANGE_START = ts("2024-01-15T00:00")  # history from mid-January to early May 2024
RANGE_SECONDS = 110 * 86400


@st.composite
def incident_lists(draw, max_size=20) -> list[Incident]:
    out = []
    for n in range(draw(st.integers(0, max_size))):
        start = RANGE_START + draw(st.integers(0, RANGE_SECONDS))
        length = draw(st.sampled_from([0, 30, 60, 299, 300, 3600]) | st.integers(0, 3 * 86400))
        impact = draw(st.sampled_from(LABELS) | st.decimals(0, 1, places=4))
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
