"""Term differences grouped into the changes a user made, each judged once."""

from __future__ import annotations

import copy

from slamodeler.domain.contract import Contract
from slamodeler.domain.contract_changes import user_changes
from slamodeler.domain.contract_diff import diff_contracts
from tests.helpers.builders import BASE, contract

WINDOW = {"every": "week", "day": "sunday", "start": "02:00", "minutes": 120}


def rows(old, new):
    return [str(c) for c in user_changes(diff_contracts(old, new))]


def test_an_added_maintenance_window_is_one_weakening_change():
    old = contract(exclusions={"causes": ["customer"]})
    new = contract(exclusions={"causes": ["customer"], "maintenance_windows": [WINDOW]})
    assert len(diff_contracts(old, new)) == 4  # every, day, start, minutes: all stored
    [change] = user_changes(diff_contracts(old, new))
    assert (change.kind, change.weakens, change.path) == (
        "added",
        True,
        "exclusions.maintenance_windows[0]",
    )
    assert str(change) == (
        "Maintenance window 1 added: every Sunday 02:00, 120 min  WEAKENS: maintenance window added"
    )


def test_a_changed_band_credit_is_one_change_with_old_and_new():
    bands = [{"below": 99.9, "credit_pct": 10}, {"below": 99.0, "credit_pct": 20}]
    new = contract(tier={"name": "Silver", "credits": {"kind": "bands", "bands": bands}})
    old_bands = [{"below": 99.9, "credit_pct": 10}, {"below": 99.0, "credit_pct": 25}]
    old = contract(tier={"name": "Silver", "credits": {"kind": "bands", "bands": old_bands}})
    [change] = user_changes(diff_contracts(old, new))
    assert (change.what, change.before, change.after) == ("Silver, band 2, credit %", "25", "20")
    assert str(change) == "Silver, band 2, credit %: 25 -> 20  WEAKENS: credit lowered"


def test_an_added_band_and_an_added_tier_are_one_change_each():
    data = copy.deepcopy(BASE)
    gold = dict(copy.deepcopy(data["tiers"][0]), name="Gold", target_pct=99.95)
    gold["credits"]["bands"] = [{"below": 99.95, "credit_pct": 10}]
    data["tiers"].append(gold)
    with_gold = Contract.model_validate(data)
    assert rows(contract(), with_gold) == [
        "Tier added: Gold, target 99.95%, monthly fee 1000, bands (boundary below): "
        "below 99.95% gives 10%  WEAKENS: credit schedule replaced: review the new one"
    ]  # (a new schedule is flagged for review, as the stored term changes always did)
    data["tiers"][1]["credits"]["bands"].append({"below": 99.0, "credit_pct": 25})
    assert rows(with_gold, Contract.model_validate(data)) == [
        "Gold, band 2 added: below 99.0% gives 25%"
    ]


def test_a_removed_band_weakens_and_each_cause_is_its_own_change():
    old = contract(exclusions={"causes": ["customer"]})
    new = contract(
        exclusions={"causes": ["beta", "third_party"]},
        tier={"credits": {"kind": "bands", "bands": [{"below": 99.9, "credit_pct": 10}]}},
    )
    assert rows(old, new) == [
        "Excluded cause removed: customer",
        "Excluded cause added: beta  WEAKENS: exclusion added",
        "Excluded cause added: third_party  WEAKENS: exclusion added",
        "T, band 2 removed: below 99.0% gives 25%  WEAKENS: band removed",
        "T, band 3 removed: below 95.0% gives 100%  WEAKENS: band removed",
    ]
