"""A layer of credits, "L xs R": the part of the credits over the horizon (one year unless
--years) above a retention R, up to a limit L, as a reserve or an insurance cover is written.
Parsed here once, for every front end."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from slamodeler.domain.errors import InputError

LAYER_OPTION = "--layer"
LAYER_EXAMPLE = "50000xs10000"
_AMOUNT = r"(\d+(?:\.\d+)?)([kKmM]?)"
_PATTERN = re.compile(rf"\s*{_AMOUNT}\s*(?:xs|XS|x|X)\s*{_AMOUNT}\s*")
_SCALE = {"": 1.0, "k": 1e3, "m": 1e6}
MAX_LABEL_DECIMALS = 6  # more than any currency's cents; float noise beyond
MAX_AMOUNT = 1e15  # beyond any contract's credits; a typo more likely than a cover


@dataclass(frozen=True)
class Layer:
    """``limit`` xs ``retention``, in the contract's currency. The limit may be infinite (an
    unlimited layer: ``inf xs R`` is written ``unlimitedxsR``)."""

    retention: float
    limit: float

    @property
    def label(self) -> str:
        limit = "unlimited" if math.isinf(self.limit) else _amount_label(self.limit)
        return f"{limit} xs {_amount_label(self.retention)}"

    @property
    def exhaust(self) -> float:
        """The credits over the horizon at which the layer pays its whole limit: R + L."""
        return self.retention + self.limit


def _amount_label(amount: float) -> str:
    """``amount`` with thousands separators and the decimals it has (0.4 stays 0.4, not 0)."""
    whole = f"{amount:,.0f}"
    return (
        whole
        if amount == round(amount)
        else f"{amount:,.{MAX_LABEL_DECIMALS}f}".rstrip("0").rstrip(".")
    )


def parse_layer(text: str) -> Layer:
    """``LIMITxsRETENTION`` (50000xs10000, 50kxs10k, unlimitedxs10000). InputError naming the
    option and the form otherwise."""
    unlimited = re.fullmatch(r"\s*unlimited\s*(?:xs|x)\s*" + _AMOUNT + r"\s*", text, re.I)
    if unlimited:
        return _checked(text, math.inf, _amount(*unlimited.groups()))
    m = _PATTERN.fullmatch(text)
    if m is None:
        raise InputError(
            f"{LAYER_OPTION} {text!r}: write a layer as LIMITxsRETENTION in the contract's "
            f"currency, e.g. {LAYER_EXAMPLE} (50,000 above 10,000), 50kxs10k, or unlimitedxs10000"
        )
    return _checked(text, _amount(m[1], m[2]), _amount(m[3], m[4]))


def _amount(digits: str, suffix: str) -> float:
    return float(digits) * _SCALE[suffix.lower()]


def _checked(text: str, limit: float, retention: float) -> Layer:
    if limit <= 0:
        raise InputError(
            f"{LAYER_OPTION} {text!r}: the limit must be above 0 (a layer of 0 pays nothing); "
            f"e.g. {LAYER_EXAMPLE}"
        )
    if retention > MAX_AMOUNT or (limit > MAX_AMOUNT and not math.isinf(limit)):
        raise InputError(
            f"{LAYER_OPTION} {text!r}: amounts above {MAX_AMOUNT:,.0f} are refused; "
            "check the number of zeros"
        )
    return Layer(retention, limit)
