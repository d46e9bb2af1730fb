"""Fiscal periods and measured windows (measurement.year_starts, measurement.window): the replay
agrees with the plain per-slot reference on random contracts and histories, and a window's row
explains every minute it counts."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import MONTH_NAMES, Contract
from tests.helpers.agreement import replay_agrees_with_reference
from tests.helpers.strategies import contracts, incident_lists


@st.composite
def windowed_contracts(draw) -> Contract:
    """A random contract with a random period kind, first month of the year and window."""
    data = draw(contracts()).model_dump(mode="json")
    data["measurement"]["period"] = draw(st.sampled_from(["month", "quarter", "quarter", "year"]))
    data["measurement"]["year_starts"] = draw(st.sampled_from(MONTH_NAMES))
    if data["measurement"]["period"] == "year":  # keep the per-slot reference quick
        data["measurement"]["slot_minutes"] = 15
    data["measurement"]["window"] = draw(
        st.none()
        | st.fixed_dictionaries(
            {"kind": st.sampled_from(["rolling", "claim"]), "days": st.integers(1, 40)}
        )
    )
    return Contract.model_validate(data)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(windowed_contracts(), incident_lists())
def test_engine_agrees_with_the_reference_on_fiscal_periods_and_windows(contract, incidents):
    # YYYY-MM labels name the period holding that month, whatever the kind.
    replay_agrees_with_reference(contract, incidents, "2024-02", "2024-04")
