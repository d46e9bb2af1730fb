"""The dispute's matching rule and its per-period reconciliation, against hand-made sets."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from slamodeler.domain.incidents import Incident
from slamodeler.engine.dispute import match_incidents
from slamodeler.io.contract_file import load_contract
from slamodeler.services.dispute import reconcile_sets
from tests.helpers.dispute_sets import CONTRACT

H = 3600
MARCH_5 = 1709632800  # 2024-03-05T10:00:00Z


def inc(ident: str, start: int, end: int, row: int, impact: str = "full", **kw: str) -> Incident:
    return Incident(ident, start, end, impact, row=row, service="Compute", region="us-east-1", **kw)


def test_ids_match_first_and_the_rest_by_the_longest_overlap():
    ours = [
        inc("A", 0, H, 2),
        inc("row 3", 10 * H, 12 * H, 3),  # no id: matched by overlap
        inc("C", 20 * H, 21 * H, 4),
    ]
    theirs = [
        inc("A", 0, 2 * H, 2),
        inc("row 3", 9 * H, 10 * H + 60, 3),  # overlaps ours' row 3 by a minute
        inc("row 4", 11 * H, 13 * H, 4),  # overlaps it by an hour: this one is the match
        inc("Z", 40 * H, 41 * H, 5),
    ]
    pairs = {
        (p.ours.id if p.ours else None, p.theirs.id if p.theirs else None): p
        for p in match_incidents(ours, theirs)
    }
    assert set(pairs) == {("A", "A"), ("row 3", "row 4"), (None, "row 3"), ("C", None), (None, "Z")}
    assert pairs["A", "A"].matched_by == "id" and pairs["A", "A"].differences == ("end",)
    assert pairs["row 3", "row 4"].matched_by == "overlap"
    assert pairs["row 3", "row 4"].differences == ("start", "end")
    assert [p.kind for p in match_incidents(ours, theirs)] == [
        "differs",
        "only theirs",
        "differs",
        "only ours",
        "only theirs",
    ]


def test_incidents_on_different_services_never_match_by_overlap():
    ours = [inc("row 2", 0, H, 2)]
    theirs = [Incident("row 2", 0, H, "full", row=2, service="Storage", region="us-east-1")]
    assert [p.kind for p in match_incidents(ours, theirs)] == ["only ours", "only theirs"]


def test_a_claimed_outage_puts_its_period_and_credit_in_dispute():
    """March 2024 in Silver: our 10 minutes (INC-1005 after the window) against 130 with a
    claimed 2-hour outage; 44,580 - 110 excluded = 44,470 minutes, so 130 minutes is 99.708%,
    below 99.9%: 10% of 4,000 = 400 at stake. Bronze (99.5%) and Gold (already at 10%) owe the
    same either way, so only Silver's credit is at stake."""
    contract = load_contract(CONTRACT)
    ours = [inc("INC-1005", 1710053400, 1710058800, 6)]
    theirs = [*ours, inc("CLAIM-7", MARCH_5, MARCH_5 + 2 * H, 7)]
    found = reconcile_sets(contract, ours, theirs)
    assert [(p.tier, p.period) for p in found.periods] == [
        ("Bronze", "2024-03"),
        ("Silver", "2024-03"),
        ("Gold", "2024-03"),
    ]
    silver = found.periods[1]
    assert (silver.ours_minutes, silver.theirs_minutes, silver.difference) == (10, 130, 120)
    assert (silver.ours_credit, silver.theirs_credit, silver.at_stake) == (0, 400, 400)
    assert [(e.pair.label, e.ours_minutes, e.theirs_minutes) for e in silver.explaining] == [
        ("CLAIM-7 (row 7)", None, Decimal(120))
    ]
    assert found.at_stake("Silver") == 400 and found.at_stake("Bronze") == 0


def test_the_same_incidents_give_no_dispute():
    contract = load_contract(CONTRACT)
    ours = [inc("INC-1005", 1710053400, 1710058800, 6)]
    found = reconcile_sets(contract, ours, list(ours))
    assert found.periods == () and found.disputed == ()


def test_sets_over_different_months_are_replayed_over_both():
    contract = load_contract(CONTRACT)
    ours = [inc("A", MARCH_5, MARCH_5 + H, 2)]
    theirs = [inc("B", MARCH_5 + 60 * 24 * H, MARCH_5 + 61 * 24 * H, 2)]  # in May
    found = reconcile_sets(contract, ours, theirs)
    assert (found.ours.first, found.ours.last) == (found.theirs.first, found.theirs.last)
    assert {p.period for p in found.periods} == {"2024-03", "2024-05"}


def test_incidents_posted_with_no_duration_pair_at_the_same_instant():
    ours = [inc("row 2", 5 * H, 5 * H, 2), inc("row 3", 7 * H, 7 * H, 3)]
    theirs = [inc("row 2", 5 * H, 5 * H, 2), inc("row 3", 8 * H, 8 * H, 3)]
    assert [p.kind for p in match_incidents(ours, theirs)] == ["same", "only ours", "only theirs"]


def test_an_incident_that_counts_nothing_on_one_side_puts_no_period_in_dispute():
    """A zero-length blip only in the claim counts 0 minutes: March is not in dispute."""
    contract = load_contract(CONTRACT)
    ours = [inc("INC-1005", 1710053400, 1710058800, 6)]
    found = reconcile_sets(contract, ours, [*ours, inc("BLIP", MARCH_5, MARCH_5, 7)])
    assert [d.kind for d in found.disputed] == ["only theirs"]
    assert found.periods == ()


@st.composite
def record_and_claim(draw):
    """A record of incidents with ids, and a claim made from it by dropping some, moving the
    end of some, writing some without an id (matched by overlap, the same) and adding some of
    its own: what changed, by id."""
    n = draw(st.integers(1, 12))
    ours = [inc(f"INC-{k}", k * 10 * H, k * 10 * H + H, k + 2) for k in range(n)]
    fate = draw(
        st.lists(st.sampled_from(["keep", "drop", "move", "no id"]), min_size=n, max_size=n)
    )
    theirs = []
    for x, what in zip(ours, fate, strict=True):
        if what == "keep":
            theirs.append(x)
        elif what == "move":
            theirs.append(inc(x.id, x.start, x.end + 600, x.row))
        elif what == "no id":
            theirs.append(inc(f"row {x.row}", x.start, x.end, x.row))
    added = draw(st.integers(0, 3))
    theirs += [
        inc(f"CLAIM-{k}", k * 10 * H + 5 * H, k * 10 * H + 6 * H, 50 + k) for k in range(added)
    ]
    kinds = {"drop": "only ours", "move": "differs"}
    changed = {f"INC-{k}": kinds[w] for k, w in enumerate(fate) if w in kinds}
    changed.update({f"CLAIM-{k}": "only theirs" for k in range(added)})
    return ours, theirs, changed


@given(record_and_claim())
@settings(max_examples=60, deadline=None)
def test_the_disputed_incidents_are_exactly_those_changed(case):
    ours, theirs, changed = case
    pairs = match_incidents(ours, theirs)
    disputed = {(p.ours or p.theirs).id: p.kind for p in pairs if p.kind != "same"}
    assert disputed == changed
    assert len(pairs) == len(ours) + sum(v == "only theirs" for v in changed.values())
