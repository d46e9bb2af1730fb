"""Per-incident credits and support targets under a rolling or claim window (docs/measurement.md,
section 1b): the replay agrees with the plain per-slot reference (tests/helpers/
reference_replay.py, rule 24a) on random contracts, incidents and tickets: the window measures
availability, the credits go to the row billing the stretch the incident or ticket falls in."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from tests.helpers.agreement import replay_agrees_with_reference
from tests.helpers.incident_credit_terms import contracts_with_incident_credits
from tests.helpers.strategies import incident_lists, replay_range
from tests.helpers.support_strategies import support_terms, tickets


@st.composite
def windowed_contracts(draw) -> Contract:
    """A contract with per-incident credits on its first tier, support targets on its last, and
    a rolling or claim window of a random length (short windows keep the reference quick)."""
    data = draw(contracts_with_incident_credits()).model_dump(mode="json")
    data["measurement"]["service_hours"] = None
    kind = draw(st.sampled_from(["rolling", "claim"]))
    data["measurement"]["window"] = {"kind": kind, "days": draw(st.integers(1, 40))}
    tier = data["tiers"][-1]
    tier["monthly_fee"] = str(max(Decimal(tier["monthly_fee"]), 1))  # an amount per miss
    tier["support"] = draw(support_terms(service_hours=False))
    return Contract.model_validate(data)


@settings(
    max_examples=60,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking a 5-month replay: minutes
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(windowed_contracts(), incident_lists(), tickets())
def test_replay_under_a_window_agrees_with_the_reference(terms, incidents, found):
    replay_agrees_with_reference(terms, incidents, *replay_range(terms), found)
