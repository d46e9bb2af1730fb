"""Places in a contract in words: every field has a label, and paths read as an author says them."""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pytest
from pydantic import BaseModel

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import ContractError
from slamodeler.domain.field_names import ITEMS, LABELS, MAPPINGS, describe
from slamodeler.domain.validation import build
from tests.helpers.builders import BASE


def model_paths(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every field path the model can produce, list indexes left out, a mapping's keys as "*"."""
    paths: set[str] = set()
    for name, field in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        paths.add(path)
        paths |= _type_paths(field.annotation, path)
    return paths


def _type_paths(annotation: Any, path: str) -> set[str]:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _type_paths(get_args(annotation)[0], path)
    if origin in (Union, types.UnionType, list):
        return set().union(*(_type_paths(a, path) for a in get_args(annotation)))
    if origin is dict:
        return {f"{path}.*"} | _type_paths(get_args(annotation)[1], f"{path}.*")
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return model_paths(annotation, path)
    assert origin in (None, Literal, typing.Literal), f"{path}: walk {annotation} too"
    return set()


def test_every_field_of_the_contract_has_a_label():
    paths = model_paths(Contract)
    assert "tiers.credits.bands.credit_pct" in paths  # the walk reaches into the schedules
    assert "measurement.impact_weights.*" in paths
    assert sorted(paths - set(LABELS)) == [], "add a label to field_names.LABELS"
    assert sorted(set(LABELS) - paths) == [], "a label for a field that is no more"
    assert set(ITEMS) | MAPPINGS <= paths


GOLD = {"tiers": [{"name": "Bronze"}, {"name": "Silver"}, {"name": "Gold"}]}


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("tiers[2].credits.bands[1].credit_pct", "Gold, band 2, credit %"),
        (("tiers", 2, "credits", "bands", 1, "credit_pct"), "Gold, band 2, credit %"),
        ("tiers[0].credits.points[0].availability_pct", "Bronze, curve point 1, availability %"),
        ("tiers[1].caps.per_period_pct", "Silver, per-period cap %"),
        ("tiers[1].credits", "Silver, credit schedule"),
        ("tiers[1]", "Silver"),
        ("tiers[7].target_pct", "Tier 8, target %"),
        ("tiers[Gold].credits.bands[2].below", "Gold, band 3, availability below %"),
        ("exclusions.maintenance_windows[0].start", "Maintenance window 1, start (local time)"),
        ("exclusions.causes[1]", "Excluded cause 2"),
        ("measurement.impact_weights.partial", 'Impact weight of "partial"'),
        ("claims.minimum_credit", 'Claims, "minimum_credit"'),  # an unknown key, as written
        ("timezone", "Time zone"),
        ("claims.foo[bar]", 'Claims, "foo[bar]"'),  # brackets in an unknown key's name
        ("", "The contract"),
    ],
)
def test_paths_in_words(path, words):
    assert describe(path, GOLD) == words


def test_tiers_of_the_same_name_are_told_apart_by_their_number():
    data = {"tiers": [{"name": "Gold"}, {"name": "Gold"}]}
    assert describe("tiers[1].name", data) == "Tier 2 (Gold), name"


def test_a_contract_problem_names_the_place_in_words_and_keeps_the_path():
    data = {**BASE, "tiers": [dict(BASE["tiers"][0], name="Gold")]}
    data["tiers"][0]["credits"] = dict(
        data["tiers"][0]["credits"],
        bands=[{"below": 99.9, "credit_pct": 10}, {"below": 99.0, "credit_pct": 5}],
    )
    with pytest.raises(ContractError) as caught:
        build(Contract, data, "c.yaml", describe)
    [problem] = caught.value.problems
    assert problem.worded == (
        "Gold, band 2, credit %: a lower band must not give a smaller credit than the band above it"
    )
    assert str(problem).endswith("above it (tiers[0].credits.bands[1].credit_pct)")
