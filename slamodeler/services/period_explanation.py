"""A replayed period explained in words, once, for every front end.

The terminal's ``--explain`` and the window's explanation pane say the same things about a
period: how its minutes were counted, which incidents counted, and what the caps, minimums,
claim deadline and termination right did to the credit. Each front end only lays the lines out
(indented text, HTML); none words a rule of its own, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from slamodeler.domain.incidents import describe
from slamodeler.domain.results import IncidentShare, PeriodResult
from slamodeler.services.replay import percent

__all__ = ["PeriodExplanation", "claim_deadline_text", "explain_period"]


@dataclass(frozen=True)
class PeriodExplanation:
    """The period's explanation in groups of lines, each a sentence without a full stop, in the
    order a reader follows: the rules, the incidents, what they added up to, the remedies."""

    rules: tuple[str, ...]  # how the period's minutes were counted, when not the usual way
    incidents: tuple[str, ...]  # each incident that counted or was excluded, in start order
    sums: tuple[str, ...]  # what the incidents (and tickets) added up to beyond the period's row
    remedies: tuple[str, ...]  # what changed the credit after the schedule, and what follows


def claim_deadline_text(p: PeriodResult) -> str:
    """The period's claim deadline and what late claims forfeit, in words."""
    return (
        f"claims in time up to {p.claim_by}; claimed later (expected): {p.late_forfeited:,} "
        f"forfeited, expected paid {p.expected_paid:,}"
    )


def _minutes(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _incident_line(s: IncidentShare) -> str:
    what = f"{_minutes(s.counted_minutes)} min counted"
    if s.below_minimum_minutes:
        what += f", {_minutes(s.below_minimum_minutes)} min below the minimum downtime"
    if s.excluded_minutes:
        what += f", {_minutes(s.excluded_minutes)} min excluded ({s.excluded_reason})"
    title = " ".join(s.title.split())[:60]
    return f"{describe(s.id, s.row)} {title}".rstrip() + f": {what}"


def _rules(p: PeriodResult) -> list[str]:
    lines = []
    if p.slot_rules:
        lines.append(f"slots: {p.slot_rules}")
    if p.service_hours:
        lines.append(f"service hours: {p.service_hours}")
    if p.billed_from:
        lines.append(_billed_words(p))
    if p.incident_credits:
        lines.append(p.incident_credits)
    return lines


def _billed_words(p: PeriodResult) -> str:
    """Under a window: the window measures availability; the incidents and tickets credited
    per incident or per miss are those of the billing period, or since the previous claim."""
    if p.period.startswith("claim "):
        since = p.billed_from[:16].replace("T", " ")
        return (
            f"per-incident and support credits: those since the previous claim ({since} to "
            f"{p.period.removeprefix('claim ')}), added to the window's credit"
        )
    return (
        f"per-incident and support credits: those of the billing period {p.period} "
        f"({p.billed_from[:10]} to {p.end[:10]}), added to the window's credit"
    )


def _sums(p: PeriodResult) -> list[str]:
    lines = []
    if p.zones_text:
        lines.append(p.zones_text)
    if p.support is not None and p.support.tickets:
        lines.extend(p.support.lines())
    if p.below_minimum_minutes:
        lines.append(f"below minimum downtime: {_minutes(p.below_minimum_minutes)} min")
    return lines


def _remedies(p: PeriodResult) -> list[str]:
    fee = (
        [f"credit {percent(p.credit_pct):g}% of the {p.fee_note}"]
        if p.fee_note and p.credit_pct
        else []
    )
    return fee + _cuts(p)


def _cuts(p: PeriodResult) -> list[str]:
    lines = [
        f"{name} removed {value:,}"
        for name, value in (
            ("per-period cap", p.capped_by_period),
            ("yearly cap", p.capped_by_year),
            ("liability cap", p.capped_by_liability),
            ("customer cap", p.capped_by_customer),
            ("below minimum credit", p.below_min_credit),
        )
        if value
    ]
    if p.claim_by and p.credit_after_caps:
        lines.append(claim_deadline_text(p))
    if p.capped_by_customer:
        lines.append(p.customer_cap_note)
    if p.termination_right:
        lines.append(f"termination right: target missed in {', '.join(p.chronic_missed)}")
    if p.escalation:
        lines.append(f"escalate: {p.escalation}")
    return lines


def late_responses(p: PeriodResult) -> str:
    """The period's support misses in a few words, for a table's rule column ('' when none)."""
    if p.support is None or not p.support.misses:
        return ""
    return f"support: {len(p.support.misses)} response(s) late"


def explain_period(p: PeriodResult) -> PeriodExplanation:
    """Everything the replay knows about why this period's credit is what it is."""
    return PeriodExplanation(
        rules=tuple(_rules(p)),
        incidents=tuple(_incident_line(s) for s in p.incidents),
        sums=tuple(_sums(p)),
        remedies=tuple(_remedies(p)),
    )
