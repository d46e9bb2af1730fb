"""The terms of a vendor's SLA (direction, reaches): their defaults leave every earlier
contract's hash as it was; the schema shows them; what they refuse names the field."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from slamodeler.domain.contract import Contract
from slamodeler.io.contract_file import load_contract
from tests.helpers.builders import contract
from tests.helpers.paths import SAMPLES


def test_the_defaults_written_out_keep_the_hash_of_a_contract_without_them():
    assert contract(direction="given", reaches=[]).content_hash() == contract().content_hash()
    assert (
        load_contract(SAMPLES / "three_tier_cloud.yaml").content_hash().startswith("8826cf661205")
    )


def test_a_received_contract_hashes_apart_and_reaches_are_kept():
    received = contract(direction="received", reaches=[{"vendor_tier": "t", "our_tiers": ["G"]}])
    assert received.content_hash() != contract().content_hash()
    assert received.reaches[0].vendor_tier == "t" and received.reaches[0].our_tiers == ["G"]


def test_the_schema_shows_direction_and_reaches():
    schema = json.dumps(Contract.model_json_schema())
    props = Contract.model_json_schema()["properties"]
    assert props["direction"]["enum"] == ["given", "received"]
    assert props["direction"]["default"] == "given"
    assert "vendor_tier" in schema and "our_tiers" in schema


@pytest.mark.parametrize(
    ("terms", "field", "words"),
    [
        ({"reaches": [{"vendor_tier": "T", "our_tiers": ["G"]}]}, "reaches", "set direction"),
        (
            {"direction": "received", "reaches": [{"vendor_tier": "X", "our_tiers": ["G"]}]},
            "reaches[0].vendor_tier",
            "no tier named 'X'; this contract has: T",
        ),
        (
            {
                "direction": "received",
                "reaches": [
                    {"vendor_tier": "T", "our_tiers": ["Gold"]},
                    {"vendor_tier": "T", "our_tiers": ["gold"]},
                ],
            },
            "reaches[1].our_tiers[0]",
            "reached twice",
        ),
        (
            {"direction": "received", "reaches": [{"vendor_tier": "T", "our_tiers": []}]},
            "reaches.0.our_tiers",
            "at least 1 item",
        ),
        ({"direction": "vendor"}, "direction", "'given' or 'received'"),
    ],
)
def test_what_is_refused_names_the_field(terms, field, words):
    with pytest.raises(ValidationError) as caught:
        contract(**terms)
    assert field in str(caught.value) and words in str(caught.value)
