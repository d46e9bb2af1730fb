"""A scenario's support tickets (``tickets``, docs/scenario-format.md): per priority, how many
tickets a customer opens a month (a Poisson rate) and the chance that one misses its response
target. The simulation draws each period's misses from them and credits them as replay credits
a ticket export's misses (engine/ticket_draws.py; docs/measurement.md, section 12)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from slamodeler.domain.model_base import Model, NotYesOrNo

MAX_TICKETS_PER_MONTH = 10_000.0  # one priority's tickets a month: beyond any support desk's SLA


class TicketRate(Model):
    """One priority's tickets: ``per_month`` on average (Poisson), each missing its target with
    probability ``miss_probability``, independently."""

    priority: Annotated[str, Field(min_length=1)] = Field(
        description="A priority the contract's support targets name (P1, urgent, ...); compared "
        "without regard to case."
    )
    per_month: Annotated[
        float, Field(ge=0, le=MAX_TICKETS_PER_MONTH, allow_inf_nan=False), NotYesOrNo
    ] = Field(description="Tickets a customer opens a month on average (a Poisson rate).")
    miss_probability: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False), NotYesOrNo] = Field(
        description="The probability that a ticket misses its response target, 0 to 1."
    )

    @field_validator("priority")
    @classmethod
    def _priority(cls, value: str) -> str:
        return value.strip().lower()
