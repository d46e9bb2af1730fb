"""Support response-time service levels: per priority, the time within which a ticket must get
its first response, and the credit for each ticket that does not (docs/contract-format.md,
``support``; docs/measurement.md, section 12).

A ticket counts in the period it was opened in; its response time runs from ``opened`` to
``first_response`` around the clock, or only in the contract's service hours. A credit per miss
is a % of the period fee or an amount, optionally capped per period and priority; the period's
support credit is added to its availability credit before the tier's caps.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from slamodeler.domain.credit_schedules import FieldProblem
from slamodeler.domain.incidents import describe
from slamodeler.domain.model_base import CreditPct, Model, Money, NotYesOrNo

SupportClock = Literal["around_the_clock", "service_hours"]
MAX_RESPONSE_MINUTES = 60 * 24 * 31  # a month: no public SLA gives a first response longer


class ResponseTarget(Model):
    """One priority's target: answered within ``respond_within_minutes`` (exactly that is in
    time), else a credit of ``credit_pct`` % of the period fee or ``credit_amount`` per miss."""

    priority: Annotated[str, Field(min_length=1)] = Field(
        description="The priority as the ticket export writes it (P1, urgent, ...); compared "
        "without regard to case."
    )
    respond_within_minutes: Annotated[int, Field(ge=1, le=MAX_RESPONSE_MINUTES), NotYesOrNo] = (
        Field(
            description="First response within this many minutes (of the support clock) is in time."
        )
    )
    credit_pct: CreditPct | None = Field(
        default=None, description="Credit per missed ticket, % of the period fee."
    )
    credit_amount: Money | None = Field(
        default=None, description="Credit per missed ticket, an amount in the contract currency."
    )
    max_pct_per_period: CreditPct | None = Field(
        default=None,
        description="This priority's misses credit at most this % of the period fee in one "
        "period; unset: no cap but the tier's.",
    )

    @field_validator("priority")
    @classmethod
    def _priority(cls, value: str) -> str:
        return value.strip().lower()

    @model_validator(mode="after")
    def _one_credit(self) -> ResponseTarget:
        if (self.credit_pct is None) == (self.credit_amount is None):
            raise FieldProblem(
                "credit_pct",
                "give the credit per miss as credit_pct (% of the period fee) or credit_amount, "
                "one of them",
            )
        return self


class SupportTerms(Model):
    """The tier's support response targets, one per priority."""

    clock: SupportClock = Field(
        default="around_the_clock",
        description="Response time runs around the clock, or only in measurement.service_hours "
        "(`service_hours`).",
    )
    targets: list[ResponseTarget] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> SupportTerms:
        seen: set[str] = set()
        for i, target in enumerate(self.targets):
            if target.priority in seen:
                raise FieldProblem(
                    f"targets[{i}].priority", f"priority {target.priority!r} has two targets"
                )
            seen.add(target.priority)
        return self

    def target(self, priority: str) -> ResponseTarget | None:
        return next((t for t in self.targets if t.priority == priority.strip().lower()), None)


def support_problem(
    support: SupportTerms, fee: Decimal, has_service_hours: bool
) -> tuple[str, str] | None:
    """The field and the fix when a tier's support terms cannot be applied to its contract."""
    if support.clock == "service_hours" and not has_service_hours:
        return (
            "support.clock",
            "service_hours needs measurement.service_hours; set them or use around_the_clock",
        )
    for i, target in enumerate(support.targets):
        if target.credit_amount is not None and fee == 0:
            return (
                f"support.targets[{i}].credit_amount",
                "an amount per miss needs a monthly_fee above 0 (the caps are a share of it); "
                "set the fee or give credit_pct",
            )
    return None


@dataclass(frozen=True)
class Ticket:
    """One support ticket: times are UTC epoch seconds; ``first_response`` None: not answered
    (yet) when exported."""

    id: str
    priority: str
    opened: int
    first_response: int | None
    row: int = 0

    @property
    def describe(self) -> str:
        return describe(self.id, self.row)


@dataclass(frozen=True)
class SupportMiss:
    """A ticket that missed its target in a period: its response time in minutes of the support
    clock (None: no response by the end of the replay) and the credit it gave, % of the fee."""

    ticket: Ticket
    target_minutes: int
    response_minutes: Fraction | None
    credit_pct: Fraction

    @property
    def words(self) -> str:
        t = self.ticket
        if self.response_minutes is None:
            late = "no response by the end of the replay"
        else:
            over = self.response_minutes - self.target_minutes
            late = f"answered in {_min(self.response_minutes)} min, {_min(over)} min late"
        return f"{t.describe} {t.priority.upper()} (within {self.target_minutes} min): {late}"


@dataclass(frozen=True)
class SupportPeriod:
    """A period's support misses and their credit (% of the period fee, after each priority's
    own cap), with the credit each priority's cap removed."""

    misses: tuple[SupportMiss, ...]
    credit_pct: Fraction
    capped_percent: dict[str, Fraction]
    tickets: int  # tickets opened in the period with a target (in time or not)

    def lines(self) -> list[str]:
        """The period's explanation of its support credit."""
        head = (
            f"support: {len(self.misses)} of {self.tickets} ticket(s) missed their response "
            f"target: +{_percent(self.credit_pct)}% of the fee"
        )
        out = [head, *(f"  - {m.words}: {_percent(m.credit_pct)}%" for m in self.misses)]
        out += [
            f"  {p.upper()}: the priority's cap removed {_percent(c)}%"
            for p, c in self.capped_percent.items()
            if c
        ]
        return out


def _min(value: Fraction) -> str:
    return f"{float(value):,.2f}".rstrip("0").rstrip(".")


def _percent(value: Fraction) -> str:
    return f"{float(value):.4f}".rstrip("0").rstrip(".")
