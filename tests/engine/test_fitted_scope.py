"""A fitted scenario hits the services and regions its history hit, and no others: replay and
simulation of the same history agree on which tiers are reached (one scope rule for both)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from pydantic import ValidationError

from slamodeler.domain.contract import Contract
from slamodeler.domain.scenario import Scenario, Scope
from slamodeler.engine.fitted_scenario import report_to_scenario
from slamodeler.engine.fitting import fit_incidents
from slamodeler.engine.horizon import reaches
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import book_notes, period_credits, simulate, trial_incidents
from tests.helpers.builders import contract, history, scenario


def scoped_tiers(*scopes: dict[str, list[str]]) -> Contract:
    """One tier per scope, named after its services (or regions), 10 customers each."""
    base = contract(tier={"customers": 10})
    tiers = [
        base.tiers[0].model_copy(
            update={
                "name": "+".join(scope.get("services", []) + scope.get("regions", [])),
                "scope": base.tiers[0].scope.model_validate(scope),
                "monthly_fee": Decimal(1000),
            }
        )
        for scope in scopes
    ]
    return base.model_copy(
        update={"tiers": tiers, "term": base.term.model_copy(update={"months": 240})}
    )


def credits_replayed(terms: Contract, incidents: list) -> dict[str, Decimal]:
    result = replay(terms, incidents)
    return {t.tier: t.total("credit_after_caps") for t in result.tiers}


def test_a_history_on_service_a_reaches_tier_a_and_never_tier_b_in_replay_and_simulation():
    incidents = [replace(x, service="A") for x in history(120, seed=3)]
    terms = scoped_tiers({"services": ["A"]}, {"services": ["B"]})
    report = fit_incidents(incidents, source="a.csv")
    scenario = report_to_scenario(report, start="2026-01")
    assert scenario.processes[0].scope == Scope(service="A")

    replayed = credits_replayed(terms, incidents)
    assert replayed["A"] > 0 and replayed["B"] == 0

    run = simulate(terms, scenario, 400, seed=5)
    assert run.pricing["B"].issued.tolist() == [0] * 400  # zero in every trial
    assert run.pricing["A"].issued.mean() > 0
    assert run.notes == [
        "tier B: no process of the scenario reaches its scope; check the region and service names"
    ]


def test_incidents_on_several_components_reach_each_of_them_and_trials_replay_the_same():
    # Each incident of the history is on A, or on A and C at once (two rows, one id), in r1.
    rows = []
    for i, x in enumerate(history(90, seed=4)):
        one = replace(x, id=f"inc {i}", service="A", region="r1")
        rows += [one] + ([replace(one, service="C", row=x.row + 10_000)] if i % 3 == 0 else [])
    report = fit_incidents(rows, source="multi.csv")
    places = {
        (tuple(x["services"]), tuple(x["regions"])): x["incidents"]
        for x in report.to_dict()["places"]
    }
    assert places == {(("A",), ("r1",)): 60, (("A", "C"), ("r1",)): 30}

    terms = scoped_tiers(
        {"services": ["C"]},
        {"services": ["B"]},
        {"services": ["A"], "regions": ["r2"]},
        {"regions": ["r1"]},
    )
    scenario = report_to_scenario(report, start="2026-01")
    replayed = credits_replayed(terms, rows)
    run = simulate(terms, scenario, 300, seed=9)
    for name in ("B", "A+r2"):  # another service; the right one in another region
        assert replayed[name] == 0
        assert run.pricing[name].issued.tolist() == [0] * 300
    for name in ("C", "r1"):
        assert replayed[name] > 0 and run.pricing[name].issued.mean() > 0
    # Only a third of the incidents reach C, all of them reach r1.
    assert run.pricing["C"].issued.mean() < run.pricing["r1"].issued.mean()

    # A trial written out as an incident file (one row per component) replays to the same credits.
    found = trial_incidents(terms, scenario, 9, 300, [0, 17])
    first, last = run.horizon.periods[0].label, run.horizon.periods[-1].label
    for trial in (0, 17):
        again = replay(terms, found[trial], first=first, last=last)
        for tier in again.tiers:
            cents = [int(p.credit_after_caps * 100) for p in tier.periods]
            assert period_credits(run, tier.tier, [trial])[0].tolist() == cents


def test_a_history_that_names_no_service_or_region_fits_scope_all_and_says_so():
    incidents = [replace(x, service="", region="") for x in history(60, seed=2)]
    report = fit_incidents(incidents, source="plain.csv")
    scenario = report_to_scenario(report)
    assert scenario.processes[0].scope == "all"
    assert report.notes[0].startswith(
        "no incident names a service or a region, so the fit applies to every tier"
    )
    assert "Caveat: no incident names a service or a region" in scenario.description


@pytest.mark.parametrize(
    ("scope", "service", "region", "expected"),
    [
        ((("a",), ()), "A", "", True),  # names compared in any case
        ((("a",), ()), "B", "", False),
        ((("a",), ()), "", "x", True),  # not tied to a service: every service
        (((), ("r1",)), "B", "r1", True),  # the tier does not restrict services
        ((("a",), ("r1",)), "a", "r2", False),
        ((("a",), ("r1",)), " a ", "R1", True),
    ],
)
def test_one_rule_says_whether_an_incident_reaches_a_scope(scope, service, region, expected):
    assert reaches(scope, service, region) is expected


def test_a_mix_of_places_must_add_up_to_one():
    data = {
        "format": "slamodeler-scenario/v1",
        "name": "x",
        "start": "2026-01",
        "processes": [
            {
                "name": "p",
                "frequency": {"dist": "poisson", "rate_per_month": 1},
                "duration_minutes": {"dist": "exponential", "mean": 10},
                "scope": {
                    "mix": [{"services": ["A"], "share": 0.5}, {"regions": ["r"], "share": 0.4}]
                },
            }
        ],
    }
    with pytest.raises(ValidationError, match=r"shares add up to 0\.9; they must add up to 1"):
        Scenario.model_validate(data)


def _places_scenario(*places: tuple[list[str], float]) -> Scenario:
    """One process whose mix puts each share of its incidents in one region, and one in a
    region spelt wrong."""
    mix = [{"regions": regions, "share": share} for regions, share in places]
    return scenario(
        processes=[
            {
                "name": "mixed",
                "frequency": {"dist": "poisson", "rate_per_month": 1},
                "duration_minutes": {"dist": "exponential", "mean": 60},
                "scope": {"mix": mix},
            },
            {
                "name": "misspelt",
                "frequency": {"dist": "poisson", "rate_per_month": 1},
                "duration_minutes": {"dist": "exponential", "mean": 60},
                "scope": {"region": "us-east1"},
            },
        ]
    )


def test_a_process_whose_incidents_reach_no_tier_is_noted_all_or_by_its_share():
    """Drawn and counted nowhere: the misspelt region's process wholly, the mix's eu-west-1
    quarter (no tier is there)."""
    terms = scoped_tiers({"regions": ["us-east-1"]})
    scen = _places_scenario((["us-east-1"], 0.75), (["eu-west-1"], 0.25))
    run = simulate(terms, scen, 200, seed=5)
    assert run.notes == [
        "process mixed: 25.0% of its incidents (places of its mix) reach no tier",
        "process misspelt: its scope reaches no tier, so its incidents count nowhere; check the "
        "region and service names",
    ]


def test_a_book_notes_a_process_only_where_no_contract_of_it_reaches_it():
    """Two contracts, one in each region of the mix: each alone misses a share of the mix,
    the book none; the misspelt region reaches neither."""
    scen = _places_scenario((["us-east-1"], 0.75), (["eu-west-1"], 0.25))
    runs = [
        simulate(scoped_tiers({"regions": [region]}), scen, 200, seed=5)
        for region in ("us-east-1", "eu-west-1")
    ]
    assert (
        "process mixed: 75.0% of its incidents (places of its mix) reach no tier" in runs[1].notes
    )
    assert book_notes(runs) == [
        "process misspelt: its scope reaches no tier, so its incidents count nowhere; check the "
        "region and service names"
    ]
