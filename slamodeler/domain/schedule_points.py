"""Where one point of a band or linear schedule may go: the validation rules of
``credit_schedules`` (thresholds strictly decreasing and within 0..100, credits non-negative and
never falling as availability falls) turned into the range a dragged point is kept in, on a grid
of round steps so the contract says 99.95, not 99.9500000001."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal

AVAILABILITY_STEP = Decimal("0.01")  # points of availability
CREDIT_STEP = Decimal("0.5")  # points of credit %

Point = tuple[Decimal, Decimal]  # (threshold or availability %, credit %)


@dataclass(frozen=True)
class Steps:
    """The grid a dragged point snaps to."""

    availability: Decimal = AVAILABILITY_STEP
    credit: Decimal = CREDIT_STEP


DEFAULT_STEPS = Steps()


@dataclass(frozen=True)
class PointRange:
    """The closed ranges (on the grid) a point's availability and credit may take; ``credit_high``
    is None for the last point (nothing below it caps its credit)."""

    availability_low: Decimal
    availability_high: Decimal
    credit_low: Decimal
    credit_high: Decimal | None


def _grid(value: Decimal, step: Decimal, rounding: str) -> Decimal:
    """``value`` on the grid of ``step``, rounded as asked, written with the step's decimals."""
    return ((value / step).to_integral_value(rounding=rounding) * step).quantize(step)


def _above(value: Decimal, step: Decimal) -> Decimal:
    """The first grid value strictly above ``value``."""
    below_or_at = _grid(value, step, ROUND_FLOOR)
    return below_or_at + step


def _under(value: Decimal, step: Decimal) -> Decimal:
    """The last grid value strictly under ``value``."""
    at_or_above = _grid(value, step, ROUND_CEILING)
    return at_or_above - step


def allowed_range(points: list[Point], index: int, steps: Steps = DEFAULT_STEPS) -> PointRange:
    """The grid values point ``index`` may take with its neighbours where they are: availability
    strictly between the neighbours' (and within 0..100), credit from the point above's up to the
    point below's (and not negative). Where no grid value fits (neighbours closer than a step),
    the range is the point's own coordinate, so it stays where it is."""
    x, y = points[index]
    above = points[index - 1] if index > 0 else None
    below = points[index + 1] if index + 1 < len(points) else None
    x_low = (
        _above(below[0], steps.availability) if below else Decimal(0).quantize(steps.availability)
    )
    x_high = (
        _under(above[0], steps.availability) if above else Decimal(100).quantize(steps.availability)
    )
    if x_low > x_high:
        x_low = x_high = x
    y_low = (
        _grid(above[1], steps.credit, ROUND_CEILING) if above else Decimal(0).quantize(steps.credit)
    )
    y_high = _grid(below[1], steps.credit, ROUND_FLOOR) if below else None
    if y_high is not None and y_low > y_high:
        y_low = y_high = y
    return PointRange(x_low, x_high, y_low, y_high)


def place(points: list[Point], index: int, target: Point, steps: Steps = DEFAULT_STEPS) -> Point:
    """Where point ``index`` lands when dragged to ``target``: snapped to the grid, then kept
    inside ``allowed_range`` so the schedule stays valid."""
    bounds = allowed_range(points, index, steps)
    x = _grid(target[0], steps.availability, ROUND_HALF_EVEN)
    y = _grid(target[1], steps.credit, ROUND_HALF_EVEN)
    x = min(max(x, bounds.availability_low), bounds.availability_high)
    y = max(y, bounds.credit_low)
    if bounds.credit_high is not None:
        y = min(y, bounds.credit_high)
    return x, y


def as_text(value: Decimal) -> str:
    """A number as a contract writes it: 99.95, 25 (no trailing zeros, no exponent)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text
