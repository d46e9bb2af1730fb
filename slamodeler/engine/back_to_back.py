"""A vendor's SLA held back to back with ours (docs/user-guide.md, "Hold a vendor to its SLA").

The vendor's incidents are those in the scope of a vendor tier that ``reaches`` our tiers. Our
side is our contract with each reached tier's scope set to its vendor tier's services and
regions (``as_reached``): the credits we owe our customers for the vendor's incidents alone, as
if nothing else had gone wrong. The vendor's side is its contract as written: what it owes us,
under its own exclusions, caps and minimum credit. Both sides are money expected to be paid
(issued credits times the claim rate), for all of a tier's customers. The gap is ours less the
vendor's: what the vendor's credits leave uncovered (below zero: the vendor pays more).

Replayed, one incident set is measured under both contracts, period by period. Simulated, one
drawing of a scenario is priced under both (``same_draws``), so the gap is taken trial by trial.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Contract, Scope
from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import Incident, IncidentSet
from slamodeler.domain.money import minor_unit
from slamodeler.domain.results import ReplayResult, TierReplay
from slamodeler.domain.scenario import Scenario
from slamodeler.engine.portfolio import why_not_together
from slamodeler.engine.redline import paid_per_year, paired_stderr, same_draws
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import CancelToken, Progress, SimulationRun, period_credits
from slamodeler.engine.tail_intervals import percentile_intervals

F64 = NDArray[np.float64]
GAP_QUANTILES = {"p50": 0.50, "p95": 0.95, "p99": 0.99}
STEADY_PP = Decimal("0.001")  # a change of availability under this (points) is no trend


def why_not_back_to_back(
    ours: Contract, vendor: Contract, labels: tuple[str, str] | None = None
) -> str:
    """Why the two contracts cannot be held back to back ("" when they can), naming the
    contract (``labels``: where each came from; default their names) and the field."""
    mine, theirs = labels or (ours.name, vendor.name)
    if vendor.direction != "received":
        return (
            f"{theirs}: direction is {vendor.direction}; mark the vendor's contract "
            "`direction: received` and say which of our tiers it reaches (reaches)"
        )
    if not vendor.reaches:
        return (
            f"{theirs}: reaches is empty; list which of our tiers each vendor tier reaches, "
            "e.g. reaches: [{vendor_tier: Region, our_tiers: [Gold]}]"
        )
    if ours.direction != "given":
        return f"{mine}: direction is received; give our own contract first, then the vendor's"
    if ours.currency != vendor.currency:
        return (
            f"{theirs}: currency is {vendor.currency}, ours is {ours.currency}; the gap is "
            "taken in one currency: give the vendor's fees in ours"
        )
    if ours.measurement.period != vendor.measurement.period:
        return (
            f"{theirs}: measurement.period is {vendor.measurement.period}, ours is "
            f"{ours.measurement.period}; periods side by side must be alike (a vendor measured "
            "by month against our quarters cannot be said yet)"
        )
    if ours.measurement.first_month != vendor.measurement.first_month:
        return (
            f"{theirs}: measurement.year_starts is {vendor.measurement.year_starts}, ours is "
            f"{ours.measurement.year_starts}; set them alike"
        )
    names = {t.name.lower() for t in ours.tiers}
    for i, reach in enumerate(vendor.reaches):
        for j, name in enumerate(reach.our_tiers):
            if name.lower() not in names:
                return (
                    f"{theirs}: reaches[{i}].our_tiers[{j}]: our contract has no tier "
                    f"{name!r}; it has: {', '.join(t.name for t in ours.tiers)}"
                )
    return ""


def as_reached(ours: Contract, vendor: Contract) -> Contract:
    """Our reached tiers only, each with its vendor tier's services and regions for its scope
    (and no zone rule: our customers feel any of the vendor's incidents)."""
    scope_of = {}
    for reach in vendor.reaches:
        source = vendor.tier(reach.vendor_tier).scope
        for name in reach.our_tiers:
            scope_of[name.lower()] = Scope(
                services=list(source.services), regions=list(source.regions)
            )
    tiers = [
        t.model_copy(update={"scope": scope_of[t.name.lower()]})
        for t in ours.tiers
        if t.name.lower() in scope_of
    ]
    # a customer cap keeps over the held tiers that are reached (held_together names them)
    return ours.model_copy(update={"tiers": tiers})


def _vendor_tiers(vendor: Contract) -> list[str]:
    """The vendor tiers that reach ours, each once (two reaches may start from one tier)."""
    return list(dict.fromkeys(vendor.tier(r.vendor_tier).name for r in vendor.reaches))


@dataclass(frozen=True)
class PeriodGap:
    """One period: what we owe because of the vendor, what the vendor owes us, per tier and in
    all (currency, for all customers), and the gap."""

    period: str
    ours: dict[str, Decimal]  # our reached tier -> credits we owe
    theirs: dict[str, Decimal]  # vendor tier -> credits the vendor owes us
    vendor_availability: dict[str, Decimal]  # vendor tier -> availability %
    vendor_met: dict[str, bool]

    @property
    def we_owe(self) -> Decimal:
        return sum(self.ours.values(), Decimal(0))

    @property
    def vendor_owes(self) -> Decimal:
        return sum(self.theirs.values(), Decimal(0))

    @property
    def gap(self) -> Decimal:
        return self.we_owe - self.vendor_owes


@dataclass(frozen=True)
class Scorecard:
    """One vendor tier over the replayed periods: how often it met its target, the credits it
    owes, and the trend of its availability (the later half of the periods against the
    earlier half, in percentage points)."""

    tier: str
    target_pct: Decimal
    periods: int
    met: int
    credits_due: Decimal
    earlier_percent: Decimal | None
    later_percent: Decimal | None

    @property
    def change_points(self) -> Decimal | None:
        if self.earlier_percent is None or self.later_percent is None:
            return None
        return self.later_percent - self.earlier_percent

    @property
    def trend(self) -> str:
        change = self.change_points
        if change is None:
            return "too few periods"
        if abs(change) < STEADY_PP:
            return "steady"
        return "improving" if change > 0 else "worsening"


@dataclass(frozen=True)
class ReplayedGap:
    ours_terms: Contract  # our contract as the vendor's incidents reach it (``as_reached``)
    ours: ReplayResult  # its replay
    vendor: ReplayResult
    periods: list[PeriodGap]
    scorecards: list[Scorecard]
    currency: str

    @property
    def we_owe(self) -> Decimal:
        return sum((p.we_owe for p in self.periods), Decimal(0))

    @property
    def vendor_owes(self) -> Decimal:
        return sum((p.vendor_owes for p in self.periods), Decimal(0))

    @property
    def gap(self) -> Decimal:
        return self.we_owe - self.vendor_owes


def replay_back_to_back(
    ours: Contract,
    vendor: Contract,
    incidents: Sequence[Incident],
    labels: tuple[str, str] | None = None,
    first: str | None = None,
    last: str | None = None,
) -> ReplayedGap:
    """One incident set (the vendor's incidents) replayed under both contracts over the same
    periods: ``first`` to ``last`` (labels of the vendor's periods), else those the incidents
    span."""
    problem = why_not_back_to_back(ours, vendor, labels)
    if problem:
        raise InputError(problem)
    names = _vendor_tiers(vendor)
    theirs = replay(vendor, incidents, first, last, tiers=names)
    reached = as_reached(ours, vendor)
    mine = replay(reached, incidents, first=theirs.first, last=theirs.last)
    shown = [p.period for p in theirs.tiers[0].periods]
    by_tier = {t.tier: {p.period: p for p in t.periods} for t in theirs.tiers}
    periods = [
        PeriodGap(
            period=label,
            ours={t.tier: _paid(t, label) for t in mine.tiers},
            theirs={t.tier: _paid(t, label) for t in theirs.tiers},
            vendor_availability={n: _percent(by_tier[n][label].availability_pct) for n in by_tier},
            vendor_met={n: by_tier[n][label].met_target for n in by_tier},
        )
        for label in shown
    ]
    return ReplayedGap(
        reached, mine, theirs, periods, [_scorecard(t) for t in theirs.tiers], ours.currency
    )


def _percent(share: Fraction) -> Decimal:
    return Decimal(share.numerator) / Decimal(share.denominator)


def _paid(tier: TierReplay, label: str) -> Decimal:
    found = next((p for p in tier.periods if p.period == label), None)
    return Decimal(0) if found is None else found.expected_paid * tier.customers


def _scorecard(tier: TierReplay) -> Scorecard:
    shown = [_percent(p.availability_pct) for p in tier.periods]
    half = len(shown) // 2
    earlier = sum(shown[:half], Decimal(0)) / half if half else None
    later = sum(shown[-half:], Decimal(0)) / half if half else None
    return Scorecard(
        tier=tier.tier,
        target_pct=tier.target_pct,
        periods=len(tier.periods),
        met=len(tier.periods) - tier.breach_periods,
        credits_due=tier.total("expected_paid") * tier.customers,
        earlier_percent=earlier,
        later_percent=later,
    )


@dataclass(frozen=True)
class SimulatedGap:
    """Per trial and year of the horizon: what we owe, what the vendor owes, and the gap."""

    ours: SimulationRun = field(repr=False)
    vendor: SimulationRun = field(repr=False)
    years: int
    we_owe: F64 = field(repr=False)
    vendor_owes: F64 = field(repr=False)

    vendor_tiers: tuple[str, ...] = ()

    @property
    def gap(self) -> F64:
        return self.we_owe - self.vendor_owes

    def by_period(self) -> list[tuple[str, float, float]]:
        """Per period of the horizon: the mean over the trials of what we owe and of what the
        vendor owes (currency units; issued credits times the contract's expected paid share,
        so they add up to the yearly means times the years)."""
        ours = _per_period(self.ours, [t.name for t in self.ours.contract.tiers])
        theirs = dict(
            zip(
                [p.label for p in self.vendor.horizon.periods],
                _per_period(self.vendor, self.vendor_tiers).mean(axis=0),
                strict=True,
            )
        )
        labels = [p.label for p in self.ours.horizon.periods]
        return [
            (label, float(mean), float(theirs.get(label, 0.0)))
            for label, mean in zip(labels, ours.mean(axis=0), strict=True)
        ]

    @property
    def trials(self) -> int:
        return len(self.gap)

    def quantiles(self) -> dict[str, float]:
        """The annual gap's quantiles: the smallest value with at least that share of trials at
        or below it (as exposure.py takes them)."""
        if not self.trials:
            return dict.fromkeys(GAP_QUANTILES, math.nan)
        found = np.quantile(self.gap, list(GAP_QUANTILES.values()), method="inverted_cdf")
        return {k: float(v) for k, v in zip(GAP_QUANTILES, found, strict=True)}

    @property
    def mean(self) -> float:
        return float(self.gap.mean()) if self.trials else math.nan

    @property
    def stderr(self) -> float:
        return paired_stderr(self.gap)

    def intervals(self) -> dict[str, tuple[float, float]]:
        """95% confidence intervals of the annual gap's P95 and P99 (order statistics:
        ``tail_intervals``)."""
        if not self.trials:
            return dict.fromkeys(("p95", "p99"), (math.nan, math.nan))
        return percentile_intervals(self.gap)

    @property
    def p_uncovered(self) -> float:
        """The share of trials where the vendor's credits fall short of ours."""
        return float(np.mean(self.gap > 0)) if self.trials else math.nan


def simulate_back_to_back(
    ours: Contract,
    vendor: Contract,
    scenario: Scenario,
    trials: int,
    seed: int,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    labels: tuple[str, str] | None = None,
) -> SimulatedGap:
    """One drawing of ``scenario`` (the vendor's incidents) priced under both contracts."""
    problem = why_not_back_to_back(ours, vendor, labels)
    if problem:
        raise InputError(problem)
    reached = as_reached(ours, vendor)
    both = [reached, vendor]
    named = labels or (ours.name, vendor.name)
    problem = why_not_together(both, list(named), scenario)
    if problem:
        raise InputError(problem)
    runs = same_draws(
        scenario, trials, seed, executor, progress, cancel, "the vendor run was cancelled"
    )
    runs.measure(both)
    mine, theirs = runs.of(reached), runs.of(vendor)
    years = scenario.years
    return SimulatedGap(
        ours=mine,
        vendor=theirs,
        years=years,
        we_owe=paid_per_year(mine, None, years),
        vendor_owes=paid_per_year(theirs, _vendor_tiers(vendor), years),
        vendor_tiers=tuple(_vendor_tiers(vendor)),
    )


def _per_period(run: SimulationRun, tiers: Sequence[str]) -> F64:
    """Credits expected paid per trial and period for all customers of ``tiers``."""
    terms = run.contract
    total = np.zeros((run.trials, len(run.horizon.periods)))
    for name in tiers:
        total += period_credits(run, name, slice(None)) * terms.tier(name).customers
    return total * float(terms.claims.paid_share) * float(minor_unit(terms.currency))


@dataclass(frozen=True)
class BackToBack:
    """Both sides of a vendor's SLA, replayed and (with a scenario) simulated."""

    ours: Contract
    vendor: Contract
    labels: tuple[str, str]  # where each came from: a file, or KEY@N
    incidents: IncidentSet
    replayed: ReplayedGap
    simulated: SimulatedGap | None = None
