"""Claim windows in the simulation (``measurement.window`` kind ``claim``): each measured row
(trial, or customer hit on its own) files a claim as each of its incidents ends, and each claim
measures the ``days`` before it, with the fees of those days, by replay's rule
(``measured_windows.claim_instants`` and ``claim_window``).

A row's claims fall at its own instants, so rows do not share periods: the measured arrays hold,
per row, its claims in time order (``claims``: epoch seconds, -1 past the row's last claim) and
each claim's downtime and excluded micro-minutes (0 past the last). Measurement is vectorised
over all rows (``interval_measure.measure_spans``, on the calendar horizon, so minimum-downtime
runs and the allowance run across the whole stretch as replay runs them). Pricing is exactly
replay's steps: each claim's credit decided in fractions, once for all claims alike in
measurement (a window's minutes: its days, or in service hours the service minutes of its days),
then row by row, on the credited claims of each row only (each row is one replayed history of
claims, with its own fees, contract years and terms), the caps in whole minor units
(``minor_caps.MinorCaps``, held to ``apply_caps``), so even the schedules the simulation
otherwise prices in floats (linear, fee multiples) agree with replay to the cent. A claim's
fee is a fraction of months with its own denominator, so the caps do not run over one common
denominator as ``pricing.price_tier``'s do (the product with a cap would overflow 64 bits).
Slower than pricing by period (benchmarks/clause_costs.py measures it).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Contract, ServiceHours, Tier, Window
from slamodeler.domain.credit_schedules import boundary_of
from slamodeler.domain.money import minor_unit
from slamodeler.engine.caps import CreditItem, apply_caps
from slamodeler.engine.chronic import fees_left, first_right, right_holds
from slamodeler.engine.claim_events import NO_CLAIM, ClaimEvents
from slamodeler.engine.credits import misses
from slamodeler.engine.either_or import decide_tier_credit
from slamodeler.engine.fees import credited_fee
from slamodeler.engine.horizon import Horizon
from slamodeler.engine.interval_measure import IntervalIncidents, measure_spans
from slamodeler.engine.measured_windows import DAY_SECONDS, claim_instants, claim_window
from slamodeler.engine.minor_caps import MinorCaps, RowTotals
from slamodeler.engine.periods import Period, contract_year, term_number
from slamodeler.engine.pricing import TierPricing, price_tier
from slamodeler.engine.service_hours import service_runs, slots_in_spans
from slamodeler.engine.slot_rules import SlotRules
from slamodeler.engine.slots import MICRO, SlotGrid

I64 = NDArray[np.int64]


def measures_claims(contract: Contract) -> bool:
    window = contract.measurement.window
    return window is not None and window.kind == "claim"


@dataclasses.dataclass(frozen=True)
class ClaimMeasure:
    """Per row (rows x its claims, padded to the most claims of any row)."""

    downtime: I64
    excluded: I64
    claims: I64  # claim instants, epoch seconds; NO_CLAIM past the row's last


def measure_claims(
    inc: IntervalIncidents,
    horizon: Horizon,
    contract: Contract,
    rules: SlotRules,
    claim_row: I64,
    ends: I64,
) -> ClaimMeasure:
    """The claims of every row (``claim_row[k]`` files one as incident ``ends[k]`` ends: every
    incident its replayed history holds, in the tier's scope or not) and what each measures."""
    window = contract.measurement.window
    assert window is not None
    m = contract.measurement
    grid = horizon.grid
    row, instant = claim_instants(
        claim_row, ends, horizon.periods[0].start, horizon.periods[-1].end, grid.slot_seconds
    )
    counts = np.bincount(row, minlength=inc.n_trials)
    column = np.arange(len(row)) - np.repeat(np.cumsum(counts) - counts, counts)
    hi = (instant - grid.origin) // grid.slot_seconds
    lo = np.maximum(hi - window.days * DAY_SECONDS // grid.slot_seconds, 0)  # before: all up
    down, excluded = measure_spans(
        inc, horizon, m.slot_minutes, m.min_downtime_minutes, rules, row, lo, hi
    )
    shape = (inc.n_trials, int(counts.max(initial=0)))
    out = ClaimMeasure(
        np.zeros(shape, np.int64), np.zeros(shape, np.int64), np.full(shape, NO_CLAIM, np.int64)
    )
    out.downtime[row, column] = down
    out.excluded[row, column] = excluded
    out.claims[row, column] = instant
    return out


def widened(values: I64, columns: int, fill: int) -> I64:
    """``values`` (rows x claims) padded on the right to ``columns`` claims with ``fill``."""
    extra = columns - values.shape[1]
    if extra <= 0:
        return values
    return np.pad(values, ((0, 0), (0, extra)), constant_values=fill)


@functools.lru_cache(maxsize=65_536)
def _claim_period(window: Window, claim: int, zone: str) -> Period:
    return claim_window(window, claim, ZoneInfo(zone))


def claim_horizon(contract: Contract, horizon: Horizon, claims: list[int]) -> Horizon:
    """One replayed history's claims as the periods pricing walks: each claim's window, its
    fees, and the contract year and term of its local date (replay's rows)."""
    window = contract.measurement.window
    assert window is not None
    periods = [_claim_period(window, c, contract.timezone) for c in claims]
    grid = horizon.grid
    return dataclasses.replace(
        horizon,
        periods=periods,
        period_starts=np.array(
            [max(p.start - grid.origin, 0) // grid.slot_seconds for p in periods], np.int64
        ),
        years=[contract_year(contract.term, p.first_day) for p in periods],
        terms=[term_number(contract.term, p.first_day) for p in periods],
    )


def price_claims(
    contract: Contract,
    tier: Tier,
    horizon: Horizon,
    downtime: I64,
    excluded: I64,
    claims: I64,
    keep_periods: bool = False,
    reference: bool = False,
    events: ClaimEvents | None = None,
) -> TierPricing:
    """Every row priced on its own claims, exactly by replay's steps: each claim's credit
    decided in fractions (``decide_claims``), with the per-incident and support credits it
    takes (``events``) added, then, in rows with a credited claim, the caps in time order on
    those claims alone (claims with no credit issue nothing and take no part in the caps).
    With ``keep_periods``, each claim's issued credit (0 past the row's last claim). With
    ``reference``, the caps by ``apply_caps`` itself (what the faster integer steps of
    ``MinorCaps`` are tested against)."""
    if not len(claims):
        return price_tier(contract, tier, horizon, downtime, excluded, keep_periods)
    decided = Memo()
    caps = None if reference else MinorCaps(contract, tier)
    minutes = claim_minutes(contract, horizon, claims)
    found = decide_claims(contract, tier, minutes, downtime, excluded, claims, decided)
    rows = len(claims)
    totals = {name: np.zeros(rows, np.int64) for name in ("owed", "issued", "paid", "capped_off")}
    hits = {name: np.zeros(rows, bool) for name in ("period", "year", "liability")}
    issued_by_claim = np.zeros(claims.shape, np.int64)
    credited = found.credited if events is None else found.credited | events.credited(claims.shape)
    for r in np.flatnonzero(credited.any(axis=1)).tolist():
        columns = np.flatnonzero(credited[r]).tolist()
        items = [
            _credit_item(contract, tier, int(claims[r, c]), found.percent_of(r, c), decided)
            for c in columns
        ]
        if events is not None:
            items = [
                dataclasses.replace(
                    item, credit_pct=item.credit_pct + events.percent(r, c, item.fee)
                )
                for item, c in zip(items, columns, strict=True)
            ]
        row = reference_row(contract, tier, items) if caps is None else caps.row(items)
        for name, values in totals.items():
            values[r] = getattr(row, name)
        for name, flags in hits.items():
            flags[r] = getattr(row, f"hit_{name}_cap")
        issued_by_claim[r, columns] = row.issued_by_item
    return TierPricing(
        **totals,
        breach_periods=found.missed.sum(axis=1, dtype=np.int64),
        hit_period_cap=hits["period"],
        hit_year_cap=hits["year"],
        hit_liability_cap=hits["liability"],
        issued_by_period=issued_by_claim if keep_periods else None,
    )


@dataclasses.dataclass(frozen=True)
class Decided:
    """Each claim's credit % and miss (rows x claims), as indices into what was decided once
    per distinct (excluded, downtime): ``code`` -1 past a row's last claim."""

    code: I64
    percents: list[Fraction]
    missed: NDArray[np.bool_]
    credited: NDArray[np.bool_]

    def percent_of(self, row: int, column: int) -> Fraction:
        return self.percents[int(self.code[row, column])]


def decide_claims(
    contract: Contract,
    tier: Tier,
    minutes: I64,
    downtime: I64,
    excluded: I64,
    claims: I64,
    decided: Memo,
) -> Decided:
    """Every claim's credit % and miss at once: claims alike in minutes (``claim_minutes``),
    excluded and downtime are decided alike (``_decided``, replay's rule, once for each such
    triple in ``decided``)."""
    valid = claims != NO_CLAIM
    triples = np.stack((minutes[valid], excluded[valid], downtime[valid]), axis=1)
    distinct, inverse = np.unique(triples.reshape(-1, 3), axis=0, return_inverse=True)
    outcomes = [decided.decide(contract, tier, int(d), int(x), int(t)) for d, x, t in distinct]
    percents = [percent for percent, _ in outcomes]
    code = np.full(claims.shape, -1, np.int64)
    code[valid] = inverse.reshape(-1)
    misses_of = np.array([miss for _, miss in outcomes] + [False], bool)  # [-1]: no claim
    credits_of = np.array([bool(p) for p in percents] + [False], bool)
    return Decided(code, percents, misses_of[code], credits_of[code])


def claim_minutes(contract: Contract, horizon: Horizon, claims: I64) -> I64:
    """Each claim's window minutes in micro-minutes (shape of ``claims``): its days, or in
    service hours the service slots of those days (section 4a), also where the days reach back
    before the simulated horizon, as the replay of a dumped trial counts them."""
    window, hours = contract.measurement.window, contract.measurement.service_hours
    assert window is not None
    span = window.days * DAY_SECONDS
    if hours is None:
        return np.full(claims.shape, span // 60 * MICRO, np.int64)
    grid = horizon.grid
    back = SlotGrid(grid.origin - span, grid.slot_seconds, grid.n + span // grid.slot_seconds)
    runs = _service_runs(hours.model_dump_json(), contract.timezone, back)
    hi = (np.maximum(claims, grid.origin) - back.origin) // back.slot_seconds
    slots = slots_in_spans(runs, hi - span // back.slot_seconds, hi)
    return np.where(claims == NO_CLAIM, 0, slots * (back.slot_seconds // 60) * MICRO)


@functools.lru_cache(maxsize=8)
def _service_runs(hours: str, zone: str, grid: SlotGrid) -> I64:
    """The service runs of a grid reaching a window back before a horizon, made once a run."""
    return service_runs(ServiceHours.model_validate_json(hours), grid, ZoneInfo(zone))


def _credit_item(
    contract: Contract, tier: Tier, claim: int, percent: Fraction, decided: Memo
) -> CreditItem:
    """A credited claim as the caps take it: its window's credited fee, contract year and term
    (replay's row of that claim)."""
    window = contract.measurement.window
    assert window is not None
    period = _claim_period(window, claim, contract.timezone)
    return CreditItem(
        decided.fee(tier, period),
        contract_year(contract.term, period.first_day),
        term_number(contract.term, period.first_day),
        percent,
    )


@dataclasses.dataclass
class Memo:
    """What the rows of one tier share, found once: the credit % and miss of each (minutes,
    excluded, downtime) seen, and the credited fee of each claim instant seen."""

    decided: dict[tuple[int, int, int], tuple[Fraction, bool]] = dataclasses.field(
        default_factory=dict
    )
    fees: dict[int, Fraction] = dataclasses.field(default_factory=dict)

    def fee(self, tier: Tier, period: Period) -> Fraction:
        if period.end not in self.fees:
            self.fees[period.end] = credited_fee(tier, period)
        return self.fees[period.end]

    def decide(
        self, contract: Contract, tier: Tier, minutes: int, excluded: int, downtime: int
    ) -> tuple[Fraction, bool]:
        key = (minutes, excluded, downtime)
        if key not in self.decided:
            self.decided[key] = _decided(contract, tier, *key)
        return self.decided[key]


def claim_fees_at_risk(
    contract: Contract, tier: Tier, horizon: Horizon, downtime: I64, excluded: I64, claims: I64
) -> NDArray[np.float64] | None:
    """``chronic.simulated_fees_at_risk`` on each row's own claims, as replay finds it on a
    history's claim rows: the right holds at a claim when the target was missed in at least
    ``missed`` of the last ``of`` claims; at risk are the fees of the term's months left after
    the first such claim's (``fees_left`` on the row's ``claim_horizon``). -1: never. Past a
    row's last claim nothing is missed, so a right never first holds there."""
    clause = contract.chronic_failure_of(tier)
    if clause is None:
        return None
    out = np.full(len(claims), -1.0)
    minutes = claim_minutes(contract, horizon, claims)
    missed = decide_claims(contract, tier, minutes, downtime, excluded, claims, Memo()).missed
    first = first_right(right_holds(missed, clause))
    for r in np.flatnonzero(first >= 0).tolist():
        k = int(np.count_nonzero(claims[r] != NO_CLAIM))
        own = claim_horizon(contract, horizon, claims[r, :k].tolist())
        out[r] = float(fees_left(contract, tier, own)[int(first[r])])
    return out


def reference_row(contract: Contract, tier: Tier, items: list[CreditItem]) -> RowTotals:
    """One row's credits by ``caps.apply_caps`` itself: replay's steps in Fractions and
    Decimals, the reference ``MinorCaps.row`` is held to."""
    outcomes = apply_caps(contract, tier, items)
    unit = minor_unit(contract.currency)

    def minor(amounts: Iterable[Decimal]) -> int:
        return int(sum(amounts, Decimal(0)) / unit)

    return RowTotals(
        owed=minor(o.owed for o in outcomes),
        issued=minor(o.after_caps for o in outcomes),
        paid=minor(o.expected_paid for o in outcomes),
        capped_off=minor(o.capped_off for o in outcomes),
        hit_period_cap=any(o.capped_by_period for o in outcomes),
        hit_year_cap=any(o.capped_by_year for o in outcomes),
        hit_liability_cap=any(o.capped_by_liability for o in outcomes),
        issued_by_item=[int(o.after_caps / unit) for o in outcomes],
    )


def _decided(contract: Contract, tier: Tier, d: int, x: int, t: int) -> tuple[Fraction, bool]:
    """A claim's credit % and whether it missed the target, from its minutes, excluded and
    downtime micro-minutes, as replay decides them."""
    base = d - x if contract.exclusions.excluded_time == "remove" else d
    availability = Fraction(100) if base == 0 else Fraction(100 * (base - t), base)
    found = decide_tier_credit(
        tier, availability, Fraction(t, MICRO), Fraction(d, MICRO), Fraction(x, MICRO)
    )
    return found.percent, misses(availability, tier.target_pct, boundary_of(tier.credits))
