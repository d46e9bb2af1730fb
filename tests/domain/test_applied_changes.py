"""A base with some of a redline's changes applied: none gives the base, all give the redline,
and every change of `ws diff` can be applied alone or is refused as not a contract."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from slamodeler.domain.applied_changes import changes_between, with_changes
from slamodeler.domain.contract import Contract
from tests.helpers.strategies import contracts


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(contracts(), contracts())
def test_no_change_gives_the_base_and_every_change_the_redline(base, redline):
    changes = changes_between(base, redline)
    assert with_changes(base, redline, []) == base
    whole = with_changes(base, redline, changes)
    assert whole is not None and changes_between(whole, redline) == []  # sets in any order
    for change in changes:  # each alone: a contract, or None when it is not one alone
        alone = with_changes(base, redline, [change])
        assert alone is None or changes_between(base, alone)


def test_items_come_and_go_whole_and_members_one_by_one():
    from slamodeler.io.contract_file import load_contract
    from tests.helpers.paths import SAMPLES

    base = load_contract(SAMPLES / "three_tier_cloud.yaml")
    data = base.model_dump(mode="python")
    data["tiers"][0]["credits"]["bands"].pop()  # a band removed
    data["tiers"].append({**data["tiers"][1], "name": "Platinum"})  # a tier added
    data["exclusions"]["causes"] = ["maintenance", "third_party"]  # one out, one in... and one
    data["liability_cap"] = None  # a whole cap gone
    data["measurement"]["impact_weights"]["0.5"] = 0.5  # a label with a dot in it
    redline = Contract.model_validate(data)
    changes = changes_between(base, redline)
    by_what = {c.what: c for c in changes}
    only_tier = with_changes(base, redline, [by_what["Tier added"]])
    assert only_tier is not None and [t.name for t in only_tier.tiers][-1] == "Platinum"
    assert only_tier.liability_cap == base.liability_cap
    causes = [c for c in changes if c.path == "exclusions.causes"]
    assert len(causes) == 3
    one = with_changes(base, redline, [next(c for c in causes if c.after == "third_party")])
    assert one is not None
    assert sorted(one.exclusions.causes) == sorted([*base.exclusions.causes, "third_party"])
    cap = next(c for c in changes if c.path.startswith("liability_cap"))
    no_cap = with_changes(base, redline, [cap])
    assert no_cap is not None and no_cap.liability_cap is None
    label = next(c for c in changes if c.path.endswith("0.5"))
    weighed = with_changes(base, redline, [label])
    assert weighed is not None and "0.5" in weighed.measurement.impact_weights
