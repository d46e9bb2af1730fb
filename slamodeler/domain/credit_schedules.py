"""Credit schedules: the penalty curve that turns a period's availability into a credit.

Four shapes found in real SLAs: bands (AWS, Azure, Google), piecewise-linear curves, a credit per
hour of downtime, and a multiple of the fee for the downtime (Slack). The boundary rule says whether
a threshold is hit strictly below it or also exactly at it ("exactly 99.9%" is a real dispute).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer, model_validator

from slamodeler.domain.limits import MAX_FEE_MULTIPLE, MAX_PCT_PER_HOUR, PCT_DECIMALS
from slamodeler.domain.model_base import CreditPct, Model, Percent

Boundary = Literal["below", "at_or_below"]
End = Literal["included", "excluded"]

BOUNDARY_WORDS = {
    "below": "strictly below the threshold",
    "at_or_below": "at or below the threshold",
}

_END_DEFAULTS: dict[str, object] = {"upper_end": None, "above": None, "lower_end": "excluded"}


class Band(Model):
    """Availability under ``below`` (by the schedule's boundary rule, or the band's own
    ``upper_end``) and, when the band states one, over ``above`` earns ``credit_pct`` of the fee.

    Both ends as the text states them ("at or below 99.9% and above 99.0%"), so that a gap the
    text leaves between two bands (exactly 99.0%) is read literally and can be warned about."""

    below: Percent
    credit_pct: CreditPct
    escalation: str | None = Field(
        default=None, description="Who to tell when a period lands in this band."
    )
    upper_end: End | None = Field(
        default=None,
        description="Whether availability exactly at `below` is in the band; "
        "default: by the schedule's `boundary` (at_or_below: included).",
    )
    above: Percent | None = Field(
        default=None,
        description='The band\'s lower end, when the text states one ("and above 99.0%"); '
        "default: none, the band reaches down to 0%.",
    )
    lower_end: End = Field(
        default="excluded",
        description="Whether availability exactly at `above` is in the band.",
    )

    @model_serializer(mode="wrap")
    def _stated_ends_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        """The ends' keys only where the band states them: a band written as before dumps, and
        so hashes, as before (every existing contract keeps its hash)."""
        data: dict[str, object] = handler(self)
        for key, default in _END_DEFAULTS.items():
            if key in data and data[key] == default:
                del data[key]
        return data

    @model_validator(mode="after")
    def _ends(self) -> Band:
        if self.above is not None and self.above >= self.below:
            raise FieldProblem("above", "must be lower than the band's `below` (its upper end)")
        return self

    def upper_test(self, boundary: Boundary) -> tuple[Decimal, Boundary]:
        """The miss test a period passes to be under the band's upper end."""
        end = self.upper_end or ("included" if boundary == "at_or_below" else "excluded")
        return self.below, "at_or_below" if end == "included" else "below"

    def lower_test(self) -> tuple[Decimal, Boundary] | None:
        """The miss test a period must NOT pass to be over the band's lower end: "above t" is
        "not at or below t", "at or above t" is "not below t"; None without a lower end."""
        if self.above is None:
            return None
        return self.above, "at_or_below" if self.lower_end == "excluded" else "below"


class BandSchedule(Model):
    """Step schedule: the lowest band whose threshold is hit gives the credit."""

    kind: Literal["bands"]
    boundary: Boundary = "below"
    bands: list[Band] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> BandSchedule:
        _falling(
            "bands",
            "below",
            [(b.below, b.credit_pct) for b in self.bands],
            "must be lower than the band above's (each band starts below the one before)",
            "a lower band must not give a smaller credit than the band above it",
        )
        return self


class CurvePoint(Model):
    availability_pct: Percent
    credit_pct: CreditPct


class LinearSchedule(Model):
    """Piecewise-linear curve through the points; zero above the first, flat below the last."""

    kind: Literal["linear"]
    points: list[CurvePoint] = Field(min_length=2)

    @model_validator(mode="after")
    def _ordered(self) -> LinearSchedule:
        _falling(
            "points",
            "availability_pct",
            [(p.availability_pct, p.credit_pct) for p in self.points],
            "points must be in decreasing order of availability",
            "credit must not fall as availability falls",
        )
        return self


class PerHourSchedule(Model):
    """``credit_pct_per_hour`` of the period fee per hour of downtime, once the target is missed."""

    kind: Literal["per_hour"]
    boundary: Boundary = "below"
    credit_pct_per_hour: Annotated[
        Decimal,
        Field(ge=0, le=MAX_PCT_PER_HOUR, decimal_places=PCT_DECIMALS, allow_inf_nan=False),
    ]
    hours: Literal["started", "whole", "exact"] = Field(
        default="started",
        description="Count each started hour (round up), whole hours only, or exact fractions.",
    )


class FeeMultipleSchedule(Model):
    """``multiple`` times the fee for the downtime (fee x downtime / period length), once the
    target is missed: Slack's "10x the time you were affected"."""

    kind: Literal["fee_multiple"]
    boundary: Boundary = "below"
    multiple: Annotated[Decimal, Field(gt=0, le=MAX_FEE_MULTIPLE, allow_inf_nan=False)]
    share_of: Literal["period", "scheduled"] = Field(
        default="period",
        description="The downtime as a share of the period's minutes (`period`), or of the "
        "scheduled availability: the period's minutes less the excluded ones (`scheduled`, "
        'Cloudflare\'s "Scheduled Availability minutes").',
    )

    @model_serializer(mode="wrap")
    def _stated_share_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        """``share_of`` only when stated: a schedule written as before hashes as before."""
        data: dict[str, object] = handler(self)
        if data.get("share_of") == "period":
            del data["share_of"]
        return data


CreditSchedule = Annotated[
    BandSchedule | LinearSchedule | PerHourSchedule | FeeMultipleSchedule,
    Field(discriminator="kind"),
]


def schedule_tests(schedule: BandSchedule) -> list[tuple[Decimal, Boundary]]:
    """Every availability test the bands' ends make, upper and stated lower ends alike."""
    tests = [band.upper_test(schedule.boundary) for band in schedule.bands]
    return tests + [end for band in schedule.bands if (end := band.lower_test()) is not None]


def boundary_of(schedule: CreditSchedule) -> Boundary:
    """The schedule's boundary rule; a linear curve has none and is read as ``below``."""
    return "below" if isinstance(schedule, LinearSchedule) else schedule.boundary


class FieldProblem(ValueError):
    """A validation failure at a sub-path of the model being validated."""

    def __init__(self, path: str, message: str):
        self.path = path
        super().__init__(f"{path}: {message}")


def _falling(
    items: str,
    threshold: str,
    steps: list[tuple[Decimal, Decimal]],
    not_falling: str,
    credit_falls: str,
) -> None:
    """The order rule of bands and curve points alike: each step's availability ``threshold``
    is lower than the one before, and its credit is not smaller. ``steps``: (threshold, credit)
    in the contract's order; the problem names ``items[i].threshold`` or ``items[i].credit_pct``."""
    for i in range(1, len(steps)):
        (prev, prev_credit), (cur, credit) = steps[i - 1], steps[i]
        if cur >= prev:
            raise _at(f"{items}[{i}].{threshold}", not_falling)
        if credit < prev_credit:
            raise _at(f"{items}[{i}].credit_pct", credit_falls)


def _at(path: str, message: str) -> FieldProblem:
    return FieldProblem(path, message)
