"""Term-by-term contract differences, and which of them weaken a commitment to customers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from slamodeler.domain.contract_diff import diff_contracts
from tests.helpers.builders import contract

D = Decimal


def changes(old, new):
    return {c.path: (c.before, c.after, c.weakens, c.why) for c in diff_contracts(old, new)}


def test_identical_contracts_have_no_differences():
    assert diff_contracts(contract(), contract()) == []


@pytest.mark.parametrize(
    ("tier", "path", "why"),
    [
        ({"target_pct": 99.5}, "tiers[T].target_pct", "target lowered"),
        (
            {
                "credits": {
                    "kind": "bands",
                    "bands": [
                        {"below": 99.9, "credit_pct": 5},
                        {"below": 99.0, "credit_pct": 25},
                        {"below": 95.0, "credit_pct": 100},
                    ],
                }
            },
            "tiers[T].credits.bands[0].credit_pct",
            "credit lowered",
        ),
        (
            {
                "credits": {
                    "kind": "bands",
                    "boundary": "below",
                    "bands": [
                        {"below": 99.8, "credit_pct": 10},
                        {"below": 99.0, "credit_pct": 25},
                        {"below": 95.0, "credit_pct": 100},
                    ],
                }
            },
            "tiers[T].credits.bands[0].below",
            "band threshold lowered: hit less often",
        ),
        ({"caps": {"per_period_pct": 50}}, "tiers[T].caps.per_period_pct", "cap added"),
        (
            {"scope": {"services": ["Compute"]}},
            "tiers[T].scope.services",
            "scope narrowed: fewer incidents count",
        ),
    ],
)
def test_weakening_tier_changes_are_flagged(tier, path, why):
    found = changes(contract(), contract(tier=tier))
    assert found[path][2:] == (True, why)


def test_strengthening_changes_are_not_flagged():
    old = contract(tier={"caps": {"per_period_pct": 30}})
    new = contract(tier={"target_pct": 99.95, "caps": {"per_period_pct": 60}, "monthly_fee": 1200})
    found = changes(old, new)
    assert found["tiers[T].target_pct"] == (D("99.9"), D("99.95"), False, "")
    assert found["tiers[T].caps.per_period_pct"][2] is False
    assert found["tiers[T].monthly_fee"][2] is False  # a price, not a commitment


def test_new_exclusion_and_contract_level_weakenings():
    old = contract(
        exclusions={"causes": ["customer"], "excluded_time": "remove"},
        claims={"min_credit": 1, "claim_rate": 1},
    )
    new = contract(
        exclusions={
            "causes": ["customer", "third_party"],
            "excluded_time": "available",
            "maintenance_windows": [{"every": "day", "start": "01:00", "minutes": 30}],
        },
        claims={"min_credit": 5, "claim_rate": 1},
        liability_cap={"amount": 10000},
    )
    found = changes(old, new)
    assert found["exclusions.causes"][2:] == (True, "exclusion added: third_party")
    assert found["exclusions.excluded_time"][2:] == (True, "excluded time counts as available")
    assert found["claims.min_credit"][2:] == (True, "minimum credit raised")
    assert found["exclusions.maintenance_windows[0].minutes"][2:] == (
        True,
        "maintenance window added",
    )
    assert found["liability_cap.amount"][2:] == (True, "liability cap added")


def test_boundary_and_removed_band():
    old = contract(
        tier={
            "credits": {
                "kind": "bands",
                "boundary": "at_or_below",
                "bands": [{"below": 99.9, "credit_pct": 10}, {"below": 99.0, "credit_pct": 25}],
            }
        }
    )
    new = contract(
        tier={
            "credits": {
                "kind": "bands",
                "boundary": "below",
                "bands": [{"below": 99.9, "credit_pct": 10}],
            }
        }
    )
    found = changes(old, new)
    assert found["tiers[T].credits.boundary"][2] is True
    assert found["tiers[T].credits.bands[1].below"][2:] == (True, "band removed")
    assert str(diff_contracts(old, new)[0]).startswith("tiers[T].credits.boundary: at_or_below")


def test_measurement_and_claim_clauses_that_weaken_are_flagged_with_why():
    """The clauses real SLAs added (docs/measurement.md): each way that gives customers less."""
    old = contract(measurement={"slot_counting": "any", "overlaps": "add"})
    new = contract(
        measurement={"slot_counting": "whole", "overlaps": "worst", "down_above": 0.05},
        claims={"min_credit": 0, "claim_rate": 1, "claim_deadline_days": 30},
        customer_cap={"amount": 5000},
    )
    found = changes(old, new)
    assert found["measurement.slot_counting"][2:] == (True, "partial slots no longer count")
    assert found["measurement.overlaps"][2:] == (True, "overlapping outages no longer add up")
    assert found["measurement.down_above"][2] is True  # either way possible: reviewed
    assert found["claims.claim_deadline_days"][2:] == (
        True,
        "claim deadline added: late claims are forfeited",
    )
    assert found["customer_cap.amount"][2:] == (True, "customer cap added")
    back = changes(new, old)
    assert back["measurement.slot_counting"][2] is False
    assert back["measurement.overlaps"][2] is False
    assert back["claims.claim_deadline_days"][2] is False
    assert back["customer_cap.amount"][2] is False


def test_a_band_given_a_lower_end_weakens_and_losing_it_does_not():
    bands = [{"below": 99.9, "credit_pct": 10}, {"below": 99.0, "credit_pct": 25}]
    ended = [bands[0] | {"above": 99.0}, bands[1]]
    plain = contract(tier={"credits": {"kind": "bands", "bands": bands}})
    with_end = contract(tier={"credits": {"kind": "bands", "bands": ended}})
    path = "tiers[T].credits.bands[0].above"
    assert changes(plain, with_end)[path][2:] == (
        True,
        "band given a lower end: below it, it pays nothing",
    )
    assert changes(with_end, plain)[path][2] is False  # the band reaches down again


def test_a_termination_right_removed_or_loosened_weakens():
    three = contract(chronic_failure={"missed": 3, "of": 6})
    assert changes(three, contract())["chronic_failure.missed"][2:] == (
        True,
        "termination right removed",
    )
    looser = changes(three, contract(chronic_failure={"missed": 4, "of": 5}))
    assert looser["chronic_failure.missed"][2:] == (True, "termination right: more misses needed")
    assert looser["chronic_failure.of"][2:] == (
        True,
        "termination right: misses must fall closer together",
    )
    assert changes(contract(), three)["chronic_failure.missed"][2] is False
