"""Outage scenarios (``format: slamodeler-scenario/v1``): what a Monte Carlo run draws from.

A scenario is one or more incident processes (how often, how long, how bad, why, when in the week,
whom they hit), stress multipliers and rare catastrophes, over a horizon of whole years from a
first period. Validation here; drawing in slamodeler/engine/outage_model.py.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Final, Literal

from pydantic import Field, field_validator, model_validator

from slamodeler.domain.contract import zone_names
from slamodeler.domain.credit_schedules import FieldProblem
from slamodeler.domain.limits import (
    MAX_HOUR_WEIGHT,
    MAX_INCIDENTS_PER_MONTH,
    MAX_PLACES,
    MAX_RATE_PER_MONTH,
    MAX_SCENARIO_YEARS,
    MAX_STRESS,
)
from slamodeler.domain.model_base import Label, Model, Name, NotYesOrNo, empty_list
from slamodeler.domain.ticket_rates import TicketRate

SCENARIO_FORMAT: Final = "slamodeler-scenario/v1"
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False), NotYesOrNo]
NonNegativeFloat = Annotated[float, Field(ge=0, allow_inf_nan=False), NotYesOrNo]
Rate = Annotated[float, Field(ge=0, le=MAX_RATE_PER_MONTH, allow_inf_nan=False), NotYesOrNo]
# of a mix: checked with the others
Probability = Annotated[float, Field(allow_inf_nan=False), NotYesOrNo]
HourWeight = Annotated[float, Field(ge=0, le=MAX_HOUR_WEIGHT, allow_inf_nan=False), NotYesOrNo]
StressFactor = Annotated[float, Field(ge=0, le=MAX_STRESS, allow_inf_nan=False), NotYesOrNo]
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def is_month(text: object) -> bool:
    """Whether ``text`` is a month as a scenario's start is written: YYYY-MM."""
    return isinstance(text, str) and _MONTH.match(text) is not None


class Poisson(Model):
    dist: Literal["poisson"]
    rate_per_month: Rate


class NegativeBinomial(Model):
    """Overdispersed counts: mean per month and dispersion k (variance = mean + mean^2 / k)."""

    dist: Literal["negbin"]
    mean_per_month: Rate
    dispersion: Positive


Frequency = Annotated[Poisson | NegativeBinomial, Field(discriminator="dist")]


class Exponential(Model):
    dist: Literal["exponential"]
    mean: Positive


class Lognormal(Model):
    dist: Literal["lognormal"]
    median: Positive
    sigma: Positive


class Weibull(Model):
    dist: Literal["weibull"]
    shape: Positive
    scale: Positive


class Gamma(Model):
    dist: Literal["gamma"]
    shape: Positive
    scale: Positive


class Uniform(Model):
    dist: Literal["uniform"]
    low: NonNegativeFloat
    high: Positive

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high <= self.low:
            raise FieldProblem("high", "must be above low")
        return self


class Empirical(Model):
    """Durations resampled from history: listed ``values``, or an incident file's durations."""

    dist: Literal["empirical"]
    values: list[NonNegativeFloat] | None = None
    incidents: str | None = None
    mapping: str | None = None
    service: str | None = None

    @model_validator(mode="after")
    def _source(self) -> Empirical:
        if (self.values is None) == (self.incidents is None):
            raise ValueError("give either values: [minutes, ...] or incidents: FILE")
        if self.values is not None and not self.values:
            raise FieldProblem("values", "needs at least one duration")
        return self


Duration = Annotated[
    Exponential | Lognormal | Weibull | Gamma | Uniform | Empirical, Field(discriminator="dist")
]


def _mix(value: dict[str, float], what: str) -> dict[str, float]:
    if not value:
        raise ValueError(f"{what} mix needs at least one entry")
    if any(p < 0 for p in value.values()):
        raise ValueError(f"{what} probabilities must not be negative")
    total = sum(value.values())
    if abs(total - 1) > 1e-9:
        raise ValueError(f"{what} probabilities add up to {total:.12g}; they must add up to 1")
    return {k.strip().lower(): p for k, p in value.items()}


class HourOfWeek(Model):
    """Relative weights of the 168 hours of the week (Monday 00:00 first), in the contract's zone."""

    hour_of_week: list[HourWeight] = Field(min_length=168, max_length=168)

    @field_validator("hour_of_week")
    @classmethod
    def _some(cls, weights: list[float]) -> list[float]:
        if sum(weights) <= 0:
            raise ValueError("at least one hour must have a positive weight")
        return weights


class Place(Model):
    """Where one share of a process's incidents happen: on each of ``services`` in each of
    ``regions`` at once (an empty list: not tied to any), as the rows of one incident of a
    history. ``slamodeler fit`` writes one per set of places its incidents were seen on."""

    services: list[str] = Field(default_factory=empty_list)
    regions: list[str] = Field(default_factory=empty_list)
    share: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False), NotYesOrNo]


class Scope(Model):
    """Whom a process hits: one region or one service (tiers whose scope includes it), a ``mix``
    of places drawn for each incident, or each customer of every tier on its own, with
    probability ``independent`` per incident."""

    region: str | None = None
    service: str | None = None
    mix: list[Place] | None = None
    independent: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False), NotYesOrNo] | None = None

    @model_validator(mode="after")
    def _one(self) -> Scope:
        keys = ("region", "service", "mix", "independent")
        given = [k for k in keys if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "give one of region: NAME, service: NAME, mix: [PLACES] or independent: "
                "PROBABILITY (or write scope: all)"
            )
        if self.mix is not None:
            if not self.mix:
                raise FieldProblem("mix", "needs at least one place")
            total = sum(p.share for p in self.mix)
            if abs(total - 1) > 1e-9:
                raise FieldProblem("mix", f"shares add up to {total:.12g}; they must add up to 1")
            if self.pairs() > MAX_PLACES:
                raise FieldProblem(
                    "mix",
                    f"its places name {self.pairs():,} service-region pairs in all; at most "
                    f"{MAX_PLACES:,}: list only the services and regions one incident hits at once",
                )
        return self

    def pairs(self) -> int:
        """The service-region pairs the mix's places name, each place's services by its regions
        (a place without services or regions: one), which the simulation matches to tiers."""
        return sum(max(1, len(p.services)) * max(1, len(p.regions)) for p in self.mix or [])


MAX_ZONES = 62  # zones a scenario names in all: one bit each of a 64-bit mask per incident


class ZoneDraw(Model):
    """Which availability zones a process's incidents land on, for contracts that count k of n
    zones (``scope.zones``): each incident hits ``at_once`` zones (a mix: how many zones at once,
    1 first), drawn without repeats from ``of``, in proportion to ``shares`` (all alike if left
    out). Correlated region events are those that hit two zones or more at once."""

    of: list[str] = Field(min_length=1)
    shares: list[Annotated[float, Field(gt=0, allow_inf_nan=False), NotYesOrNo]] | None = None
    at_once: list[NonNegativeFloat] = Field(default_factory=lambda: [1.0])

    @field_validator("of")
    @classmethod
    def _names(cls, zones: list[str]) -> list[str]:
        out = zone_names(zones)
        if len(out) > MAX_ZONES:
            raise ValueError(f"{len(out)} zones; at most {MAX_ZONES} can be drawn")
        return out

    @model_validator(mode="after")
    def _consistent(self) -> ZoneDraw:
        if self.shares is not None and len(self.shares) != len(self.of):
            raise FieldProblem(
                "shares", f"gives {len(self.shares)} shares for {len(self.of)} zones; give one each"
            )
        if self.shares is not None and abs(sum(self.shares) - 1) > 1e-9:
            raise FieldProblem(
                "shares", f"add up to {sum(self.shares):.12g}; they must add up to 1"
            )
        if not self.at_once or len(self.at_once) > len(self.of):
            raise FieldProblem(
                "at_once",
                f"gives {len(self.at_once)} entries (1 zone at once, 2, ...); give 1 to "
                f"{len(self.of)}, one per number of zones an incident can hit",
            )
        if abs(sum(self.at_once) - 1) > 1e-9:
            raise FieldProblem(
                "at_once", f"adds up to {sum(self.at_once):.12g}; the entries must add up to 1"
            )
        return self


class Process(Model):
    name: Label
    frequency: Frequency
    duration_minutes: Duration
    impact: dict[str, Probability] = Field(default_factory=lambda: {"full": 1.0})
    cause: dict[str, Probability] = Field(default_factory=lambda: {"": 1.0})
    start_profile: Literal["uniform"] | HourOfWeek = "uniform"
    scope: Literal["all"] | Scope = "all"
    zones: ZoneDraw | None = Field(
        default=None,
        description="Availability zones the incidents land on (for k-of-n contracts); left "
        "out, an incident is not tied to a zone, so it takes every zone down.",
    )

    @field_validator("impact")
    @classmethod
    def _impact(cls, value: dict[str, float]) -> dict[str, float]:
        mix = _mix(value, "impact")
        for label in mix:
            try:
                share = Decimal(label)
            except ArithmeticError:
                continue
            if share.is_finite() and not 0 <= share <= 1:
                raise ValueError(f"numeric impact {label} is outside 0..1")
        return mix

    @field_validator("cause")
    @classmethod
    def _cause(cls, value: dict[str, float]) -> dict[str, float]:
        return _mix(value, "cause")


class Stress(Model):
    frequency: StressFactor = 1.0
    duration: StressFactor = 1.0


class Catastrophe(Model):
    """A rare event that takes everything down at once: ``rate_per_year`` and how long."""

    name: Label
    rate_per_year: Rate
    minutes: Duration
    impact: str = "full"
    cause: str = ""

    @field_validator("impact", "cause")
    @classmethod
    def _label(cls, value: str) -> str:
        return value.strip().lower()  # as in a process's mixes


class Scenario(Model):
    format: Literal["slamodeler-scenario/v1"]
    name: Name
    description: str = ""
    start: str = Field(description="First period simulated, YYYY-MM.")
    years: Annotated[int, Field(ge=1, le=MAX_SCENARIO_YEARS, strict=True)] = 1  # not `true`
    processes: list[Process] = Field(default_factory=empty_list)
    stress: Stress = Field(default_factory=Stress)
    catastrophes: list[Catastrophe] = Field(default_factory=empty_list)
    tickets: list[TicketRate] | None = Field(
        default=None,
        description="Support tickets per priority (rate and miss probability); unset: none drawn.",
    )

    @field_validator("start", mode="before")
    @classmethod
    def _start(cls, value: object) -> object:
        if not is_month(value):
            raise ValueError('must be a month "YYYY-MM" in quotes, e.g. "2027-01"')
        return value

    @model_validator(mode="after")
    def _something(self) -> Scenario:
        if not self.processes and not self.catastrophes:
            raise ValueError("a scenario needs at least one process or catastrophe")
        names = [p.name for p in self.processes]
        for i, name in enumerate(names):
            if name in names[:i]:
                raise FieldProblem(f"processes[{i}].name", f"process name {name!r} is used twice")
        seen = [t.priority for t in self.tickets or []]
        for i, priority in enumerate(seen):
            if priority in seen[:i]:
                raise FieldProblem(
                    f"tickets[{i}].priority", f"priority {priority!r} is given twice"
                )
        pairs = sum(p.scope.pairs() for p in self.processes if not isinstance(p.scope, str))
        if pairs > MAX_PLACES:
            raise FieldProblem(
                "processes",
                f"the processes' mixes name {pairs:,} service-region pairs in all; at most "
                f"{MAX_PLACES:,}",
            )
        zones = {z for p in self.processes if p.zones is not None for z in p.zones.of}
        if len(zones) > MAX_ZONES:
            raise FieldProblem(
                "processes", f"the processes name {len(zones)} zones; at most {MAX_ZONES} in all"
            )
        if self.incidents_per_month() > MAX_INCIDENTS_PER_MONTH:
            raise FieldProblem(
                "processes" if self.stress.frequency <= 1 else "stress.frequency",
                f"the processes' rates times the stress come to {self.incidents_per_month():,g} "
                f"incidents a month; at most {MAX_INCIDENTS_PER_MONTH:,g} can be simulated",
            )
        return self

    def incidents_per_month(self, customers: int = 1) -> float:
        """Incidents a trial draws a month on average, stressed; a process that hits each
        customer on its own draws for each of ``customers``."""
        total = 0.0
        for process in self.processes:
            freq = process.frequency
            rate = freq.rate_per_month if isinstance(freq, Poisson) else freq.mean_per_month
            scope = process.scope
            if not isinstance(scope, str) and scope.independent is not None:
                rate *= scope.independent * customers
            total += rate
        return total * self.stress.frequency + sum(c.rate_per_year for c in self.catastrophes) / 12
