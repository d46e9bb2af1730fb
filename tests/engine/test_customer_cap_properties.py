"""The cap per customer across tiers: replay agrees with the per-slot reference (rule 27 of
tests/helpers/reference_replay.py) on random contracts, and never pays a customer more than the
cap in a term."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.engine.replay import replay
from tests.helpers.agreement import replay_agrees_with_reference
from tests.helpers.strategies import SETTINGS, contracts, incident_lists, replay_range


@st.composite
def capped_contracts(draw) -> Contract:
    """A random contract given a customer cap over some of its tiers (all of them at times)."""
    data = draw(contracts()).model_dump(mode="python")
    names = [t["name"] for t in data["tiers"]]
    held = draw(st.sampled_from([[], names[:1], names[-1:], names]))
    cap: dict[str, object] = {"tiers": held}
    kind = draw(st.sampled_from(["amount", "pct", "both"]))
    if kind in ("amount", "both"):
        cap["amount"] = draw(st.decimals(0, 300, places=2))
    if kind in ("pct", "both"):
        cap["pct_of_annual_fees"] = draw(st.decimals(0, 8, places=1))
    for tier in data["tiers"]:
        tier["customers"] = 1
    data["customer_cap"] = cap
    return Contract.model_validate(data)


@SETTINGS
@given(capped_contracts(), incident_lists())
def test_replay_with_a_customer_cap_agrees_with_the_reference(contract, incidents):
    replay_agrees_with_reference(contract, incidents, *replay_range(contract))


@SETTINGS
@given(capped_contracts(), incident_lists())
def test_the_cap_only_removes_and_says_how_much(contract, incidents):
    first, last = replay_range(contract)
    capped = replay(contract, incidents, first=first, last=last)
    free = replay(contract.model_copy(update={"customer_cap": None}), incidents, first, last)
    for with_cap, without in zip(capped.tiers, free.tiers, strict=True):
        for a, b in zip(with_cap.periods, without.periods, strict=True):
            removed = b.credit_after_caps - a.credit_after_caps
            assert a.capped_by_customer + (a.below_min_credit - b.below_min_credit) == removed
            assert a.capped_by_customer >= 0 and a.credit_after_caps <= b.credit_after_caps
