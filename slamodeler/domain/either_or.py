"""Either this credit or that one, not both: a tier's second remedy for the same periods.

Real SLAs give a customer two credits for one failure and pay only one of them: "the greater
of" an availability credit and a downtime credit, or a service level whose credit is paid only
when the main one pays nothing ("credits are not cumulative": docs/measurement.md, section 11).
Both are measured on the tier's periods; each period pays one of the two, before the caps.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from slamodeler.domain.credit_schedules import CreditSchedule, FieldProblem
from slamodeler.domain.model_base import Model, Name

Pick = Literal["greater", "first"]


class EitherOr(Model):
    """The tier's other credit, paid instead of its ``credits`` by ``pick``: ``greater`` pays
    the larger of the two in each period, ``first`` pays the tier's own credit when it gives
    anything and this one only when it does not."""

    pick: Pick = Field(
        default="greater",
        description="`greater`: each period pays the larger of the two credits; `first`: the "
        "tier's own credit when it gives anything, else this one.",
    )
    name: Annotated[Name, Field(max_length=80)] = Field(
        default="other credit", description="How the period's explanation names this credit."
    )
    target_pct: Annotated[Decimal, Field(gt=0, le=100, allow_inf_nan=False)] | None = Field(
        default=None,
        description="The target this credit's per-hour or fee-multiple schedule pays below; "
        "left out: the tier's target.",
    )
    credits: CreditSchedule

    @model_validator(mode="after")
    def _target_used(self) -> EitherOr:
        if self.target_pct is not None and self.credits.kind in ("bands", "linear"):
            raise FieldProblem(
                "target_pct",
                f"a {self.credits.kind} schedule pays by its own thresholds, not a target; "
                "leave target_pct out (it is for per_hour and fee_multiple credits)",
            )
        return self
