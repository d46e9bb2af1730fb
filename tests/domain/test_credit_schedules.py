"""The order rule that bands and linear curve points share: each step's threshold is below the
one before, and its credit is not smaller; a problem names the step and the field."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from slamodeler.domain.credit_schedules import BandSchedule, LinearSchedule


def bands(*steps: tuple[float, float]) -> dict:
    return {"kind": "bands", "bands": [{"below": b, "credit_pct": c} for b, c in steps]}


def points(*steps: tuple[float, float]) -> dict:
    return {
        "kind": "linear",
        "points": [{"availability_pct": a, "credit_pct": c} for a, c in steps],
    }


@pytest.mark.parametrize(
    ("schedule", "data", "problem"),
    [
        (
            BandSchedule,
            bands((99.9, 10), (99.0, 25), (99.5, 50)),
            "bands[2].below: must be lower than the band above's",
        ),
        (
            BandSchedule,
            bands((99.9, 10), (99.9, 25)),
            "bands[1].below: must be lower than the band above's",
        ),
        (
            BandSchedule,
            bands((99.9, 10), (99.0, 5)),
            "bands[1].credit_pct: a lower band must not give a smaller credit",
        ),
        (
            LinearSchedule,
            points((99.0, 0), (99.5, 50)),
            "points[1].availability_pct: points must be in decreasing order of availability",
        ),
        (
            LinearSchedule,
            points((99.9, 0), (99.0, 50), (95.0, 40)),
            "points[2].credit_pct: credit must not fall as availability falls",
        ),
    ],
)
def test_a_step_out_of_order_is_named(schedule, data, problem):
    with pytest.raises(ValidationError) as caught:
        schedule.model_validate(data)
    assert problem in str(caught.value)


def test_steps_in_order_with_equal_credits_are_valid():
    assert len(BandSchedule.model_validate(bands((99.9, 10), (99.0, 10))).bands) == 2
    assert len(LinearSchedule.model_validate(points((99.9, 0), (99.0, 0))).points) == 2
