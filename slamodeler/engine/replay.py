"""Replay: measure an incident history against a contract, tier by tier and period by period.

The pipeline of docs/measurement.md: periods in the contract's zone, scope, impact weights, slots
with the worst impact, exclusions and allowance, minimum downtime, availability, credit, caps.
Each period's result carries its explanation (incidents, exclusions, rule, caps).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from operator import itemgetter
from zoneinfo import ZoneInfo

import numpy as np

from slamodeler.domain.contract import Contract, PeriodKind, Tier
from slamodeler.domain.credit_schedules import boundary_of
from slamodeler.domain.errors import InputError
from slamodeler.domain.incident_columns import Coded, IncidentColumns
from slamodeler.domain.incidents import Incident
from slamodeler.domain.period_words import window_words
from slamodeler.domain.results import IncidentShare, PeriodResult, ReplayResult, TierReplay
from slamodeler.domain.support import SupportPeriod, Ticket
from slamodeler.engine import incident_credits, incident_zones
from slamodeler.engine.billing_rows import billing_periods
from slamodeler.engine.caps import CreditItem, apply_caps
from slamodeler.engine.chronic import replay_chronic, with_chronic
from slamodeler.engine.credits import misses
from slamodeler.engine.either_or import decide_tier_credit
from slamodeler.engine.fees import credited_fee, fee_note
from slamodeler.engine.horizon import (
    Horizon,
    ScopeKey,
    build_horizon,
    priced_horizon,
    reaches,
    scope_key,
)
from slamodeler.engine.measured_windows import slots_by_row
from slamodeler.engine.periods import (
    Period,
    check_range,
    index_label,
    parse_label,
    period_index_at,
)
from slamodeler.engine.service_hours import describe as describe_hours
from slamodeler.engine.slot_rules import SlotRules
from slamodeler.engine.slots import MICRO, SlotGrid, SlotMeasure, TierIncidents, measure_slots
from slamodeler.engine.support_credits import support_percent, support_periods, ticket_notes
from slamodeler.engine.zone_quorum import (
    ZoneCount,
    ZoneKey,
    down_zone_minutes,
    zone_key,
    zone_numbers,
    zone_reaches,
    zoneless_note,
)
from slamodeler.engine.zone_quorum import zones_down as quorum_slots

WINDOW = "maintenance window"
MAINTENANCE_CAUSE = "cause: maintenance"
CAUSE = "cause"  # labelled with the cause of the incident that owns the excused minutes
COUNTED, BELOW_MINIMUM = "counted", "below minimum"  # not exclusions


def replay(
    contract: Contract,
    incidents: Sequence[Incident],
    first: str | None = None,
    last: str | None = None,
    tiers: Sequence[str] | None = None,
    tickets: Sequence[Ticket] = (),
) -> ReplayResult:
    zone = ZoneInfo(contract.timezone)
    kind = contract.measurement.period
    incidents = IncidentColumns.of(incidents)
    horizon = build_horizon(
        contract,
        *_range(incidents, first, last, kind, zone, contract.measurement.first_month),
        claims=incidents.end.tolist(),
    )
    grid = horizon.grid
    selected = _select_tiers(contract, tiers)
    shown = {t.name for t in selected}
    if shown & {t.name for t in contract.held_together()}:  # the cap needs every tier held
        held = shown | {t.name for t in contract.held_together()}
        selected = [t for t in contract.tiers if t.name in held]
    columns = _Columns(contract, incidents, grid)
    year_starts = horizon.year_starts

    results, notes = [], []
    measured: dict[tuple[ScopeKey, ZoneKey], _ScopeRows] = {}
    service = horizon.service_mask()
    for tier in selected:
        # Measurement depends on the scope only, not on the tier's money terms: tiers that share
        # a scope share it.
        scope = scope_key(tier), zone_key(tier)
        if scope not in measured:
            slots = measure_slots(
                grid,
                columns.for_tier(tier),
                horizon.windows,
                year_starts,
                horizon.allowance_micro,
                contract.measurement.min_downtime_minutes,
                columns.rules,
                service,
            )
            measured[scope] = _scope_rows(horizon, slots, columns)
        if incidents and not columns.in_scope(tier).any():
            notes.append(
                f"tier {tier.name}: no incident reaches its scope (services: "
                f"{', '.join(tier.scope.services) or 'all'}; regions: "
                f"{', '.join(tier.scope.regions) or 'all'}); check the names against the data"
            )
        support = support_periods(contract, tier, billing_periods(horizon), tickets)
        zoneless = zoneless_note(tier, columns.zone[columns.in_scope(tier)])
        notes += [zoneless] if zoneless else []
        results.append(
            _tier_result(contract, tier, horizon, measured[scope], columns, zone, support, notes)
        )
    notes.extend(ticket_notes(contract, billing_periods(horizon), tickets))
    if contract.customer_cap is not None:  # its walk loaded only for a contract with the cap
        from slamodeler.engine.customer_caps import cap_replayed

        by_row = priced_horizon(horizon)  # a window's row is its period: its term and fee
        results = cap_replayed(contract, by_row, results)
    results = [r for r in results if r.tier in shown]
    return ReplayResult(
        contract_name=contract.name,
        contract_hash=contract.content_hash(),
        currency=contract.currency,
        timezone=contract.timezone,
        period_kind=kind,
        first=horizon.range_labels[0],
        last=horizon.range_labels[1],
        tiers=tuple(results),
        notes=tuple(notes),
        window=window_words(contract.measurement.window) if horizon.windowed else "",
    )


def _range(
    incidents: IncidentColumns,
    first: str | None,
    last: str | None,
    kind: PeriodKind,
    zone: ZoneInfo,
    first_month: int,
) -> tuple[int, int]:
    """First and last period (as month indexes): as given, else those of the incidents (a
    period's index never falls as time goes on: the earliest start's is the first)."""
    if (first is None or last is None) and not incidents:
        raise InputError("no incidents to replay; give the range with --from and --to")
    lo = (
        parse_label(first, kind, first_month)
        if first is not None
        else period_index_at(int(incidents.start.min()), kind, zone, first_month)
    )
    hi = (
        parse_label(last, kind, first_month)
        if last is not None
        else period_index_at(
            int(np.maximum(incidents.end - 1, incidents.start).max()), kind, zone, first_month
        )
    )
    check_range(min(lo, hi), max(lo, hi))
    if hi < lo:
        raise InputError(_backwards(first, last, index_label(lo, kind, first_month),
                                    index_label(hi, kind, first_month)))  # fmt: skip
    return lo, hi


def _backwards(first: str | None, last: str | None, lo: str, hi: str) -> str:
    """Why the range ends before it starts: the two options given, or one given and the other
    end taken from the incidents' periods."""
    if first is not None and last is not None:
        return f"--to {last} is before --from {first}; give a --to on or after the --from"
    if first is not None:
        return (
            f"--from {first} is after the last period of the incidents ({hi}); give an earlier "
            "--from or a --to"
        )
    return (
        f"--to {last} is before the first period of the incidents ({lo}); give a later --to "
        "or a --from"
    )


def _select_tiers(contract: Contract, names: Sequence[str] | None) -> list[Tier]:
    if not names:
        return list(contract.tiers)
    try:
        return [contract.tier(name) for name in names]
    except KeyError as exc:
        raise InputError(str(exc.args[0])) from None


class _Columns:
    """The incidents as arrays, with contract weights resolved once for all tiers."""

    def __init__(self, contract: Contract, incidents: IncidentColumns, grid: SlotGrid):
        weights = contract.measurement.impact_weights
        # Each distinct impact is weighed once, in the order the incidents first show it (the
        # first an error names is the first incident with it): exports repeat a few impacts.
        # Incidents given one by one have an entry each (0.3 and 0.30 are kept apart), whose
        # weights are looked up by their text and whether it is a label (the label "1" is not
        # the share 1).
        impact = incidents.impact
        weight_of = np.zeros(len(impact.values), dtype=np.int32)
        weighed: dict[tuple[bool, str], int] = {}
        for code, k in _in_row_order(impact):
            value = impact.values[code]
            key = isinstance(value, str), str(value)
            if key not in weighed:
                weighed[key] = _micro_weight(value, weights, incidents, k)
            weight_of[code] = weighed[key]
        self.incidents = incidents
        self.weight = weight_of[impact.codes]
        self.start, self.end = incidents.start, incidents.end
        self.rules = SlotRules.of(contract.measurement)
        self.first, self.stop = self.rules.counted_range(grid, self.start, self.end)
        causes = _normalised(incidents.cause.values)
        self.cause = causes[incidents.cause.codes]
        # Scope is decided once per distinct (service, region): exports repeat a few of them.
        services, regions = incidents.service, incidents.region
        pair = services.codes.astype(np.int64) * len(regions.values) + regions.codes
        present, self.place_of = np.unique(pair, return_inverse=True)
        service_names, region_names = _normalised(services.values), _normalised(regions.values)
        self.places = [
            (service_names[p // len(regions.values)], region_names[p % len(regions.values)])
            for p in present.tolist()
        ]
        excluded = set(contract.exclusions.causes)
        self.cause_excluded = np.isin(causes, list(excluded - {"maintenance"}))[
            incidents.cause.codes
        ]
        self.maintenance = ((causes == "maintenance") & ("maintenance" in excluded))[
            incidents.cause.codes
        ]
        self.zone, self.zone_names = zone_numbers(incidents.zone, _in_row_order(incidents.zone))

    def in_scope(self, tier: Tier) -> np.ndarray:
        """Incidents whose service and region reach the tier (``horizon.reaches``), and under a
        k-of-n scope whose zone does (``zone_quorum.zone_reaches``)."""
        scope = scope_key(tier)
        hit = np.array([reaches(scope, *pair) for pair in self.places], dtype=bool)
        if not len(self.places):
            return np.zeros(0, dtype=bool)
        rule = tier.scope.zones
        if rule is None:
            return hit[self.place_of]
        zone_hit = np.array([zone_reaches(rule, z) for z in ("", *self.zone_names)], dtype=bool)
        return hit[self.place_of] & zone_hit[self.zone + 1]

    def zones_of(self, tier: Tier, ids: np.ndarray) -> ZoneCount | None:
        rule = tier.scope.zones
        if rule is None:
            return None
        return ZoneCount(self.zone[ids], rule.at_least, self.zone_names)

    def for_tier(self, tier: Tier) -> TierIncidents:
        ids = np.flatnonzero(self.in_scope(tier) & (self.stop > self.first))
        return TierIncidents(
            zones=self.zones_of(tier, ids),
            first=self.first[ids],
            stop=self.stop[ids],
            start=self.start[ids],
            weight=self.weight[ids],
            cause_excluded=self.cause_excluded[ids],
            maintenance=self.maintenance[ids],
            ids=ids.astype(np.int32),
        )


def _in_row_order(column: Coded) -> list[tuple[int, int]]:
    """Each entry of the column's table that some incident has, with the first such incident,
    in the order of those incidents."""
    firsts = column.firsts().tolist()
    return sorted(((c, k) for c, k in enumerate(firsts) if k >= 0), key=itemgetter(1))


def _normalised(names: Iterable[str]) -> np.ndarray:
    """Names stripped and lower-cased, as an object array."""
    return np.array([name.strip().lower() for name in names], dtype=object)


def _micro_weight(
    impact: str | Decimal, weights: dict[str, Decimal], incidents: IncidentColumns, k: int
) -> int:
    """``impact`` in millionths; a problem names incident ``k``, made only then."""
    if isinstance(impact, str):
        label = impact.strip().lower()
        if label not in weights:
            known = ", ".join(sorted(weights))
            raise InputError(
                f"incident {incidents[k].describe} has impact {impact!r}, which the "
                f"contract does not weigh; add it to measurement.impact_weights (has: {known})"
            )
        value = weights[label]
    else:
        value = impact
    if not 0 <= value <= 1:
        raise InputError(f"incident {incidents[k].describe}: impact {value} is not in 0..1")
    return int((value * MICRO).to_integral_value())


def _sum_by(index: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Integer sums of ``values`` grouped by ``index``: exact, as every partial sum stays far
    below 2**53 (at most a period of micro-minutes)."""
    return np.rint(np.bincount(index, weights=values, minlength=size)).astype(np.int64)


def _sums_between(values: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Integer sums of ``values`` over each [cuts[i], cuts[i + 1]): as ``_sum_by`` for an
    index that ascends, in integers throughout (about half its time on two million slots)."""
    total = np.concatenate(([0], np.cumsum(values)))
    return total[cuts[1:]] - total[cuts[:-1]]


def _minutes(micro: int) -> Decimal:
    return Decimal(micro).scaleb(-6)


@dataclass(frozen=True)
class _ScopeRows:
    """A scope's measurement by row (period or window), which every tier of the scope reads:
    the slots (each window's own where windows overlap) and the row of each, the sums per row,
    and the minutes per incident by reason."""

    m: SlotMeasure
    row_of: np.ndarray
    counted: list[int]
    below: list[int]
    cause_x: list[int]
    window_x: list[int]
    maint_x: list[int]
    shares: _Attribution


def _scope_rows(horizon: Horizon, m: SlotMeasure, columns: _Columns) -> _ScopeRows:
    """``m`` by row, once per scope (``_ScopeRows``)."""
    periods = horizon.rows
    if horizon.windowed:
        m, row_of = slots_by_row(horizon.grid, periods, m)

        def per_row(values: np.ndarray) -> list[int]:
            return _sum_by(row_of, values, len(periods)).tolist()

    else:  # the slots ascend, so each period's are a run of them
        row_of = np.searchsorted(horizon.period_starts, m.slots, side="right") - 1
        cuts = np.append(np.searchsorted(m.slots, horizon.period_starts), len(m.slots))

        def per_row(values: np.ndarray) -> list[int]:
            return _sums_between(values, cuts).tolist()

    shares = _Attribution(row_of, columns.incidents, columns.cause)
    shares.add(m.counted, m.owner_counted, COUNTED)
    shares.add(m.below_minimum, m.owner_counted, BELOW_MINIMUM)
    shares.add(m.cause_excused, m.owner_all, CAUSE)
    shares.add(m.window_excused, m.owner_maintenance, WINDOW)
    shares.add(m.maintenance_cause_excused, m.owner_maintenance, MAINTENANCE_CAUSE)
    counted, below, cause_x, window_x, maint_x = (
        per_row(v)
        for v in (
            m.counted,
            m.below_minimum,
            m.cause_excused,
            m.window_excused,
            m.maintenance_cause_excused,
        )
    )
    return _ScopeRows(m, row_of, counted, below, cause_x, window_x, maint_x, shares)


def _tier_result(
    contract: Contract,
    tier: Tier,
    horizon: Horizon,
    measured: _ScopeRows,
    columns: _Columns,
    zone: ZoneInfo,
    support: list[SupportPeriod | None],
    notes: list[str],
) -> TierReplay:
    periods, years, terms = horizon.rows, horizon.row_years, horizon.row_terms
    counted, below = measured.counted, measured.below
    cause_x, window_x, maint_x = measured.cause_x, measured.window_x, measured.maint_x
    shares = measured.shares
    zones_down = _zones_down(tier, measured.m, columns, measured.row_of, len(periods))
    decisions, rows = [], []
    remove = contract.exclusions.excluded_time == "remove"
    # A row's minutes (D): its period's or its window's, in service hours only when it has them
    d_of = priced_horizon(horizon).period_micro.tolist()
    for i, period in enumerate(periods):
        d_micro = d_of[i]
        x_micro = cause_x[i] + window_x[i] + maint_x[i]
        t_micro = counted[i]
        base = d_micro - x_micro if remove else d_micro
        availability = Fraction(100) if base == 0 else Fraction(100 * (base - t_micro), base)
        decision = decide_tier_credit(
            tier,
            availability,
            Fraction(t_micro, MICRO),
            Fraction(d_micro, MICRO),
            Fraction(x_micro, MICRO),
        )
        decisions.append(decision)
        rows.append((period, d_micro, x_micro, t_micro, availability))
    per_incident, per_incident_text = _incident_credits(tier, horizon, columns, len(periods), notes)
    outcomes = apply_caps(
        contract,
        tier,
        [
            CreditItem(
                credited_fee(tier, p),
                years[i],
                terms[i],
                decisions[i].percent + support_percent(support[i]) + per_incident[i],
            )
            for i, p in enumerate(periods)
        ],
    )
    missed = [misses(row[4], tier.target_pct, boundary_of(tier.credits)) for row in rows]
    chronic = replay_chronic(contract, tier, priced_horizon(horizon), missed)
    results = []
    hours = _service_hours_text(contract, horizon)
    billed_from = _billed_from(tier, horizon, zone)
    for i, ((period, d_micro, x_micro, t_micro, availability), decision, money) in enumerate(
        zip(rows, decisions, outcomes, strict=True)
    ):
        results.append(
            PeriodResult(
                tier=tier.name,
                period=period.label,
                start=datetime.fromtimestamp(period.start, zone).isoformat(),
                end=datetime.fromtimestamp(period.end, zone).isoformat(),
                contract_year=years[i],
                period_minutes=_minutes(d_micro),
                excluded_minutes=_minutes(x_micro),
                excluded_by_reason=shares.reasons(i),
                below_minimum_minutes=_minutes(below[i]),
                downtime_minutes=_minutes(t_micro),
                availability_pct=availability,
                credit_pct=decision.percent + support_percent(support[i]) + per_incident[i],
                rule=decision.rule,
                band=decision.band,
                escalation=decision.escalation,
                credit_owed=money.owed,
                credit_after_caps=money.after_caps,
                capped_by_period=money.capped_by_period,
                capped_by_year=money.capped_by_year,
                capped_by_liability=money.capped_by_liability,
                below_min_credit=money.below_min_credit,
                expected_paid=money.expected_paid,
                met_target=not missed[i],
                zones_down=None if zones_down is None else zones_down[i],
                shares=functools.partial(shares.shares, i),
                slot_rules=columns.rules.describe(),
                chronic_missed=chronic.triggers[i] if chronic else (),
                late_forfeited=money.late_forfeited,
                claim_by=claim_by(contract, datetime.fromtimestamp(period.end, zone)),
                service_hours=hours(period, d_micro),
                support=support[i],
                fee_note=fee_note(tier, period),
                incident_credits=per_incident_text[i],
                incident_credit_percent=per_incident[i],
                billed_from=billed_from[i],
            )
        )
    return with_chronic(
        TierReplay(tier.name, tier.customers, tier.target_pct, tuple(results)), chronic
    )


def _billed_from(tier: Tier, horizon: Horizon, zone: ZoneInfo) -> list[str]:
    """Per row, the start of the billing period its per-incident and support credits come from,
    when a window makes the row measure other days than that period's ("" otherwise)."""
    billed = billing_periods(horizon)
    if not horizon.windowed or (tier.incident_credits is None and tier.support is None):
        return [""] * len(horizon.rows)
    return [datetime.fromtimestamp(p.start, zone).isoformat() for p in billed]


def _incident_credits(
    tier: Tier, horizon: Horizon, columns: _Columns, periods: int, notes: list[str]
) -> tuple[list[Fraction], list[str]]:
    """Per period, the tier's per-incident credits (% of the period fee) and their words; what
    no claim in the range can credit said in ``notes`` (a list of its own, unread, for
    contracts without a claim window: there an incident past the range is not the range's)."""
    terms = tier.incident_credits
    if terms is None:
        return [Fraction(0)] * periods, [""] * periods
    ids = np.flatnonzero(columns.in_scope(tier))
    counts = ~columns.cause_excluded[ids] & ~columns.maintenance[ids]
    if tier.scope.zones is None:
        found = incident_credits.measure(
            horizon,
            incident_credits.open_slots(horizon),
            columns.rules,
            horizon.grid.slot_seconds // 60,
            columns.first[ids],
            columns.stop[ids],
            columns.weight[ids],
            counts,
        )
    else:
        found = _incident_credits_in_quorum(tier, horizon, columns, ids, counts)
    names = [columns.incidents.ids[k] for k in ids.tolist()]
    rule = tier.scope.zones
    region = "" if rule is None else f", minutes with {rule.at_least} or more zones down"
    unbilled: list[str] = []
    out = incident_credits.by_period(terms, found, names, periods, horizon, region, unbilled)
    if unbilled:
        notes.append(
            f"tier {tier.name}: {len(unbilled)} incident(s) with a per-incident credit end after "
            f"the last claim in the range: not credited (first: {unbilled[0]}); widen --to "
            "to the claim their end files"
        )
    return out


def _incident_credits_in_quorum(
    tier: Tier, horizon: Horizon, columns: _Columns, ids: np.ndarray, counts: np.ndarray
) -> incident_credits.Measured:
    """Per-incident credits' minutes under a k-of-n scope (``incident_zones``): the quorum is
    made of the tier's incidents that weigh something and are not excluded."""
    counts = counts & (columns.weight[ids] > 0)
    rule = tier.scope.zones
    assert rule is not None
    q = ids[counts & (columns.stop[ids] > columns.first[ids])]
    down, _ = quorum_slots(
        horizon.grid.n,
        columns.first[q],
        columns.stop[q],
        columns.start[q],
        q.astype(np.int32),
        columns.zone[q],
        rule.at_least,
        np.zeros(len(q), dtype=bool),
        False,
    )
    return incident_zones.replay_measure(
        horizon,
        incident_credits.open_slots(horizon),
        columns.rules,
        horizon.grid.slot_seconds // 60,
        (columns.first[ids], columns.stop[ids]),
        down > 0,
        counts,
    )


def _zones_down(
    tier: Tier, m: SlotMeasure, columns: _Columns, row_of: np.ndarray, periods: int
) -> list[dict[str, Decimal]] | None:
    """Under a k-of-n scope, per period, the zones down in the slots that counted, with those
    slots' minutes (the period's explanation); None for other scopes."""
    if tier.scope.zones is None:
        return None
    can_count = columns.in_scope(tier) & ~columns.cause_excluded & (columns.weight > 0)
    ids = np.flatnonzero(can_count & (columns.stop > columns.first))
    per_period = down_zone_minutes(
        m.slots,
        m.counted,
        columns.first[ids],
        columns.stop[ids],
        columns.zone[ids],
        columns.zone_names,
        row_of,
        periods,
    )
    return [{z: _minutes(v) for z, v in sorted(p.items())} for p in per_period]


def claim_by(contract: Contract, end: datetime) -> str:
    """The last day (local) a claim for a period ending at ``end`` is in time: the deadline is
    ``claim_deadline_days`` days after the end, so the day before it is the last; "" if none."""
    days = contract.claims.claim_deadline_days
    if days is None:
        return ""
    return (end.date() + timedelta(days=days - 1)).isoformat()


def _service_hours_text(contract: Contract, horizon: Horizon) -> Callable[[Period, int], str]:
    """A period's service hours in words with its service minutes ("" without service hours)."""
    hours = contract.measurement.service_hours
    if hours is None:
        return lambda period, d_micro: ""
    said = describe_hours(hours)
    whose = "the window's " if horizon.windowed else ""
    return lambda period, d_micro: (
        f"{said} ({contract.timezone}): {d_micro // MICRO:,} of {whose}{period.minutes:,} minutes"
    )


class _Attribution:
    """Minutes per (period, incident) by reason, from per-slot arrays and their owners; kept as
    sorted arrays, turned into IncidentShare rows only for the periods someone looks at."""

    def __init__(self, period_of: np.ndarray, incidents: Sequence[Incident], causes: np.ndarray):
        self.period_of = period_of
        self.incidents = incidents
        self.causes = causes
        self.n = len(incidents)
        self.parts: list[tuple[str, np.ndarray, np.ndarray]] = []

    def add(self, values: np.ndarray, owner: np.ndarray, reason: str) -> None:
        """``reason``: COUNTED, BELOW_MINIMUM, CAUSE (the owning incident's cause) or a label."""
        nz = np.flatnonzero(values)
        if not nz.size:
            return
        own = owner[nz].astype(np.int64)
        period = self.period_of[nz]
        change = np.flatnonzero((own[1:] != own[:-1]) | (period[1:] != period[:-1])) + 1
        runs = np.concatenate(([0], change))
        sums = np.add.reduceat(values[nz], runs)
        keys = period[runs] * self.n + own[runs]
        unique, inverse = np.unique(keys, return_inverse=True)
        self.parts.append((reason, unique, _sum_by(inverse, sums, len(unique))))

    def _in(self, period: int) -> list[tuple[str, list[int], list[int]]]:
        out = []
        for reason, keys, totals in self.parts:
            lo, hi = np.searchsorted(keys, [period * self.n, (period + 1) * self.n])
            out.append((reason, (keys[lo:hi] - period * self.n).tolist(), totals[lo:hi].tolist()))
        return out

    def _label(self, reason: str, k: int) -> str:
        return f"cause: {self.causes[k]}" if reason == CAUSE else reason

    def reasons(self, period: int) -> dict[str, Decimal]:
        out: dict[str, int] = defaultdict(int)
        for reason, ks, totals in self._in(period):
            if reason not in (COUNTED, BELOW_MINIMUM):
                for k, total in zip(ks, totals, strict=True):
                    out[self._label(reason, k)] += total
        return {label: _minutes(v) for label, v in sorted(out.items())}

    def shares(self, period: int) -> tuple[IncidentShare, ...]:
        counted: dict[int, int] = {}
        below: dict[int, int] = {}
        excluded: dict[int, dict[str, int]] = defaultdict(dict)
        for reason, ks, totals in self._in(period):
            for k, total in zip(ks, totals, strict=True):
                if reason == COUNTED:
                    counted[k] = total
                elif reason == BELOW_MINIMUM:
                    below[k] = total
                else:
                    label = self._label(reason, k)
                    excluded[k][label] = excluded[k].get(label, 0) + total
        out = []
        involved = set(counted) | set(below) | set(excluded)
        for k in sorted(involved, key=lambda k: (self.incidents[k].start, k)):
            by_reason = excluded.get(k, {})
            incident = self.incidents[k]
            out.append(
                IncidentShare(
                    id=incident.id,
                    title=incident.title,
                    row=incident.row,
                    counted_minutes=_minutes(counted.get(k, 0)),
                    below_minimum_minutes=_minutes(below.get(k, 0)),
                    excluded_minutes=_minutes(sum(by_reason.values())),
                    excluded_reason="; ".join(sorted(by_reason)) or None,
                )
            )
        return tuple(out)
