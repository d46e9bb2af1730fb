"""Plain-text tables a terminal can show: aligned columns, money right-aligned."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from slamodeler.domain.period_words import window_words

if TYPE_CHECKING:  # every command renders tables: what one shows loads when it is shown
    from slamodeler.domain.contract import Contract
    from slamodeler.domain.results import PeriodResult, ReplayResult, TierReplay
    from slamodeler.services.exact_method import ExactRun
    from slamodeler.services.simulation_session import Exposure, SimulationRun


def render(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def _period_row(p: PeriodResult) -> list[str]:
    from slamodeler.services.period_explanation import late_responses
    from slamodeler.services.replay import percent

    support = p.support.credit_pct if p.support is not None else 0
    # a miss says why it pays 0
    note = p.rule if p.credit_pct - support or not p.met_target else ""
    if p.below_min_credit:
        note += f" ({p.below_min_credit:,} under the minimum credit: not issued)"
    if p.escalation:
        note += f" [escalate: {p.escalation}]"
    said = late_responses(p)
    if said:
        note = f"{note} + {said}" if note else said
    if p.termination_right:
        note += f" [termination right: missed {', '.join(p.chronic_missed)}]"
    return [
        p.period,
        f"{p.period_minutes:,.0f}",
        f"{p.excluded_minutes:,.1f}",
        f"{p.downtime_minutes:,.1f}",
        f"{percent(p.availability_pct):.4f}",
        f"{percent(p.credit_pct):g}",
        f"{p.credit_owed:,}",
        f"{p.credit_after_caps:,}",
        f"{p.capped_off:,}",
        note,
    ]


def _explanation(p: PeriodResult, spans: bool) -> list[str]:
    """``spans``: name the window each row measured (``measurement.window``)."""
    from slamodeler.services.period_explanation import explain_period

    span = f" (measured {p.start} to {p.end})" if spans else ""
    said = explain_period(p)
    return [
        f"    {p.period}{span}: {p.rule}",
        *(f"      {line}" for line in said.rules),
        *(f"      - {line}" for line in said.incidents),
        *(f"      {line}" for line in said.sums),
        *(f"      {line}" for line in said.remedies),
    ]


def tier_table(tier: TierReplay, currency: str, explain: bool, spans: bool = False) -> str:
    headers = [
        "period",
        "minutes",
        "excluded",
        "downtime",
        "avail %",
        "credit %",
        f"owed {currency}",
        "after caps",
        "capped off",
        "rule",
    ]
    rows = [_period_row(p) for p in tier.periods]
    totals = {
        name: tier.total(name)
        for name in ("credit_owed", "credit_after_caps", "capped_off", "expected_paid")
    }
    out = [
        f"{tier.tier}: target {tier.target_pct}%, {tier.customers} customer(s); "
        f"amounts per customer",
        render(headers, rows, right=set(range(1, 9))),
    ]
    out.append(
        f"Total per customer: owed {totals['credit_owed']:,}, after caps "
        f"{totals['credit_after_caps']:,}, capped off {totals['capped_off']:,}, expected paid "
        f"{totals['expected_paid']:,} {currency}; {tier.breach_periods} period(s) missed the target"
    )
    out.append(
        f"Total for {tier.customers} customer(s): after caps "
        f"{totals['credit_after_caps'] * tier.customers:,} {currency}"
    )
    if tier.chronic_clause:
        out.append(chronic_line(tier, currency))
    late = tier.total("late_forfeited")
    if late:
        out.append(f"Forfeited per customer, claimed after the deadline (expected): {late:,}")
    if explain:
        support = any(p.support is not None for p in tier.periods)
        what = "downtime, exclusions or late responses" if support else "downtime or exclusions"
        out.append(f"  Explanation of periods with {what}:")
        for p in tier.periods:
            if p.incidents or p.below_minimum_minutes or (p.support and p.support.misses):
                out.extend(_explanation(p, spans))
    return "\n".join(out)


def chronic_line(tier: TierReplay, currency: str) -> str:
    """The tier's chronic-failure finding: when the termination right first arises, and the
    fees of the term it puts at risk."""
    head = f"Chronic failure ({tier.chronic_clause}): "
    if tier.termination_right_from is None:
        return head + "no termination right in this range"
    return head + (
        f"termination right from the end of {tier.termination_right_from}; fees left in the "
        f"term then {tier.revenue_at_risk:,} {currency} per customer, "
        f"{tier.revenue_at_risk * tier.customers:,} for {tier.customers} customer(s)"
    )


def replay_table(result: ReplayResult, explain: bool = False) -> str:
    head = (
        f"{result.contract_name} ({result.currency}, {result.timezone}), "
        f"{result.first} to {result.last}, contract {result.contract_hash[:12]}"
    )
    if result.window:
        head += f"\nMeasured over {result.window}."
    tables = (tier_table(t, result.currency, explain, bool(result.window)) for t in result.tiers)
    return "\n\n".join([head, *tables])


def simulation_table(run: SimulationRun, exposures: list[Exposure]) -> str:
    periods = run.horizon.periods
    head = (
        f"{run.contract.name}: scenario {run.scenario.name!r}, {periods[0].label} to "
        f"{periods[-1].label}, {run.trials:,} trial(s) (seed {run.seed})"
        + (" - CANCELLED, partial result" if run.cancelled else "")
    )
    window = run.contract.measurement.window
    if window is not None:  # as replay says it: each row is a window, not its period
        head += f"\nMeasured over {window_words(window)}."
    return exposure_table(head, run.contract, exposures)


def exact_table(run: ExactRun) -> str:
    """The exact method's figures as the simulation's table gives them, saying the method."""
    periods = run.horizon.periods
    head = (
        f"{run.contract.name}: scenario {run.scenario.name!r}, {periods[0].label} to "
        f"{periods[-1].label}, exact method (no trials: the distributions are computed; the "
        "standard error is 0)"
    )
    return exposure_table(head, run.contract, run.exposures, intervals=False)


def exposure_table(
    head: str, contract: Contract, exposures: list[Exposure], intervals: bool = True
) -> str:
    """Each tier's and the portfolio's exposure under ``head``, with the 95% intervals of the
    tail when ``intervals`` (a Monte Carlo's: computed distributions have none)."""
    from slamodeler.services.simulation_session import QUANTILES

    currency = contract.currency
    headers = [
        "",
        "mean",
        "± stderr",
        *(k.upper() for k in QUANTILES),
        "TVaR99",
        "P(breach)",
        "breach periods",
        "P(cap hit)",
        "margin (mean)",
    ]
    chronic = any(contract.chronic_failure_of(t) for t in contract.tiers)
    if chronic:
        headers += ["P(termination)", "revenue at risk"]
    rows = []
    for e in exposures:
        cap = max(e.p_cap_hit.values())
        rows.append(
            [
                e.name,
                f"{e.mean:,.0f}",
                f"{e.stderr:,.0f}" if math.isfinite(e.stderr) else "n/a (1 trial)",
                *(f"{e.quantiles[k]:,.0f}" for k in QUANTILES),
                f"{e.tvar99:,.0f}",
                f"{e.p_any_breach:.1%}",
                f"{e.expected_breach_periods:.2f}",
                f"{cap:.1%}",
                f"{e.margin_mean:,.0f}",
            ]
        )
        if chronic:
            rows[-1] += [f"{e.p_termination_right:.1%}", f"{e.revenue_at_risk_mean:,.0f}"]
    note = (
        f"Credits paid over the horizon, all customers, {currency} (after caps, minimum "
        "credit and claim rate). P(cap hit): the most likely cap to bite."
        + (
            " P(termination): a chronic-failure termination right arises; revenue at risk: "
            "the term's fees left then (mean)."
            if chronic
            else ""
        )
    )
    table = render(headers, rows, right=set(range(1, len(headers))))
    if not intervals:
        return "\n".join([head, note, table])
    return "\n".join([head, note, table, "", tail_interval_table(exposures)])


def tail_interval_table(exposures: list[Exposure]) -> str:
    """The 95% confidence intervals of the tail statistics, one row per series."""

    def interval(low: float, high: float) -> str:
        return "too few trials" if math.isnan(low) else f"{low:,.0f} to {high:,.0f}"

    rows = [
        [e.name, *(interval(*e.intervals[k]) for k in ("p95", "p99", "tvar99"))] for e in exposures
    ]
    return "95% confidence intervals (docs/statistics.md):\n" + render(
        ["", "P95", "P99", "TVaR99"], rows, right={1, 2, 3}
    )
