"""A point of a band or linear schedule dragged anywhere lands on the grid, between its
neighbours, and the schedule it makes passes the contract's own validation."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from slamodeler.domain.credit_schedules import BandSchedule, LinearSchedule
from slamodeler.domain.schedule_points import (
    DEFAULT_STEPS,
    Point,
    Steps,
    allowed_range,
    as_text,
    lower_ends_of,
    outline,
    place,
    points_of,
)
from slamodeler.engine.credits import decide_credit
from tests.helpers.strategies import schedules


@st.composite
def valid_points(draw, min_size: int = 1, on_grid: bool = True) -> list[Point]:
    """Thresholds strictly decreasing in 0..100, credits non-decreasing: a valid schedule."""
    places = 2 if on_grid else 4
    xs = draw(
        st.lists(st.decimals(0, 100, places=places), min_size=min_size, max_size=6, unique=True)
    )
    ys = draw(st.lists(st.decimals(0, 150, places=1 if on_grid else 3), min_size=len(xs)))
    ys = ys[: len(xs)]
    if on_grid:
        ys = [(y * 2).to_integral_value() / 2 for y in ys]
    return list(zip(sorted(xs, reverse=True), sorted(ys), strict=True))


targets = st.tuples(st.floats(-50, 150, allow_nan=False), st.floats(-50, 300, allow_nan=False)).map(
    lambda t: (Decimal(str(t[0])), Decimal(str(t[1])))
)


def _bands(points: list[Point]) -> BandSchedule:
    bands = [{"below": as_text(x), "credit_pct": as_text(y)} for x, y in points]
    return BandSchedule.model_validate({"kind": "bands", "bands": bands})


def _linear(points: list[Point]) -> LinearSchedule:
    rows = [{"availability_pct": as_text(x), "credit_pct": as_text(y)} for x, y in points]
    return LinearSchedule.model_validate({"kind": "linear", "points": rows})


def _on_grid(value: Decimal, step: Decimal) -> bool:
    return value % step == 0


@given(valid_points(), st.data(), targets)
def test_a_dragged_point_lands_on_the_grid_and_keeps_the_schedule_valid(points, data, target):
    index = data.draw(st.integers(0, len(points) - 1))
    x, y = place(points, index, target)
    assert _on_grid(x, DEFAULT_STEPS.availability) and _on_grid(y, DEFAULT_STEPS.credit)
    moved = [*points[:index], (x, y), *points[index + 1 :]]
    _bands(moved)  # raises if the schedule is not valid
    if len(moved) >= 2:
        _linear(moved)
    bounds = allowed_range(points, index)
    assert bounds.availability_low <= x <= bounds.availability_high
    assert bounds.credit_low <= y and (bounds.credit_high is None or y <= bounds.credit_high)


@given(valid_points(on_grid=False), st.data(), targets)
def test_neighbours_off_the_grid_still_give_a_valid_schedule(points, data, target):
    index = data.draw(st.integers(0, len(points) - 1))
    moved = [*points[:index], place(points, index, target), *points[index + 1 :]]
    _bands(moved)


@given(valid_points(), st.data())
def test_a_target_inside_the_range_is_only_rounded(points, data):
    index = data.draw(st.integers(0, len(points) - 1))
    bounds = allowed_range(points, index)
    high = bounds.credit_high if bounds.credit_high is not None else Decimal(200)
    x = data.draw(st.decimals(bounds.availability_low, bounds.availability_high, places=2))
    y = data.draw(st.decimals(bounds.credit_low, high, places=1))
    y = (y * 2).to_integral_value() / 2
    assert place(points, index, (x, y)) == (x, y)


def test_a_point_dragged_past_its_neighbour_stops_a_step_short_of_its_threshold():
    points = [
        (Decimal("99.5"), Decimal(10)),
        (Decimal(99), Decimal(25)),
        (Decimal(95), Decimal(50)),
    ]
    assert place(points, 1, (Decimal("99.8"), Decimal("5"))) == (Decimal("99.49"), Decimal("10.0"))
    assert place(points, 1, (Decimal("90"), Decimal("70.3"))) == (Decimal("95.01"), Decimal("50.0"))
    assert place(points, 1, (Decimal("97.954"), Decimal("39.4"))) == (
        Decimal("97.95"),
        Decimal("39.5"),
    )
    assert as_text(Decimal("99.950")) == "99.95" and as_text(Decimal("25.0")) == "25"


def test_a_coarser_grid_is_honoured():
    points = [(Decimal("99.9"), Decimal(10)), (Decimal(99), Decimal(25))]
    steps = Steps(availability=Decimal("0.1"), credit=Decimal(5))
    assert place(points, 0, (Decimal("99.34"), Decimal("13")), steps) == (
        Decimal("99.3"),
        Decimal("15"),
    )
    assert place(points, 0, (Decimal("98"), Decimal("13")), steps) == (
        Decimal("99.1"),
        Decimal("15"),
    )


def test_a_gap_between_stated_bands_is_drawn_at_zero():
    """10% at or below 99.9% and above 99.5%, 25% below 99.0%: between 99.5% and 99.0% the text
    pays nothing, and the curve shows it (before, 10% was drawn down to 99.0%)."""
    credits = {
        "kind": "bands",
        "bands": [
            {"below": "99.9", "credit_pct": "10", "above": "99.5"},
            {"below": "99.0", "credit_pct": "25"},
        ],
    }
    points, ends = points_of(credits), lower_ends_of(credits)
    assert ends == [Decimal("99.5"), None]
    assert outline("bands", points, Decimal("98"), ends) == [
        (Decimal(100), Decimal(0)),
        (Decimal("99.9"), Decimal(0)),
        (Decimal("99.9"), Decimal(10)),
        (Decimal("99.5"), Decimal(10)),
        (Decimal("99.5"), Decimal(0)),
        (Decimal("99.0"), Decimal(0)),
        (Decimal("99.0"), Decimal(25)),
        (Decimal("98"), Decimal(25)),
    ]


@given(schedules().filter(lambda s: s["kind"] == "bands"), st.decimals(80, 100, places=4))
def test_the_drawn_bands_pay_what_the_engine_pays_between_their_ends(credits, availability):
    """Anywhere but exactly on an end (where the boundary rules decide, and a line cannot show
    a single point), the height of the drawn curve is the engine's credit."""
    low = Decimal(80)
    line = outline("bands", points_of(credits), low, lower_ends_of(credits))
    ends = {x for x, _ in line}
    if availability in ends or availability <= low:
        return
    drawn = next(y for (x0, y), (x1, _) in pairwise(line) if x1 < availability < x0)
    schedule = BandSchedule.model_validate(credits)
    paid = decide_credit(schedule, Decimal(100), Fraction(availability), Fraction(0), Fraction(1))
    assert drawn == paid.percent
