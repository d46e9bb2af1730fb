"""Random contracts whose tiers carry per-incident credits, for replay and simulation tests."""

from __future__ import annotations

from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from tests.helpers.strategies import contracts


@st.composite
def incident_credit_terms(draw) -> dict:
    """A tier's ``incident_credits``: flat, per hour (started, whole or exact) or both."""
    per_hour = draw(st.sampled_from(["0", "1.5", "2"]))
    return {
        "longer_than_minutes": draw(st.sampled_from([0, 5, 30, 60])),
        "credit_pct": draw(st.sampled_from(["0", "5", "2.5"] if per_hour != "0" else ["5"])),
        "credit_pct_per_hour": per_hour,
        "hours": draw(st.sampled_from(["started", "whole", "exact"])),
        "max_pct_per_incident": draw(st.sampled_from([None, "10", "7.25"])),
    }


@st.composite
def contracts_with_incident_credits(draw) -> Contract:
    hours = draw(st.booleans())  # an incident's downtime then counts in service hours only
    data = draw(contracts(slot_rules=True, service_hours=hours)).model_dump(mode="json")
    data["measurement"]["window"] = None
    terms = draw(incident_credit_terms())
    for tier in data["tiers"]:
        tier["scope"]["zones"] = None
        if draw(st.booleans()):
            tier["incident_credits"] = terms
    data["tiers"][0]["incident_credits"] = terms
    return Contract.model_validate(data)
