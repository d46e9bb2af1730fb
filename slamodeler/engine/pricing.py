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
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import cast

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.credit_schedules import (
    BandSchedule,
    Boundary,
    FeeMultipleSchedule,
    LinearSchedule,
    PerHourSchedule,
    boundary_of,
)
from slamodeler.domain.incident_credits import IncidentCredits
from slamodeler.domain.money import minor_unit, round_down, scale_of
from slamodeler.engine import credits as credit_rules
from slamodeler.engine import incident_credits
from slamodeler.engine.caps import liability_cap_amount, year_cap_amount
from slamodeler.engine.either_or import combine_owed
from slamodeler.engine.fees import credited_fee
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
    paid: I64  # issued times the claim rate and the share claimed in time
    capped_off: I64
    breach_periods: I64
    hit_period_cap: NDArray[np.bool_]
    hit_year_cap: NDArray[np.bool_]
    hit_liability_cap: NDArray[np.bool_]
    issued_by_period: I64 | None = None  # trials x periods, when asked for


CHUNK_TRIALS = 65_536  # rows priced at a time: temporaries stay small and in cache


class Availability:
    """Exact availability tests for many trials and periods: 100 * (base - down) / base against
    a threshold, in integers. An empty base (everything excluded) is 100% available."""

    def __init__(self, base: I64, down: I64):
        self.base, self.down = base, down
        self._empty = bool((base == 0).any())
        self._scaled: dict[int, NDArray] = {}

    def misses(self, threshold: Decimal, boundary: Boundary) -> NDArray[np.bool_]:
        # availability < t  <=>  100 * den * down > (100 * den - num) * base, t = num / den
        num, den = Fraction(threshold).as_integer_ratio()
        if den not in self._scaled:
            down = self.down
            if self.base.size and int(self.base.max()) * 100 * den >= _SAFE:
                down = down.astype(object)
            self._scaled[den] = 100 * den * down
        left = self._scaled[den]
        right = (100 * den - num) * (
            self.base if left.dtype != object else self.base.astype(object)
        )
        hit = left > right if boundary == "below" else left >= right
        if self._empty:
            full = credit_rules.misses(Fraction(100), threshold, boundary)
            hit = np.where(self.base > 0, hit, full)
        return hit


def price_tier(
    contract: Contract,
    tier: Tier,
    horizon: Horizon,
    downtime: I64,
    excluded: I64,
    keep_periods: bool = False,
    incident_percent: I64 | None = None,
    support: tuple[Amount, int] | None = None,
) -> TierPricing:
    """Price every trial (row); with ``keep_periods`` also keep each period's issued credit.
    ``incident_percent``: the tier's per-incident credits per row and period, as numerators over
    ``incident_credits.percent``'s denominator; ``support``: its drawn support credits per row
    and period, numerators and their denominator (engine/ticket_draws.py)."""
    parts = [
        _price_rows(
            contract,
            tier,
            horizon,
            downtime[i : i + CHUNK_TRIALS],
            excluded[i : i + CHUNK_TRIALS],
            keep_periods,
            None if incident_percent is None else incident_percent[i : i + CHUNK_TRIALS],
            None if support is None else (support[0][i : i + CHUNK_TRIALS], support[1]),
        )
        for i in range(0, max(len(downtime), 1), CHUNK_TRIALS)
    ]
    return concatenate(parts)


def concatenate(parts: list[TierPricing]) -> TierPricing:
    """Row chunks priced apart, in order."""
    if len(parts) == 1:
        return parts[0]
    kept = [part.issued_by_period for part in parts]
    fields = {
        name: np.concatenate([getattr(part, name) for part in parts])
        for name in TierPricing.__dataclass_fields__
        if name != "issued_by_period"
    }
    # every part keeps its periods, or none does: one keep_periods for the whole run
    periods = None if kept[0] is None else np.concatenate(cast(list[I64], kept))
    return TierPricing(**fields, issued_by_period=periods)


@dataclass(frozen=True)
class CreditTerms:
    """A tier's money terms in minor units: the credited fee of each period (numerators over one
    denominator, engine/fees.py), the caps rounded down (None: no cap; the yearly and liability
    caps per contract year and term), the minimum credit and the claim rate."""

    fee_num: I64
    fee_den: int
    period_cap: I64 | None
    year_cap: dict[int, int] | None
    term_cap: dict[int, int] | None
    min_credit: int
    claim: tuple[int, int]

    @classmethod
    def of(cls, contract: Contract, tier: Tier, horizon: Horizon) -> CreditTerms:
        unit = minor_unit(contract.currency)
        fees = [credited_fee(tier, p) for p in horizon.periods]
        minor = [f / Fraction(unit) for f in fees]
        den = math.lcm(1, *(f.denominator for f in minor))
        percent = tier.caps.per_period_pct
        return cls(
            fee_num=np.array([int(f * den) for f in minor], np.int64),
            fee_den=den,
            period_cap=None
            if percent is None
            else np.array([_cap_minor(f, percent, unit) for f in fees], np.int64),
            year_cap=_caps_minor(year_cap_amount, contract, tier, horizon.years, unit),
            term_cap=_caps_minor(liability_cap_amount, contract, tier, horizon.terms, unit),
            min_credit=least_issued(contract.claims.min_credit / unit, contract),
            claim=Fraction(contract.claims.paid_share).as_integer_ratio(),
        )

    def paid(self, issued: I64) -> I64:
        """Issued credit times the share paid (claimed, and in time: ``Claims.paid_share``),
        half up to whole minor units."""
        num, den = self.claim
        return (2 * issued * num + den) // (2 * den)

    def running_caps(self, horizon: Horizon, totals_by_group: Callable[[list[int]], I64]) -> I64:
        """Rows where a yearly or liability cap can bind: their credits before it add up to
        more than the cap in some contract year (or term). ``totals_by_group(columns)`` sums
        the credits after the period cap over those periods, per row."""
        binding: NDArray[np.bool_] | None = None
        for cap, groups in ((self.year_cap, horizon.years), (self.term_cap, horizon.terms)):
            if cap is not None:
                for group in set(groups):
                    columns = [p for p, g in enumerate(groups) if g == group]
                    over = totals_by_group(columns) > cap[group]
                    binding = over if binding is None else binding | over
        return np.zeros(0, np.int64) if binding is None else np.flatnonzero(binding)


def availability_of(
    contract: Contract, horizon: Horizon, downtime: I64, excluded: I64
) -> Availability:
    """Measured rows (trials x periods) as availability tests, by the contract's rule for
    excluded time (docs/measurement.md, section 7)."""
    period_micro = horizon.period_micro
    if contract.exclusions.excluded_time == "remove":
        base = period_micro[None, :] - excluded
    else:
        base = np.broadcast_to(period_micro, downtime.shape)
    return Availability(base, downtime)


def _price_rows(
    contract: Contract,
    tier: Tier,
    horizon: Horizon,
    downtime: I64,
    excluded: I64,
    keep_periods: bool,
    incident_percent: I64 | None = None,
    support: tuple[Amount, int] | None = None,
) -> TierPricing:
    availability = availability_of(contract, horizon, downtime, excluded)
    boundary = boundary_of(tier.credits)
    terms = CreditTerms.of(contract, tier, horizon)
    found = period_amounts(tier, horizon, availability, excluded, terms, incident_percent, support)
    num, den, owed, after_period, issued = found
    after_year, after_liability = after_period.copy(), after_period.copy()
    rows = terms.running_caps(horizon, lambda columns: after_period[:, columns].sum(axis=1))
    if rows.size:
        y, t, i = sequential_caps(num[rows], den, horizon, terms)
        after_year[rows], after_liability[rows], issued[rows] = y, t, i
    paid = terms.paid(issued)
    return TierPricing(
        owed=owed.sum(axis=1),
        issued=issued.sum(axis=1),
        paid=paid.sum(axis=1),
        capped_off=(owed - after_liability).sum(axis=1),
        breach_periods=availability.misses(tier.target_pct, boundary).sum(axis=1),
        hit_period_cap=_any_per_row(after_period < owed),
        hit_year_cap=_any_per_row(after_year < after_period),
        hit_liability_cap=_any_per_row(after_liability < after_year),
        issued_by_period=np.ascontiguousarray(issued) if keep_periods else None,
    )


def period_amounts(
    tier: Tier,
    horizon: Horizon,
    availability: Availability,
    excluded: I64,
    terms: CreditTerms,
    incident_percent: I64 | None = None,
    support: tuple[Amount, int] | None = None,
) -> tuple[Amount, int, I64, I64, I64]:
    """Each period on its own, before the caps that run across periods: the owed credit as
    numerator and denominator, and in minor units owed, after the per-period cap, and issued
    (at least the minimum credit). The exact method (engine/exact.py) prices with it too."""
    num, den = _owed_either(tier, availability, horizon.period_micro, excluded, terms)
    if incident_percent is not None and tier.incident_credits is not None:
        num, den = with_incident_credits(num, den, incident_percent, tier.incident_credits, terms)
    if support is not None:
        num, den = with_percent_credits(num, den, *support, terms)
    owed = round_half_up(num, den)
    if terms.period_cap is not None:
        num = np.minimum(num, terms.period_cap * den)
    after_period = round_half_up(num, den)
    issued = np.where(after_period >= terms.min_credit, after_period, 0)
    return num, den, owed, after_period, issued


def with_incident_credits(
    num: Amount, den: int, incident_percent: I64, clause: IncidentCredits, terms: CreditTerms
) -> tuple[Amount, int]:
    """The schedule's credit owed plus the per-incident credits (``with_percent_credits``)."""
    percent_den = incident_credits.percent(clause, np.zeros(0, np.int64))[1]
    return with_percent_credits(num, den, incident_percent, percent_den, terms)


def with_percent_credits(
    num: Amount, den: int, percent: Amount, percent_den: int, terms: CreditTerms
) -> tuple[Amount, int]:
    """The schedule's credit owed plus credits given as % of each period's credited fee
    (``percent / percent_den`` per row and period: per-incident or support credits): exact
    integers over a common denominator while they fit, else floats (as for continuous
    schedules)."""
    extra_den = terms.fee_den * 100 * percent_den
    exact = num.dtype.kind != "f" and percent.dtype.kind != "f"
    common = math.lcm(den, extra_den) if exact else 0
    most_fee = int(terms.fee_num.max(initial=0))
    biggest = int(percent.max(initial=0)) * most_fee * (common // extra_den or 1)
    if common and biggest < _SAFE and int(np.abs(num).max(initial=0)) * (common // den) < _SAFE:
        scaled = cast(I64, num) * (common // den)
        return scaled + cast(I64, percent) * terms.fee_num * (common // extra_den), common
    fee = terms.fee_num.astype(np.float64) / terms.fee_den
    extra = fee * percent.astype(np.float64) / (100.0 * percent_den)
    return num.astype(np.float64) / den + extra, 1


def sequential_caps(
    num: Amount, den: int, horizon: Horizon, terms: CreditTerms
) -> tuple[I64, I64, I64]:
    """The yearly and liability caps, which carry what was issued from period to period, then
    the minimum credit: period by period on contiguous rows (periods x trials). Returns the
    credit after the yearly cap, after the liability cap, and issued, per row and period."""
    year_cap, term_cap, min_credit = terms.year_cap, terms.term_cap, terms.min_credit
    num_t = np.ascontiguousarray(num.T)
    after_year, after_liability = np.empty_like(num_t, np.int64), np.empty_like(num_t, np.int64)
    issued = np.empty_like(num_t, np.int64)
    year_used: dict[int, I64] = {}
    term_used: dict[int, I64] = {}
    n = num_t.shape[1]
    for p, row in enumerate(num_t):
        used_y = year_used.setdefault(horizon.years[p], np.zeros(n, np.int64))
        used_t = term_used.setdefault(horizon.terms[p], np.zeros(n, np.int64))
        if year_cap is not None:
            row = np.minimum(row, (year_cap[horizon.years[p]] - used_y) * den)
        after_year[p] = round_half_up(row, den)
        if term_cap is not None:
            row = np.minimum(row, (term_cap[horizon.terms[p]] - used_t) * den)
        after_liability[p] = round_half_up(row, den)
        issued[p] = np.where(after_liability[p] >= min_credit, after_liability[p], 0)
        used_y += issued[p]
        used_t += issued[p]
    return after_year.T, after_liability.T, issued.T


def least_issued(min_credit: Decimal, contract: Contract) -> int:
    """The least whole number of minor units issued under a minimum credit of ``min_credit``
    minor units: at least it (rounded up), or more than it (the next whole unit above)."""
    if contract.claims.min_credit_rule == "more_than":
        return math.floor(min_credit) + 1
    return math.ceil(min_credit)


def _cap_minor(fee: Fraction, percent: Decimal, unit: Decimal) -> int:
    """A percentage cap of a fee, rounded down, in minor units."""
    return int(round_down(fee * Fraction(percent) / 100, unit) / unit)


def _caps_minor(
    cap_of: Callable[[Contract, Tier, int], Fraction | None],
    contract: Contract,
    tier: Tier,
    groups: list[int],
    unit: Decimal,
) -> dict[int, int] | None:
    """A running cap of each contract year (or term) in ``groups``, rounded down, in minor
    units (None: no cap)."""
    out = {}
    for group in set(groups):
        amount = cap_of(contract, tier, group)
        if amount is None:
            return None
        out[group] = int(round_down(amount, unit) / unit)
    return out


def round_half_up(num: Amount, den: int) -> I64:
    """Half up to whole minor units."""
    if num.dtype.kind == "f":
        return np.floor(num + 0.5).astype(np.int64)
    return (2 * cast(I64, num) + den) // (2 * den)  # integer numerators: floats returned above


def _any_per_row(mask: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Whether any period of each trial is set; numpy's stubs allow a scalar for any axis, a
    2-D mask gives an array."""
    return cast(NDArray[np.bool_], mask.any(axis=1))


def _owed_either(
    tier: Tier, availability: Availability, period_micro: I64, excluded: I64, terms: CreditTerms
) -> tuple[Amount, int]:
    """The credit owed under the tier's schedule, or its ``either_or`` credit where a period
    pays that one instead (docs/measurement.md, section 11)."""
    own = _owed_by_schedule(tier, availability, period_micro, excluded, terms)
    other = tier.other_credit()
    if other is None or tier.either_or is None:
        return own
    instead = _owed_by_schedule(other, availability, period_micro, excluded, terms)
    return combine_owed(tier.either_or.pick, own, instead)


def _owed_by_schedule(
    tier: Tier, availability: Availability, period_micro: I64, excluded: I64, terms: CreditTerms
) -> tuple[Amount, int]:
    schedule = tier.credits
    scheduled = isinstance(schedule, FeeMultipleSchedule) and schedule.share_of == "scheduled"
    share_base = period_micro[None, :] - excluded if scheduled else period_micro[None, :]
    return _owed(tier, availability, share_base, terms)


def _owed(
    tier: Tier, availability: Availability, share_base: I64, terms: CreditTerms
) -> tuple[Amount, int]:
    """The credit owed in minor units as numerator / denominator (exact integers where the
    schedule allows it, else floats over 1), per trial and period."""
    schedule = tier.credits
    boundary = boundary_of(schedule)
    down = availability.down
    if isinstance(schedule, BandSchedule):
        scale = scale_of(b.credit_pct for b in schedule.bands)
        percent = np.zeros(down.shape, dtype=np.int64)
        for band in schedule.bands:
            hit = availability.misses(*band.upper_test(boundary))
            lower = band.lower_test()
            if lower is not None:
                hit &= ~availability.misses(*lower)
            percent[hit] = int(band.credit_pct * scale)
        return exact_owed(terms.fee_num, terms.fee_den, percent, scale)
    if isinstance(schedule, PerHourSchedule) and schedule.hours != "exact":
        scale = scale_of([schedule.credit_pct_per_hour])
        hour = 60 * MICRO
        hours = -(-down // hour) if schedule.hours == "started" else down // hour
        missed = availability.misses(tier.target_pct, boundary)
        percent = np.where(missed, hours * int(schedule.credit_pct_per_hour * scale), 0)
        return exact_owed(terms.fee_num, terms.fee_den, percent, scale)
    return _float_owed(tier, availability, share_base, terms.fee_num / terms.fee_den), 1


def exact_owed(fee_num: I64, fee_den: int, percent_scaled: I64, scale: int) -> tuple[I64, int]:
    """Each period's fee (minor units: ``fee_num / fee_den``) x percent / 100 as integer
    numerator over a denominator; ``percent_scaled``'s last axis is the periods', or one fee
    (band pricing by code)."""
    den = fee_den * 100 * scale
    most = int(fee_num.max()) if fee_num.size else 0
    if percent_scaled.size and int(percent_scaled.max()) * most >= _SAFE:
        raise OverflowError("credit too large to price exactly")
    return percent_scaled * fee_num, den


def _float_owed(
    tier: Tier, availability: Availability, share_base: I64, fee: NDArray[np.float64]
) -> NDArray[np.float64]:
    """``share_base``: the minutes a fee multiple's downtime is a share of (0 where there are
    none: no credit), per period or per trial and period."""
    schedule = tier.credits
    base, down = availability.base, availability.down
    available = np.where(base > 0, 100.0 * (base - down) / np.maximum(base, 1), 100.0)
    if isinstance(schedule, LinearSchedule):
        points = schedule.points
        above = ~availability.misses(points[0].availability_pct, "at_or_below")
        xs = np.array([float(p.availability_pct) for p in reversed(points)])
        ys = np.array([float(p.credit_pct) for p in reversed(points)])
        percent = np.where(above, 0.0, np.interp(available, xs, ys))
    else:
        missed = availability.misses(tier.target_pct, schedule.boundary)
        if isinstance(schedule, PerHourSchedule):
            percent = float(schedule.credit_pct_per_hour) * down / (60.0 * MICRO)
        else:
            assert isinstance(schedule, FeeMultipleSchedule)  # bands are priced exactly (_owed)
            share = np.broadcast_to(share_base, down.shape)
            percent = float(schedule.multiple) * 100.0 * down / np.maximum(share, 1)
        percent = np.where(missed, percent, 0.0)
    return fee * percent / 100.0
