"""Where one point of a band or linear schedule may go: the validation rules of
``credit_schedules`` (thresholds strictly decreasing and within 0..100, credits non-negative and
never falling as availability falls) turned into the range a dragged point is kept in, on a grid
of round steps so the contract says 99.95, not 99.9500000001; and the outline the points draw.
A contract document holds each number as its exact decimal text: ``exact`` and ``as_text`` are
the one conversion between that text and the numbers here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

AVAILABILITY_STEP = Decimal("0.01")  # points of availability
CREDIT_STEP = Decimal("0.5")  # points of credit %

Point = tuple[Decimal, Decimal]  # (threshold or availability %, credit %)

SCHEDULE_LISTS = {
    # kind of schedule: (the key of its list of points, the key of a point's availability)
    "bands": ("bands", "below"),
    "linear": ("points", "availability_pct"),
}


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


def fits(points: list[Point], index: int, point: Point, steps: Steps = DEFAULT_STEPS) -> bool:
    """Whether point ``index`` may be at ``point``: where ``place`` would leave it (on the grid,
    between its neighbours), so the schedule it makes is valid."""
    return place(points, index, point, steps) == point


def _numeric(credits: Mapping[str, Any]) -> list[tuple[Mapping[str, Any], Decimal, Decimal]]:
    """The items of a band or linear schedule whose threshold and credit are numbers yet, with
    those numbers; none for other kinds."""
    keys = SCHEDULE_LISTS.get(credits.get("kind") or "")
    if keys is None:
        return []
    out = []
    for item in credits.get(keys[0]) or []:
        x, y = exact(item.get(keys[1])), exact(item.get("credit_pct"))
        if x is not None and y is not None:
            out.append((item, x, y))
    return out


def points_of(credits: Mapping[str, Any]) -> list[Point]:
    """The points of a band or linear schedule as a contract document holds it (plain data,
    valid or not), leaving out any that are not numbers yet; none for other kinds."""
    return [(x, y) for _, x, y in _numeric(credits)]


def lower_ends_of(credits: Mapping[str, Any]) -> list[Decimal | None]:
    """Each point's band's stated lower end (``above``), in the order of ``points_of``; None
    where a band states none (it reaches down to 0%) and for curve points."""
    if credits.get("kind") != "bands":
        return [None for _ in _numeric(credits)]
    return [exact(item.get("above")) for item, _, _ in _numeric(credits)]


def outline(
    kind: str, points: list[Point], low: Decimal, lower_ends: list[Decimal | None] | None = None
) -> list[Point]:
    """The penalty curve from 100% down to ``low``: zero above the first threshold; steps for
    bands (the credit of the lowest band hit), straight lines between curve points. Bands that
    state a lower end (``lower_ends``) drop back to the credit of the band still hit there, or
    to zero in a gap the text leaves between two bands."""
    zero = Decimal(0)
    if kind == "bands" and lower_ends and any(a is not None for a in lower_ends):
        return _banded(points, lower_ends, low)
    out: list[Point] = [(Decimal(100), zero)]
    if not points:
        return [*out, (low, zero)]
    for i, (x, y) in enumerate(points):
        before = zero if i == 0 else points[i - 1][1]
        out.append((x, before))
        if kind == "bands" or i == 0:
            out.append((x, y))
    out.append((low, points[-1][1]))
    return out


def _banded(points: list[Point], lower_ends: list[Decimal | None], low: Decimal) -> list[Point]:
    """Bands with ends: between each two neighbouring ends, the credit of the lowest band that
    holds the stretch (bands are in falling order), zero where none does."""
    edges = sorted(
        {Decimal(100), low, *(x for x, _ in points if x > low)}
        | {a for a in lower_ends if a is not None and a > low},
        reverse=True,
    )
    out: list[Point] = []
    for high, under in pairwise(edges):
        mid = (high + under) / 2
        held = [
            y
            for (x, y), a in zip(points, lower_ends, strict=True)
            if mid < x and (a is None or a < mid)
        ]
        credit = held[-1] if held else Decimal(0)
        out += [(high, credit), (under, credit)]
    return out


def exact(value: Any) -> Decimal | None:
    """A number the document holds (its exact text, or a number as typed) as a Decimal; None when
    it is not a finite number."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def as_text(value: Decimal) -> str:
    """A number as a contract writes it: 99.95, 25 (no trailing zeros, no exponent)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text
