"""Band contracts and measured periods for the band-pricing tests: random band tiers sharing one
measurement, and downtime a third of which sits exactly on a threshold."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.engine.band_pricing import counts_bands
from tests.helpers.strategies import contracts, schedules


@st.composite
def band_contracts(draw) -> Contract:
    """A random contract whose first tier has bands, plus a second band tier on the same
    measurement with other bands, target, fee and caps."""
    terms = draw(contracts().filter(lambda c: counts_bands(c.tiers[0])))
    other = draw(schedules().filter(lambda s: s["kind"] == "bands"))
    second = terms.tiers[0].model_dump(mode="json")
    second.update(
        name="U",
        credits=other,
        target_pct=str(other["bands"][0]["below"]),
        monthly_fee=str(draw(st.decimals(0, 50000, places=2))),
        caps={"per_year_pct_of_annual_fees": draw(st.sampled_from([None, 5, 30]))},
    )
    data = terms.model_dump(mode="json")
    data["tiers"].append(second)
    return Contract.model_validate(data)


def measured(contract: Contract, horizon, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random downtime and excluded time, a third of the periods exactly on a threshold and
    some with everything excluded."""
    rng = np.random.default_rng(seed)
    period = horizon.period_micro
    n, p = 40, len(period)
    remove = contract.exclusions.excluded_time == "remove"
    excluded = rng.integers(0, period // 50, size=(n, p)) * rng.integers(0, 2, size=(n, p))
    excluded[rng.random((n, p)) < 0.05] = period[0]  # clipped below: the whole period
    excluded = np.minimum(excluded, period[None, :])
    # a base that is a whole number of 10**6 (or the whole period) lets thresholds land exactly
    base = period[None, :] - excluded if remove else np.broadcast_to(period, (n, p))
    base = np.where(remove & (base > 10**6), base // 10**6 * 10**6, base)
    if remove:
        excluded = period[None, :] - base
    down = (rng.random((n, p)) ** 3 * 0.12 * base).astype(np.int64)
    thresholds = [
        end
        for t in contract.tiers
        for b in t.credits.bands
        for end in (b.below, b.above)
        if end is not None
    ]
    tie = rng.random((n, p)) < 0.35
    picked = rng.integers(0, len(thresholds), size=(n, p))
    for k, threshold in enumerate(thresholds):
        num, den = (100 - Fraction(threshold)).as_integer_ratio()
        exact = base * num // (100 * den)
        on = tie & (picked == k)
        down[on] = (exact + rng.integers(-1, 2, size=(n, p)))[on]
    return np.clip(down, 0, base), excluded
