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
    # Under a k-of-n scope only: each zone down while the region counted as down, in minutes.
    zones = {}
    if p.zones_down is not None:
        zones = {"zones_down": {z: minutes(v) for z, v in p.zones_down.items()}}
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
        **zones,
        **{name: str(getattr(p, name)) for name in MONEY_FIELDS},
        **late_claims(p),
        **_customer_cap(p),
        **support_dict(p),
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


def late_claims(p: PeriodResult) -> dict[str, str]:
    """The claim deadline's fields, only for a contract that has one (``claims``)."""
    if not p.claim_by:
        return {}
    return {"claim_by": p.claim_by, "late_forfeited": str(p.late_forfeited)}


def _customer_cap(p: PeriodResult) -> dict[str, str]:
    """The cap per customer across tiers, only for contracts that have one (older reports keep
    their keys)."""
    if not p.customer_cap_note:
        return {}
    return {"capped_by_customer": str(p.capped_by_customer), "customer_cap": p.customer_cap_note}


def support_dict(p: PeriodResult) -> dict[str, Any]:
    """A period's support misses and credit, only in a tier with support targets."""
    if p.support is None:
        return {}
    return {
        "support": {
            "tickets": p.support.tickets,
            "credit_pct": percent(p.support.credit_pct),
            "capped_pct": {k: percent(v) for k, v in p.support.capped_percent.items() if v},
            "misses": [
                {
                    "id": m.ticket.id,
                    "row": m.ticket.row,
                    "priority": m.ticket.priority,
                    "target_minutes": m.target_minutes,
                    "response_minutes": None
                    if m.response_minutes is None
                    else percent(m.response_minutes),
                    "credit_pct": percent(m.credit_pct),
                }
                for m in p.support.misses
            ],
        }
    }


def tier_totals(tier: TierReplay) -> dict[str, Any]:
    with_deadline = bool(tier.periods) and bool(tier.periods[0].claim_by)
    names = (
        MONEY_FIELDS
        + (("late_forfeited",) if with_deadline else ())
        + (("capped_by_customer",) if any(p.customer_cap_note for p in tier.periods) else ())
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


def replay_json(
    result: ReplayResult, report: ImportReport | None = None, tickets: ImportReport | None = None
) -> dict[str, Any]:
    """``tickets``: the ticket import's report, when tickets were given (key ``tickets``)."""
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
        **({"tickets": report_dict(tickets)} if tickets else {}),
        "notes": list(result.notes),
        "tiers": [
            {
                "tier": t.tier,
                "customers": t.customers,
                "target_pct": float(t.target_pct),
                "periods": [period_dict(p) | chronic_period(t, p) for p in t.periods],
                "totals": tier_totals(t),
                **chronic_tier(t),
            }
            for t in result.tiers
        ],
    }


def chronic_period(tier: TierReplay, p: PeriodResult) -> dict[str, Any]:
    """A period's chronic-failure fields, in a tier that has the clause."""
    if tier.chronic_clause is None:
        return {}
    return {"termination_right": p.termination_right, "chronic_missed": list(p.chronic_missed)}


def chronic_tier(tier: TierReplay) -> dict[str, Any]:
    """A tier's chronic-failure summary, when it has the clause."""
    if tier.chronic_clause is None:
        return {}
    return {
        "chronic_failure": {
            "clause": tier.chronic_clause,
            "termination_right_from": tier.termination_right_from,
            "revenue_at_risk_per_customer": str(tier.revenue_at_risk),
            "revenue_at_risk_all_customers": str(tier.revenue_at_risk * tier.customers),
        }
    }


def replay_csv(result: ReplayResult) -> str:
    """One row per tier and period; text (tier names, escalations) that starts like a formula
    gets an apostrophe so that a spreadsheet keeps it text. Numbers and amounts are as they are.
    Contracts with a chronic-failure clause get the columns ``termination_right`` and
    ``chronic_missed`` (the missed periods behind it, separated by spaces)."""
    chronic = any(t.chronic_clause for t in result.tiers)
    fields = CSV_FIELDS + (("termination_right", "chronic_missed") if chronic else ())
    out = io.StringIO()
    writer = csv.DictWriter(out, fields, lineterminator="\n")
    writer.writeheader()
    for tier in result.tiers:
        for p in tier.periods:
            row = period_dict(p) | {
                "termination_right": p.termination_right,
                "chronic_missed": " ".join(p.chronic_missed),
            }
            writer.writerow({k: _csv_cell(k, row[k]) for k in fields})
    return out.getvalue()


def _csv_cell(field: str, value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and field not in MONEY_FIELDS:
        return csv_text(value)
    return value
