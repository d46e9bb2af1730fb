"""Fees that vary by calendar month (``Tier.monthly_fees``): how a month is written. The fee of
a period (or of a claim's window of days) is computed in engine/fees.py."""

from __future__ import annotations

import re
from datetime import date

MONTH_KEY = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def fee_months(value: object) -> object:
    """The months of ``monthly_fees`` as "YYYY-MM" (a YAML date such as 2025-03-01 is refused,
    with the fix); amounts are checked as money by the model."""
    if not isinstance(value, dict):
        return value
    out = {}
    for key, amount in value.items():
        text = key.isoformat()[:7] if isinstance(key, date) else str(key).strip()
        if isinstance(key, date) or not MONTH_KEY.match(text):
            raise ValueError(
                f'month {str(key)!r} must be a calendar month written "YYYY-MM" in quotes, '
                'e.g. "2025-03": 1250'
            )
        out[text] = amount
    return out


def month_key(index: int) -> str:
    """ "YYYY-MM" of month index ``index`` (year x 12 + month - 1)."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"
