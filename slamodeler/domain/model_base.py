"""The base every contract model shares: immutable, unknown keys refused, decimals kept exact."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from slamodeler.domain.limits import MAX_MONEY, MAX_PCT, MONEY_DECIMALS, PCT_DECIMALS

Percent = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False)]
NonNegative = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
Money = Annotated[
    Decimal, Field(ge=0, le=MAX_MONEY, decimal_places=MONEY_DECIMALS, allow_inf_nan=False)
]
CreditPct = Annotated[
    Decimal, Field(ge=0, le=MAX_PCT, decimal_places=PCT_DECIMALS, allow_inf_nan=False)
]
Share = Annotated[Decimal, Field(ge=0, le=1, allow_inf_nan=False)]


class Model(BaseModel):
    """Frozen pydantic model that forbids unknown keys, so a misspelt term is an error, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
