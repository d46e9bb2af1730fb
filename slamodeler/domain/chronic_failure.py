"""Chronic failure: the customer's right to terminate when the target is missed too often.

Real SLAs give it as "missed in N consecutive months" or "in M of any N months"; both are
``missed`` of the last ``of`` periods. It is not a credit: replay flags the periods at whose end
the right holds, and the simulation reports how likely it is and what it puts at risk (the fees
of the rest of the term, docs/statistics.md).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from slamodeler.domain.credit_schedules import FieldProblem
from slamodeler.domain.model_base import Model, NotYesOrNo

MAX_WINDOW_PERIODS = 60  # five years of months: longer than any term seen in a public SLA


class ChronicFailure(Model):
    """A termination right once the target is missed in ``missed`` of the last ``of`` periods
    (``missed == of``: that many consecutive periods)."""

    missed: Annotated[int, Field(ge=1, le=MAX_WINDOW_PERIODS), NotYesOrNo]
    of: Annotated[int, Field(ge=1, le=MAX_WINDOW_PERIODS), NotYesOrNo]

    @model_validator(mode="after")
    def _fits(self) -> ChronicFailure:
        if self.missed > self.of:
            raise FieldProblem(
                "missed",
                f"{self.missed} missed periods cannot fit in a window of {self.of}; make "
                "`missed` at most `of` (3 of 3 for three consecutive periods)",
            )
        return self

    @property
    def words(self) -> str:
        """The clause as a reader says it."""
        if self.missed == self.of:
            return f"target missed in {self.missed} consecutive periods"
        return f"target missed in {self.missed} of any {self.of} consecutive periods"
