"""Credit memos as CSV: a header, one row per memo, money to the currency's minor unit, text that
starts like a formula kept text (``csv_text``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from slamodeler.domain.credit_memos import CreditMemo
from slamodeler.domain.errors import InputError
from slamodeler.domain.money import minor_unit
from slamodeler.io.formula_text import csv_text
from slamodeler.io.output_files import write_text_atomic
from slamodeler.io.replay_report import percent

MEMO_FIELDS = (
    "memo",
    "customer",
    "tier",
    "period",
    "start",
    "end",
    "availability_pct",
    "credit_pct",
    "credit",
    "currency",
    "claim_by",
    "rules",
    "contract",
    "contract_version",
    "contract_hash",
)


def memo_row(m: CreditMemo) -> dict[str, object]:
    """A memo's cells: percentages as shown (6 decimals), the credit as its Decimal string."""
    return {
        **{f: getattr(m, f) for f in MEMO_FIELDS},
        "availability_pct": percent(m.availability_pct),
        "credit_pct": percent(m.credit_pct),
        "credit": str(booked(m)),
    }


def booked(m: CreditMemo) -> Decimal:
    """The memo's credit to the currency's minor unit (the replay rounds it so already)."""
    return m.credit.quantize(minor_unit(m.currency))


def memos_csv(memos: Sequence[CreditMemo]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, MEMO_FIELDS, lineterminator="\n")
    writer.writeheader()
    for m in memos:
        row = memo_row(m)
        writer.writerow({k: _cell(k, v) for k, v in row.items()})
    return out.getvalue()


def _cell(field: str, value: object) -> object:
    return csv_text(value) if isinstance(value, str) and field != "credit" else value


def check_memos_path(path: Path) -> None:
    """Before any work: the CSV's folder exists (the write itself may still fail, and says so)."""
    if not path.parent.is_dir():
        raise InputError(
            f"-o {path}: the folder {path.parent} does not exist; create it or choose another"
        )


def write_memos_csv(path: str | Path, memos: Sequence[CreditMemo]) -> None:
    """Write the memos to ``path`` whole or not at all (``output_files.write_text_atomic``)."""
    write_text_atomic(path, memos_csv(memos), "-o", "credit memos")
