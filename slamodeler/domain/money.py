"""Currency minor units and the rounding rules money follows (docs/measurement.md, section 9)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

_ZERO_DECIMALS = {"JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF"}
_THREE_DECIMALS = {"BHD", "KWD", "OMR", "JOD", "TND", "LYD", "IQD"}


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of the currency: 0.01 USD, 1 JPY, 0.001 KWD."""
    if currency in _ZERO_DECIMALS:
        return Decimal("1")
    if currency in _THREE_DECIMALS:
        return Decimal("0.001")
    return Decimal("0.01")


def minor_digits(currency: str) -> int:
    """Decimal places of the minor unit: 2 for USD, 0 for JPY, 3 for KWD."""
    return -int(minor_unit(currency).as_tuple().exponent)


def _to_decimal(value: Fraction | Decimal, unit: Decimal, rounding: str) -> Decimal:
    if isinstance(value, Decimal):
        return value.quantize(unit, rounding=rounding)
    # Exact: scale to minor units as a fraction, then round that integer quotient.
    scaled = value / Fraction(unit)
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if rounding == ROUND_HALF_UP:
        if 2 * rest >= scaled.denominator:
            whole += 1
    elif rounding != ROUND_DOWN:
        raise ValueError(rounding)
    return (Decimal(whole) * unit).quantize(unit)


def round_half_up(value: Fraction | Decimal, unit: Decimal) -> Decimal:
    return _to_decimal(value, unit, ROUND_HALF_UP)


def round_down(value: Fraction | Decimal, unit: Decimal) -> Decimal:
    return _to_decimal(value, unit, ROUND_DOWN)


def scale_of(values: Iterable[Decimal]) -> int:
    """10**k so that every percentage times it is a whole number (priced in integers)."""
    digits = max(-min(0, int(v.as_tuple().exponent)) for v in values)
    return 10**digits
