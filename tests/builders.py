"""Small builders for contracts and incidents in tests: only the terms a test is about differ."""

from __future__ import annotations

import copy
from datetime import datetime
from decimal import Decimal
from typing import Any

from slamodeler.domain.contract import Contract
from slamodeler.domain.incidents import Incident

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
    )
