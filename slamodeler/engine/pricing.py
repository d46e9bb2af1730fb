"""Credit terms applied to measured periods, vectorised over trials (docs/measurement.md, 7-9).

Takes what measurement produced per trial and period (downtime and excluded micro-minutes) and
turns it into money under one tier's schedule, caps, minimum credit and claim rate. Because it
never looks at incidents, a change of credit terms re-prices a stored simulation without
drawing it again.

Bands and per-hour credits with whole or started hours are priced in exact integers, so they
agree with replay to the minor unit. Linear curves, exact per-hour credits and fee multiples
are priced in floating point (the percentage is continuous); rounding to the minor unit can
then differ from replay's exact fractions only where the exact amount is a half unit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.credit_schedules import (
    BandSchedule,
    Boundary,
    LinearSchedule,
    PerHourSchedule,
)
from slamodeler.domain.money import minor_unit, round_down
from slamodeler.engine import credits as credit_rules
from slamodeler.engine.caps import liability_cap_amount
from slamodeler.engine.horizon import Horizon
from slamodeler.engine.slots import MICRO

I64 = NDArray[np.int64]
Amount = NDArray[np.int64] | NDArray[np.float64]
_SAFE = 2**62


@dataclass(frozen=True)
class TierPricing:
    """Per trial (amounts per customer, in minor units, summed over the horizon)."""

    owed: I64
    issued: I64  # after caps and the minimum credit
    paid: I64  # issued times the claim rate
    capped_off: I64
    breach_periods: I64
    hit_period_cap: NDArray[np.bool_]
    hit_year_cap: NDArray[np.bool_]
    hit_liability_cap: NDArray[np.bool_]
    issued_by_period: I64  # trials x periods


def misses(base: I64, down: I64, threshold: Decimal, boundary: Boundary) -> NDArray[np.bool_]:
    """Exactly: is availability 100 * (base - down) / base below (or at) the threshold? An empty
    base (everything excluded) is 100% available."""
    num, den = Fraction(threshold).as_integer_ratio()
    if base.size and int(base.max()) * 100 * den >= _SAFE:
        base, down = base.astype(object), down.astype(object)
    left = 100 * (base - down) * den
    right = num * base
    hit = left < right if boundary == "below" else left <= right
    return np.where(base > 0, hit, credit_rules.misses(Fraction(100), threshold, boundary))


def price_tier(
    contract: Contract, tier: Tier, horizon: Horizon, downtime: I64, excluded: I64
) -> TierPricing:
    n, n_periods = downtime.shape
    unit = minor_unit(contract.currency)
    remove = contract.exclusions.excluded_time == "remove"
    period_micro = horizon.period_micro
    boundary = getattr(tier.credits, "boundary", "below")
    caps = tier.caps
    annual = Fraction(tier.monthly_fee) * 12
    year_cap = _cap_minor(annual, caps.per_year_pct_of_annual_fees, unit)
    liability = liability_cap_amount(contract, tier)
    term_cap = int(round_down(liability, unit) / unit) if liability is not None else None
    min_credit = math.ceil(contract.claims.min_credit / unit)
    claim_num, claim_den = Fraction(contract.claims.claim_rate).as_integer_ratio()

    year_used: dict[int, I64] = {}
    term_used: dict[int, I64] = {}
    totals = {k: np.zeros(n, dtype=np.int64) for k in ("owed", "issued", "paid", "capped")}
    hits = {k: np.zeros(n, dtype=bool) for k in ("period", "year", "liability")}
    breaches = np.zeros(n, dtype=np.int64)
    issued_by_period = np.zeros((n, n_periods), dtype=np.int64)
    for p, period in enumerate(horizon.periods):
        down = downtime[:, p]
        base = period_micro[p] - excluded[:, p] if remove else np.full(n, period_micro[p])
        breaches += misses(base, down, tier.target_pct, boundary)
        fee = Fraction(tier.monthly_fee) * period.months / Fraction(unit)  # in minor units
        num, den = _owed(tier, base, down, int(period_micro[p]), fee)
        owed = _round(num, den)
        stages = [owed]
        year, term = horizon.years[p], horizon.terms[p]
        year_used.setdefault(year, np.zeros(n, np.int64))
        term_used.setdefault(term, np.zeros(n, np.int64))
        period_cap = _cap_minor(fee * Fraction(unit), caps.per_period_pct, unit)
        for left in (
            period_cap,
            None if year_cap is None else year_cap - year_used[year],
            None if term_cap is None else term_cap - term_used[term],
        ):
            if left is not None:
                num = np.minimum(num, np.asarray(left, dtype=np.int64) * den)
            stages.append(_round(num, den))
        after_period, after_year, after_liability = stages[1:]
        issued = np.where(after_liability >= min_credit, after_liability, 0)
        year_used[year] += issued
        term_used[term] += issued
        hits["period"] |= after_period < owed
        hits["year"] |= after_year < after_period
        hits["liability"] |= after_liability < after_year
        totals["owed"] += owed
        totals["issued"] += issued
        totals["paid"] += (2 * issued * claim_num + claim_den) // (2 * claim_den)
        totals["capped"] += owed - after_liability
        issued_by_period[:, p] = issued
    return TierPricing(
        owed=totals["owed"],
        issued=totals["issued"],
        paid=totals["paid"],
        capped_off=totals["capped"],
        breach_periods=breaches,
        hit_period_cap=hits["period"],
        hit_year_cap=hits["year"],
        hit_liability_cap=hits["liability"],
        issued_by_period=issued_by_period,
    )


def _cap_minor(fee: Fraction, pct: Decimal | None, unit: Decimal) -> int | None:
    """A percentage cap of a fee, rounded down, in minor units (None: no cap)."""
    if pct is None:
        return None
    return int(round_down(fee * Fraction(pct) / 100, unit) / unit)


def _round(num: Amount, den: int) -> I64:
    """Half up to whole minor units."""
    if num.dtype.kind == "f":
        return np.floor(num + 0.5).astype(np.int64)
    return (2 * num + den) // (2 * den)


def _owed(tier: Tier, base: I64, down: I64, period_micro: int, fee: Fraction) -> tuple[Amount, int]:
    """The credit owed in minor units as numerator / denominator (exact integers where the
    schedule allows it, else floats over 1)."""
    schedule = tier.credits
    boundary = getattr(schedule, "boundary", "below")
    if isinstance(schedule, BandSchedule):
        scale = _scale(b.credit_pct for b in schedule.bands)
        pct = np.zeros(len(base), dtype=np.int64)
        for band in schedule.bands:
            hit = misses(base, down, band.below, boundary)
            pct = np.where(hit, int(band.credit_pct * scale), pct)
        return _exact(fee, pct, scale)
    if isinstance(schedule, PerHourSchedule) and schedule.hours != "exact":
        scale = _scale([schedule.credit_pct_per_hour])
        hour = 60 * MICRO
        hours = -(-down // hour) if schedule.hours == "started" else down // hour
        missed = misses(base, down, tier.target_pct, boundary)
        pct = np.where(missed, hours * int(schedule.credit_pct_per_hour * scale), 0)
        return _exact(fee, pct, scale)
    return _float_owed(tier, base, down, period_micro, fee), 1


def _scale(values: object) -> int:
    """10**k so that every percentage times it is a whole number."""
    digits = max(-min(0, int(Decimal(v).as_tuple().exponent)) for v in values)  # type: ignore[attr-defined]
    return 10**digits


def _exact(fee: Fraction, pct_scaled: I64, scale: int) -> tuple[I64, int]:
    """fee (minor units, a fraction) x pct / 100 as integer numerator over a denominator."""
    den = fee.denominator * 100 * scale
    if pct_scaled.size and int(pct_scaled.max()) * fee.numerator >= _SAFE:
        raise OverflowError("credit too large to price exactly")
    return pct_scaled * fee.numerator, den


def _float_owed(
    tier: Tier, base: I64, down: I64, period_micro: int, fee: Fraction
) -> NDArray[np.float64]:
    schedule = tier.credits
    safe_base = np.maximum(base, 1)
    availability = np.where(base > 0, 100.0 * (base - down) / safe_base, 100.0)
    if isinstance(schedule, LinearSchedule):
        points = schedule.points
        first = points[0].availability_pct
        above = ~misses(base, down, first, "at_or_below")
        xs = np.array([float(p.availability_pct) for p in reversed(points)])
        ys = np.array([float(p.credit_pct) for p in reversed(points)])
        pct = np.where(above, 0.0, np.interp(availability, xs, ys))
    else:
        boundary = schedule.boundary
        missed = misses(base, down, tier.target_pct, boundary)
        if isinstance(schedule, PerHourSchedule):
            pct = float(schedule.credit_pct_per_hour) * down / (60.0 * MICRO)
        else:
            pct = float(schedule.multiple) * 100.0 * down / period_micro
        pct = np.where(missed, pct, 0.0)
    return float(fee) * pct / 100.0
