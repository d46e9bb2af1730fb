"""Per-incident credits: the replay agrees with the plain per-slot reference (tests/helpers/
reference_replay.py, reading 30) on random contracts that carry them, and each period's
explanation names the incidents that earned one."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from slamodeler.domain.incidents import Incident
from slamodeler.engine.replay import replay
from tests.helpers.builders import ts
from tests.helpers.incident_credit_terms import contracts_with_incident_credits
from tests.helpers.reference_replay import reference_replay
from tests.helpers.replay_results import assert_agrees
from tests.helpers.strategies import CAUSES, replay_range

RANGE_START = ts("2024-01-25T00:00")
RANGE_SECONDS = 60 * 86400


@st.composite
def histories(draw) -> list[Incident]:
    out = []
    for n in range(draw(st.integers(0, 12))):
        start = RANGE_START + draw(st.integers(0, RANGE_SECONDS))
        length = draw(st.sampled_from([0, 60, 299, 1800, 3601]) | st.integers(0, 2 * 86400))
        out.append(
            Incident(
                id=f"i{draw(st.integers(0, 8))}",  # ids repeat: one incident on several rows
                start=start,
                end=start + length,
                impact=draw(st.sampled_from(["full", "partial", "degraded"])),
                cause=draw(st.sampled_from(CAUSES)),
                service=draw(st.sampled_from(["", "A"])),
                region=draw(st.sampled_from(["", "r1"])),
                row=n + 2,
            )
        )
    return out


@settings(
    max_examples=40,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking a 2-month replay: minutes
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(contracts_with_incident_credits(), histories())
def test_engine_agrees_with_the_reference_with_per_incident_credits(contract, incidents):
    first, last = replay_range(contract)
    engine = replay(contract, incidents, first=first, last=last)
    assert_agrees(engine, reference_replay(contract, incidents, first, last))
    for period in engine.tiers[0].periods:
        if period.incident_credits:  # names only incidents of the history, and pays
            said = period.incident_credits.split(": ", 1)[1].split("; ")
            assert {s.split(" ")[0] for s in said} <= {i.id for i in incidents}
            assert period.credit_pct > 0
