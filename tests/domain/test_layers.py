"""How a layer is written: LIMITxsRETENTION, with k and m, or unlimited."""

from __future__ import annotations

import math

import pytest

from slamodeler.domain.errors import InputError
from slamodeler.domain.layers import Layer, parse_layer


@pytest.mark.parametrize(
    ("text", "layer"),
    [
        ("50000xs10000", Layer(10_000, 50_000)),
        ("50kxs10k", Layer(10_000, 50_000)),
        ("1.5M xs 250k", Layer(250_000, 1_500_000)),
        ("unlimitedxs10000", Layer(10_000, math.inf)),
        ("200 XS 0", Layer(0, 200)),
    ],
)
def test_layers_are_read_as_written(text, layer):
    assert parse_layer(text) == layer


@pytest.mark.parametrize("text", ["", "50000", "xs10000", "-5xs10", "50000xs", "5e4xs1", "0xs10"])
def test_a_layer_not_written_as_limit_xs_retention_is_refused_naming_the_option(text):
    with pytest.raises(InputError, match="--layer"):
        parse_layer(text)


def test_a_layer_label_reads_as_an_underwriter_writes_it():
    assert parse_layer("50kxs10k").label == "50,000 xs 10,000"
    assert parse_layer("unlimitedxs5").label == "unlimited xs 5"


def test_a_layer_label_keeps_the_decimals_the_amounts_have():
    assert parse_layer("0.4xs0").label == "0.4 xs 0"
    assert parse_layer("1234.56xs0.125").label == "1,234.56 xs 0.125"
    assert parse_layer("1.0000001xs1.5k").label == "1 xs 1,500"  # beyond cents: float noise
