"""Per-incident credits: a credit for each incident longer than some minutes, or per started
hour of each incident (docs/measurement.md, section 7a).

They add to the tier's availability schedule (``credits``): a period's credit is the schedule's
plus the sum of its incidents' credits, then the same caps. A tier that pays per incident only
gives a schedule that never pays (one band at 0%).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from slamodeler.domain.credit_schedules import FieldProblem
from slamodeler.domain.limits import MAX_PCT_PER_HOUR, PCT_DECIMALS
from slamodeler.domain.model_base import CreditPct, Model, NotYesOrNo


class IncidentCredits(Model):
    """Each incident whose counted downtime is longer than ``longer_than_minutes`` earns
    ``credit_pct`` plus ``credit_pct_per_hour`` per hour of that downtime (counted as
    ``hours`` says), at most ``max_pct_per_incident``: percentages of the period's fee."""

    longer_than_minutes: Annotated[int, Field(ge=0, le=525600), NotYesOrNo] = Field(
        default=0,
        description="Only an incident whose counted downtime is longer than this earns a credit "
        "(0: any incident with counted downtime).",
    )
    credit_pct: CreditPct = Field(
        default=Decimal("0"), description="Credit for each such incident, % of the period fee."
    )
    credit_pct_per_hour: Annotated[
        Decimal,
        Field(ge=0, le=MAX_PCT_PER_HOUR, decimal_places=PCT_DECIMALS, allow_inf_nan=False),
    ] = Field(
        default=Decimal("0"),
        description="Credit per hour of each such incident's counted downtime, % of the "
        "period fee.",
    )
    hours: Literal["started", "whole", "exact"] = Field(
        default="started",
        description="Count each started hour (round up), whole hours only, or exact fractions.",
    )
    max_pct_per_incident: CreditPct | None = Field(
        default=None, description="At most this % of the period fee for one incident."
    )

    @model_validator(mode="after")
    def _pays(self) -> IncidentCredits:
        if not self.credit_pct and not self.credit_pct_per_hour:
            raise FieldProblem(
                "credit_pct",
                "an incident credit needs credit_pct or credit_pct_per_hour above 0 "
                "(or leave incident_credits out)",
            )
        return self


# Measurement rules an incident's own downtime cannot be told under yet, and the field named
# (none today: a measured window measures only the availability credit, docs/measurement.md
# section 1b).
NOT_WITH: dict[str, str] = {}


def incident_credits_problem(
    tiers_with: list[int], measurement_set: dict[str, bool]
) -> tuple[str, str] | None:
    """The field and the fix when per-incident credits meet a rule they cannot be measured
    with yet: ``measurement_set`` says which of ``NOT_WITH`` the contract sets."""
    for i in tiers_with:
        for field, said in NOT_WITH.items():
            if measurement_set.get(field):
                return (
                    f"tiers[{i}].incident_credits",
                    f"per-incident credits with {said} ({field}) cannot be said yet: "
                    "leave out one of them",
                )
    return None
