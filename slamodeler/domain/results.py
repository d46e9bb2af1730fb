"""Replay results: per tier and period, every number with the reasons behind it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction


@dataclass(frozen=True)
class IncidentShare:
    """What one incident contributed to one period, in weighted minutes."""

    id: str
    title: str
    row: int
    counted_minutes: Decimal
    below_minimum_minutes: Decimal
    excluded_minutes: Decimal
    excluded_reason: str | None


@dataclass(frozen=True)
class PeriodResult:
    tier: str
    period: str
    start: str
    end: str
    contract_year: int
    period_minutes: Decimal
    excluded_minutes: Decimal
    excluded_by_reason: dict[str, Decimal]
    below_minimum_minutes: Decimal
    downtime_minutes: Decimal
    availability_pct: Fraction
    credit_pct: Fraction
    rule: str
    band: int | None
    escalation: str | None
    credit_owed: Decimal
    credit_after_caps: Decimal
    capped_by_period: Decimal
    capped_by_year: Decimal
    capped_by_liability: Decimal
    below_min_credit: Decimal
    expected_paid: Decimal
    met_target: bool
    shares: Callable[[], tuple[IncidentShare, ...]] = field(
        default=tuple, repr=False, compare=False
    )
    slot_rules: str = ""  # the contract's slot rules in words, when not the usual ones
    service_hours: str = ""  # the service hours and the period's minutes in them, when set

    @property
    def incidents(self) -> tuple[IncidentShare, ...]:
        """Which incidents counted or were excluded in this period, in start order. Built when
        asked for: most uses (totals, simulation) never need it."""
        return self.shares()

    @property
    def capped_off(self) -> Decimal:
        return self.capped_by_period + self.capped_by_year + self.capped_by_liability


@dataclass(frozen=True)
class TierReplay:
    tier: str
    customers: int
    target_pct: Decimal
    periods: tuple[PeriodResult, ...]

    def total(self, name: str) -> Decimal:
        """Sum of a money field over the periods, per customer."""
        return sum((getattr(p, name) for p in self.periods), Decimal(0))

    @property
    def breach_periods(self) -> int:
        return sum(1 for p in self.periods if not p.met_target)


@dataclass(frozen=True)
class ReplayResult:
    contract_name: str
    contract_hash: str
    currency: str
    timezone: str
    period_kind: str
    first: str
    last: str
    tiers: tuple[TierReplay, ...]
    notes: tuple[str, ...] = ()
