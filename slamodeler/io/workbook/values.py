"""Values as the cells hold them: percentages as fractions, whole numbers as ints, non-finite
statistics as blanks."""

from __future__ import annotations

import calendar
import math
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any


def as_fraction(value: Decimal | Fraction | float) -> float:
    """A percentage (99.9) as the fraction a percent-formatted cell holds (0.999), the double
    nearest to the exact value: thresholds and availabilities compare exactly."""
    if isinstance(value, Decimal):
        return float(Fraction(value) / 100)
    if isinstance(value, Fraction):
        return float(value / 100)
    return value / 100


def num(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months (the 31st becomes the month's last day when it has none)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def put_value(cell: Any, value: object, style: str) -> None:
    cell.value = value
    cell.style = style


def optional_fraction(value: Decimal | None) -> float | None:
    return None if value is None else as_fraction(value)


def finite(value: float) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None
