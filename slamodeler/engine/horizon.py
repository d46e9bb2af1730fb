"""The measured stretch of time: periods, slots, contract years, terms and maintenance windows.

Built once per contract and range, shared by replay and simulation so that both measure the same
calendar (docs/measurement.md, sections 1, 4 and 5).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Contract, PeriodKind, Tier
from slamodeler.engine.measured_windows import claim_rows, rolling_rows
from slamodeler.engine.periods import (
    MONTHS_OF,
    Period,
    align,
    contract_year,
    parse_label,
    period_index_at,
    periods_between,
    term_number,
)
from slamodeler.engine.service_hours import service_mask, service_runs, slots_in_spans
from slamodeler.engine.slots import MICRO, SlotGrid
from slamodeler.engine.windows import window_intervals

ScopeKey = tuple[tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class Horizon:
    """The periods measured and the slots under them, with each period's contract year, term
    and the maintenance windows: built once, shared by every tier measured on it."""

    periods: list[Period]
    grid: SlotGrid
    period_starts: np.ndarray  # slot index where each period starts
    years: list[int]  # contract year of each period
    terms: list[int]  # liability term of each period
    windows: list[tuple[int, int]]  # UTC [start, end) of every maintenance window occurrence
    allowance_micro: int | None  # maintenance allowance per contract year, micro-minutes
    # What each result row measures: the periods themselves, or with ``measurement.window`` the
    # windows of days before each period end or claim (``periods`` then also cover the
    # windows' reach before the range, for contract years and the allowance).
    rows: list[Period]
    row_years: list[int]
    row_terms: list[int]
    windowed: bool
    range_labels: tuple[str, str]  # first and last period of the range asked for
    # Service hours: rows [first, stop) of the slots measured (None: every slot is)
    service: NDArray[np.int64] | None = None

    def service_mask(self) -> NDArray[np.bool_] | None:
        """For every slot: is it in service hours? None when every slot is."""
        return None if self.service is None else service_mask(self.service, self.grid.n)

    @property
    def year_starts(self) -> np.ndarray:
        """Slot index where each contract year begins, plus the end of the horizon."""
        cuts = [int(self.period_starts[0])]
        cuts += [
            int(self.period_starts[i])
            for i in range(1, len(self.years))
            if self.years[i] != self.years[i - 1]
        ]
        return np.array([*cuts, self.grid.n], dtype=np.int64)

    @property
    def period_micro(self) -> NDArray[np.int64]:
        """Length of each period in micro-minutes: its service hours' when it has them (D), from
        its own start to its own end (a measured window's rows overlap)."""
        if self.service is not None:
            size, origin = self.grid.slot_seconds, self.grid.origin
            ends = np.array([min((p.end - origin) // size, self.grid.n) for p in self.periods])
            slots = slots_in_spans(self.service, self.period_starts, ends.astype(np.int64))
            return slots * (size // 60) * MICRO
        return np.array([p.minutes * MICRO for p in self.periods], dtype=np.int64)


def row_slots(horizon: Horizon) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Slot range [lo, hi) of each result row, as replay attributes slots (``slots_by_row``)."""
    grid = horizon.grid
    lo = [(r.start - grid.origin) // grid.slot_seconds for r in horizon.rows]
    hi = [(r.end - grid.origin) // grid.slot_seconds for r in horizon.rows]
    return np.array(lo, np.int64), np.array(hi, np.int64)


def priced_horizon(horizon: Horizon) -> Horizon:
    """The horizon pricing sees: one period per result row, with the row's window as its span
    (its minutes), label, fee, contract year and term. Unchanged without a window."""
    if not horizon.windowed:
        return horizon
    lo, _ = row_slots(horizon)
    return replace(
        horizon,
        periods=list(horizon.rows),
        period_starts=lo,
        years=list(horizon.row_years),
        terms=list(horizon.row_terms),
    )


def build_horizon(contract: Contract, first: int, last: int, claims: Sequence[int] = ()) -> Horizon:
    """The horizon from month index ``first`` to ``last`` (periods of the contract's kind);
    ``claims`` are the instants a claim-based window is measured before (incident ends)."""
    zone = ZoneInfo(contract.timezone)
    m = contract.measurement
    periods = periods_between(first, last, m.period, zone, m.first_month)
    slot_seconds = m.slot_minutes * 60
    rows = periods
    if m.window is not None and m.window.kind == "rolling":
        rows = rolling_rows(m.window, periods)
    elif m.window is not None:
        rows = claim_rows(m.window, periods, claims, slot_seconds, zone)
    range_labels = (periods[0].label, periods[-1].label)
    origin = min([periods[0].start, *(r.start for r in rows)])
    if origin < periods[0].start:  # calendar periods back to the earliest window
        periods = periods_between(
            period_index_at(origin, m.period, zone, m.first_month),
            last,
            m.period,
            zone,
            m.first_month,
        )
    grid = SlotGrid(origin, slot_seconds, (periods[-1].end - origin) // slot_seconds)
    allowance = contract.exclusions.maintenance_allowance_minutes_per_year
    hours = contract.measurement.service_hours
    return Horizon(
        periods=periods,
        grid=grid,
        period_starts=np.array(
            [max(p.start - origin, 0) // slot_seconds for p in periods], np.int64
        ),
        years=[contract_year(contract.term, p.first_day) for p in periods],
        terms=[term_number(contract.term, p.first_day) for p in periods],
        windows=window_intervals(
            contract.exclusions.maintenance_windows, origin, periods[-1].end, zone
        ),
        allowance_micro=int(allowance * MICRO) if allowance is not None else None,
        rows=rows,
        row_years=[contract_year(contract.term, r.first_day) for r in rows],
        row_terms=[term_number(contract.term, r.first_day) for r in rows],
        windowed=m.window is not None,
        range_labels=range_labels,
        service=None if hours is None else service_runs(hours, grid, zone),
    )


def aligned_start(month: str, period: PeriodKind, first_month: int = 0) -> tuple[str, str]:
    """The first month (YYYY-MM) of a contract period at or after ``month``, and a note that
    says what moved ("" when nothing did): a quarterly contract measures calendar quarters, so a
    horizon starting in September starts with the quarter from October (fiscal quarters and
    years from their ``first_month``). The one rule of the simulation, the CLI and the desktop
    application."""
    index = parse_label(month, "month")
    start = align(index, period, first_month)
    if start == index:
        return month, ""
    moved = start + MONTHS_OF[period]
    text = f"{moved // 12:04d}-{moved % 12 + 1:02d}"
    kind = "fiscal" if first_month else "calendar"
    return text, f"Start moved from {month} to {text}: the contract measures {kind} {period}s"


def scope_key(tier: Tier) -> ScopeKey:
    """Tiers with the same key see the same incidents, so their measurement is shared."""
    return _compared(tuple(tier.scope.services)), _compared(tuple(tier.scope.regions))


@functools.lru_cache(maxsize=4096)
def _compared(names: tuple[str, ...]) -> tuple[str, ...]:
    """Names as scopes compare them (trimmed, in any case), once each, sorted: kept, as a run
    asks for every tier's key block after block (50 tiers of 50 regions each spent 6% of a
    run's CPU on them, in chunks of one block)."""
    return tuple(sorted({n.strip().lower() for n in names}))


def reaches(scope: ScopeKey, service: str, region: str) -> bool:
    """Whether an incident on ``service`` in ``region`` reaches the tiers of ``scope``: a name
    the tier's list holds (any case), or a list left empty, or an incident not tied to one (an
    empty name). The one rule of replay and simulation alike (docs/measurement.md, section 2)."""
    services, regions = scope
    s, r = service.strip().lower(), region.strip().lower()
    return (not s or not services or s in services) and (not r or not regions or r in regions)
