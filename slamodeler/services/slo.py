"""The SLO bridge, behind `slamodeler slo` and the desktop's Error budget dialog: a tier's error
budget per period and what a replayed history spent of it, the burn-rate alert policy, the
internal objective that keeps breaches rare under a scenario, and OpenSLO export and import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import IncidentSet
from slamodeler.domain.limits import PCT_DECIMALS
from slamodeler.domain.results import TierReplay
from slamodeler.domain.slo_options import SLO_METHODS as METHODS
from slamodeler.engine.baseline import moved_tier
from slamodeler.engine.periods import FIRST_YEAR, LAST_YEAR, label_of, period_index_at
from slamodeler.engine.replay import replay
from slamodeler.engine.slo_budget import (
    AlertRule,
    Reliability,
    SloBudget,
    SoFar,
    TierBudget,
    alert_policy,
    check_objective,
    nominal_period_minutes,
    period_budgets,
    replay_reliability,
    so_far,
    until,
)
from slamodeler.engine.slo_objective import (
    InternalObjective,
    ScenarioReliability,
    internal_objective_exact,
    internal_objective_simulated,
    scenario_reliability,
)
from slamodeler.io.contract_file import contract_to_yaml, load_contract
from slamodeler.io.openslo import (
    export_documents,
    export_yaml,
    read_slo,
    slo_display_name,
    slo_period,
    slo_scope,
    slo_slot_minutes,
)
from slamodeler.io.openslo import slo_target_percent as openslo_target
from slamodeler.io.output_files import check_output, write_text_atomic
from slamodeler.io.scenario_file import load_scenario
from slamodeler.io.workbook import WorkbookContent, WorkbookReport, write_workbook
from slamodeler.services.replay import load_incident_file


def parse_objective(text: str | None, field: str = "--objective") -> Decimal | None:
    """A percentage such as 99.95 (a trailing % allowed); None when not given."""
    if text is None:
        return None
    try:
        value = Decimal(text.strip().removesuffix("%"))
    except InvalidOperation:
        raise InputError(
            f"{field}: {text!r} is not a number; give a percentage such as 99.95"
        ) from None
    check_objective(value, field)
    if value <= 1:
        meant = f"{(value * 100).normalize():f}" if value < 1 else "99.9"
        raise InputError(
            f"{field}: {text.strip()} is {value}%; an objective is a percentage: did you mean "
            f"{meant}?"
        )
    if value != round(value, PCT_DECIMALS):
        raise InputError(
            f"{field}: {text.strip()} has more than {PCT_DECIMALS} decimals, more than a "
            f"contract's percentage holds; round it, e.g. to {round(value, PCT_DECIMALS)}"
        )
    return value


def full_outage_text(minutes: Fraction | None) -> str:
    """The minutes a full outage takes to fire a rule, or "never" for an unreachable rule."""
    return "never" if minutes is None else f"{float(minutes):,.2f} min"


def pick_tier(contract: Contract, name: str | None) -> Tier:
    if name is None:
        if len(contract.tiers) > 1:
            raise InputError(
                f"the contract has {len(contract.tiers)} tiers "
                f"({', '.join(t.name for t in contract.tiers)}); name one with --tier"
            )
        return contract.tiers[0]
    try:
        return contract.tier(name)
    except KeyError as exc:
        raise InputError(str(exc.args[0])) from None


def budget_of(
    contract: Contract,
    incidents: IncidentSet | None,
    tier: str | None = None,
    objective: Decimal | None = None,
    first: str | None = None,
    last: str | None = None,
    at: int | None = None,
) -> SloBudget:
    """Each period's budget (the tier's target, or ``objective``), what the incidents spent of
    it, and their MTTR and MTBF; with no incidents, the budgets of ``first`` to ``last``."""
    found = () if incidents is None else tuple(incidents.incidents)
    if at is not None:  # the history as known then, up to the period it falls in
        found = tuple(until(found, at))
        if last is None:
            zone = ZoneInfo(contract.timezone)
            m = contract.measurement
            index = period_index_at(at, m.period, zone, m.first_month)
            last = label_of(date(index // 12, index % 12 + 1, 1), m.period, m.first_month)
        if first is None and not found:
            first = last
    names = None if tier is None else [pick_tier(contract, tier).name]
    result = replay(contract, found, first=first, last=last, tiers=names)
    by_row = {i.row: i for i in found}
    tiers = tuple(_tier_budget(contract, t, by_row, objective, at) for t in result.tiers)
    part_way: tuple[tuple[str, SoFar], ...] = ()
    if at is not None:
        pairs = [
            (t.tier, so_far(b.periods, t.periods, at))
            for b, t in zip(tiers, result.tiers, strict=True)
        ]
        part_way = tuple((name, sf) for name, sf in pairs if sf is not None)
    return SloBudget(contract, result.first, result.last, tiers, result, found, part_way)


def _tier_budget(
    contract: Contract,
    tier: TierReplay,
    by_row: dict,
    objective: Decimal | None,
    at: int | None = None,
) -> TierBudget:
    return TierBudget(
        tier.tier,
        tier.target_pct,
        tier.target_pct if objective is None else objective,
        period_budgets(contract, tier, by_row, objective),
        replay_reliability(tier, by_row, at),
        dict(contract.measurement.impact_weights),
    )


def budget_files(
    contract_path: str | Path,
    incidents_path: str | Path | None,
    *,
    tier: str | None = None,
    objective: Decimal | None = None,
    first: str | None = None,
    last: str | None = None,
    mapping: str | Path | None = None,
    timezone: str | None = None,
    skip_bad_rows: bool = False,
    encoding: str | None = None,
    at: int | None = None,
) -> tuple[SloBudget, IncidentSet | None]:
    contract = load_contract(contract_path)
    incidents = None
    if incidents_path is not None:
        incidents = load_incident_file(
            incidents_path, mapping, timezone, skip_bad_rows, contract, encoding=encoding
        )
    elif (first is None or last is None) and at is None:
        raise InputError(
            "without an incident file, give the periods to budget with --from and --to"
        )
    return budget_of(contract, incidents, tier, objective, first, last, at), incidents


def so_far_line(sf: SoFar) -> str:
    """The budget spent so far and the pace, as `slo budget --at` and the Error budget dialog
    say it."""
    when = datetime.fromtimestamp(sf.at, UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = sf.runs_out_at
    if sf.spent >= 1:
        pace = "the budget is spent"
    elif out is None:
        pace = "the budget lasts the period at this pace"
    else:
        pace = "at this pace it is gone by " + datetime.fromtimestamp(out, UTC).strftime(
            "%Y-%m-%d %H:%M UTC"
        )
    return (
        f"So far, at {when}: {float(sf.elapsed):.1%} of {sf.period} gone, {float(sf.spent):.1%} "
        f"of its budget spent: burn rate {float(sf.burn_rate):.2f}x; {pace}"
    )


def parse_instant(text: str | None, field: str = "--at") -> int | None:
    """An ISO 8601 time with its offset (2024-04-15T12:00Z), as epoch seconds."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InputError(
            f"{field} {text}: give a time with its offset, such as 2024-04-15T12:00Z or "
            "2024-04-15T14:00+02:00"
        )
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise InputError(
            f"{field} {text}: give a time in the years {FIRST_YEAR} to {LAST_YEAR}, in the "
            "history measured"
        )
    return int(moment.timestamp())


def save_budget_workbook(out: str | Path, found: SloBudget) -> WorkbookReport:
    """The exposure workbook of the budgets' replay, with the Error budget sheet."""
    return write_workbook(
        out,
        WorkbookContent(
            found.contract,
            replay=found.replay,
            incidents=found.incidents,
            error_budget=(found, nominal_period_minutes(found.contract)),
        ),
    )


@dataclass(frozen=True)
class Policy:
    contract: Contract
    tier: str
    objective_percent: Decimal
    period_minutes: int
    rules: tuple[AlertRule, ...]


def policy_of(
    contract: Contract, tier: str | None, objective: Decimal | None, days: int | None = None
) -> Policy:
    chosen = pick_tier(contract, tier)
    if days is not None and not 1 <= days <= 366:
        raise InputError(f"--days {days}: give the period's length in days, 1 to 366")
    minutes = nominal_period_minutes(contract) if days is None else days * 1440
    percent = chosen.target_pct if objective is None else objective
    return Policy(contract, chosen.name, percent, minutes, alert_policy(percent, minutes))


def policy_files(
    contract_path: str | Path, tier: str | None, objective: Decimal | None, days: int | None
) -> Policy:
    return policy_of(load_contract(contract_path), tier, objective, days)


@dataclass(frozen=True)
class ObjectiveAnswer:
    contract: Contract
    scenario_name: str
    objective: InternalObjective
    reliability: ScenarioReliability


def objective_files(
    contract_path: str | Path,
    scenario_path: str | Path,
    *,
    tier: str | None = None,
    level: float = 0.05,
    method: str = "exact",
    trials: int = 20_000,
    seed: int = 1,
) -> ObjectiveAnswer:
    contract = load_contract(contract_path)
    return objective_of(contract, load_scenario(scenario_path), tier, level, method, trials, seed)


def objective_of(
    contract: Contract,
    scenario: Any,
    tier: str | None,
    level: float,
    method: str,
    trials: int,
    seed: int,
    stop: Callable[[], bool] | None = None,
) -> ObjectiveAnswer:
    """``stop``: asked between the search's points; True ends it (an InputError "cancelled")."""
    chosen = pick_tier(contract, tier)
    if method not in METHODS:
        raise InputError(f"--method {method}: use one of {', '.join(METHODS)}")
    if method == "exact":
        found = internal_objective_exact(contract, chosen.name, scenario, level, stop)
    else:
        if not 100 <= trials <= 1_000_000:
            raise InputError(f"--trials {trials}: give 100 to 1,000,000 trials")
        found = internal_objective_simulated(
            contract, chosen.name, scenario, level, trials, seed, stop
        )
    reliability = scenario_reliability(contract, chosen.name, scenario, seed=seed)
    return ObjectiveAnswer(contract, scenario.name, found, reliability)


def objective_lines(answer: ObjectiveAnswer) -> list[str]:
    """The answer in words, as the CLI prints it and the desktop's dialog shows it."""
    o, r = answer.objective, answer.reliability
    how = (
        "exact method"
        if o.method == "exact"
        else f"{o.trials:,} simulated trials per point, seed {o.seed}"
    )
    se = lambda p: "" if o.method == "exact" else f" ± {p.breach_se:.4f}"  # noqa: E731
    return [
        f"Tier {o.tier} of {answer.contract.name} under scenario {answer.scenario_name} ({how})",
        f"  As the scenario stands: mean availability {o.at_scenario.mean_availability:.4%}, "
        f"P(a period misses {o.target_pct}%) = {o.at_scenario.breach:.4f}{se(o.at_scenario)}",
        f"  Internal objective: {o.objective_percent:.4f}% keeps P(breach) at or under {o.level:g}: "
        f"at it, P(breach) = {o.answer.breach:.4f}{se(o.answer)} (incidents {o.answer.scale:.3g}x "
        "as frequent as the scenario's)",
        f"  Its budget is {o.budget_ratio:.0%} of the contract's; "
        + (
            "the estimate plus 1.96 standard errors is under the level"
            if o.method != "exact"
            else "exact to the search's step (a frequency scale within 1e-7)"
        ),
        f"  MTTR {r.mttr_minutes:,.1f} min"
        + (f" ± {r.mttr_se:.1f}" if r.method != "exact" else "")
        + f", MTBF {r.mtbf_minutes / 1440:,.2f} days, {r.incidents_per_month:.3g} incidents a "
        f"month: availability {r.availability:.4%} ({'from the parameters' if r.method == 'exact' else 'simulated'}, "
        "wall-clock, unweighted, overlaps not merged)",
    ]


def reliability_lines(r: Reliability) -> list[str]:
    """MTTR and MTBF in words, as the CLI and the desktop show them."""
    if not r.outages:
        return [
            f"No outage counted in {_min(r.observed_minutes)} minutes: MTTR and MTBF undefined."
        ]
    return [
        f"{r.outages} outage(s) (overlapping incidents merged) in {_min(r.observed_minutes)} "
        f"minutes: MTTR {_min(r.mttr_minutes)} min, MTBF {_min(r.mtbf_minutes)} min "
        f"({float(r.mtbf_minutes or 0) / 1440:,.1f} days); wall-clock availability "
        f"{float(r.availability):.4%}"
    ]


def _min(value: Fraction | Decimal | None) -> str:
    return f"{float(value or 0):,.2f}"


def export_openslo(
    contract_path: str | Path,
    out: str | Path,
    tier: str | None = None,
    objective: Decimal | None = None,
    days: int | None = None,
) -> Policy:
    """The tier's SLO (at ``objective``, else its target) with its SLI and alert policies."""
    contract = load_contract(contract_path)
    check_output(out, {"contract file": contract_path}, "--out")
    return write_openslo(contract, out, tier, objective, days, where=str(contract_path))


def write_openslo(
    contract: Contract,
    out: str | Path,
    tier: str | None = None,
    objective: Decimal | None = None,
    days: int | None = None,
    where: str | None = None,
) -> Policy:
    """The desktop's call: a contract it has already (``where``: its file, for messages)."""
    check_output(out, {}, "--out")
    policy = policy_of(contract, tier, objective, days)
    documents = export_documents(
        contract, contract.tier(policy.tier), policy.objective_percent, policy.rules, where
    )
    write_text_atomic(out, export_yaml(documents), "--out", "OpenSLO file")
    return policy


def tier_from_openslo(path: str | Path, name: str | None = None) -> Contract:
    """A starting contract: the default template's schedule moved to the SLO's target, named
    after the SLO, in its time window's period and zone."""
    from slamodeler.services.baseline import DEFAULT_TEMPLATE

    path = Path(path)
    slo = read_slo(path, name)
    title = slo_display_name(slo)
    where = f"{path} (SLO {title})"
    target = openslo_target(slo, where)
    period, zone = slo_period(slo, where)
    terms = dict(DEFAULT_TEMPLATE)
    terms["name"] = f"{title} (from OpenSLO {path.name})"
    slot = slo_slot_minutes(slo, where)
    terms["measurement"] = {**terms["measurement"], "period": period, "slot_minutes": slot}
    if zone is not None:
        terms["timezone"] = zone
    try:
        contract = Contract.model_validate(terms)
    except ValueError:
        raise InputError(
            f"{where}: spec.timeWindow.calendar.timeZone {zone!r}: not an IANA time zone; "
            "use a name such as UTC or Europe/Paris"
        ) from None
    tier = moved_tier(contract.tiers[0], target).model_copy(update={"name": title})
    scope = slo_scope(slo)
    if scope:
        tier = tier.model_copy(update={"scope": tier.scope.model_copy(update=scope)})
    return contract.model_copy(update={"tiers": [tier]})


def import_openslo(path: str | Path, out: str | Path, name: str | None = None) -> Contract:
    check_output(out, {"OpenSLO file": path}, "--out")
    contract = tier_from_openslo(path, name)
    write_text_atomic(out, contract_to_yaml(contract), "--out", "contract")
    return contract


__all__ = [
    "METHODS",
    "ObjectiveAnswer",
    "Policy",
    "SloBudget",
    "SoFar",
    "TierBudget",
    "budget_files",
    "budget_of",
    "export_openslo",
    "full_outage_text",
    "import_openslo",
    "objective_files",
    "objective_lines",
    "objective_of",
    "openslo_target",
    "parse_instant",
    "parse_objective",
    "pick_tier",
    "policy_files",
    "policy_of",
    "reliability_lines",
    "save_budget_workbook",
    "so_far_line",
    "tier_from_openslo",
    "write_openslo",
]
