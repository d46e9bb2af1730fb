"""``slamodeler slo``: a tier's error budget and what a history spent of it, the burn-rate alert
policy, the internal objective that keeps breaches rare, and OpenSLO export and import
(docs/user-guide.md, "What internal objective keeps us safe?")."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slamodeler.cli.export_command import workbook_path, wrote
from slamodeler.cli.options import add_incident_options, input_files
from slamodeler.cli.tables import render
from slamodeler.domain.errors import InputError
from slamodeler.domain.slo_options import DEFAULT_BREACH, DEFAULT_OBJECTIVE_TRIALS, SLO_METHODS

if TYPE_CHECKING:
    from slamodeler.services.slo import ObjectiveAnswer, Policy, SloBudget


def add_slo_parser(sub: argparse._SubParsersAction) -> None:
    slo = sub.add_parser(
        "slo", help="error budgets, burn-rate alerts and the internal objective of a tier"
    )
    actions = slo.add_subparsers(dest="slo_action", metavar="ACTION", required=True)

    budget = actions.add_parser(
        "budget", help="each period's error budget, what a history spent, each incident's burn"
    )
    budget.add_argument("contract", type=Path)
    budget.add_argument("incidents", type=Path, nargs="?", help="CSV or XLSX export of incidents")
    add_incident_options(budget)
    budget.add_argument("--from", dest="first", metavar="PERIOD", help="first period, YYYY-MM")
    budget.add_argument("--to", dest="last", metavar="PERIOD", help="last period, YYYY-MM")
    budget.add_argument(
        "--at",
        metavar="TIME",
        help="the budget spent so far: the history as it stood at TIME (2024-04-15T12:00Z), "
        "up to its period, with the pace there",
    )
    _common(budget)
    budget.add_argument(
        "--xlsx",
        type=workbook_path,
        metavar="OUT",
        help="also write the workbook (Error budget sheet)",
    )

    policy = actions.add_parser("policy", help="the multi-window, multi-burn-rate alert policy")
    policy.add_argument("contract", type=Path)
    _common(policy)
    policy.add_argument(
        "--days", type=int, help="the period's length (default: 30 a month, 90 a quarter)"
    )

    objective = actions.add_parser(
        "objective", help="the internal objective that keeps P(SLA breach) under a level"
    )
    objective.add_argument("contract", type=Path)
    objective.add_argument("--scenario", type=Path, required=True, help="outage scenario file")
    objective.add_argument("--tier", help="the tier (needed when the contract has several)")
    objective.add_argument(
        "--breach",
        default=DEFAULT_BREACH,
        help=f"the largest P(a period misses the target) (default {DEFAULT_BREACH})",
    )
    objective.add_argument("--method", choices=SLO_METHODS, default=SLO_METHODS[0])
    objective.add_argument("--trials", type=int, default=DEFAULT_OBJECTIVE_TRIALS)
    objective.add_argument("--seed", type=int, default=1)
    objective.add_argument("--format", choices=("table", "json"), default="table")

    export = actions.add_parser("export", help="the tier's SLO as OpenSLO v1 YAML")
    export.add_argument("contract", type=Path)
    export.add_argument("--out", type=Path, required=True, help="the YAML file to write")
    export.add_argument("--tier", help="the tier (needed when the contract has several)")
    export.add_argument("--objective", help="the SLO's target in %% (default: the tier's)")
    export.add_argument("--days", type=int, help="the period's length for the alert thresholds")

    imp = actions.add_parser("import", help="an OpenSLO SLO as a starting contract")
    imp.add_argument("openslo", type=Path, help="an OpenSLO v1 YAML file")
    imp.add_argument("--out", type=Path, required=True, help="the contract file to write")
    imp.add_argument("--slo", help="the SLO's metadata.name, when the file has several")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tier", help="only this tier (policy: needed when there are several)")
    parser.add_argument("--objective", help="an internal objective in %% (default: the target)")
    parser.add_argument("--format", choices=("table", "json"), default="table")


def run_slo(args: argparse.Namespace) -> int:
    from slamodeler.services import slo

    action = args.slo_action
    if action == "budget":
        objective = slo.parse_objective(args.objective)
        if args.xlsx is not None:
            from slamodeler.services.export import check_output

            check_output(args.xlsx, input_files(args), "--xlsx")
        found, incidents = slo.budget_files(
            args.contract,
            args.incidents,
            tier=args.tier,
            objective=objective,
            first=args.first,
            last=args.last,
            mapping=args.mapping,
            timezone=args.timezone,
            skip_bad_rows=args.skip_bad_rows,
            encoding=args.encoding,
            at=slo.parse_instant(args.at),
        )
        if incidents is not None:
            print("\n".join(incidents.report.summary_lines()), file=sys.stderr)
        text = (
            json.dumps(budget_json(found), indent=2)
            if args.format == "json"
            else budget_table(found)
        )
        if args.xlsx is not None:
            print(wrote(slo.save_budget_workbook(args.xlsx, found)), file=sys.stderr)
    elif action == "policy":
        policy = slo.policy_files(
            args.contract, args.tier, slo.parse_objective(args.objective), args.days
        )
        text = (
            json.dumps(policy_json(policy), indent=2)
            if args.format == "json"
            else policy_table(policy)
        )
    elif action == "objective":
        answer = slo.objective_files(
            args.contract,
            args.scenario,
            tier=args.tier,
            level=_level(args.breach),
            method=args.method,
            trials=args.trials,
            seed=args.seed,
        )
        text = (
            json.dumps(objective_json(answer), indent=2)
            if args.format == "json"
            else "\n".join(slo.objective_lines(answer))
        )
    elif action == "export":
        policy = slo.export_openslo(
            args.contract, args.out, args.tier, slo.parse_objective(args.objective), args.days
        )
        text = (
            f"wrote {args.out}: SLO, SLI and {len(policy.rules)} alert policies for tier "
            f"{policy.tier} at {policy.objective_percent}%"
        )
    else:
        contract = slo.import_openslo(args.openslo, args.out, args.slo)
        tier = contract.tiers[0]
        text = (
            f"wrote {args.out}: tier {tier.name}, target {tier.target_pct}% "
            f"({contract.measurement.period}ly, {contract.timezone}); the fee, customers and "
            "credit bands are the default template's: set them before pricing"
        )
    print(text)
    return 0


def _level(text: str) -> float:
    try:
        value = float(text.strip().removesuffix("%")) / (100 if text.strip().endswith("%") else 1)
    except ValueError:
        raise InputError(
            f"--breach {text}: not a number; give a probability such as 0.05"
        ) from None
    return value


def _minutes(value: Fraction | Decimal | float) -> str:
    return f"{float(value):,.2f}"


def budget_table(found: SloBudget) -> str:
    from slamodeler.services.slo import reliability_lines, so_far_line

    lines = [f"Error budget of {found.contract.name}, {found.first} to {found.last}"]
    for tier in found.tiers:
        weighted = {k: w for k, w in tier.impact_weights.items() if 0 < w < 1}
        lines += [
            "",
            f"Tier {tier.tier}: objective {tier.objective_percent}% (contract target "
            f"{tier.target_pct}%); budget in the contract's weighted minutes",
        ]
        rows = [
            [
                p.period,
                _minutes(p.measured_minutes),
                _minutes(p.budget_minutes),
                _minutes(p.spent_minutes),
                f"{float(p.spent_share):.1%}",
                _minutes(p.remaining_minutes),
            ]
            for p in tier.periods
        ]
        table = render(
            ["Period", "Measured min", "Budget", "Spent", "Spent %", "Left"], rows, {1, 2, 3, 4, 5}
        )
        lines += ["  " + line for line in table.splitlines()]
        if weighted:
            lines.append(
                "  A weighted impact lasts longer: "
                + "; ".join(
                    f"{k} (weight {w}) spends a budget minute in {float(1 / Fraction(w)):g} minutes"
                    for k, w in weighted.items()
                )
            )
        burns = [(p.period, b) for p in tier.periods for b in p.incidents]
        if burns:
            lines += ["", "  Incidents that spent budget:"]
            rows = [
                [
                    period,
                    b.id,
                    _minutes(b.minutes),
                    _minutes(b.counted_minutes),
                    f"{float(b.budget_share):.1%}",
                    f"{float(b.burn_rate):,.1f}x",
                ]
                for period, b in burns
            ]
            table = render(
                ["Period", "Incident", "Minutes", "Counted", "Of budget", "Burn rate"],
                rows,
                {2, 3, 4, 5},
            )
            lines += ["  " + line for line in table.splitlines()]
        lines += ["", *("  " + x for x in reliability_lines(tier.reliability))]
        lines += ["  " + so_far_line(sf) for name, sf in found.so_far if name == tier.tier]
    return "\n".join(lines)


def budget_json(found: SloBudget) -> dict[str, Any]:
    return {
        "contract": found.contract.name,
        "first": found.first,
        "last": found.last,
        "tiers": [
            {
                "tier": t.tier,
                "target_pct": float(t.target_pct),
                "objective_pct": float(t.objective_percent),
                "periods": [
                    {
                        "period": p.period,
                        "measured_minutes": float(p.measured_minutes),
                        "budget_minutes": float(p.budget_minutes),
                        "spent_minutes": float(p.spent_minutes),
                        "spent_share": float(p.spent_share),
                        "remaining_minutes": float(p.remaining_minutes),
                        "incidents": [
                            {
                                "id": b.id,
                                "row": b.row,
                                "minutes": float(b.minutes),
                                "counted_minutes": float(b.counted_minutes),
                                "budget_share": float(b.budget_share),
                                "burn_rate": float(b.burn_rate),
                            }
                            for b in p.incidents
                        ],
                    }
                    for p in t.periods
                ],
                "outages": t.reliability.outages,
                "mttr_minutes": _opt(t.reliability.mttr_minutes),
                "mtbf_minutes": _opt(t.reliability.mtbf_minutes),
                "wall_clock_availability": float(t.reliability.availability),
                "so_far": [
                    {
                        "period": sf.period,
                        "at": datetime.fromtimestamp(sf.at, UTC).isoformat(),
                        "elapsed_share": float(sf.elapsed),
                        "spent_share": float(sf.spent),
                        "burn_rate": float(sf.burn_rate),
                        "budget_gone_at": None
                        if sf.runs_out_at is None
                        else datetime.fromtimestamp(sf.runs_out_at, UTC).isoformat(),
                    }
                    for name, sf in found.so_far
                    if name == t.tier
                ],
            }
            for t in found.tiers
        ],
    }


def _opt(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _window(minutes: int) -> str:
    return (
        f"{minutes // 1440} d"
        if minutes % 1440 == 0
        else (f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min")
    )


def policy_table(policy: Policy) -> str:
    from slamodeler.services.slo import full_outage_text

    days = policy.period_minutes / 1440
    rows = [
        [
            r.severity,
            f"{float(r.budget_share):.0%}",
            _window(r.long_minutes),
            _window(r.short_minutes),
            f"{float(r.burn_rate):g}x" + ("" if r.reachable else " (unreachable)"),
            full_outage_text(r.full_outage_minutes),
        ]
        for r in policy.rules
    ]
    lines = [
        f"Burn-rate alerts for tier {policy.tier} at {policy.objective_percent}% over {days:g} days "
        "(SRE workbook, Alerting on SLOs): alert when the burn rate over both windows is at or "
        "above the threshold",
        "",
        render(
            [
                "Severity",
                "Budget spent",
                "Long window",
                "Short window",
                "Burn rate",
                "Full outage fires in",
            ],
            rows,
            {1, 4, 5},
        ),
    ]
    if not all(r.reachable for r in policy.rules):
        lines += [
            "",
            "unreachable: even a full outage burns at most "
            f"{float(1 / (1 - Fraction(policy.objective_percent) / 100)):g}x at this objective",
        ]
    if any(r.burn_rate < 1 for r in policy.rules):
        lines += [
            "",
            "below 1x: the workbook's shares are of a 30-day budget, so over a shorter period a "
            "rule can fire at a pace that, kept up the whole period, would not spend the budget",
        ]
    return "\n".join(lines)


def policy_json(policy: Policy) -> dict[str, Any]:
    return {
        "tier": policy.tier,
        "objective_pct": float(policy.objective_percent),
        "period_minutes": policy.period_minutes,
        "rules": [
            {
                "severity": r.severity,
                "budget_share": float(r.budget_share),
                "long_window_minutes": r.long_minutes,
                "short_window_minutes": r.short_minutes,
                "burn_rate": float(r.burn_rate),
                "full_outage_fires_in_minutes": (
                    None if r.full_outage_minutes is None else float(r.full_outage_minutes)
                ),
                "reachable": r.reachable,
            }
            for r in policy.rules
        ],
    }


def objective_json(answer: ObjectiveAnswer) -> dict[str, Any]:
    o, r = answer.objective, answer.reliability

    def point(p: Any) -> dict[str, float]:
        return {
            "frequency_scale": p.scale,
            "mean_availability": p.mean_availability,
            "mean_availability_se": p.mean_se,
            "breach_probability": p.breach,
            "breach_probability_se": p.breach_se,
        }

    return {
        "tier": o.tier,
        "scenario": answer.scenario_name,
        "target_pct": float(o.target_pct),
        "breach_level": o.level,
        "method": o.method,
        "trials": o.trials,
        "seed": o.seed,
        "objective_pct": o.objective_percent,
        "budget_ratio": o.budget_ratio,
        "at_scenario": point(o.at_scenario),
        "at_objective": point(o.answer),
        "reliability": {
            "method": r.method,
            "incidents_per_month": r.incidents_per_month,
            "mttr_minutes": r.mttr_minutes,
            "mttr_se": r.mttr_se,
            "mtbf_minutes": r.mtbf_minutes,
            "availability": r.availability,
        },
    }
