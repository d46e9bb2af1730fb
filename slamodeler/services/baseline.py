"""Baseline from history, the use case behind `slamodeler baseline` and the GUI's Baseline tab:
an incident history (a file, or a stored set) measured by a contract used as a template (a file,
a stored version, or the default below), and the target it would have met in a share of periods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import IncidentSet
from slamodeler.engine.baseline import (
    DEFAULT_TARGETS,
    SHARES_SHOWN,
    Baseline,
    TierBaseline,
    baseline,
    check_share,
    check_targets,
)
from slamodeler.io.contract_file import load_contract
from slamodeler.io.replay_report import percent
from slamodeler.io.workbook import WorkbookContent, WorkbookReport, write_workbook
from slamodeler.services.replay import load_incident_file

if TYPE_CHECKING:
    from slamodeler.store.workspace import Workspace

__all__ = [
    "DEFAULT_TARGETS",
    "SHARES_SHOWN",
    "Baseline",
    "BaselineRun",
    "TierBaseline",
    "baseline_files",
    "baseline_json",
    "baseline_stored",
    "default_template",
    "parse_share",
    "parse_targets",
    "save_baseline_workbook",
    "tier_summary",
]

# The template when none is given: monthly, UTC, everything counted, the common 99.9% schedule
# (10% / 25% / 100% of the fee below 99.9% / 99.0% / 95.0%, as in the AWS and Google SLAs).
DEFAULT_TEMPLATE: dict[str, Any] = {
    "format": "slamodeler/v1",
    "name": "Default template (monthly, 99.9% bands 10/25/100%)",
    "currency": "USD",
    "timezone": "UTC",
    "term": {"start": "2024-01-01", "months": 12},
    "measurement": {"period": "month", "slot_minutes": 1, "min_downtime_minutes": 0},
    "tiers": [
        {
            "name": "Service",
            "target_pct": 99.9,
            "monthly_fee": 1000,
            "customers": 1,
            "credits": {
                "kind": "bands",
                "boundary": "below",
                "bands": [
                    {"below": 99.9, "credit_pct": 10},
                    {"below": 99.0, "credit_pct": 25},
                    {"below": 95.0, "credit_pct": 100},
                ],
            },
        }
    ],
}


def default_template() -> Contract:
    return Contract.model_validate(DEFAULT_TEMPLATE)


@dataclass(frozen=True)
class BaselineRun:
    contract: Contract
    contract_label: str  # the file, the stored version, or "default template"
    incidents: IncidentSet
    result: Baseline


def parse_share(text: str) -> Fraction:
    """``0.95`` or ``95%``, exactly (0.95 * 20 periods is 19, not 19.000000000000004)."""
    raw = text.strip()
    scale = Fraction(1, 100) if raw.endswith("%") else Fraction(1)
    try:
        value = Decimal(raw.removesuffix("%"))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise InputError(f"--share {text}: not a number; give a share such as 0.95")
    share = Fraction(value) * scale
    check_share(share, text)
    return share


def parse_targets(texts: Sequence[str], field: str = "--targets") -> tuple[Decimal, ...]:
    """Percentages such as 99.9 (a trailing % allowed); ``field`` names them in a message (the
    option, or the GUI's box)."""
    targets = []
    for text in texts:
        try:
            value = Decimal(text.strip().removesuffix("%"))
        except InvalidOperation:
            value = Decimal("NaN")
        if value.is_nan():
            raise InputError(f"{field}: {text!r} is not a number; give percentages such as 99.9")
        targets.append(value)
    check_targets(targets, field)
    return tuple(targets)


def baseline_files(
    incidents_path: str | Path,
    contract_path: str | Path | None = None,
    *,
    mapping: str | Path | None = None,
    timezone: str | None = None,
    skip_bad_rows: bool = False,
    encoding: str | None = None,
    share: Fraction = Fraction(95, 100),
    targets: Sequence[Decimal] = DEFAULT_TARGETS,
    first: str | None = None,
    last: str | None = None,
) -> BaselineRun:
    contract = load_contract(contract_path) if contract_path is not None else default_template()
    incidents = load_incident_file(
        incidents_path, mapping, timezone, skip_bad_rows, contract, encoding=encoding
    )
    label = str(contract_path) if contract_path is not None else "default template"
    return _run(contract, label, incidents, share, targets, first, last)


def baseline_stored(
    ws: Workspace,
    incident_set: str,
    ref: str | None = None,
    *,
    share: Fraction = Fraction(95, 100),
    targets: Sequence[Decimal] = DEFAULT_TARGETS,
    first: str | None = None,
    last: str | None = None,
) -> BaselineRun:
    """A stored incident set, under a stored version (``KEY@VERSION``) or the default template."""
    from slamodeler.services.incident_sets import read_incident_set
    from slamodeler.services.versions import resolve

    if ref is None:
        contract, label = default_template(), "default template"
    else:
        _, version = resolve(ws, ref)
        contract, label = ws.contract_of(version), ref
    incidents = read_incident_set(ws, incident_set)
    return baseline_of(contract, label, incidents, share, targets, first, last)


def baseline_of(
    contract: Contract,
    label: str,
    incidents: IncidentSet,
    share: Fraction = Fraction(95, 100),
    targets: Sequence[Decimal] = DEFAULT_TARGETS,
    first: str | None = None,
    last: str | None = None,
) -> BaselineRun:
    """The GUI's call: a contract and an incident set it has already."""
    return _run(contract, label, incidents, share, targets, first, last)


def _run(
    contract: Contract,
    label: str,
    incidents: IncidentSet,
    share: Fraction,
    targets: Sequence[Decimal],
    first: str | None,
    last: str | None,
) -> BaselineRun:
    if not incidents.incidents and (first is None or last is None):
        raise InputError(
            "the incident set has no incidents: a baseline needs a history; give the periods "
            "it covers with --from and --to if it really had no outage"
        )
    result = baseline(contract, incidents.incidents, share, targets, first, last)
    return BaselineRun(contract, label, incidents, result)


def share_text(share: Fraction) -> str:
    """A share as a percentage, as exact as it was given (95%, 97.5%)."""
    return f"{float(share * 100):g}%"


def tier_summary(tier: TierBaseline) -> list[str]:
    """The tier's answer in words, as the CLI's table and the GUI's Baseline tab show it."""
    n = len(tier.periods)
    rule = "at or above" if tier.boundary == "below" else "above"
    low, high = tier.met_share_interval
    return [
        f"Tier {tier.tier} (the contract's target: {tier.contract_target_percent}%, met {rule} it)",
        f"  Suggested target: {tier.suggested_percent}% - met in {tier.met} of {n} periods "
        f"({float(tier.met_share):.1%}); asked: {share_text(tier.share)}, at least {tier.needed} "
        f"of {n}.",
        f"  The share of periods it would meet, from {n} periods: {low:.1%} to {high:.1%} (95% "
        "Clopper-Pearson interval).",
        f"  Set by {tier.deciding.period} ({float(tier.deciding.availability_pct):.6f}%), the "
        f"{_ordinal(tier.needed)} best period; {tier.tied} period(s) at exactly that availability.",
        "  Availability reached in at least a share of periods: "
        + ", ".join(f"{share_text(s)}: {float(tier.reached_in(s)):.4f}%" for s in SHARES_SHOWN)
        + f"; mean {float(tier.mean_percent):.4f}%.",
    ]


def _ordinal(k: int) -> str:
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def tier_json(tier: TierBaseline) -> dict[str, Any]:
    return {
        "tier": tier.tier,
        "contract_target_pct": float(tier.contract_target_percent),
        "boundary": tier.boundary,
        "share": float(tier.share),
        "periods": len(tier.periods),
        "needed_periods": tier.needed,
        "deciding_period": tier.deciding.period,
        "deciding_availability_pct": percent(tier.deciding.availability_pct),
        "periods_at_deciding_availability": tier.tied,
        "suggested_target_pct": float(tier.suggested_percent),
        "periods_met": tier.met,
        "share_met": float(tier.met_share),
        "share_met_interval_95": [round(x, 6) for x in tier.met_share_interval],
        "distribution": {
            "mean_pct": percent(tier.mean_percent),
            "reached_in_share": {share_text(s): percent(tier.reached_in(s)) for s in SHARES_SHOWN},
        },
        "availability": [
            {
                "period": p.period,
                "availability_pct": percent(p.availability_pct),
                "downtime_minutes": float(p.downtime_minutes),
            }
            for p in tier.periods
        ],
        "candidates": [
            {
                "target_pct": float(c.target_pct),
                "suggested": c.suggested,
                "periods_missed": len(c.missed),
                "missed": list(c.missed),
                "share_met": float(c.met_share),
                "credit_per_customer": str(c.credit_per_customer),
                "credit_all_customers": str(c.credit_all_customers),
            }
            for c in tier.candidates
        ],
    }


def baseline_json(run: BaselineRun) -> dict[str, Any]:
    result = run.result
    return {
        "contract": result.contract_name,
        "template": run.contract_label,
        "currency": result.currency,
        "period": result.period_kind,
        "first": result.first,
        "last": result.last,
        "schedule_moves_with_target": "every threshold shifts by the target's change",
        "tiers": [tier_json(t) for t in result.tiers],
        "notes": list(result.notes),
    }


def save_baseline_workbook(out: str | Path, run: BaselineRun) -> WorkbookReport:
    """The exposure workbook of the template's replay, with the Baseline sheet."""
    return write_workbook(
        out,
        WorkbookContent(
            run.contract,
            contract_label=run.contract_label,
            replay=run.result.measured,
            incidents=run.incidents.incidents,
            import_report=run.incidents.report,
            baseline=run.result,
        ),
    )
