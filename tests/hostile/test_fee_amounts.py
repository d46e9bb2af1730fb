"""Commas in a fee file's amounts, read by one rule (docs/contract-format.md, fee file): a
decimal comma with one or two digits after it, or thousands separators with a decimal point or
in more than one group; any other comma is refused naming the row and field (every comma was
once dropped: "15,00" became 1500 and "1250,50" 125050)."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile
from tests.helpers.one_tier import one_tier

CONTRACT = one_tier(name="Fee demo")


@pytest.fixture
def files(tmp_path):
    """The contract and two hours down in April 2024: a 10% credit of April's fee."""
    contract = tmp_path / "contract.yaml"
    contract.write_text(CONTRACT, encoding="utf-8")
    incidents = tmp_path / "incidents.csv"
    incidents.write_text("id,start,end,impact\nI1,2024-04-02T10:00:00Z,2024-04-02T12:00:00Z,full\n")
    return contract, incidents


def _fees(tmp_path, amount: str):
    fees = tmp_path / "fees.csv"
    fees.write_text(f'tier,month,fee\nStandard,2024-04,"{amount}"\n', encoding="utf-8")
    return fees


@pytest.mark.parametrize(
    ("amount", "credit"),
    [
        ("15,00", "1.50"),
        ("1250,50", "125.05"),
        ("1250,5", "125.05"),
        ("1,250.50", "125.05"),
        ("1,234,567", "123,456.70"),
        ("1250.50", "125.05"),
    ],
)
def test_a_decimal_comma_or_thousands_separators_are_read_as_written(
    tmp_path, capsys, files, amount, credit
):
    contract, incidents = files
    code, out, _ = hostile(capsys, "replay", contract, incidents, "--fees", _fees(tmp_path, amount))
    assert code == 0
    assert f"Total per customer: owed {credit}," in out


@pytest.mark.parametrize(
    ("amount", "names"),
    [
        ("1,250", ["'1,250' is ambiguous (1250 or 1.250?)"]),
        ("12,345", ["ambiguous", "without the comma (12345)", "decimal point (12.345)"]),
        ("1,2,3", ["'1,2,3' is not an amount", "1250,50", "1,250.50"]),
        ("1.250,50", ["'1.250,50' is not an amount"]),
        ("1,2345", ["'1,2345' is not an amount"]),
        ("15,", ["'15,' is not an amount"]),
    ],
)
def test_any_other_comma_in_an_amount_is_refused_naming_the_row(
    tmp_path, capsys, files, amount, names
):
    contract, incidents = files
    fees = _fees(tmp_path, amount)
    where = ["fees.csv: row 2, fee", *names]
    code, _, _ = hostile(capsys, "replay", contract, incidents, "--fees", fees, names=where)
    assert code == 2


def test_a_fee_set_is_read_by_the_same_rule(ws, tmp_path, capsys):
    code, _, _ = hostile(capsys, "ws", "add-fees", "f", _fees(tmp_path, "1,250"), "--ws", ws,
                         names=["fees.csv: row 2, fee: '1,250' is ambiguous"])  # fmt: skip
    assert code == 2
    code, _, _ = hostile(capsys, "ws", "add-fees", "f", _fees(tmp_path, "1250,50"), "--ws", ws)
    assert code == 0
