"""The terms of fiscal periods and windows: their defaults leave every earlier contract's hash
(and so every stored version) as it was; what they accept is named in the messages."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from slamodeler.io.contract_file import load_contract
from tests.helpers.builders import contract
from tests.helpers.paths import SAMPLES


def test_the_defaults_written_out_keep_the_hash_of_a_contract_without_them():
    plain = contract(measurement={"period": "quarter"})
    written = contract(measurement={"period": "quarter", "year_starts": "January", "window": None})
    assert written.content_hash() == plain.content_hash()
    # The hash docs/contract-format.md shows for this sample since before these terms existed.
    assert (
        load_contract(SAMPLES / "three_tier_cloud.yaml").content_hash().startswith("8826cf661205")
    )


def test_a_fiscal_year_or_a_window_changes_the_hash():
    plain = contract(measurement={"period": "quarter"}).content_hash()
    assert (
        contract(measurement={"period": "quarter", "year_starts": "february"}).content_hash()
        != plain
    )
    window = {"period": "quarter", "window": {"kind": "rolling", "days": 90}}
    assert contract(measurement=window).content_hash() != plain


@pytest.mark.parametrize(
    ("measurement", "words"),
    [
        ({"year_starts": "feb"}, "'january', 'february'"),
        ({"window": {"kind": "rolling", "days": 0}}, "greater than or equal to 1"),
        ({"window": {"kind": "weekly", "days": 7}}, "'rolling' or 'claim'"),
    ],
)
def test_bad_terms_say_what_is_accepted(measurement, words):
    with pytest.raises(ValidationError, match=words):
        contract(measurement=measurement)
