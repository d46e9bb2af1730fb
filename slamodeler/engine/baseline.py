"""Baseline from history: what target a first contract can offer, read off an incident history.

Each period's availability is measured by replay itself (same slots, exclusions, scope and
windows), so a target suggested here and replayed gives the same verdicts. Definitions
(docs/baseline.md):

- With n periods and a share s, a target must be met in at least ``k = ceil(s * n)`` periods.
  The suggested target is the highest target written with ``PCT_DECIMALS`` decimals that is met,
  by the schedule's boundary rule, in at least k periods: the k-th best availability rounded down
  to that grid (``below``: met at or above the target), or the grid point just under it
  (``at_or_below``: met only above the target). Ties at the k-th best availability make the share
  met larger than s; both the count and the share met are reported.
- A candidate target moves the tier's schedule with it: every threshold of the schedule (band ends,
  curve points) shifts by the same number of percentage points as the target, so the first band
  still starts at the target and each band stays as far below it as in the contract. Keeping the
  contract's bands and changing only the target would, for a lower target, pay credits in periods
  that meet it, and for a higher one, pay nothing in the periods between the new target and the
  old first band (a gap). Thresholds shifted out of 0-100% are clipped to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Protocol, TypeVar

from pydantic import ValidationError

from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.credit_schedules import (
    BandSchedule,
    Boundary,
    LinearSchedule,
    boundary_of,
)
from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import Incident
from slamodeler.domain.limits import DEFAULT_TARGETS, PCT_DECIMALS
from slamodeler.domain.results import ReplayResult
from slamodeler.engine.replay import replay

SHARES_SHOWN = tuple(Fraction(p, 100) for p in (50, 75, 90, 95, 99, 100))
GRID = Decimal(1).scaleb(-PCT_DECIMALS)  # the smallest step of a suggested target


@dataclass(frozen=True)
class PeriodAvailability:
    period: str
    availability_pct: Fraction
    downtime_minutes: Decimal


@dataclass(frozen=True)
class Candidate:
    """One target applied to the history with the schedule moved with it."""

    target_pct: Decimal
    suggested: bool
    missed: tuple[str, ...]  # the periods that miss it, in order
    credit_per_customer: Decimal  # after caps, summed over the periods
    credit_all_customers: Decimal
    periods: int

    @property
    def met_share(self) -> Fraction:
        return Fraction(self.periods - len(self.missed), self.periods)


@dataclass(frozen=True)
class TierBaseline:
    tier: str
    customers: int
    contract_target_percent: Decimal
    boundary: Boundary
    periods: tuple[PeriodAvailability, ...]
    share: Fraction
    needed: int  # ceil(share * n): periods the suggested target must be met in
    deciding: PeriodAvailability  # the k-th best period, whose availability sets the target
    tied: int  # periods with exactly the deciding availability
    suggested_percent: Decimal
    met: int  # periods that meet the suggested target
    candidates: tuple[Candidate, ...]

    @property
    def met_share(self) -> Fraction:
        return Fraction(self.met, len(self.periods))

    @property
    def met_share_interval(self) -> tuple[float, float]:
        """95% Clopper-Pearson interval of the share of periods that meet the suggested target,
        were the periods independent draws of one process (docs/baseline.md)."""
        return share_interval(self.met, len(self.periods))

    def reached_in(self, share: Fraction) -> Fraction:
        """The availability reached (at or above) in at least ``share`` of the periods."""
        return kth_best(self.periods, share).availability_pct

    @property
    def mean_percent(self) -> Fraction:
        return sum((p.availability_pct for p in self.periods), Fraction(0)) / len(self.periods)


@dataclass(frozen=True)
class Baseline:
    contract_name: str
    currency: str
    period_kind: str
    first: str
    last: str
    tiers: tuple[TierBaseline, ...]
    notes: tuple[str, ...]
    measured: ReplayResult  # the template's own replay: what the availabilities come from


def share_interval(met: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The exact (Clopper-Pearson) binomial interval for ``met`` successes out of ``n``: never
    narrower than the data allow, so 12 of 12 months says at least 73.5%, not 100%."""
    from scipy.stats import beta  # scipy only when a baseline is worked out

    tail = (1 - confidence) / 2
    low = 0.0 if met == 0 else float(beta.ppf(tail, met, n - met + 1))
    high = 1.0 if met == n else float(beta.ppf(1 - tail, met + 1, n - met))
    return low, high


class _Measured(Protocol):
    @property
    def availability_pct(self) -> Fraction: ...


Period = TypeVar("Period", bound=_Measured)


def kth_best(periods: Sequence[Period], share: Fraction) -> Period:
    """The period whose availability is reached (at or above) in at least ``share`` of
    ``periods``: the k-th best, k = ``needed_periods``; it decides the suggested target."""
    ranked = sorted(periods, key=lambda p: p.availability_pct, reverse=True)
    return ranked[needed_periods(share, len(ranked)) - 1]


def needed_periods(share: Fraction, n: int) -> int:
    """Periods out of ``n`` that a share ``s`` asks for: ceil(s * n), at least one."""
    return max(1, math.ceil(share * n))


def suggested_target(availability: Fraction, boundary: Boundary) -> Decimal:
    """The highest target on the grid that a period at ``availability`` meets."""
    if boundary == "below":  # met at or above the target: round down (exactly, via fractions)
        steps = math.floor(availability / Fraction(GRID))
    else:  # met only above it: the grid point strictly under the availability
        steps = math.ceil(availability / Fraction(GRID)) - 1
    return (Decimal(steps) * GRID).quantize(GRID)


def moved_tier(tier: Tier, target: Decimal) -> Tier:
    """``tier`` with ``target`` and its schedule's thresholds shifted as far as the target."""
    shift = target - tier.target_pct
    schedule = tier.credits
    if isinstance(schedule, BandSchedule):
        bands = [
            band.model_copy(
                update={
                    "below": _clip(band.below + shift),
                    "above": None if band.above is None else _clip(band.above + shift),
                }
            )
            for band in schedule.bands
        ]
        schedule = schedule.model_copy(update={"bands": bands})
    elif isinstance(schedule, LinearSchedule):
        points = [
            p.model_copy(update={"availability_pct": _clip(p.availability_pct + shift)})
            for p in schedule.points
        ]
        schedule = schedule.model_copy(update={"points": points})
    data = tier.model_copy(update={"target_pct": target, "credits": schedule}).model_dump()
    try:
        return Tier.model_validate(data)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise InputError(
            f"target {target}%: tier {tier.name}'s schedule moved with the target is not valid "
            f"({where}: {problem['msg']}); choose a target nearer {tier.target_pct}%"
        ) from None


def _clip(value: Decimal) -> Decimal:
    return min(max(value, Decimal(0)), Decimal(100))


def with_target(contract: Contract, target: Decimal) -> Contract:
    """Every tier at ``target``, its schedule moved with it."""
    return contract.model_copy(update={"tiers": [moved_tier(t, target) for t in contract.tiers]})


def check_share(share: Fraction, given: str = "") -> None:
    """``given``: the share as the user wrote it, for the message."""
    if not 0 < share <= 1:
        raise InputError(
            f"--share {given or f'{float(share):g}'}: must be more than 0 and at most 1 "
            "(0.95, or 95%, for 95% of periods)"
        )


def check_targets(targets: Sequence[Decimal], field: str = "--targets") -> None:
    """``field``: where the targets were given (the option, or the GUI's box)."""
    if not targets:
        raise InputError(f"{field}: give at least one target, such as 99.9")
    for target in targets:
        if not (target.is_finite() and 0 < target <= 100):
            raise InputError(f"{field}: {target} is not a percentage above 0 and at most 100")


def baseline(
    contract: Contract,
    incidents: Sequence[Incident],
    share: Fraction = Fraction(95, 100),
    targets: Sequence[Decimal] = DEFAULT_TARGETS,
    first: str | None = None,
    last: str | None = None,
) -> Baseline:
    """The contract is a template: its measurement, period, scope and exclusions measure the
    history; its tiers' targets and schedules are moved to each candidate."""
    check_share(share)
    if targets:  # none: only the suggested target is priced
        check_targets(targets)
    measured = replay(contract, incidents, first=first, last=last)
    suggested: dict[str, Decimal] = {}
    for tier in measured.tiers:
        deciding = kth_best(tier.periods, share)
        rule = boundary_of(contract.tier(tier.tier).credits)
        value = suggested_target(deciding.availability_pct, rule)
        if value <= 0:
            raise InputError(
                f"tier {tier.tier}: in {float(share):.4g} of the periods availability reaches only "
                f"{float(deciding.availability_pct):g}%: no target above 0% is met that often; "
                "lower the share (--share) or check the incidents' impacts"
            )
        suggested[tier.tier] = value
    wanted = sorted({*targets, *suggested.values()})
    priced = {
        t: replay(with_target(contract, t), incidents, first=first, last=last) for t in wanted
    }
    tiers = tuple(
        _tier_baseline(contract, measured, priced, name, share, suggested[name], targets)
        for name in suggested
    )
    return Baseline(
        contract.name,
        contract.currency,
        measured.period_kind,
        measured.first,
        measured.last,
        tiers,
        measured.notes,
        measured,
    )


def _tier_baseline(
    contract: Contract,
    measured: ReplayResult,
    priced: dict[Decimal, ReplayResult],
    name: str,
    share: Fraction,
    suggested: Decimal,
    targets: Sequence[Decimal],
) -> TierBaseline:
    tier = contract.tier(name)
    rows = next(t for t in measured.tiers if t.tier == name).periods
    periods = tuple(
        PeriodAvailability(p.period, p.availability_pct, p.downtime_minutes) for p in rows
    )
    needed = needed_periods(share, len(periods))
    deciding = kth_best(periods, share)
    candidates = []
    for target in sorted({*targets, suggested}):
        result = next(t for t in priced[target].tiers if t.tier == name)
        per_customer = result.total("credit_after_caps")
        candidates.append(
            Candidate(
                target,
                target == suggested,
                tuple(p.period for p in result.periods if not p.met_target),
                per_customer,
                per_customer * tier.customers,
                len(result.periods),
            )
        )
    met = next(c for c in candidates if c.suggested)
    return TierBaseline(
        tier=name,
        customers=tier.customers,
        contract_target_percent=tier.target_pct,
        boundary=boundary_of(tier.credits),
        periods=periods,
        share=share,
        needed=needed,
        deciding=deciding,
        tied=sum(1 for p in periods if p.availability_pct == deciding.availability_pct),
        suggested_percent=suggested,
        met=met.periods - len(met.missed),
        candidates=tuple(candidates),
    )


__all__ = [
    "DEFAULT_TARGETS",
    "SHARES_SHOWN",
    "Baseline",
    "Candidate",
    "PeriodAvailability",
    "TierBaseline",
    "baseline",
    "kth_best",
    "moved_tier",
    "needed_periods",
    "share_interval",
    "suggested_target",
    "with_target",
]
