"""A period's credit percentage from its availability and downtime, by the tier's schedule.

Exact arithmetic (fractions) so that "availability exactly at the threshold" is decided by the
contract's boundary rule and never by a float's last bit.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from slamodeler.domain.band_coverage import in_band, misses
from slamodeler.domain.credit_schedules import (
    Band,
    BandSchedule,
    Boundary,
    CreditSchedule,
    FeeMultipleSchedule,
    LinearSchedule,
    PerHourSchedule,
)


@dataclass(frozen=True)
class CreditDecision:
    """A period's credit percentage and the rule (band, escalation) that gave it, for the
    explanation."""

    percent: Fraction
    rule: str
    band: int | None = None
    escalation: str | None = None


def _sign(boundary: Boundary) -> str:
    return "<" if boundary == "below" else "<="


def decide_credit(
    schedule: CreditSchedule,
    target_pct: Decimal,
    availability: Fraction,
    downtime_minutes: Fraction,
    period_minutes: Fraction,
    excluded_minutes: Fraction = Fraction(0),
) -> CreditDecision:
    if isinstance(schedule, BandSchedule):
        return _bands(schedule, availability, target_pct)
    if isinstance(schedule, LinearSchedule):
        return _linear(schedule, availability)
    if not misses(availability, target_pct, schedule.boundary):
        return CreditDecision(
            Fraction(0), f"target met (not {_sign(schedule.boundary)} {target_pct}%)"
        )
    if isinstance(schedule, PerHourSchedule):
        return _per_hour(schedule, downtime_minutes)
    scheduled = schedule.share_of == "scheduled"
    base = period_minutes - excluded_minutes if scheduled else period_minutes
    return _fee_multiple(schedule, downtime_minutes, base)


def _bands(schedule: BandSchedule, availability: Fraction, target_pct: Decimal) -> CreditDecision:
    hit = None
    for index, band in enumerate(schedule.bands):
        if in_band(band, schedule.boundary, availability):
            hit = index
    if hit is None and misses(availability, target_pct, schedule.boundary):
        return CreditDecision(Fraction(0), "no band hit, though the target is missed (a gap)")
    if hit is None:
        return CreditDecision(Fraction(0), "no band hit")
    band = schedule.bands[hit]
    rule = f"band {hit + 1}: {band_range(band, schedule.boundary)} -> {band.credit_pct}%"
    return CreditDecision(Fraction(band.credit_pct), rule, hit, band.escalation)


def band_range(band: Band, boundary: Boundary) -> str:
    """The band's ends as the period's explanation gives them: "availability <= 99.9%", or
    with a stated lower end "99.0% < availability <= 99.9%"."""
    threshold, rule = band.upper_test(boundary)
    upper = f"availability {_sign(rule)} {threshold}%"
    if band.above is None:
        return upper
    return f"{band.above}% {'<' if band.lower_end == 'excluded' else '<='} {upper}"


def _linear(schedule: LinearSchedule, availability: Fraction) -> CreditDecision:
    points = schedule.points
    if availability > Fraction(points[0].availability_pct):
        return CreditDecision(
            Fraction(0), f"above the curve's first point ({points[0].availability_pct}%)"
        )
    for hi, lo in itertools.pairwise(points):
        a_hi, a_lo = Fraction(hi.availability_pct), Fraction(lo.availability_pct)
        if a_lo <= availability <= a_hi:
            c_hi, c_lo = Fraction(hi.credit_pct), Fraction(lo.credit_pct)
            percent = c_lo + (c_hi - c_lo) * (availability - a_lo) / (a_hi - a_lo)
            return CreditDecision(
                percent, f"linear between {hi.availability_pct}% and {lo.availability_pct}%"
            )
    last = points[-1]
    return CreditDecision(
        Fraction(last.credit_pct), f"below the curve's last point ({last.availability_pct}%)"
    )


def _per_hour(schedule: PerHourSchedule, downtime_minutes: Fraction) -> CreditDecision:
    hours = downtime_minutes / 60
    if schedule.hours == "started":
        counted: Fraction = Fraction(math.ceil(hours))
    elif schedule.hours == "whole":
        counted = Fraction(math.floor(hours))
    else:
        counted = hours
    percent = Fraction(schedule.credit_pct_per_hour) * counted
    return CreditDecision(
        percent,
        f"{schedule.credit_pct_per_hour}% per hour x {float(counted):g} h ({schedule.hours})",
    )


def _fee_multiple(
    schedule: FeeMultipleSchedule, downtime_minutes: Fraction, base: Fraction
) -> CreditDecision:
    """``base``: the minutes the downtime is a share of (none: a period without service hours,
    or all excluded, owes nothing)."""
    percent = Fraction(schedule.multiple) * 100 * downtime_minutes / base if base else Fraction(0)
    of = " of scheduled availability" if schedule.share_of == "scheduled" else ""
    return CreditDecision(
        percent,
        f"{schedule.multiple}x the fee for {float(downtime_minutes):g} minutes of downtime{of}",
    )
