"""Replay results: per tier and period, every number with the reasons behind it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from slamodeler.domain.support import SupportPeriod


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
    """One tier's measured period: its minutes, availability and credit, each cap's cut, and
    the incidents behind them, so that every credit can be traced."""

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
    # k of n zones: each zone down in the slots that counted, with their minutes; None without
    zones_down: dict[str, Decimal] | None = None
    shares: Callable[[], tuple[IncidentShare, ...]] = field(
        default=tuple, repr=False, compare=False
    )
    slot_rules: str = ""  # the contract's slot rules in words, when not the usual ones
    late_forfeited: Decimal = Decimal(0)  # expected claims made after the claim deadline
    claim_by: str = ""  # the last day a claim is in time (ISO date); "" without a deadline
    # chronic failure: the missed periods of the window when a termination right holds at the
    # end of this period (empty when none does)
    chronic_missed: tuple[str, ...] = ()

    @property
    def termination_right(self) -> bool:
        return bool(self.chronic_missed)

    capped_by_customer: Decimal = Decimal(0)  # the cap per customer across tiers, applied last
    customer_cap_note: str = ""  # how that cap stood in this period, when the contract has one
    service_hours: str = ""  # the service hours and the period's minutes in them, when set
    support: SupportPeriod | None = (
        None  # support misses and their credit, when the tier has targets
    )
    fee_note: str = ""  # the fee the credit is a % of, when fees vary or a share is affected
    incident_credits: str = ""  # the per-incident credits earned, naming each incident
    incident_credit_percent: Fraction = Fraction(0)  # their part of credit_pct
    # under a window, the start (ISO) of the stretch whose per-incident credits and support
    # misses the row takes: its billing period, or since the previous claim ("" when the row is
    # its period, or the tier has neither)
    billed_from: str = ""

    @property
    def incidents(self) -> tuple[IncidentShare, ...]:
        """Which incidents counted or were excluded in this period, in start order. Built when
        asked for: most uses (totals, simulation) never need it."""
        return self.shares()

    @property
    def zones_text(self) -> str | None:
        """Under a k-of-n scope, the zones that made the region count as down, for the period's
        explanation; None for other scopes."""
        if self.zones_down is None:
            return None
        down = ", ".join(f"{z} {m.normalize():f} min" for z, m in self.zones_down.items())
        return f"zones down while the region counted as down: {down or 'none'}"

    @property
    def capped_off(self) -> Decimal:
        return (
            self.capped_by_period
            + self.capped_by_year
            + self.capped_by_liability
            + self.capped_by_customer
        )


@dataclass(frozen=True)
class TierReplay:
    """One tier's periods replayed, with what its chronic-failure clause says of them."""

    tier: str
    customers: int
    target_pct: Decimal
    periods: tuple[PeriodResult, ...]
    chronic_clause: str | None = None  # the tier's chronic-failure clause in words, if any
    termination_right_from: str | None = None  # the first period at whose end the right holds
    revenue_at_risk: Decimal = Decimal(0)  # per customer: the term's fees left at that point

    def total(self, name: str) -> Decimal:
        """Sum of a money field over the periods, per customer."""
        return sum((getattr(p, name) for p in self.periods), Decimal(0))

    @property
    def breach_periods(self) -> int:
        return sum(1 for p in self.periods if not p.met_target)


@dataclass(frozen=True)
class ReplayResult:
    """A contract's tiers replayed over a history, with what identifies the terms replayed."""

    contract_name: str
    contract_hash: str
    currency: str
    timezone: str
    period_kind: str
    first: str
    last: str
    tiers: tuple[TierReplay, ...]
    notes: tuple[str, ...] = ()
    window: str = ""  # what each row measured when not the period itself (period_words)
