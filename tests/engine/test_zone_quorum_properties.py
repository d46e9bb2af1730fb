"""k of n zones: the replay agrees with the plain per-slot reference (tests/helpers/
reference_replay.py, reading 25) on random contracts with a zone rule and histories with zones,
and the period's list of zones down explains its downtime."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.domain.incidents import Incident
from slamodeler.engine.zone_quorum import EVERY_ZONE_LABEL
from tests.helpers.agreement import replay_agrees_with_reference
from tests.helpers.builders import ts
from tests.helpers.strategies import CAUSES, contracts

ZONE_NAMES = ["", "az1", "AZ2", "az3", "az4"]
RANGE_START = ts("2024-01-25T00:00")
RANGE_SECONDS = 60 * 86400


@st.composite
def zoned_contracts(draw) -> Contract:
    data = draw(contracts()).model_dump(mode="json")
    of = draw(st.lists(st.sampled_from(["az1", "az2", "az3"]), unique=True))
    at_least = draw(st.integers(1, len(of) or 3))
    data["tiers"][0]["scope"]["zones"] = {"at_least": at_least, "of": of}
    return Contract.model_validate(data)


@st.composite
def zoned_incidents(draw) -> list[Incident]:
    out = []
    for n in range(draw(st.integers(0, 16))):
        start = RANGE_START + draw(st.integers(0, RANGE_SECONDS))
        length = draw(st.sampled_from([0, 60, 299, 3600]) | st.integers(0, 2 * 86400))
        out.append(
            Incident(
                id=f"i{n}",
                start=start,
                end=start + length,
                impact=draw(st.sampled_from(["full", "partial", "degraded"])),
                cause=draw(st.sampled_from(CAUSES)),
                service=draw(st.sampled_from(["", "A"])),
                region=draw(st.sampled_from(["", "r1"])),
                row=n + 2,
                zone=draw(st.sampled_from(ZONE_NAMES)),
            )
        )
    return out


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(zoned_contracts(), zoned_incidents())
def test_engine_agrees_with_the_reference_under_a_zone_rule(contract, incidents):
    first, last = (
        ("2024-Q1", "2024-Q2")
        if contract.measurement.period == "quarter"
        else (
            "2024-01",
            "2024-04",
        )
    )
    engine = replay_agrees_with_reference(contract, incidents, first, last)
    rule = contract.tiers[0].scope.zones
    for tier in engine.tiers:
        for got in tier.periods:
            down = got.zones_down
            assert down is not None
            assert bool(down) == (got.downtime_minutes > 0)
            assert all(0 < m <= got.downtime_minutes for m in down.values())
            if down and EVERY_ZONE_LABEL not in down:
                assert len(down) >= rule.at_least
