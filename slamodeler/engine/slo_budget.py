"""Error budgets from a contract tier: what operations may spend per period, how fast each
incident spent it, and the multi-window, multi-burn-rate alert policy (docs/user-guide.md, "What
internal objective keeps us safe?").

Definitions:

- A period's error budget is ``(1 - objective) * measured minutes``, the measured minutes being
  the period's minutes less excluded time when the contract removes it from the denominator (as
  replay measures availability). It is in the contract's weighted minutes: a partial outage that
  the contract weighs 0.3 spends 0.3 of a budget minute per minute, so the budget lasts
  ``budget / weight`` wall-clock minutes at that impact.
- The burn rate of an incident is the share of the period's error rate it caused over the allowed
  one: ``(counted weighted minutes / its minutes in the period) / (1 - objective)``.
- The alert policy is the SRE workbook's ("Alerting on SLOs", table 5-8): for a 30-day window,
  page when 2% of the budget burns in 1 h (14.4x), checked again over 5 min; page when 5% burns
  in 6 h (6x), checked over 30 min; ticket when 10% burns in 3 days (1x), checked over 6 h. The
  budget shares and windows are kept; over a period of ``P`` minutes the threshold is
  ``share * P / long window``, so a 31-day month pages at 14.88x, not 14.4x.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import Incident
from slamodeler.domain.results import PeriodResult, ReplayResult, TierReplay

WORKBOOK_DAYS = 30  # the window the workbook's thresholds are written for
MINUTES_A_DAY = 24 * 60


@dataclass(frozen=True)
class AlertRule:
    """One row of the policy: alert when the burn rate over both windows is at or above
    ``burn_rate``; firing means ``budget_share`` of the period's budget went in ``long_minutes``."""

    severity: str  # page or ticket
    budget_share: Fraction
    long_minutes: int
    short_minutes: int
    burn_rate: Fraction
    # minutes a full outage (weight 1) takes to fire it: burn_rate * (1 - objective) * long;
    # None when unreachable (it would need more minutes than the long window holds: never fires)
    full_outage_minutes: Fraction | None
    reachable: bool  # False when even a full outage burns slower (1 / (1 - objective) < rate)


# (severity, budget share, long window, short window) of the workbook, in minutes
WORKBOOK_RULES: tuple[tuple[str, Fraction, int, int], ...] = (
    ("page", Fraction(2, 100), 60, 5),
    ("page", Fraction(5, 100), 6 * 60, 30),
    ("ticket", Fraction(10, 100), 3 * MINUTES_A_DAY, 6 * 60),
)


def check_objective(objective_percent: Decimal, field: str = "--objective") -> Fraction:
    """The objective as a share, or an InputError naming ``field``."""
    if not (objective_percent.is_finite() and 0 < objective_percent < 100):
        raise InputError(
            f"{field}: {objective_percent} is not a percentage above 0 and below 100; give an "
            "objective such as 99.95"
        )
    return Fraction(objective_percent) / 100


def alert_policy(objective_percent: Decimal, period_minutes: int) -> tuple[AlertRule, ...]:
    """The workbook's three rules for ``objective_percent`` over a period of ``period_minutes``."""
    objective = check_objective(objective_percent)
    if period_minutes <= 0:
        raise InputError(f"the period has {period_minutes} minutes; it needs at least one")
    allowed = 1 - objective
    rules = []
    for severity, share, long, short in WORKBOOK_RULES:
        rate = share * period_minutes / long
        reachable = rate <= 1 / allowed
        rules.append(
            AlertRule(
                severity,
                share,
                long,
                short,
                rate,
                rate * allowed * long if reachable else None,
                reachable,
            )
        )
    return tuple(rules)


def nominal_period_minutes(contract: Contract) -> int:
    """The period a policy is written for when no period is named: 30 days for a month (the
    workbook's window), 90 for a quarter."""
    days = {"month": WORKBOOK_DAYS, "quarter": 3 * WORKBOOK_DAYS}[contract.measurement.period]
    return days * MINUTES_A_DAY


@dataclass(frozen=True)
class IncidentBurn:
    id: str
    row: int
    title: str
    minutes: Fraction  # wall-clock minutes of the incident inside the period
    counted_minutes: Decimal  # weighted minutes it spent of the budget
    budget_share: Fraction  # of the period's budget
    burn_rate: Fraction  # its error rate over the allowed one, while it lasted


@dataclass(frozen=True)
class PeriodBudget:
    period: str
    measured_minutes: Decimal  # the period's minutes in the availability's denominator
    budget_minutes: Fraction  # weighted minutes
    spent_minutes: Decimal  # weighted downtime counted
    availability_pct: Fraction
    incidents: tuple[IncidentBurn, ...]

    @property
    def spent_share(self) -> Fraction:
        return Fraction(self.spent_minutes) / self.budget_minutes

    @property
    def remaining_minutes(self) -> Fraction:
        return self.budget_minutes - Fraction(self.spent_minutes)

    @property
    def burn_rate(self) -> Fraction:
        """The period's average burn rate: 1 spends exactly the budget by its end."""
        return self.spent_share


def measured_minutes(contract: Contract, period: PeriodResult) -> Decimal:
    """The minutes availability is a share of, by the contract's rule for excluded time."""
    if contract.exclusions.excluded_time == "remove":
        return period.period_minutes - period.excluded_minutes
    return period.period_minutes


def period_budgets(
    contract: Contract,
    tier: TierReplay,
    incidents: dict[int, Incident],
    objective_percent: Decimal | None = None,
) -> tuple[PeriodBudget, ...]:
    """Each replayed period's budget at ``objective_percent`` (default: the tier's target), what
    was spent and how fast each incident spent it. ``incidents``: by source row."""
    allowed = 1 - check_objective(
        tier.target_pct if objective_percent is None else objective_percent, "objective"
    )
    out = []
    for period in tier.periods:
        base = measured_minutes(contract, period)
        budget = allowed * Fraction(base)
        burns = []
        for share in period.incidents:
            if share.counted_minutes <= 0:
                continue
            minutes = _minutes_inside(incidents.get(share.row), period)
            burns.append(
                IncidentBurn(
                    share.id,
                    share.row,
                    share.title,
                    minutes,
                    share.counted_minutes,
                    Fraction(share.counted_minutes) / budget if budget else Fraction(0),
                    Fraction(share.counted_minutes) / minutes / allowed if minutes else Fraction(0),
                )
            )
        out.append(
            PeriodBudget(
                period.period,
                base,
                budget,
                period.downtime_minutes,
                period.availability_pct,
                tuple(burns),
            )
        )
    return tuple(out)


def _minutes_inside(incident: Incident | None, period: PeriodResult) -> Fraction:
    if incident is None:
        return Fraction(0)
    lo = int(datetime.fromisoformat(period.start).timestamp())
    hi = int(datetime.fromisoformat(period.end).timestamp())
    return Fraction(max(0, min(incident.end, hi) - max(incident.start, lo)), 60)


def until(incidents: Sequence[Incident], at: int) -> list[Incident]:
    """The history as known at ``at`` (epoch seconds): incidents started before it, the ones
    still open cut there."""
    return [replace(i, end=min(i.end, at)) for i in incidents if i.start < at]


@dataclass(frozen=True)
class SoFar:
    """A period part-way: how much of it has gone and of its budget been spent by ``at``."""

    period: str
    at: int
    gone_seconds: int  # of the period, by ``at``
    length_seconds: int  # the period's
    spent: Fraction  # share of its budget spent

    @property
    def elapsed(self) -> Fraction:
        return Fraction(self.gone_seconds, self.length_seconds)

    @property
    def burn_rate(self) -> Fraction:
        """The pace so far: 1 spends exactly the budget by the period's end."""
        return self.spent / self.elapsed if self.elapsed else Fraction(0)

    @property
    def runs_out_at(self) -> int | None:
        """When the budget is gone at this pace (epoch seconds); None: it lasts the period."""
        if self.burn_rate <= 1:
            return None
        return self.at - self.gone_seconds + int(self.length_seconds / self.burn_rate)


def so_far(
    budgets: Sequence[PeriodBudget], periods: Sequence[PeriodResult], at: int
) -> SoFar | None:
    """The period ``at`` falls in, part-way; None when no replayed period holds it."""
    for budget, period in zip(budgets, periods, strict=True):
        lo = int(datetime.fromisoformat(period.start).timestamp())
        hi = int(datetime.fromisoformat(period.end).timestamp())
        if lo <= at < hi:
            return SoFar(period.period, at, at - lo, hi - lo, budget.spent_share)
    return None


@dataclass(frozen=True)
class Reliability:
    """MTTR and MTBF beside availability. Outages are the counted incidents merged where they
    overlap or touch; MTBF is the time up between them (observed minutes less outage minutes,
    over the outages); availability ``MTBF / (MTBF + MTTR)`` is wall-clock, unweighted."""

    outages: int
    observed_minutes: Fraction
    outage_minutes: Fraction

    @property
    def mttr_minutes(self) -> Fraction | None:
        return self.outage_minutes / self.outages if self.outages else None

    @property
    def mtbf_minutes(self) -> Fraction | None:
        return (
            (self.observed_minutes - self.outage_minutes) / self.outages if self.outages else None
        )

    @property
    def availability(self) -> Fraction:
        return 1 - self.outage_minutes / self.observed_minutes


def replay_reliability(
    tier: TierReplay, incidents: dict[int, Incident], at: int | None = None
) -> Reliability:
    """From a replay: the incidents that counted in the tier (in scope, not excluded, weight
    above 0), each clipped to the periods it counted in; ``at``: observed up to then only."""
    spans: list[tuple[int, int]] = []
    observed = Fraction(0)
    for period in tier.periods:
        lo = int(datetime.fromisoformat(period.start).timestamp())
        hi = int(datetime.fromisoformat(period.end).timestamp())
        seen = hi if at is None else max(lo, min(hi, at))
        observed += Fraction(period.period_minutes) * Fraction(seen - lo, hi - lo)
        for share in period.incidents:
            found = incidents.get(share.row)
            if share.counted_minutes > 0 and found is not None:
                spans.append((max(found.start, lo), min(found.end, hi)))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    outage = sum((Fraction(end - start, 60) for start, end in merged), Fraction(0))
    return Reliability(len(merged), observed, outage)


@dataclass(frozen=True)
class TierBudget:
    tier: str
    target_pct: Decimal
    objective_percent: Decimal
    periods: tuple[PeriodBudget, ...]
    reliability: Reliability
    impact_weights: dict[str, Decimal]


@dataclass(frozen=True)
class SloBudget:
    contract: Contract
    first: str
    last: str
    tiers: tuple[TierBudget, ...]
    replay: ReplayResult  # what the budgets were measured from
    incidents: tuple[Incident, ...] = ()
    so_far: tuple[tuple[str, SoFar], ...] = ()  # with an instant: per tier, its period part-way


__all__ = [
    "WORKBOOK_RULES",
    "AlertRule",
    "IncidentBurn",
    "PeriodBudget",
    "Reliability",
    "SloBudget",
    "SoFar",
    "TierBudget",
    "alert_policy",
    "check_objective",
    "measured_minutes",
    "nominal_period_minutes",
    "period_budgets",
    "replay_reliability",
    "so_far",
    "until",
]
