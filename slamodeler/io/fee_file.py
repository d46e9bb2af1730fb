"""A fee file: the fees of single months for tiers of a contract (CSV with the columns tier,
month, fee), given to replay or simulate with ``--fees``. Every row is used or refused, naming
the file, row and field; the fees become the tiers' ``monthly_fees`` for the run, a row taking
the place of the contract's entry for the same month (docs/contract-format.md)."""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError, UndecodableTextError
from slamodeler.domain.fees import MONTH_KEY
from slamodeler.domain.limits import MAX_MONEY, MONEY_DECIMALS
from slamodeler.io.csv_header import CR_INSIDE, STRAY_CR, column_names, csv_lines
from slamodeler.io.input_files import YAML_LIMIT, InputKind, read_input
from slamodeler.io.text_encoding import decode_text

FEES = InputKind("fee file", YAML_LIMIT)
COLUMNS = ("tier", "month", "fee")
# Commas in an amount: thousands separators in groups of three, with a decimal point or more
# than one group (1,250.50 or 1,234,567), or one decimal comma with one or two digits after it
# (1250,50), as a European spreadsheet writes it. "1,250" could be either: refused.
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d{1,2}")


@dataclass(frozen=True)
class FeeRow:
    """One row of a fee file: its row number, the tier as written, the month and the fee."""

    row: int
    tier: str
    month: str
    fee: Decimal


def with_fee_file(contract: Contract, path: str | Path) -> Contract:
    """``contract`` with the fees of the file at ``path`` in its tiers' ``monthly_fees``."""
    path = Path(path)
    return with_fee_rows(contract, read_fee_rows(path), str(path))


def read_fee_rows(path: Path) -> list[FeeRow]:
    """The rows of the fee file at ``path``, in the encoding it was saved in (detected as for
    incident imports: Excel saves UTF-16 or Windows-1252 as readily as UTF-8)."""
    try:
        text = decode_text(read_input(path, FEES), str(path)).text
    except UndecodableTextError as exc:
        raise InputError(f"{exc.problem}; save it as UTF-8 text (in Excel: 'CSV UTF-8')") from None
    return parse_fee_rows(text, str(path))


def with_fee_rows(contract: Contract, rows: Sequence[FeeRow], source: str) -> Contract:
    """``contract`` with ``rows`` (read from ``source``, a file or a stored fee set) in its
    tiers' ``monthly_fees``, a row taking the place of the contract's entry for its month."""
    fees = fees_by_tier(contract, rows, source)
    tiers = [
        t.model_copy(update={"monthly_fees": {**t.monthly_fees, **fees.get(t.name, {})}})
        for t in contract.tiers
    ]
    return contract.model_copy(update={"tiers": tiers})


def fees_by_tier(
    contract: Contract, rows: Sequence[FeeRow], source: str
) -> dict[str, dict[str, Decimal]]:
    """The rows by the contract's tier names: a row naming no tier of it is refused."""
    names = {t.name.lower(): t.name for t in contract.tiers}
    out: dict[str, dict[str, Decimal]] = {}
    for r in rows:
        if r.tier.lower() not in names:
            raise InputError(
                f"{source}: row {r.row}, tier: no tier named {r.tier!r}; this contract has: "
                f"{', '.join(names.values())}"
            )
        out.setdefault(names[r.tier.lower()], {})[r.month] = r.fee
    return out


def parse_fee_rows(text: str, source: str) -> list[FeeRow]:
    """Every row of a fee file checked for itself (the tier names are checked against a
    contract when the fees are applied: a stored fee set serves any contract)."""
    rows = _csv_rows(text.lstrip("\ufeff"), source)
    header = [c.lower() for c in column_names(rows[0])] if rows else []
    if tuple(header) != COLUMNS:
        raise InputError(
            f"{source}: row 1: the header must be tier,month,fee (found "
            f"{','.join(header) or 'nothing'}); one row per tier and month follows it"
        )
    out: list[FeeRow] = []
    seen: set[tuple[str, str]] = set()
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(COLUMNS):
            raise InputError(
                f"{source}: row {n}: has {len(row)} field(s); give tier,month,fee (quote a "
                "name with a comma in it)"
            )
        tier, month, fee = (c.strip() for c in row)
        if not tier:
            raise InputError(f"{source}: row {n}, tier: empty; name the tier the fee is for")
        if not MONTH_KEY.match(month):
            raise InputError(
                f'{source}: row {n}, month: {month!r} is not a calendar month; write "YYYY-MM", '
                "e.g. 2025-03"
            )
        if (tier.lower(), month) in seen:
            raise InputError(
                f"{source}: row {n}, month: {tier} {month} is given twice; keep one row for it"
            )
        seen.add((tier.lower(), month))
        out.append(FeeRow(n, tier, month, _amount(fee, f"{source}: row {n}, fee")))
    if not out:
        raise InputError(f"{source}: no fees after the header; add rows tier,month,fee")
    return out


def _csv_rows(text: str, source: str) -> list[list[str]]:
    """The file's rows as the incident import reads a CSV's (``csv_lines``): lines ending in LF,
    CRLF or (every one) CR alone; a CR alone inside a line is refused naming its row."""
    reader = csv.reader(csv_lines(text))
    rows: list[list[str]] = []
    try:
        rows.extend(reader)
    except csv.Error as exc:
        where = f"{source}: row {len(rows) + 1} (line {reader.line_num})"
        if STRAY_CR in str(exc):
            raise InputError(f"{where}: {CR_INSIDE}") from None
        raise InputError(f"{where}: not readable as CSV ({exc}); give tier,month,fee") from None
    return rows


def _amount(text: str, where: str) -> Decimal:
    try:
        amount = Decimal(_without_commas(text, where)) if text else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or not 0 <= amount <= MAX_MONEY:
        raise InputError(
            f"{where}: {text!r} is not an amount; give a number from 0 to {MAX_MONEY:,}, "
            "without a currency sign, e.g. 1250.00"
        )
    if -amount.as_tuple().exponent > MONEY_DECIMALS:  # type: ignore[operator]
        raise InputError(f"{where}: {text!r} has more than {MONEY_DECIMALS} decimals; round it")
    return amount


def _without_commas(text: str, where: str) -> str:
    """``text`` with its commas read by the one rule (``_THOUSANDS``, ``_DECIMAL_COMMA``):
    '1,250.50' -> '1250.50', '1250,50' -> '1250.50'; any other comma is refused, never
    dropped ('15,00' is not 1500)."""
    if "," not in text:
        return text
    if _THOUSANDS.fullmatch(text) and ("." in text or text.count(",") > 1):
        return text.replace(",", "")
    if _DECIMAL_COMMA.fullmatch(text):
        return text.replace(",", ".")
    if _THOUSANDS.fullmatch(text):
        plain, point = text.replace(",", ""), text.replace(",", ".")
        raise InputError(
            f"{where}: {text!r} is ambiguous ({plain} or {point}?); write it without the comma "
            f"({plain}) or with a decimal point ({point})"
        )
    raise InputError(
        f"{where}: {text!r} is not an amount; a comma is either a decimal comma with one or two "
        "digits after it (1250,50) or a thousands separator before a decimal point "
        "(1,250.50): write e.g. 1250.50"
    )
