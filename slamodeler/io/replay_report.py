"""Replay results as stable JSON (``slamodeler-replay/v1``, docs/replay-output.md) and CSV."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from fractions import Fraction
from typing import Any

from slamodeler import __version__
from slamodeler.domain.incidents import ImportReport
from slamodeler.domain.results import PeriodResult, ReplayResult, TierReplay
from slamodeler.io.formula_text import csv_text

REPLAY_FORMAT = "slamodeler-replay/v1"
MONEY_FIELDS = (
    "credit_owed",
    "credit_after_caps",
    "capped_off",
    "capped_by_period",
    "capped_by_year",
    "capped_by_liability",
    "below_min_credit",
    "expected_paid",
)
CSV_FIELDS = (
    "tier",
    "period",
    "start",
    "end",
    "period_minutes",
    "excluded_minutes",
    "downtime_minutes",
    "availability_pct",
    "credit_pct",
    "credit_owed",
    "credit_after_caps",
    "capped_off",
    "expected_paid",
    "band",
    "escalation",
)


def percent(value: Fraction) -> float:
    """A percentage (99.9, not the fraction 0.999) for display, rounded to 6 decimals (decisions
    use the exact value)."""
    return round(float(value), 6)


def minutes(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


def period_dict(p: PeriodResult) -> dict[str, Any]:
    return {
        "tier": p.tier,
        "period": p.period,
        "start": p.start,
        "end": p.end,
        "contract_year": p.contract_year,
        "period_minutes": minutes(p.period_minutes),
        "excluded_minutes": minutes(p.excluded_minutes),
        "excluded_by_reason": {k: minutes(v) for k, v in p.excluded_by_reason.items()},
        "below_minimum_minutes": minutes(p.below_minimum_minutes),
        "downtime_minutes": minutes(p.downtime_minutes),
        "availability_pct": percent(p.availability_pct),
        "met_target": p.met_target,
        "credit_pct": percent(p.credit_pct),
        "rule": p.rule,
        "band": None if p.band is None else p.band + 1,
        "escalation": p.escalation,
        **{name: str(getattr(p, name)) for name in MONEY_FIELDS},
        **_customer_cap(p),
        "incidents": [
            {
                "id": s.id,
                "row": s.row,
                "title": s.title,
                "counted_minutes": minutes(s.counted_minutes),
                "below_minimum_minutes": minutes(s.below_minimum_minutes),
                "excluded_minutes": minutes(s.excluded_minutes),
                "excluded_reason": s.excluded_reason,
            }
            for s in p.incidents
        ],
    }


def _customer_cap(p: PeriodResult) -> dict[str, str]:
    """The cap per customer across tiers, only for contracts that have one (older reports keep
    their keys)."""
    if not p.customer_cap_note:
        return {}
    return {"capped_by_customer": str(p.capped_by_customer), "customer_cap": p.customer_cap_note}


def tier_totals(tier: TierReplay) -> dict[str, Any]:
    names = MONEY_FIELDS + (
        ("capped_by_customer",) if any(p.customer_cap_note for p in tier.periods) else ()
    )
    per_customer = {name: tier.total(name) for name in names}
    downtime = sum((p.downtime_minutes for p in tier.periods), Decimal(0))
    return {
        "breach_periods": tier.breach_periods,
        "downtime_minutes": minutes(downtime),
        "per_customer": {k: str(v) for k, v in per_customer.items()},
        "all_customers": {k: str(v * tier.customers) for k, v in per_customer.items()},
    }


def report_dict(report: ImportReport) -> dict[str, Any]:
    def rows(kept: bool) -> list[dict[str, Any]]:
        return [
            {"row": i.row, "column": i.column, "reason": i.reason}
            for i in report.issues
            if i.kept is kept
        ]

    return {
        "source": report.source,
        "rows_read": report.rows_read,
        "used": report.used,
        "not_used": rows(False),
        "notes": rows(True),
    }


def replay_json(result: ReplayResult, report: ImportReport | None = None) -> dict[str, Any]:
    return {
        "format": REPLAY_FORMAT,
        "engine_version": __version__,
        "contract": {"name": result.contract_name, "hash": result.contract_hash},
        "currency": result.currency,
        "timezone": result.timezone,
        "period_kind": result.period_kind,
        "from": result.first,
        "to": result.last,
        "incidents": report_dict(report) if report else None,
        "notes": list(result.notes),
        "tiers": [
            {
                "tier": t.tier,
                "customers": t.customers,
                "target_pct": float(t.target_pct),
                "periods": [period_dict(p) for p in t.periods],
                "totals": tier_totals(t),
            }
            for t in result.tiers
        ],
    }


def replay_csv(result: ReplayResult) -> str:
    """One row per tier and period; text (tier names, escalations) that starts like a formula
    gets an apostrophe so that a spreadsheet keeps it text. Numbers and amounts are as they are."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for tier in result.tiers:
        for p in tier.periods:
            row = period_dict(p)
            writer.writerow({k: _csv_cell(k, row[k]) for k in CSV_FIELDS})
    return out.getvalue()


def _csv_cell(field: str, value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and field not in MONEY_FIELDS:
        return csv_text(value)
    return value
