"""Random incident histories and replay ranges shared by the replay property tests."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.domain.incidents import Incident
from tests.helpers.builders import ts
from tests.helpers.strategies import CAUSES

LABELS = ["full", "partial", "degraded", "none"]
RANGE_START = ts("2024-01-15T00:00")  # history from mid-January to early May 2024
RANGE_SECONDS = 110 * 86400


@st.composite
def incident_lists(draw, max_size=20) -> list[Incident]:
    out = []
    for n in range(draw(st.integers(0, max_size))):
        start = RANGE_START + draw(st.integers(0, RANGE_SECONDS))
        length = draw(st.sampled_from([0, 30, 60, 299, 300, 3600]) | st.integers(0, 3 * 86400))
        impact = draw(st.sampled_from(LABELS) | st.decimals(0, 1, places=4))
        out.append(
            Incident(
                id=f"i{n}",
                start=start,
                end=start + length,
                impact=impact,
                cause=draw(st.sampled_from(CAUSES)),
                service=draw(st.sampled_from(["", "A", "B"])),
                region=draw(st.sampled_from(["", "r1", "r3"])),
                title=f"incident {n}",
                row=n + 2,
            )
        )
    return out


def replay_range(contract: Contract) -> tuple[str, str]:
    if contract.measurement.period == "quarter":
        return "2024-Q1", "2024-Q2"
    return "2024-01", "2024-05"


SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
