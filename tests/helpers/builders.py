"""Small builders for contracts, scenarios, incidents and horizons in tests: only the terms a test
is about differ."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import numpy as np

from slamodeler.domain.contract import Contract
from slamodeler.domain.incidents import Incident
from slamodeler.domain.scenario import Scenario
from slamodeler.engine.horizon import build_horizon
from slamodeler.engine.periods import parse_label

BASE: dict[str, Any] = {
    "format": "slamodeler/v1",
    "name": "Test terms",
    "currency": "USD",
    "timezone": "UTC",
    "term": {"start": "2024-01-01", "months": 12},
    "measurement": {"period": "month", "slot_minutes": 1, "min_downtime_minutes": 0},
    "tiers": [
        {
            "name": "T",
            "target_pct": 99.9,
            "monthly_fee": 1000,
            "customers": 1,
            "credits": {
                "kind": "bands",
                "boundary": "below",
                "bands": [
                    {"below": 99.9, "credit_pct": 10},
                    {"below": 99.0, "credit_pct": 25},
                    {"below": 95.0, "credit_pct": 100},
                ],
            },
        }
    ],
}


def contract(**changes: Any) -> Contract:
    """The base contract with top-level keys replaced and ``tier`` keys merged into its tier."""
    data = copy.deepcopy(BASE)
    tier_changes = changes.pop("tier", {})
    data.update(changes)
    data["tiers"][0].update(tier_changes)
    return Contract.model_validate(data)


def ts(text: str) -> int:
    """Epoch seconds of an ISO time; a bare time is UTC."""
    stamp = datetime.fromisoformat(text)
    if stamp.tzinfo is None:
        stamp = datetime.fromisoformat(text + "+00:00")
    return int(stamp.timestamp())


_counter = iter(range(1, 10**9))


def incident(
    start: str,
    end: str,
    impact: str | float = "full",
    cause: str = "",
    service: str = "",
    region: str = "",
    zone: str = "",
) -> Incident:
    n = next(_counter)
    value = Decimal(str(impact)) if isinstance(impact, float | int) else impact
    return Incident(
        id=f"I{n}",
        start=ts(start),
        end=ts(end),
        impact=value,
        cause=cause,
        service=service,
        region=region,
        title=f"incident {n}",
        row=n + 1,
        zone=zone,
    )


def horizon_of(contract: Contract, months: int):
    """``months`` months from the contract's start (its first quarter's, if quarterly)."""
    first = parse_label(contract.term.start.strftime("%Y-%m"), "month")
    if contract.measurement.period == "quarter":
        first -= first % 3
    return build_horizon(contract, first, first + months - 1)


def history(
    n: int, seed: int = 0, *, first: str = "2024-01-01", months: int = 24
) -> list[Incident]:
    """n incidents spread uniformly over ``months`` months, lognormal durations, mixed impact."""
    rng = np.random.default_rng(seed)
    t0 = int(datetime.fromisoformat(first).replace(tzinfo=UTC).timestamp())
    starts = np.sort(t0 + rng.integers(0, months * 30 * 86400, size=n))
    minutes = np.exp(np.log(45) + 1.1 * rng.standard_normal(n))
    impacts = rng.choice(["full", "partial"], size=n, p=[0.3, 0.7])
    return [
        Incident(
            id=f"row {i + 2}",
            start=int(s),
            end=int(s) + round(m * 60),
            impact=str(imp),
            cause="third_party" if i % 5 == 0 else "",
            service="api" if i % 2 else "web",
            row=i + 2,
        )
        for i, (s, m, imp) in enumerate(zip(starts, minutes, impacts, strict=True))
    ]


def scenario(**changes) -> Scenario:
    data = {
        "format": "slamodeler-scenario/v1",
        "name": "test",
        "start": "2024-01",
        "years": 1,
        "processes": [
            {
                "name": "platform",
                "frequency": {"dist": "poisson", "rate_per_month": 2.0},
                "duration_minutes": {"dist": "lognormal", "median": 40, "sigma": 1.2},
                "impact": {"full": 0.5, "partial": 0.5},
            },
        ],
    }
    data.update(changes)
    return Scenario.model_validate(data)
