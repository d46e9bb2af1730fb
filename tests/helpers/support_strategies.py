"""Random support tickets and support terms, for replay property tests."""

from __future__ import annotations

from hypothesis import strategies as st

from slamodeler.domain.support import Ticket
from tests.helpers.strategies import RANGE_SECONDS, RANGE_START


@st.composite
def tickets(draw) -> list[Ticket]:
    out = []
    for n in range(draw(st.integers(0, 12))):
        opened = RANGE_START + draw(st.integers(-86400, RANGE_SECONDS))
        wait = draw(st.none() | st.sampled_from([0, 900, 901, 3600]) | st.integers(0, 5 * 86400))
        priority = draw(st.sampled_from(["p1", "p2", "p3"]))
        out.append(
            Ticket(f"t{n}", priority, opened, None if wait is None else opened + wait, n + 2)
        )
    return out


@st.composite
def support_terms(draw, service_hours: bool) -> dict:
    targets = [
        {
            "priority": priority,
            "respond_within_minutes": draw(st.sampled_from([1, 15, 60, 240])),
            **draw(
                st.sampled_from(["credit_pct", "credit_amount"]).flatmap(
                    lambda key: st.fixed_dictionaries({key: st.decimals(0, 40, places=2)})
                )
            ),
            "max_pct_per_period": draw(st.none() | st.decimals(0, 30, places=1)),
        }
        for priority in draw(st.lists(st.sampled_from(["p1", "p2"]), min_size=1, unique=True))
    ]
    clock = draw(st.sampled_from(["around_the_clock", "service_hours"]))
    return {"clock": clock if service_hours else "around_the_clock", "targets": targets}
