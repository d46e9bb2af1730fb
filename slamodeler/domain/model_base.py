"""The base every contract model shares: immutable, unknown keys refused, decimals kept exact."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Percent = Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False)]
NonNegative = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
Money = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]
Share = Annotated[Decimal, Field(ge=0, le=1, allow_inf_nan=False)]


class Model(BaseModel):
    """Frozen pydantic model that forbids unknown keys, so a misspelt term is an error, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
