"""Contracts whose tiers lie in distinct scopes, scenarios that reach them differently, and
random scopes over random incidents for the measurement's tests."""

from __future__ import annotations

import functools

import numpy as np
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.domain.scenario import Scenario
from slamodeler.engine.horizon import Horizon
from slamodeler.engine.interval_measure import IntervalIncidents, measure_with_changes
from slamodeler.engine.shared_scopes import Sweep
from slamodeler.engine.slot_rules import SlotRules
from slamodeler.io.contract_file import load_contract
from tests.helpers.interval_sets import interval_sets
from tests.helpers.paths import SAMPLES

REGIONS = ["us-east-1", "eu-west-1", "ap-south-1"]


def tiers_in_distinct_regions() -> tuple[Contract, Scenario]:
    """The sample's tiers each in a region of its own, and one more in two of them, under a
    platform-wide process, a regional one spread over the regions and a catastrophe."""
    sample = load_contract(SAMPLES / "three_tier_cloud.yaml")
    tiers = [
        t.model_copy(update={"scope": t.scope.model_copy(update={"regions": [REGIONS[k]]})})
        for k, t in enumerate(sample.tiers)
    ]
    first = sample.tiers[0]
    both = first.model_copy(
        update={"name": "Both", "scope": first.scope.model_copy(update={"regions": REGIONS[:2]})}
    )
    terms = Contract.model_validate(
        sample.model_copy(update={"tiers": [*tiers, both]}).model_dump()
    )
    mix = [{"regions": [r], "share": s} for r, s in zip(REGIONS, [0.5, 0.3, 0.2], strict=True)]
    scen = Scenario.model_validate(
        {
            "format": "slamodeler-scenario/v1",
            "name": "regions",
            "start": "2027-01",
            "years": 1,
            "processes": [
                {
                    "name": "platform",
                    "frequency": {"dist": "poisson", "rate_per_month": 1.0},
                    "duration_minutes": {"dist": "lognormal", "median": 45, "sigma": 1.1},
                    "impact": {"full": 0.4, "partial": 0.6},
                    "cause": {"internal": 0.9, "maintenance": 0.1},
                },
                {
                    "name": "regional",
                    "frequency": {"dist": "negbin", "mean_per_month": 0.5, "dispersion": 0.5},
                    "duration_minutes": {"dist": "weibull", "shape": 0.8, "scale": 120},
                    "impact": {"full": 0.5, "partial": 0.5},
                    "scope": {"mix": mix},
                },
            ],
            "catastrophes": [
                {
                    "name": "fire",
                    "rate_per_year": 0.05,
                    "minutes": {"dist": "exponential", "mean": 600},
                    "impact": "full",
                }
            ],
        }
    )
    return terms, scen


def scoped_incidents(
    data: st.DataObject, horizon: Horizon, n_scopes: int, short: bool = False
) -> tuple[IntervalIncidents, np.ndarray, np.ndarray]:
    """Incidents of up to 4 sources (``interval_sets``), which sources each of ``n_scopes``
    scopes sees (scopes x sources), and each incident's source."""
    inc = data.draw(interval_sets(horizon, short=short))
    n_sources = data.draw(st.integers(1, 4))
    reach = np.array(
        data.draw(
            st.lists(
                st.lists(st.booleans(), min_size=n_sources, max_size=n_sources),
                min_size=n_scopes,
                max_size=n_scopes,
            )
        ),
        dtype=bool,
    ).reshape(n_scopes, n_sources)
    source = np.array(
        data.draw(
            st.lists(
                st.integers(0, n_sources - 1), min_size=len(inc.trial), max_size=len(inc.trial)
            )
        ),
        dtype=np.int64,
    )
    return inc, reach, source


def sweep_of(terms: Contract, horizon: Horizon) -> Sweep:
    """The measurement of rows over a base by its sweep, under ``terms``'s rules."""
    m = terms.measurement
    return functools.partial(
        measure_with_changes,
        horizon=horizon,
        slot_minutes=m.slot_minutes,
        min_downtime_minutes=m.min_downtime_minutes,
        rules=SlotRules.of(m),
    )
