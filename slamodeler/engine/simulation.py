"""Monte Carlo: many synthetic histories measured by the contract's rules, then priced.

Trials come in fixed blocks, each with its own random stream (numpy SeedSequence spawned from
the seed by block number), so a result depends on the seed and the number of trials only: not
on how blocks are grouped into chunks, nor on how many workers ran them, nor in what order.
Measurement (what took time) is kept per trial and period up to ``KEEP_CELLS``, so new credit
terms re-price a result without drawing it again. A bigger run is priced chunk by chunk where
each chunk was measured, and keeps only per-trial totals: its memory does not grow with the
horizon, and a re-price draws and measures it again from its seed (the same histories).
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import json
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from itertools import accumulate, product
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Contract, Tier, canonical_terms
from slamodeler.domain.contract_limits import run_too_large
from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import Incident
from slamodeler.domain.scenario import Scenario
from slamodeler.domain.simulation_request import check_trials
from slamodeler.domain.support import Ticket
from slamodeler.domain.validation import changed
from slamodeler.engine import incident_credits, incident_zones, threads
from slamodeler.engine.allocator import give_back_free_memory, keep_big_arrays_on_the_heap
from slamodeler.engine.band_pricing import CodedPeriods, Tables, counts_bands, price_band_tiers
from slamodeler.engine.chronic import simulated_fees_at_risk
from slamodeler.engine.claim_events import ClaimEvents, incidents_by_claim, misses_by_claim
from slamodeler.engine.claim_shares import claim_shares, paid_with_shares
from slamodeler.engine.claim_simulation import (
    NO_CLAIM,
    claim_fees_at_risk,
    measure_claims,
    measures_claims,
    price_claims,
    widened,
)
from slamodeler.engine.customer_caps import HeldRows, cut_trials
from slamodeler.engine.customer_tickets import (
    CustomerMisses,
    draw_customer_misses,
    misses_of_rows,
    one_customers_misses,
    rows_for_misses,
)
from slamodeler.engine.horizon import (
    Horizon,
    aligned_start,
    build_horizon,
    priced_horizon,
    scope_key,
)
from slamodeler.engine.interval_measure import (
    COUNTS,
    IntervalIncidents,
    measure_drawn_parts,
    measure_with_changes,
    period_groups,
    sweeps_over_base,
)
from slamodeler.engine.outage_model import DrawnIncidents, OutageModel
from slamodeler.engine.periods import parse_label
from slamodeler.engine.pricing import CHUNK_TRIALS, Amount, TierPricing, price_tier
from slamodeler.engine.shared_scopes import (
    Measure,
    PeriodGroups,
    Sweep,
    measured_changes,
    measured_over,
    shared_base,
    swept_changes,
)
from slamodeler.engine.slot_rules import SlotRules
from slamodeler.engine.ticket_draws import (
    drawn_priorities,
    drawn_tier_misses,
    support_percent,
    ticket_notes,
    trial_tickets,
)
from slamodeler.engine.trial_columns import Column, TrialColumns, constant, packed, unpacked
from slamodeler.engine.window_measure import measure_rows
from slamodeler.engine.zone_draws import mask_zones, masks_for, zoneless_notes
from slamodeler.engine.zone_quorum import zone_key

BLOCK_TRIALS = 2000  # per block over a one-year horizon (see trials_per_block)
# measured periods (rows x periods, summed over the measured units) a run keeps for re-pricing:
# 16 bytes each (downtime and excluded time), 192 MB at most (1M trials of one unit x 12 months:
# re-priced in a fraction of the simulation); above, chunks are priced as measured
KEEP_CELLS = 12_000_000
# Rows a block may hold when every customer draws its own tickets (``_check_customer_rows``)
MAX_CUSTOMER_ROWS = 1_000_000  # about 0.5 GB: each row holds its periods and its misses
# On workers, chunks grow so that each worker thread gets a few, all of about one size
# (``chunk_sizes``): on local worker processes at least ``CHUNKS_PER_THREAD`` of up to
# ``LOCAL_CHUNK_BLOCKS`` blocks, so that a cancel still waits for little; on a Dask cluster,
# where each task costs messaging, at least ``DASK_CHUNKS_PER_THREAD`` of up to
# ``MAX_CHUNK_BLOCKS``
CHUNKS_PER_THREAD = 8
LOCAL_CHUNK_BLOCKS = 8
DASK_CHUNKS_PER_THREAD = 2
MAX_CHUNK_BLOCKS = 64
I64 = NDArray[np.int64]
T = TypeVar("T")
Progress = Callable[[int, int], None]


class CancelToken:
    """Set from any thread; the simulation stops after the chunks already running (on a Dask
    cluster at once: ``_run_on``)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


UnitKey = tuple  # a ScopeKey, or ("tier", index) for a tier that independent incidents hit


@dataclass(frozen=True)
class Rows:
    """Measured periods (micro-minutes, rows x periods) of one unit: first one row per trial,
    which stands for every customer that nothing of its own hit; then one row per customer that
    an independent incident hit (in this tier, or under a claim window in any tier held with it:
    ``claim_holders``), with its trial and its number in the tier. Rows over a ``base`` hold
    only the trials where they differ from it (``Measured.whole_rows`` puts every trial's
    together)."""

    downtime: I64
    excluded: I64
    trial: I64
    customer: I64  # -1 on the shared rows
    # per tier with per-incident credits: their numerators per row and period (pricing.py), or
    # under a claim window per row and claim (claim_events.py)
    incident_percent: dict[str, I64] = field(default_factory=dict)
    # under a claim window, each row's claim instants (claim_simulation.py): its periods
    claims: I64 | None = None
    # tickets drawn per customer (customer_tickets.py): each row's misses per period and
    # scenario ticket priority; None where a tier's customers share their trial's misses
    misses: I64 | None = None
    # a scope measured over the incidents every scope shares (``measure_drawn``'s
    # ``over_base``): every trial's row of the shared incidents alone; these rows are then only
    # those of the trials where the scope sees more (``shared_scopes``), each scope's tiers
    # priced on both (``_priced_over_base``), every trial's put together only when asked
    # (``Measured.whole_rows``)
    base: Rows | None = None


@dataclass(frozen=True)
class Measured:
    trials: int
    units: dict[UnitKey, Rows] = field(default_factory=dict)
    kept: bool = True  # False: priced by chunk, nothing kept (``measured_again``)
    drawn_by: str = ""  # then: the terms (JSON) whose model drew the histories (simulate_together)
    _coded: dict[tuple, tuple[Rows, CodedPeriods]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    _parts: list[Measured] = field(default_factory=list, init=False, compare=False, repr=False)
    _whole: list[Measured] = field(default_factory=list, init=False, compare=False, repr=False)
    # the last ``joined``: its groups, and those rows
    _joined: list[tuple[tuple, Measured]] = field(
        default_factory=list, init=False, compare=False, repr=False
    )
    # made by ``joined``: the units and codings of the rows it was made from, which code the
    # units it holds as they are (not a reference to those rows: no cycle to collect)
    _from: list[tuple[dict[UnitKey, Rows], dict]] = field(
        default_factory=list, init=False, compare=False, repr=False
    )

    def coded(self, key: UnitKey, contract: Contract, horizon: Horizon) -> CodedPeriods:
        """A unit's periods ready for counting, kept for every re-pricing (they depend on
        measurement terms only, which re-pricing cannot change); units holding the same rows
        (scopes' shared base: ``Rows.base``) share them, and rows ``joined`` made code the
        units they hold unchanged in the rows they were made from."""
        remove = contract.exclusions.excluded_time == "remove"
        rows = self.units[key]
        kept = self._coded
        for units, codings in self._from:
            if units.get(key) is rows:
                kept = codings
        found = kept.get((id(rows), remove))
        if found is None:  # the rows are kept beside, so their id is not another's
            coded = CodedPeriods(rows.downtime, rows.excluded, horizon, remove)
            found = kept[(id(rows), remove)] = (rows, coded)
        return found[1]

    def over_base(self) -> tuple[Measured, Measured] | None:
        """Where scopes are held over their base (``Rows.base``): these rows with each such
        scope's replaced by the base's (every trial), and by its own rows alone; made once, so
        that their codings are kept for every re-pricing. None where no scope is."""
        if all(rows.base is None for rows in self.units.values()):
            return None
        if not self._parts:
            units = self.units.items()
            whole = {key: rows.base if rows.base is not None else rows for key, rows in units}
            alone = {key: dataclasses.replace(rows, base=None) for key, rows in units}
            self._parts[:] = [Measured(self.trials, whole), Measured(self.trials, alone)]
        return self._parts[0], self._parts[1]

    def joined(self, groups: tuple[tuple[UnitKey, ...], ...]) -> Measured:
        """These rows with the first unit of each of ``groups`` holding the rows of every unit
        of its group, one after another, so that tiers alike on those units are coded and
        priced once (``_priced_over_base``). The last grouping is kept, with the joined rows'
        codings, for the re-pricings after it; the units it holds unchanged are coded in these
        rows, once for every grouping. Rows that already lie one after another in one array
        (the sweep's, a kept run's) are not copied. Safe on threads (re-pricings of one run may run at once:
        the desktop's views each have their own), as ``coded`` is: at worst rows coded twice."""
        for made, found in self._joined[:1]:  # a copy: another thread may replace it
            if made == groups:
                return found
        units = dict(self.units)
        for group in groups:
            parts = [self.units[key] for key in group]
            # only what pricing row by row reads (``_priced_row_by_row``)
            assert all(
                not r.incident_percent and r.claims is None and r.misses is None for r in parts
            )
            units[group[0]] = Rows(
                one_after_another([rows.downtime for rows in parts]),
                one_after_another([rows.excluded for rows in parts]),
                np.concatenate([rows.trial for rows in parts]),
                np.concatenate([rows.customer for rows in parts]),
            )
        found = Measured(self.trials, units)
        found._from.append((self.units, self._coded))
        self._joined[:] = [(groups, found)]
        return found

    def whole(self) -> Measured:
        """These rows with every unit's every trial's (``whole_rows``), for terms that read
        across a trial's rows (``_priced_row_by_row``): made once, kept with their codings."""
        if all(rows.base is None for rows in self.units.values()):
            return self
        if not self._whole:
            units = {key: self.whole_rows(key) for key in self.units}
            self._whole[:] = [Measured(self.trials, units)]
        return self._whole[0]

    def whole_rows(self, key: UnitKey) -> Rows:
        """A unit's rows, every trial's: a scope held over its base (``Rows.base``) put
        together from it, in new arrays."""
        rows = self.units[key]
        base = rows.base
        if base is None:
            return rows
        downtime, excluded = base.downtime.copy(), base.excluded.copy()
        downtime[rows.trial], excluded[rows.trial] = rows.downtime, rows.excluded
        return Rows(downtime, excluded, base.trial, base.customer)


def one_after_another(parts: list[I64]) -> I64:
    """Arrays of rows joined, row after row: a view of the array they lie in where they are
    its consecutive rows already (each scope's slice of the sweep's rows; of a kept run's),
    else a copy."""
    filled = [part for part in parts if part.size]  # an empty slice's address is its array's
    owner, shape = filled[0].base if filled else None, parts[0].shape[1:]
    if isinstance(owner, np.ndarray) and owner.flags.c_contiguous:
        begin = end = _address(filled[0])
        for part in filled:
            if (
                part.base is not owner
                or part.dtype != owner.dtype
                or part.shape[1:] != shape
                or not part.flags.c_contiguous
                or _address(part) != end
            ):
                break
            end += part.nbytes
        else:
            flat, first = owner.reshape(-1), _address(owner)
            if (begin - first) % flat.itemsize == 0:  # not a view at an offset between elements
                return flat[
                    (begin - first) // flat.itemsize : (end - first) // flat.itemsize
                ].reshape(-1, *shape)
    return np.concatenate(parts)


def _address(values: NDArray) -> int:
    """Where an array's first element lies in memory."""
    return int(values.__array_interface__["data"][0])


@dataclass(frozen=True)
class TierTotals:
    """Per trial, for all of a tier's customers: money in minor units over the horizon, periods
    missed per customer on average, and whether anything (any customer) breached or hit a cap.
    Read only: a run priced chunk by chunk holds a column of one value as a read-only view of
    that value (``trial_columns.TrialColumns.taken``); what changes a column makes a new one."""

    owed: I64
    issued: I64
    paid: I64
    capped_off: I64
    breach_periods: NDArray[np.float64]
    any_breach: NDArray[np.bool_]
    hit_period_cap: NDArray[np.bool_]
    hit_year_cap: NDArray[np.bool_]
    hit_liability_cap: NDArray[np.bool_]
    # chronic failure: whether any customer gets a termination right, and the fees left in the
    # term when each customer's first arises, summed (currency units); zeros without a clause
    termination_right: NDArray[np.bool_]
    revenue_at_risk: NDArray[np.float64]
    # what the customer cap across tiers took off the issued credits; None: not held under one
    cut_by_customer_cap: I64 | None = None


@dataclass(frozen=True)
class SimulationRun:
    contract: Contract
    scenario: Scenario
    seed: int
    trials_requested: int
    horizon: Horizon
    measured: Measured
    pricing: dict[str, TierTotals]
    cancelled: bool = False
    start_note: str = ""  # how the scenario's start was aligned to the contract's periods

    @property
    def notes(self) -> list[str]:
        """How the start was aligned, tiers that no incident process or catastrophe of the
        scenario can reach, and processes whose incidents reach no tier (``book_notes``: those
        of several contracts' runs under one scenario)."""
        return book_notes([self])

    def _tier_notes(self, model: OutageModel) -> list[str]:
        return (
            ([self.start_note] if self.start_note else [])
            + [
                f"tier {tier.name}: no process of the scenario reaches its scope; check the region "
                "and service names"
                for tier in self.contract.tiers
                if not any(source.reaches(scope_key(tier)) for source in model.sources)
            ]
            + ticket_notes(self.contract, self.scenario)
            + zoneless_notes(self.contract, self.scenario)
        )

    @property
    def trials(self) -> int:
        return self.measured.trials


def book_notes(runs: Sequence[SimulationRun]) -> list[str]:
    """The notes of runs of one scenario (a portfolio's contracts, or one run): each run's own,
    once, and the processes whose incidents, all or some (the places of a mix), reach no tier
    of any of the runs' contracts: drawn, and counted nowhere (a misspelt region does that). A
    process meant for another contract of the book is no news."""
    models = [OutageModel(run.scenario, run.contract, run.horizon) for run in runs]
    own = [note for run, model in zip(runs, models, strict=True) for note in run._tier_notes(model)]
    tiers = [tier for run in runs for tier in run.contract.tiers]
    return list(dict.fromkeys(own)) + _unreaching(models[0], tiers)


def _unreaching(model: OutageModel, tiers: list[Tier]) -> list[str]:
    scopes = [scope_key(tier) for tier in tiers]
    notes = []
    for process, (sources, shares) in zip(
        model.scenario.processes, model.process_sources, strict=True
    ):
        lost = sum(
            float(share)
            for source, share in zip(sources.tolist(), shares, strict=True)
            if not any(model.sources[source].reaches(scope) for scope in scopes)
        )
        if lost > 1 - 1e-9:
            notes.append(
                f"process {process.name}: its scope reaches no tier, so its incidents count "
                "nowhere; check the region and service names"
            )
        elif lost > 0:
            notes.append(
                f"process {process.name}: {lost:.1%} of its incidents (places of its mix) reach no "
                "tier"
            )
    return notes


def unit_key(model: OutageModel, index: int, tier: Tier) -> UnitKey:
    """Tiers alike in scope share a measurement, unless independent incidents hit their
    customers one by one."""
    if model.hits_customers_one_by_one:
        return ("tier", index)
    return measured_scope(tier)


def measured_scope(tier: Tier) -> UnitKey:
    """Tiers alike in scope and zone rule see the same incidents the same way."""
    zones = zone_key(tier)
    return scope_key(tier) if zones is None else (*scope_key(tier), zones)


def scenario_horizon(contract: Contract, scenario: Scenario) -> Horizon:
    """The scenario's years from its start, moved to the first month of a contract period."""
    start, _ = aligned_start(
        scenario.start, contract.measurement.period, contract.measurement.first_month
    )
    first = parse_label(start, "month")
    horizon = build_horizon(contract, first, first + scenario.years * 12 - 1)
    if measures_claims(contract):  # each trial's rows are its own claims: the calendar's here
        return dataclasses.replace(
            horizon, rows=horizon.periods, row_years=horizon.years, row_terms=horizon.terms
        )
    return horizon


def block_rng(seed: int, block: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))


def trials_per_block(scenario: Scenario) -> int:
    """Trials drawn and measured together: ``BLOCK_TRIALS`` over one year, fewer over longer
    horizons, so a block is about as much history (and time, and memory) whatever the horizon,
    and a cancel never waits long for the block in flight. Part of what a seed means."""
    return max(1, BLOCK_TRIALS // scenario.years)


def block_sizes(trials: int, per_block: int) -> list[int]:
    full, rest = divmod(trials, per_block)
    return [per_block] * full + ([rest] if rest else [])


def draw_block(model: OutageModel, seed: int, block: int, size: int) -> DrawnIncidents:
    return model.draw(block_rng(seed, block), size)


def measure_drawn(
    drawn: DrawnIncidents,
    model: OutageModel,
    contract: Contract,
    horizon: Horizon,
    at: tuple[int, int],
    over_base: bool = False,
) -> dict[UnitKey, Rows]:
    """Each unit's rows; ``at``: the run's seed and the block's number, which draw the tickets
    of customers hit one by one (``customer_tickets``). ``over_base``: scopes measured over the
    incidents every scope shares hold only the trials where they see more, over the base of
    every trial (``Rows.base``), where their tiers are priced row by row alone
    (``_priced_row_by_row``): each scope then codes, prices and keeps those rows alone."""
    rules = SlotRules.of(contract.measurement)
    whole = _measured_whole(drawn, model, contract, horizon, rules)
    if whole is not None:
        return whole
    if _reads_drawn_columns(contract, model):  # then measured from them, in one walk less
        drawn.columns.joined()
    first, stop, weight, klass = drawn.columns.counted(
        (model.impact_micro, model.cause_class), horizon.grid, rules
    )
    n = drawn.n_trials
    out: dict[UnitKey, Rows] = {}
    seen: dict[UnitKey, tuple[I64, I64 | slice]] = {}
    m = contract.measurement
    measure = functools.partial(
        measure_rows,
        horizon=horizon,
        slot_minutes=m.slot_minutes,
        min_downtime_minutes=m.min_downtime_minutes,
        rules=rules,
    )
    # rows over a base measured by the base's sweep, where it covers the rules
    sweep = (
        functools.partial(measure_with_changes, **measure.keywords)
        if sweeps_over_base(horizon, rules)
        else None
    )
    over = _measured_over_shared(
        drawn,
        model,
        contract,
        horizon,
        (first, stop, weight, klass),
        (measure, sweep),
        over_base and _priced_row_by_row(contract),
    )
    for index, tier in enumerate(contract.tiers):
        key = unit_key(model, index, tier)
        masks, zone_hit = masks_for(drawn.zones, model.zone_names, tier.scope.zones)
        columns = (first, stop, weight, klass, masks)
        if key in over and key not in out:  # so no claims, no customer hit on its own
            out[key] = over[key]
        if key in out:  # what the unit's tiers see is looked for only for per-incident credits
            if tier.incident_credits is not None:
                if key not in seen:
                    common = _common(drawn, model, tier, zone_hit)
                    seen[key] = _rows_of(drawn, common, [index], tier.customers)[:2]
                _add_incident_credits(out[key], tier, seen[key], columns, horizon, rules)
            continue
        common = _common(drawn, model, tier, zone_hit)
        holders = claim_holders(contract, index)
        row, idx, pair_trial, pair_customer = _rows_of(drawn, common, holders, tier.customers)
        if len(holders) > 1:  # a row for each customer hit in any of them; its own here only
            here = (drawn.tier[idx] < 0) | (drawn.tier[idx] == index)
            row, idx = row[here], np.arange(len(drawn.trial))[idx][here]
        rule = tier.scope.zones
        inc = IntervalIncidents(
            n + len(pair_trial),
            row,
            first[idx],
            stop[idx],
            weight[idx],
            klass[idx],
            None if rule is None else masks[idx],
            0 if rule is None else rule.at_least,
        )
        trial_of = np.concatenate((np.arange(n, dtype=np.int64), pair_trial))
        customer_of = np.concatenate((np.full(n, -1, dtype=np.int64), pair_customer))
        if measures_claims(contract):
            # every incident of a row's history files a claim, in the tier's scope or not
            everyone = np.flatnonzero(drawn.tier < 0)
            claim_row, claim_idx, _, _ = _rows_of(drawn, everyone, holders, tier.customers)
            c = measure_claims(inc, horizon, contract, rules, claim_row, drawn.end[claim_idx])
            out[key] = Rows(c.downtime, c.excluded, trial_of, customer_of, claims=c.claims)
        else:
            alone = measure(inc)
            out[key] = Rows(alone.downtime, alone.excluded, trial_of, customer_of)
        seen[key] = row, idx
        _add_incident_credits(out[key], tier, seen[key], columns, horizon, rules)
        if _tickets_per_customer(model):
            found = draw_customer_misses(
                model.scenario, horizon, index, tier.customers, *at, drawn.n_trials
            )
            out[key] = _with_customer_rows(out[key], found, tier.customers)
    return out


def _measured_whole(
    drawn: DrawnIncidents,
    model: OutageModel,
    contract: Contract,
    horizon: Horizon,
    rules: SlotRules,
) -> dict[UnitKey, Rows] | None:
    """The one unit's rows where every tier's are its trials with every drawn incident (one
    scope that every incident reaches and no customer hit on its own, as
    ``_reads_drawn_columns`` finds; no per-incident credits), measured straight from the drawn
    parts (``measure_drawn_parts``); None elsewhere, or where that measurement does not cover
    the rules."""
    if _reads_drawn_columns(contract, model) or any(
        tier.incident_credits is not None for tier in contract.tiers
    ):
        return None
    m = contract.measurement
    weights = (model.impact_micro, model.cause_class)
    n = drawn.n_trials
    found = measure_drawn_parts(
        drawn.columns, n, weights, horizon, m.slot_minutes, m.min_downtime_minutes, rules
    )
    if found is None:
        return None
    trial, customer = np.arange(n, dtype=np.int64), np.full(n, -1, dtype=np.int64)
    unit = unit_key(model, 0, contract.tiers[0])  # every tier's: their one scope
    return {unit: Rows(found.downtime, found.excluded, trial, customer)}


def _reads_drawn_columns(contract: Contract, model: OutageModel) -> bool:
    """Whether measuring ``contract`` reads a drawn block's start, end or source columns
    besides what the measurement reads of them (``DrawnColumns``): claims (each claim's end),
    incidents that reach some tiers' customers only (by source, or one by one), zone rules, or
    tiers in several scopes (measured over the incidents they share, by source)."""
    return (
        measures_claims(contract)
        or model.hits_customers_one_by_one
        or any(t.scope.zones is not None for t in contract.tiers)
        or any(not model.reaching(scope_key(t)).all() for t in contract.tiers)
        or len({measured_scope(t) for t in contract.tiers}) > 1
    )


def _tickets_per_customer(model: OutageModel) -> bool:
    """Whether each customer draws its own tickets: a scenario with tickets and processes that
    hit customers one by one."""
    return model.scenario.tickets is not None and model.hits_customers_one_by_one


def _check_customer_rows(contract: Contract, block_trials: int) -> None:
    """Refuse, before drawing, a run whose customers draw their own tickets in more rows a block
    than memory holds: nearly every customer misses a ticket in a year, so a block has about a
    row per customer of every tier and trial."""
    customers = sum(tier.customers for tier in contract.tiers)
    if customers * block_trials > MAX_CUSTOMER_ROWS:
        raise InputError(
            f"tiers[*].customers: {customers:,} customer(s) draw their own support tickets "
            "(the scenario's tickets, with processes that hit customers one by one), about "
            f"{customers * block_trials:,} rows for a block of {block_trials:,} trials; at most "
            f"{MAX_CUSTOMER_ROWS:,} can be held: lower the customers (e.g. "
            f"{MAX_CUSTOMER_ROWS // block_trials:,} over all tiers), or leave out the tickets or "
            "scope: independent"
        )


def _with_customer_rows(rows: Rows, found: CustomerMisses, customers: int) -> Rows:
    """``rows`` with a row for each customer with a miss that none of its own incidents gave
    one (a copy of its trial's shared row: row t is trial t's), and each row's misses."""
    new, index = rows_for_misses(found, rows.trial, rows.customer, customers)
    source = np.concatenate((np.arange(len(rows.trial)), found.trial[new])).astype(np.int64)
    return Rows(
        downtime=rows.downtime[source],
        excluded=rows.excluded[source],
        trial=np.concatenate((rows.trial, found.trial[new])),
        customer=np.concatenate((rows.customer, found.customer[new])),
        incident_percent={name: v[source] for name, v in rows.incident_percent.items()},
        claims=None if rows.claims is None else rows.claims[source],
        misses=misses_of_rows(found, index),
    )


def _reached(drawn: DrawnIncidents, model: OutageModel, tier: Tier) -> NDArray[np.bool_]:
    """The drawn incidents that reach every customer of a tier's scope (zones aside)."""
    return (drawn.tier < 0) & model.reaching(scope_key(tier))[drawn.source]


def _common(
    drawn: DrawnIncidents, model: OutageModel, tier: Tier, zone_hit: NDArray[np.bool_] | None
) -> I64 | slice:
    """The drawn incidents every customer of a tier sees (``_reached``, on a zone it counts);
    every incident, the usual case, as a slice: the columns as drawn, without copying them,
    and without looking at each incident where every source reaches the tier's scope, none
    hits customers one by one and the tier has no zone rule."""
    if (
        tier.scope.zones is None
        and not model.hits_customers_one_by_one
        and model.reaching(scope_key(tier)).all()
    ):
        return slice(None)
    reached = _reached(drawn, model, tier)
    if zone_hit is not None:
        reached &= zone_hit
    return slice(None) if reached.all() else np.flatnonzero(reached)


def _measured_over_shared(
    drawn: DrawnIncidents,
    model: OutageModel,
    contract: Contract,
    horizon: Horizon,
    columns: tuple[I64, I64, I64, NDArray[np.int8]],
    measures: tuple[Measure, Sweep | None],
    over_base: bool,
) -> dict[UnitKey, Rows]:
    """Each scope's rows, measured over the incidents every scope of the contract sees
    (``shared_scopes``), where tiers are measured per scope on the drawn trials' rows alone:
    no claims, no customers hit on their own, no zone rule. Empty elsewhere, or when the
    scopes share nothing. ``measures``: the measurement of rows, and of rows over a base from
    its sweep (``shared_scopes.swept_changes``; None where it does not cover the rules), which
    is taken where it can measure.
    ``over_base``: each scope's rows of the trials where it sees more, over the base
    (``Rows.base``)."""
    if not _measured_over_what_scopes_share(contract, model):
        return {}
    scopes = list(dict.fromkeys(measured_scope(tier) for tier in contract.tiers))
    # no customer is hit on its own here: every incident reaches what its source reaches
    reach = np.array([model.reaching(key) for key in scopes])
    shared = (reach, drawn.source, drawn.trial, columns)
    n = drawn.n_trials
    measure, sweep = measures
    swept = None if sweep is None else swept_changes(*shared, n, sweep, required=over_base)
    if swept is not None:
        base, changes = swept
    else:
        batch_base = shared_base(*shared, n, measure, required=over_base)
        if batch_base is None:
            return {}
        base, m = batch_base, contract.measurement
        bounds = period_groups(horizon, m.slot_minutes, m.min_downtime_minutes)
        groups = PeriodGroups.of(bounds, horizon.period_starts, columns[0], columns[1])
        changes = measured_changes(base, *shared, measure, groups)
    trials, customers = np.arange(n, dtype=np.int64), np.full(n, -1, dtype=np.int64)
    if not over_base:
        found = measured_over(base, changes)
        return {
            key: Rows(times.downtime, times.excluded, trials, customers)  # rows all share
            for key, times in zip(scopes, found, strict=True)
        }
    every = Rows(base.measured.downtime, base.measured.excluded, trials, customers)
    return {
        key: Rows(
            change.downtime,
            change.excluded,
            change.trial,
            np.full(len(change.trial), -1, dtype=np.int64),
            base=every,
        )
        for key, change in zip(scopes, changes, strict=True)
    }


def _measured_over_what_scopes_share(contract: Contract, model: OutageModel) -> bool:
    """Whether tiers in several scopes are measured per scope on the drawn trials' rows alone
    (no claims, no customers hit on their own, no zone rule), and so over the incidents the
    scopes share (``_measured_over_shared``)."""
    return (
        not measures_claims(contract)
        and not model.hits_customers_one_by_one
        and all(t.scope.zones is None for t in contract.tiers)
        and len({measured_scope(tier) for tier in contract.tiers}) > 1
    )


def _priced_row_by_row(contract: Contract) -> bool:
    """Whether each tier's totals of a trial follow from the trial's row alone, as pricing a
    scope's changed rows apart from its base needs (``_priced_over_base``): no tier with
    per-incident credits (their numerators are looked for per trial of the unit) and none held
    under a customer cap (cut across tiers by trial)."""
    return not contract.held_together() and all(t.incident_credits is None for t in contract.tiers)


def _add_incident_credits(
    rows: Rows,
    tier: Tier,
    seen: tuple[I64, I64 | slice],
    drawn: tuple[NDArray, ...],
    horizon: Horizon,
    rules: SlotRules,
) -> None:
    """A tier's per-incident credits on the rows of its unit, per period
    (``incident_credits.credited``) or under a claim window per claim (``claim_events``)."""
    terms = tier.incident_credits
    if terms is None:
        return
    row, idx = seen
    first, stop, weight, klass, masks = (a[idx] for a in drawn)
    opened = incident_credits.open_slots(horizon)
    slot_minutes = horizon.grid.slot_seconds // 60
    rule = tier.scope.zones
    if rule is None:
        counts = klass == COUNTS
        found = incident_credits.measure(
            horizon, opened, rules, slot_minutes, first, stop, weight, counts
        )
    else:
        counts = (klass == COUNTS) & (weight > 0)
        found = incident_zones.simulated_measure(
            horizon, opened, rules, slot_minutes, (row, first, stop, masks, counts), rule.at_least
        )
    rows.incident_percent[tier.name] = (
        incident_credits.credited(terms, found, row, rows.downtime.shape)
        if rows.claims is None
        else incidents_by_claim(terms, found, row, rows.claims, horizon.grid)
    )


def claim_holders(contract: Contract, index: int) -> list[int]:
    """The tiers whose customers' own incidents make the rows of tier ``index``: its own, or
    under a claim window every tier held together with it under ``customer_cap``, since one
    customer holds those together and files a claim in each at every incident of its history,
    its own incidents in the others too (replay's claim rows)."""
    held = {t.name for t in contract.held_together()}
    if not measures_claims(contract) or contract.tiers[index].name not in held:
        return [index]
    return [i for i, t in enumerate(contract.tiers) if t.name in held]


def _rows_of(
    drawn: DrawnIncidents, common: I64 | slice, tiers: list[int], customers: int
) -> tuple[I64, I64 | slice, I64, I64]:
    """Row and incident of every incident the rows of ``tiers`` see: the shared incidents in
    their trial's row, again in the row of each customer hit on its own in that trial in any of
    ``tiers``, and each such customer's own incidents. Also the trial and customer of those
    extra rows. ``common`` may be every incident (a slice), then so are the incidents given
    back where no customer is hit on its own."""
    n = drawn.n_trials
    # no incident of a customer's own (the usual case): known from the greatest tier at once
    hit = drawn.tier.max(initial=-1) >= 0
    own = np.flatnonzero(np.isin(drawn.tier, tiers)) if hit else np.zeros(0, dtype=np.int64)
    if not own.size:
        empty = np.zeros(0, dtype=np.int64)
        return drawn.trial[common], common, empty, empty
    common = np.arange(len(drawn.trial))[common]
    pairs, pair_of = np.unique(
        drawn.trial[own] * customers + drawn.customer[own], return_inverse=True
    )
    pair_trial, pair_customer = np.divmod(pairs, customers)
    order = common[np.argsort(drawn.trial[common], kind="stable")]
    trials_sorted = drawn.trial[order]
    lo = np.searchsorted(trials_sorted, pair_trial, side="left")
    counts = np.searchsorted(trials_sorted, pair_trial, side="right") - lo
    within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    copies = order[np.repeat(lo, counts) + within]
    row = np.concatenate(
        (drawn.trial[common], n + np.repeat(np.arange(len(pairs)), counts), n + pair_of)
    )
    return row, np.concatenate((common, copies, own)), pair_trial, pair_customer


def measure_chunk(
    contract_jsons: tuple[str, ...],
    scenario_json: str,
    seed: int,
    blocks: list[tuple[int, int]],
) -> list[tuple[int, list[dict[UnitKey, Rows]]]]:
    """Draw some blocks and measure each under every contract: a plain function of plain
    data, for any executor. The draws are the first contract's, which are every contract's
    when they agree on what drawing depends on (``simulate_together``). On a Dask worker, the
    allocator is tuned first (``allocator``). Scopes are held over their base where they can
    be (``measure_drawn``'s ``over_base``)."""
    keep_big_arrays_on_the_heap()
    setups = _setups(contract_jsons, scenario_json)
    out = []
    for block, size in blocks:
        drawn = draw_block(setups[0].model, seed, block, size)
        at = (seed, block)
        found = [measure_drawn(drawn, s.model, s.contract, s.horizon, at, True) for s in setups]
        out.append((block, found))
    return out


RowsColumn = tuple  # (unit, "downtime" | "excluded") or (unit, "incident_percent", tier)


@dataclass(frozen=True)
class PricedChunk:
    """A chunk's blocks, priced where they were measured: per contract, each tier's totals for
    the chunk's trials in order, by tier and column, before claim shares (drawn for the whole
    run: ``with_shares``)."""

    blocks: list[int]
    first_trial: int
    totals: list[dict[tuple, Column]]  # by (tier, column): ``totals_columns``
    # with ``rows``, per contract: the measured periods of a contract whose units have a row
    # per trial (``one_row_per_trial``), for the chunk's trials (``row_columns``), packed for
    # the trip back (``trial_columns``): a fourth of the bytes on the sample
    rows: list[dict[RowsColumn, Column]] = field(default_factory=list)
    # with ``rows``: the other contracts' blocks, as ``measure_chunk`` gives them
    measured: list[tuple[int, list[dict[UnitKey, Rows]]]] = field(default_factory=list)
    # with ``rows``, per contract: its units held over a base (``Rows.base``), for the chunk's
    # trials, as columns (``held_columns``: the base once, each unit's changed trials), packed
    # like ``rows``
    over_base: list[dict[tuple, Column]] = field(default_factory=list)


def price_chunk(
    contract_jsons: tuple[str, ...],
    scenario_json: str,
    seed: int,
    blocks: list[tuple[int, int]],
    rows: bool = False,
    pack: bool = True,
) -> PricedChunk:
    """``measure_chunk``, then priced on the spot, so that only per-trial totals travel back
    (``rows``: with the measured periods, for a run that keeps them; ``pack``: packed for the
    trip from a worker). A chunk's blocks follow each other, so its trials are the run's from
    its first block's first trial."""
    found = measure_chunk(contract_jsons, scenario_json, seed, blocks)
    measured = dict(found)
    setups = _setups(contract_jsons, scenario_json)
    scenario = setups[0].model.scenario
    per_block = trials_per_block(scenario)
    first = blocks[0][0]
    sizes = [size for _, size in blocks]
    totals, columns, over, plain = [], [], [], []
    for k, setup in enumerate(setups):
        contract, model, priced = setup.contract, setup.model, setup.priced
        keys = [unit_key(model, i, tier) for i, tier in enumerate(contract.tiers)]
        plain.append(one_row_per_trial(contract, model))
        mine = {block - first: found[k] for block, found in measured.items()}
        chunk = _assemble(mine, sizes, per_block, keys, len(priced.periods), plain[k])
        found_totals = price_all(
            contract,
            priced,
            chunk,
            seed,
            scenario=scenario,
            first_trial=first * per_block,
            shares=False,
            tables=setup.tables,
        )
        totals.append(totals_columns(found_totals))
        held = {key: r for key, r in chunk.units.items() if r.base is not None}
        if rows and plain[k]:
            found_rows = row_columns({key: r for key, r in chunk.units.items() if key not in held})
            columns.append({n: packed(v) if pack else v for n, v in found_rows.items()})
            over.append(held_columns(held, pack))
        else:
            columns.append({})
            over.append({})
    others = [(b, [{} if p else u for u, p in zip(f, plain, strict=True)]) for b, f in found]
    return PricedChunk(
        [block for block, _ in blocks],
        first * per_block,
        totals,
        columns if rows else [],
        others if rows and not all(plain) else [],
        over if rows else [],
    )


def totals_columns(totals: dict[str, TierTotals]) -> dict[tuple[str, str], Column]:
    """Tiers' totals by tier and column (those a run has: a column may be None), a column of
    one value as such (``trial_columns.constant``)."""
    return {
        (name, column.name): constant(values)
        for name, tier_totals in totals.items()
        for column in dataclasses.fields(TierTotals)
        if (values := getattr(tier_totals, column.name)) is not None
    }


def row_columns(units: dict[UnitKey, Rows]) -> dict[RowsColumn, NDArray]:
    """The measured periods of units with a row per trial (``one_row_per_trial``), by unit and
    what they hold; their trials and customers go without saying."""
    out: dict[RowsColumn, NDArray] = {}
    for key, rows in units.items():
        assert rows.claims is None and rows.misses is None and rows.base is None
        out[(key, "downtime")] = rows.downtime
        out[(key, "excluded")] = rows.excluded
        for name, values in rows.incident_percent.items():
            out[(key, "incident_percent", name)] = values
    return out


def held_columns(units: dict[UnitKey, Rows], pack: bool) -> dict[tuple, Column]:
    """Units held over a base (``Rows.base``, one for all) as columns for the trip back: the
    base's downtime and excluded time once, then each unit's changed trials and their rows;
    ``pack``: packed (``trial_columns``), as every trial's rows are."""
    if not units:
        return {}
    base = next(iter(units.values())).base
    assert base is not None
    out: dict[tuple, NDArray] = {("base", "downtime"): base.downtime}
    out[("base", "excluded")] = base.excluded
    for key, rows in units.items():
        out.update({(key, "trial"): rows.trial, (key, "downtime"): rows.downtime})
        out[(key, "excluded")] = rows.excluded
    return {name: packed(values) if pack else values for name, values in out.items()}


def held_rows(columns: dict[tuple, Column]) -> dict[UnitKey, Rows]:
    """``held_columns``' units again, over one base."""
    n = len(columns[("base", "downtime")])
    every, shared = np.arange(n, dtype=np.int64), np.full(n, -1, dtype=np.int64)
    base = Rows(
        unpacked(columns[("base", "downtime")]),
        unpacked(columns[("base", "excluded")]),
        every,
        shared,
    )
    units = {}
    for key in [name[0] for name in columns if name[1] == "trial"]:
        trial = unpacked(columns[(key, "trial")])
        units[key] = Rows(
            unpacked(columns[(key, "downtime")]),
            unpacked(columns[(key, "excluded")]),
            trial,
            np.full(len(trial), -1, dtype=np.int64),
            base=base,
        )
    return units


def one_row_per_trial(contract: Contract, model: OutageModel) -> bool:
    """Whether every unit measures a row per trial, in trial order, the same columns in every
    block: no customer hit on its own (their rows vary by block), no claim window (nor its
    columns). Scopes may hold their rows over a base (``Rows.base``), in every block alike."""
    return not measures_claims(contract) and not model.hits_customers_one_by_one


def chunk_task(keep: bool, on_workers: bool, trials: int) -> Callable:
    """What a chunk's task does: measured and priced on the spot, so that the submitting
    process joins per-trial totals (and, for a run that keeps them, the measured periods,
    packed where they come from a worker). A chunk's pricing works on arrays of its few
    thousand trials, which stay in the cache and in memory already mapped; a whole run's,
    priced after the last chunk, made and faulted in arrays of every trial and period (96 MB
    each at 1M trials of 12 months) step after step, and cost about a second more of CPU.
    Only a kept run in this one process of no more trials than pricing takes in one pass
    (``CHUNK_TRIALS``) is measured chunk by chunk and priced whole: there each chunk's
    pricing would only pay every tier's fixed cost again (30-40% more CPU for 50 tiers of
    20,000 trials)."""
    if not keep:
        return price_chunk
    if not on_workers and trials <= CHUNK_TRIALS:
        return measure_chunk
    return functools.partial(price_chunk, rows=True, pack=on_workers)


def _priced_horizon(contract: Contract, horizon: Horizon) -> Horizon:
    """A row per period, or per rolling window; claim windows keep the calendar (rows vary)."""
    return horizon if measures_claims(contract) else priced_horizon(horizon)


@dataclass(frozen=True)
class _Setup:
    """A contract's terms, horizon, model, priced horizon and band tables in a run's chunks."""

    contract: Contract
    horizon: Horizon
    model: OutageModel
    priced: Horizon
    tables: Tables  # band tiers' amounts per code (``price_band_tiers``), for ``priced``


@functools.lru_cache(maxsize=4)
def _setups(contract_jsons: tuple[str, ...], scenario_json: str) -> tuple[_Setup, ...]:
    """What every chunk of a run shares, built once per process and run: the terms, horizon and
    model (and the slot lookup measurement keeps for the horizon), the priced horizon, and the
    band tables built for it (a tenth of pricing a chunk of 8,000 trials). Kept by the run's
    contracts together, so that a run of more contracts than the cache holds does not evict its
    own, and so that a rolling window's priced horizon (a new object each time it is made)
    keeps its tables from chunk to chunk."""
    scenario = Scenario.model_validate_json(scenario_json)
    found = []
    for terms in contract_jsons:
        contract = Contract.model_validate_json(terms)
        horizon = scenario_horizon(contract, scenario)
        model = OutageModel(scenario, contract, horizon)
        found.append(_Setup(contract, horizon, model, _priced_horizon(contract, horizon), Tables()))
    return tuple(found)


def simulate(
    contract: Contract,
    scenario: Scenario,
    trials: int,
    seed: int,
    executor: Executor | None = None,
    blocks_per_chunk: int = 4,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    keep_periods: bool = True,
) -> SimulationRun:
    """Run ``trials`` trials; with ``executor``, chunks of blocks run on it (processes, a Dask
    cluster's executor...). After a cancel, the result holds the blocks that finished.
    ``keep_periods``: keep the measured periods (up to ``KEEP_CELLS``) for re-pricing; without,
    the run is priced chunk by chunk and a re-price draws it again (`slamodeler simulate`)."""
    return simulate_together(
        [contract],
        scenario,
        trials,
        seed,
        executor,
        blocks_per_chunk,
        progress,
        cancel,
        keep_periods,
    )[0]


def simulate_together(
    contracts: Sequence[Contract],
    scenario: Scenario,
    trials: int,
    seed: int,
    executor: Executor | None = None,
    blocks_per_chunk: int = 4,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    keep_periods: bool = True,
) -> list[SimulationRun]:
    """``simulate`` for several contracts on one drawing of each block: each run is the one
    ``simulate`` gives it, provided the contracts agree on what drawing depends on (time zone,
    the aligned first month and, for incidents that hit customers one by one, the tiers'
    customers: ``engine.redline.why_not_aligned``); the first contract's start note is kept."""
    check_trials(trials)
    for contract in contracts:
        problem = run_too_large(contract, scenario, trials)
        if problem:
            raise InputError(problem)
    if not 0 <= seed < 2**63:
        raise InputError("the seed must be a whole number from 0 to 2**63 - 1")
    contract = contracts[0]
    start, start_note = aligned_start(
        scenario.start, contract.measurement.period, contract.measurement.first_month
    )
    if start_note:
        scenario = changed(scenario, f"scenario {scenario.name!r}", start=start)
    horizons = [scenario_horizon(c, scenario) for c in contracts]
    # checks the scenario against each contract
    models = [OutageModel(scenario, c, h) for c, h in zip(contracts, horizons, strict=True)]
    per_block = trials_per_block(scenario)
    for terms, model in zip(contracts, models, strict=True):
        if _tickets_per_customer(model):
            _check_customer_rows(terms, min(trials, per_block))
    sizes = block_sizes(trials, per_block)
    chunks = cut(list(enumerate(sizes)), chunk_sizes(executor, len(sizes), blocks_per_chunk))
    args = (tuple(c.model_dump_json() for c in contracts), scenario.model_dump_json(), seed)
    keep = keep_periods and kept_cells(contracts, horizons, models, trials) <= KEEP_CELLS
    # each chunk written into the run's arrays as it comes in, while the next are measured
    joined = [
        JoinedRows(trials, per_block, one_row_per_trial(c, m))
        for c, m in zip(contracts, models, strict=True)
    ]
    totals = [TrialColumns(trials) for _ in contracts]
    priced_any = False
    finished: list[int] = []  # blocks
    count = 0  # their trials

    def collect(parts: list[tuple[int, list[dict[UnitKey, Rows]]]] | PricedChunk) -> None:
        nonlocal count, priced_any
        if isinstance(parts, PricedChunk):
            priced_any = True
            for k, found in enumerate(parts.totals):
                totals[k].put_all(parts.first_trial, found)
            for k, columns in enumerate(parts.rows):
                joined[k].columns.put_all(parts.first_trial, columns)
            for k, held in enumerate(parts.over_base):
                if held:  # a chunk's trials follow its first block's
                    joined[k].add_block(parts.blocks[0], held_rows(held))
            measured = parts.measured
            blocks = parts.blocks
        else:
            measured = parts
            blocks = [block for block, _ in parts]
        for block, per_contract in measured:
            for k, units in enumerate(per_contract):
                joined[k].add_block(block, units)
        finished.extend(blocks)
        count += sum(sizes[block] for block in blocks)
        if progress:
            progress(count, trials)

    work_on = chunk_task(keep, executor is not None, trials)
    if executor is None:
        for chunk in chunks:
            if cancel and cancel.cancelled:
                break
            collect(work_on(*args, chunk))
    else:
        _run_on(executor, work_on, (chunks, blocks_per_chunk), args, collect, cancel)
    cancelled = bool(cancel and cancel.cancelled and len(finished) < len(sizes))
    runs = []
    for k, (terms, horizon, model) in enumerate(zip(contracts, horizons, models, strict=True)):
        priced = _priced_horizon(terms, horizon)
        measured = Measured(trials=count, kept=False, drawn_by=args[0][0])
        if keep or not priced_any:  # kept (nothing finished: kept, empty)
            keys = [unit_key(model, i, tier) for i, tier in enumerate(terms.tiers)]
            measured = joined[k].measured(sizes, keys, len(priced.periods), count)
        if priced_any:  # the blocks finished are the first ones (``_run_on`` collects in order)
            found = _joined_totals(totals[k], terms, count)
            pricing = with_shares(terms, seed, found, count)
        else:
            pricing = price_all(terms, priced, measured, seed, scenario=scenario)
        runs.append(
            SimulationRun(
                contract=terms,
                scenario=scenario,
                seed=seed,
                trials_requested=trials,
                horizon=priced,
                measured=measured,
                pricing=pricing,
                cancelled=cancelled,
                start_note=start_note if k == 0 else "",
            )
        )
    give_back_free_memory()
    return runs


def kept_cells(
    contracts: Sequence[Contract],
    horizons: Sequence[Horizon],
    models: Sequence[OutageModel],
    trials: int,
) -> int:
    """The measured periods a run of these contracts would keep: a row per trial and period
    (or claim, counted as periods) for each unit measured; the rows of customers hit one by one
    come on top, uncounted (a few per trial), except where each customer draws its own tickets:
    then a row per customer, at most, counted. Scopes held over a base (``Rows.base``) keep the
    base and their changed trials, which a run cannot know before drawing: uncounted, the base
    is one array more where every scope changes nearly every trial, and a fraction of the count
    where scopes' own incidents are rarer (a quarter on ``scope_sharing.py``'s 50 regions)."""
    cells = 0
    for contract, horizon, model in zip(contracts, horizons, models, strict=True):
        units = {unit_key(model, i, tier) for i, tier in enumerate(contract.tiers)}
        cells += trials * len(horizon.periods) * len(units)
        if _tickets_per_customer(model):
            cells += trials * len(horizon.periods) * sum(t.customers for t in contract.tiers)
    return cells


def _joined_totals(columns: TrialColumns, contract: Contract, trials: int) -> dict[str, TierTotals]:
    """The tiers' totals of a run's first ``trials`` trials, as its chunks wrote them."""
    names = set(columns.names())
    return {
        tier.name: TierTotals(
            **{  # type: ignore[arg-type]
                column.name: columns.taken(name, trials) if name in names else None
                for column in dataclasses.fields(TierTotals)
                for name in ((tier.name, column.name),)
            }
        )
        for tier in contract.tiers
    }


def in_flight(threads: int) -> int:
    """Chunks kept in flight on an executor of ``threads`` worker threads (``worker_threads``):
    two per thread (one running, one waiting), so every thread stays busy while the memory in
    flight stays bounded; two before any has joined."""
    return max(2, 2 * threads)


def worker_threads(executor: Executor) -> int:
    """The threads that run chunks on ``executor``: a local pool's processes, or a Dask
    cluster's worker threads as its scheduler counts them now (0 before any has joined)."""
    return getattr(executor, "_max_workers", None) or _dask_threads(executor) or 0


def cut(work: list[T], sizes: list[int]) -> list[list[T]]:
    """``work`` cut in order into pieces of ``sizes`` (which add up to its length)."""
    ends = accumulate(sizes)
    return [work[end - size : end] for size, end in zip(sizes, ends, strict=True)]


def chunk_sizes(executor: Executor | None, blocks: int, asked: int) -> list[int]:
    """The blocks of each chunk, in order: ``asked`` in this process (the last chunk what is
    left). On workers, sizes within a block of each other, and a number of chunks that the
    worker threads share evenly where there are blocks enough for a chunk a thread, so that
    the threads end together rather than one running the last chunk alone: at least
    ``CHUNKS_PER_THREAD`` a thread of up to ``LOCAL_CHUNK_BLOCKS`` on local processes, at least
    ``DASK_CHUNKS_PER_THREAD`` of up to ``MAX_CHUNK_BLOCKS`` on a Dask cluster, where the blocks
    allow; never more chunks than ``asked`` blocks at a time would make (a small run: 5 blocks
    on 2 threads go as 3 and 2). Workers that join a cluster during a run get the chunks not
    yet sent, cut again for the threads there are then (``_run_on``).
    On local processes each chunk's copy into the run's arrays and its pricing's fixed costs
    took 2 workers from 1.91x one process to 2.05x at 1M trials (chunks of 8 blocks against 4).
    On Dask a task costs messaging: about 8 ms of CPU in the scheduler and the client and 7 in
    the worker with the sample's totals, besides the cluster's idle cost; at 400,000 trials on 2
    workers, 4 tasks of 50 blocks gave 1.70-1.78x one process, 8 of 25 1.64-1.70x and 17 of
    12 (about 8 a thread, uneven) 1.51-1.66x (docs/scale-out.md, "Chunks on a Dask cluster").
    A result depends on its blocks only, so chunks change the progress steps and the tasks,
    never the numbers."""
    threads = _dask_threads(executor)
    most, per_thread = MAX_CHUNK_BLOCKS, DASK_CHUNKS_PER_THREAD
    if not threads:
        threads = getattr(executor, "_max_workers", None)
        most, per_thread = LOCAL_CHUNK_BLOCKS, CHUNKS_PER_THREAD
    if not threads:
        return [min(asked, blocks - at) for at in range(0, blocks, asked)]
    count = max(per_thread * threads, -(-blocks // most))
    count = -(-count // threads) * threads  # a multiple of the threads
    fewest = -(-blocks // asked)  # as many as chunks of ``asked`` blocks and what is left
    if count > fewest:
        count = fewest - fewest % threads if fewest >= threads else fewest
    small, larger = divmod(blocks, count)
    return [small + 1] * larger + [small] * (count - larger)


def _dask_threads(executor: Executor | None) -> int | None:
    """The worker threads of a Dask executor's cluster (distributed's ClientExecutor, which has
    a ``_client``); None for any other executor."""
    client = getattr(executor, "_client", None)
    return None if client is None else sum(client.nthreads().values())


def _run_on(
    executor: Executor,
    work: Callable,
    cutting: tuple[list[list[tuple[int, int]]], int],
    args: tuple[tuple[str, ...], str, int],
    collect: Callable,
    cancel: CancelToken | None,
) -> None:
    """The chunks (``cutting``: as cut, and the blocks a chunk asked for: ``chunk_sizes``)
    sent in order, ``in_flight`` at a time, and collected in order, so that a cancelled run
    holds its first blocks. A cancel sends no more and takes back what the executor lets go
    of: on a Dask cluster every chunk not yet back (one a worker has started ends there,
    unread), on local processes those not yet handed to a process; the run keeps what came
    back before the first chunk taken back, and waits for nothing else. The executor's threads
    are counted again each time the oldest chunk in flight is taken back, so that workers
    joining a cluster during the run (an adaptive one) get chunks too, from then on; and
    where more have joined than the chunks not yet sent were cut for, those are cut again for
    the threads there are now, in order: a run started on one worker thread goes as chunks of
    up to 64 blocks, of which the threads that join would otherwise find only the few left."""
    chunks, asked = cutting
    pending: list[Future] = []
    queue = list(chunks)
    cut_for = worker_threads(executor)
    while queue or pending:
        threads = worker_threads(executor)
        if threads > cut_for and queue:
            left = [block for chunk in queue for block in chunk]
            queue = cut(left, chunk_sizes(executor, len(left), asked))
            cut_for = threads
        limit = in_flight(threads)
        while queue and len(pending) < limit and not (cancel and cancel.cancelled):
            pending.append(executor.submit(work, *args, queue.pop(0)))
        if not pending:
            break
        future = pending.pop(0)
        if future.cancelled():  # taken back: what follows it cannot join the blocks before
            break
        collect(future.result())
        if cancel and cancel.cancelled:
            queue.clear()
            for later in pending:
                later.cancel()


def _assemble(
    done: dict[int, dict[UnitKey, Rows]],
    sizes: list[int],
    per_block: int,
    keys: list[UnitKey],
    n_periods: int,
    plain: bool,
) -> Measured:
    """Blocks (numbered from 0, every one up to the last) joined (``JoinedRows``); ``plain``:
    their units have a row per trial (``one_row_per_trial``)."""
    trials = sum(sizes[block] for block in done)
    joined = JoinedRows(trials, per_block, plain)
    for block, units in done.items():
        joined.add_block(block, units)
    return joined.measured(sizes, keys, n_periods, trials)


class JoinedRows:
    """One contract's measured rows, joined block by block as blocks come in, in any order.
    Where every unit has a row per trial (``one_row_per_trial``), a block's rows go straight to
    arrays of the run's trials (``TrialColumns``), and are written while later blocks are
    measured, as does the base of scopes held over it (``Rows.base``, in every block or none),
    once, beside the rows each such scope changes; elsewhere (customers' own rows, claim
    windows: rows and columns vary by block) blocks are kept, and joined in order once all are
    in."""

    def __init__(self, trials: int, per_block: int, plain: bool) -> None:
        self.per_block = per_block
        self.plain = plain
        self.columns = TrialColumns(trials)
        self.base = TrialColumns(trials)
        self.changes: dict[UnitKey, list[tuple[int, Rows]]] = {}  # first trials, changed rows
        self.blocks: dict[int, dict[UnitKey, Rows]] = {}

    def add_block(self, block: int, units: dict[UnitKey, Rows]) -> None:
        if not self.plain:
            self.blocks[block] = units
            return
        first = block * self.per_block
        over = {key: rows for key, rows in units.items() if rows.base is not None}
        dense = {key: rows for key, rows in units.items() if key not in over}
        self.columns.put_all(first, row_columns(dense))
        bases = {id(rows.base): rows.base for rows in over.values() if rows.base is not None}
        assert len(bases) <= 1  # a block's scopes share one
        for base in bases.values():
            self.base.put_all(first, {("downtime",): base.downtime, ("excluded",): base.excluded})
        for key, rows in over.items():  # the block's base goes once written
            self.changes.setdefault(key, []).append((first, dataclasses.replace(rows, base=None)))

    def measured(
        self, sizes: list[int], keys: list[UnitKey], n_periods: int, trials: int
    ) -> Measured:
        """The first ``trials`` trials' rows: all shared rows first (row = trial), then every
        customer's own rows, block by block."""
        if not self.plain:
            found = _joined_blocks(self.blocks, sizes, self.per_block, keys, n_periods)
            self.blocks = {}  # the blocks' copies go before pricing's temporaries
            return found
        names = set(self.columns.names())
        assert not {name[0] for name in names} & self.changes.keys()  # every block held alike

        def column(*name: object) -> I64:
            if name in names:
                return self.columns.taken(name, trials)
            return np.zeros((0, n_periods), np.int64)  # nothing finished

        every = np.arange(trials, dtype=np.int64)
        shared = np.full(trials, -1, dtype=np.int64)
        base = None
        if self.changes:
            down, excluded = (self.base.taken((name,), trials) for name in ("downtime", "excluded"))
            base = Rows(down, excluded, every, shared)
        over = {} if base is None else self._over(base)
        units = {
            key: over[key]
            if key in over
            else Rows(
                downtime=column(key, "downtime"),
                excluded=column(key, "excluded"),
                trial=every,
                customer=shared,
                incident_percent={
                    name[2]: column(*name)
                    for name in self.columns.names()
                    if name[:2] == (key, "incident_percent")
                },
            )
            for key in dict.fromkeys(keys)
        }
        return Measured(trials=trials, units=units)

    def _over(self, base: Rows) -> dict[UnitKey, Rows]:
        """Each scope's changed rows of every block, in trial order, over the joined ``base``:
        every scope's in one pair of arrays, one scope's after another, so that scopes priced
        together (``Measured.joined``) are not copied again. The blocks joined are the run's
        first (a run ends, or is cancelled, after a block), so every row is of its trials."""
        ordered = {
            key: sorted(found, key=lambda part: part[0]) for key, found in self.changes.items()
        }
        downtime, excluded = (
            np.concatenate([getattr(rows, name) for found in ordered.values() for _, rows in found])
            for name in ("downtime", "excluded")
        )
        out, begin = {}, 0
        for key, found in ordered.items():
            trial = np.concatenate([rows.trial + first for first, rows in found])
            at = slice(begin, begin + len(trial))
            begin = at.stop
            shared = np.full(len(trial), -1, dtype=np.int64)
            out[key] = Rows(downtime[at], excluded[at], trial, shared, base=base)
        return out


def _joined_blocks(
    done: dict[int, dict[UnitKey, Rows]],
    sizes: list[int],
    per_block: int,
    keys: list[UnitKey],
    n_periods: int,
) -> Measured:
    """Blocks in order: all shared rows first (row = trial), then every customer's own rows."""
    order = sorted(done)
    units: dict[UnitKey, Rows] = {}
    for key in dict.fromkeys(keys):
        if not order:
            empty = np.zeros(0, dtype=np.int64)
            units[key] = Rows(
                np.zeros((0, n_periods), np.int64), np.zeros((0, n_periods), np.int64), empty, empty
            )
            continue
        parts = _same_width([(done[b][key], b * per_block) for b in order])
        claims = parts[0][0].claims is not None
        if not any((rows.customer >= 0).any() for rows, _ in parts):  # shared rows only
            units[key] = Rows(
                downtime=np.concatenate([rows.downtime for rows, _ in parts]),
                excluded=np.concatenate([rows.excluded for rows, _ in parts]),
                trial=np.concatenate([rows.trial + offset for rows, offset in parts]),
                customer=np.concatenate([rows.customer for rows, _ in parts]),
                incident_percent={
                    name: np.concatenate([rows.incident_percent[name] for rows, _ in parts])
                    for name in parts[0][0].incident_percent
                },
                claims=np.concatenate([rows.claims for rows, _ in parts]) if claims else None,
                misses=_joined([rows.misses for rows, _ in parts]),
            )
            continue
        pieces: dict[str, list[I64]] = {"downtime": [], "excluded": [], "trial": [], "customer": []}
        credits: dict[str, list[I64]] = {name: [] for name in parts[0][0].incident_percent}
        misses: list[I64 | None] = []
        for own in (False, True):
            for rows, offset in parts:
                pick = (rows.customer >= 0) == own
                pieces["downtime"].append(rows.downtime[pick])
                pieces["excluded"].append(rows.excluded[pick])
                pieces["trial"].append(rows.trial[pick] + offset)
                pieces["customer"].append(rows.customer[pick])
                if rows.claims is not None:
                    pieces.setdefault("claims", []).append(rows.claims[pick])
                misses.append(None if rows.misses is None else rows.misses[pick])
                for name, found in credits.items():
                    found.append(rows.incident_percent[name][pick])
        joined = {name: np.concatenate(arrays) for name, arrays in pieces.items()}
        units[key] = Rows(
            joined["downtime"],
            joined["excluded"],
            joined["trial"],
            joined["customer"],
            incident_percent={name: np.concatenate(found) for name, found in credits.items()},
            claims=joined.get("claims"),
            misses=_joined(misses),
        )
    return Measured(trials=sum(sizes[b] for b in order), units=units)


def _joined(parts: list[I64 | None]) -> I64 | None:
    """The blocks' per-customer misses in order (None: tickets are shared by customers)."""
    kept = [p for p in parts if p is not None]
    return np.concatenate(kept) if kept and len(kept) == len(parts) else None


def _same_width(parts: list[tuple[Rows, int]]) -> list[tuple[Rows, int]]:
    """Blocks measured under a claim window hold as many columns as their rows' most claims:
    padded to the widest (no claim: nothing measured). Other blocks as they are."""
    if parts[0][0].claims is None:
        return parts
    width = max(rows.downtime.shape[1] for rows, _ in parts)

    def claims_of(rows: Rows) -> I64:
        assert rows.claims is not None  # every block measured the same window
        return rows.claims

    return [
        (
            dataclasses.replace(
                rows,
                downtime=widened(rows.downtime, width, 0),
                excluded=widened(rows.excluded, width, 0),
                claims=widened(claims_of(rows), width, NO_CLAIM),
                incident_percent={
                    name: widened(v, width, 0) for name, v in rows.incident_percent.items()
                },
            ),
            offset,
        )
        for rows, offset in parts
    ]


def price_all(
    contract: Contract,
    horizon: Horizon,
    measured: Measured,
    seed: int,
    known: dict[str, TierTotals] | None = None,
    scenario: Scenario | None = None,
    first_trial: int = 0,
    shares: bool = True,
    tables: Tables | None = None,
) -> dict[str, TierTotals]:
    """Every tier's totals, except those already ``known``: the band tiers of each measurement
    together, by counting; the others one by one; all at the same time, on threads. ``seed``
    draws the share of customers who claim, when it varies (``claim_shares``; not drawn without
    ``shares``), and the ``scenario``'s support tickets (``ticket_draws``) of the trials from
    ``first_trial`` on (a chunk's). ``tables``: band tiers' amounts per code, kept across the
    chunks of one contract and horizon (``price_band_tiers``). Scopes held over their base
    (``Rows.base``) are priced on it, then on their own rows (``_priced_over_base``)."""
    held = {t.name for t in contract.held_together()}  # priced together, never kept
    known = {name: totals for name, totals in (known or {}).items() if name not in held}
    if not _priced_row_by_row(contract):  # re-priced under such terms: every trial's rows
        measured = measured.whole()
    if any(rows.base is not None for rows in measured.units.values()):
        price = functools.partial(
            price_all,
            contract,
            horizon,
            seed=seed,
            scenario=scenario,
            first_trial=first_trial,
            shares=False,
            tables=Tables() if tables is None else tables,  # for both passes
        )
        over = _priced_over_base(contract, measured, known, price, scenario)
        fresh = {name: totals for name, totals in over.items() if name not in known}
        if shares:
            fresh = with_shares(contract, seed, fresh, measured.trials)
        merged = {**over, **fresh}
        return {tier.name: merged[tier.name] for tier in contract.tiers}
    keys = _units(contract, measured)
    jobs: dict[str, Callable[[], TierPricing]] = {}
    drawn_support: dict[str, tuple[Amount, int] | None] = {}
    events: dict[str, ClaimEvents | None] = {}  # under a claim window
    # band tiers priced as an earlier one on the same rows, where nothing is cut across tiers
    # (``_unlike``)
    alike: dict[str, str] = {}
    first: dict[tuple[int, str], str] = {}
    tiers_of = collections.Counter(id(measured.units[key]) for key in keys)
    row_by_row = _priced_row_by_row(contract)
    for key in dict.fromkeys(keys):
        rows = measured.units[key]
        tiers = [
            t for t, k in zip(contract.tiers, keys, strict=True) if k == key and t.name not in known
        ]
        claims = rows.claims is not None
        support = {
            t.name: None
            if claims
            else _support(
                contract, t, horizon, rows.trial + first_trial, scenario, seed, rows.misses
            )
            for t in tiers
        }
        drawn_support.update(support)
        events.update(
            {
                t.name: _claim_events(contract, t, horizon, rows, first_trial, scenario, seed)
                for t in tiers
                if claims
            }
        )
        bands = [
            t
            for t in tiers
            if counts_bands(t) and t.incident_credits is None and support[t.name] is None
        ]
        if row_by_row and not claims and tiers_of[id(rows)] > 1:  # claims: each tier's draws
            bands = _unlike(bands, rows, first, alike)
            tiers = [t for t in tiers if t.name not in alike]
        if rows.claims is not None:  # each row's own claims (claim_simulation.py)
            jobs.update(
                {
                    t.name: functools.partial(
                        price_claims,
                        contract,
                        t,
                        horizon,
                        rows.downtime,
                        rows.excluded,
                        rows.claims,
                        events=events[t.name],
                    )
                    for t in tiers
                }
            )
        elif bands:
            coded = measured.coded(key, contract, horizon)
            found = price_band_tiers(contract, bands, coded, tables)
            jobs.update({t.name: job for t, job in zip(bands, found, strict=True)})
        for tier in tiers:
            if tier.name not in jobs:
                jobs[tier.name] = functools.partial(
                    price_tier,
                    contract,
                    tier,
                    horizon,
                    rows.downtime,
                    rows.excluded,
                    incident_percent=rows.incident_percent.get(tier.name),
                    support=support[tier.name],
                )

    def totals(tier: Tier, key: UnitKey) -> Callable[[], tuple[TierPricing, TierTotals]]:
        rows = measured.units[key]

        def priced() -> tuple[TierPricing, TierTotals]:
            found = jobs[tier.name]()
            at_risk = (
                simulated_fees_at_risk(contract, tier, horizon, rows.downtime, rows.excluded)
                if rows.claims is None
                else claim_fees_at_risk(
                    contract, tier, horizon, rows.downtime, rows.excluded, rows.claims
                )
            )
            return found, _tier_totals(tier, rows, found, measured.trials, at_risk)

        return priced

    priced = [
        (tier, key) for tier, key in zip(contract.tiers, keys, strict=True) if tier.name in jobs
    ]
    summed = threads.run_all([totals(tier, key) for tier, key in priced])
    fresh = _cut_by_customer_cap(contract, horizon, measured, priced, summed, drawn_support, events)
    # each its own totals (of the same arrays): what keeps a tier's summary by its totals
    # (``exposure``) tells the tiers apart
    fresh.update({name: dataclasses.replace(fresh[same]) for name, same in alike.items()})
    if shares:
        fresh = with_shares(contract, seed, fresh, measured.trials)
    merged = {**known, **fresh}
    return {tier.name: merged[tier.name] for tier in contract.tiers}


def _unlike(
    bands: list[Tier], rows: Rows, first: dict[tuple[int, str], str], alike: dict[str, str]
) -> list[Tier]:
    """The band tiers of ``rows`` left to price: each whose terms differ from an earlier one's
    on the same rows only in name and scope is put in ``alike`` (by name: the tier it prices
    as) and left out. The scopes' shared base is such rows (``_priced_over_base``): 50
    regions' tiers price it once, not 50 times. Only where nothing is cut across tiers (a
    customer cap: ``_priced_row_by_row``), and band tiers draw nothing of their own (support
    tickets make a tier's pricing its own, and under a claim window its claim events: neither
    comes here)."""
    left = []
    for tier in bands:
        terms = (id(rows), _terms(tier))
        if terms in first:
            alike[tier.name] = first[terms]
        else:
            first[terms] = tier.name
            left.append(tier)
    return left


def _priced_over_base(
    contract: Contract,
    measured: Measured,
    known: dict[str, TierTotals],
    price: Callable[..., dict[str, TierTotals]],
    scenario: Scenario | None,
) -> dict[str, TierTotals]:
    """Tiers of scopes held over their base (``Rows.base``) priced on the base, every trial,
    then on their changed rows alone; each trial's totals are its changed row's where it has
    one. A trial's totals follow from its row alone here (``_priced_row_by_row``). The scopes
    share the base's coding (``Measured.coded``), so each scope codes and prices only the rows
    it changes, not every trial's; and scopes whose tiers are alike (a tier per region) code
    and price those rows once, one scope's after another (``_alike_units``): 50 regions' rows
    in one pass, not 50."""
    assert _priced_row_by_row(contract)
    parts = measured.over_base()
    assert parts is not None
    whole, alone = parts
    found = price(whole, known=known)
    units = measured.units
    keys = _units(contract, measured)
    over = {
        tier.name: units[key].trial
        for tier, key in zip(contract.tiers, keys, strict=True)
        if units[key].base is not None and tier.name not in known
    }
    priced = {name: totals for name, totals in found.items() if name not in over}
    groups, sources = _alike_units(contract, keys, alone, set(over), scenario)
    others = {name: found[name] for name, (same, _) in sources.items() if same != name}
    again = price(alone.joined(groups) if groups else alone, known={**priced, **others})
    changed = {
        name: _cut_to_rows(again[sources[name][0]], sources[name][1])
        if name in sources
        else again[name]
        for name in over
    }
    return {
        name: _at_trials(totals, changed[name], over[name]) if name in over else totals
        for name, totals in found.items()
    }


def _alike_units(
    contract: Contract,
    keys: list[UnitKey],
    alone: Measured,
    over: set[str],
    scenario: Scenario | None,
) -> tuple[tuple[tuple[UnitKey, ...], ...], dict[str, tuple[str, slice]]]:
    """Units whose tiers to price (``over``) are alike but for name and scope, in groups of
    two or more (``Measured.joined``: the first holds every unit's rows of its group, one after
    another), and for each such tier, the tier priced on those rows and its rows among them. A
    tier with support tickets drawn is left alone: its tickets are drawn for its own rows."""
    tiers: dict[UnitKey, list[Tier]] = {}
    for tier, key in zip(contract.tiers, keys, strict=True):
        if tier.name in over:
            tiers.setdefault(key, []).append(tier)
    similar: dict[tuple[str, ...], list[UnitKey]] = {}
    for key, found in tiers.items():
        if scenario is None or not any(drawn_priorities(t, scenario) for t in found):
            similar.setdefault(tuple(sorted({_terms(t) for t in found})), []).append(key)
    groups = tuple(tuple(group) for group in similar.values() if len(group) > 1)
    sources: dict[str, tuple[str, slice]] = {}
    for group in groups:
        first: dict[str, str] = {}
        for tier in tiers[group[0]]:
            first.setdefault(_terms(tier), tier.name)
        begin = 0
        for key in group:
            end = begin + len(alone.units[key].trial)
            sources.update({t.name: (first[_terms(t)], slice(begin, end)) for t in tiers[key]})
            begin = end
    return groups, sources


def _terms(tier: Tier) -> str:
    """A tier's terms but for its name and scope: tiers of the same terms price alike."""
    return tier.model_dump_json(exclude={"name", "scope"})


def _cut_to_rows(totals: TierTotals, at: slice) -> TierTotals:
    """Totals of rows (a row each) cut to the rows ``at``."""
    return _each_column(totals, lambda _, values: values[at])


def _at_trials(totals: TierTotals, changed: TierTotals, trial: I64) -> TierTotals:
    """``totals`` with the trials ``trial`` taken from ``changed`` (a row each, in order)."""

    def put(name: str, values: NDArray) -> NDArray:
        values = values.copy()
        values[trial] = getattr(changed, name)
        return values

    return _each_column(totals, put)


def _each_column(totals: TierTotals, change: Callable[[str, NDArray], NDArray]) -> TierTotals:
    """``totals`` with ``change(name, values)`` of each column it has (a column it has not
    stays None)."""
    columns: dict[str, Any] = {}
    for column in dataclasses.fields(TierTotals):
        values = getattr(totals, column.name)
        columns[column.name] = None if values is None else change(column.name, values)
    return TierTotals(**columns)


def with_shares(
    contract: Contract, seed: int, totals: dict[str, TierTotals], trials: int
) -> dict[str, TierTotals]:
    """Tiers' totals paid to each trial's share of customers who claim, when it varies
    (``claim_shares``, drawn for the run's trials from its seed)."""
    out = dict(totals)
    in_time = float(1 - contract.claims.late_share)  # claims after the deadline: none paid
    for index, tier in enumerate(contract.tiers):
        shares = claim_shares(contract.claims, seed, index, trials)
        if tier.name in out and shares is not None:
            out[tier.name] = dataclasses.replace(
                out[tier.name], paid=paid_with_shares(out[tier.name].issued, shares * in_time)
            )
    return out


def _cut_by_customer_cap(
    contract: Contract,
    horizon: Horizon,
    measured: Measured,
    priced: list[tuple[Tier, UnitKey]],
    summed: list[tuple[TierPricing, TierTotals]],
    support: dict[str, tuple[Amount, int] | None],
    events: dict[str, ClaimEvents | None],
) -> dict[str, TierTotals]:
    """Each tier's totals, those of the tiers held together cut by the customer cap (their
    credits re-priced with what was added before their caps: per-incident and support, per
    period or under a claim window per claim)."""
    names = {t.name for t in contract.held_together()}
    held = [
        HeldRows(
            tier,
            rows.downtime,
            rows.excluded,
            rows.trial,
            rows.customer,
            found.issued,
            rows.incident_percent.get(tier.name),
            support.get(tier.name),
            rows.claims,
            events.get(tier.name),
        )
        for (tier, key), (found, _) in zip(priced, summed, strict=True)
        if tier.name in names
        for rows in (measured.units[key],)
    ]
    out = {tier.name: totals for (tier, _), (_, totals) in zip(priced, summed, strict=True)}
    cuts = cut_trials(contract, horizon, held, measured.trials)
    if cuts is None:
        return out
    for name in cuts.issued:
        totals = out[name]
        out[name] = dataclasses.replace(
            totals,
            issued=totals.issued - cuts.issued[name],
            paid=totals.paid - cuts.paid[name],
            capped_off=totals.capped_off + cuts.capped_off[name],
            cut_by_customer_cap=cuts.issued[name],
        )
    return out


def _units(contract: Contract, measured: Measured) -> list[UnitKey]:
    """The unit measuring each tier: its own if the run measured tiers one by one."""
    if any(isinstance(k[0], str) and k[0] == "tier" for k in measured.units):
        return [("tier", i) for i in range(len(contract.tiers))]
    return [measured_scope(t) for t in contract.tiers]


def _tier_totals(
    tier: Tier,
    rows: Rows,
    priced: TierPricing,
    trials: int,
    fees_at_risk: NDArray[np.float64] | None,
) -> TierTotals:
    """Sum the rows of each trial, each standing for the customers it represents: a shared row
    for those that nothing of their own hit, a customer's row for that customer alone. Shared
    rows alone give a total per row: per trial where they are one per trial, in trial order; per
    changed trial for rows over a base (``_priced_over_base``).
    ``fees_at_risk``: per row, the fees of the term left when a termination right first arises
    (-1: none; None: no chronic-failure clause)."""
    own = rows.customer >= 0
    if fees_at_risk is None:  # no right, nothing at risk: zeros, which cost no writes
        right, at_risk = np.zeros(len(rows.trial), bool), np.zeros(len(rows.trial))
    else:
        right, at_risk = fees_at_risk >= 0, np.maximum(fees_at_risk, 0.0)
    if not own.any():  # one row per trial, in trial order, for every customer alike
        n = tier.customers
        return TierTotals(
            owed=priced.owed * n,
            issued=priced.issued * n,
            paid=priced.paid * n,
            capped_off=priced.capped_off * n,
            breach_periods=priced.breach_periods.astype(float),
            any_breach=priced.breach_periods > 0,
            hit_period_cap=priced.hit_period_cap,
            hit_year_cap=priced.hit_year_cap,
            hit_liability_cap=priced.hit_liability_cap,
            termination_right=right,
            revenue_at_risk=at_risk if fees_at_risk is None else at_risk * n,
        )
    hit = np.bincount(rows.trial[own], minlength=trials)
    weight = np.where(own, 1, tier.customers - hit[rows.trial])

    def total(values: I64) -> I64:
        summed = np.bincount(rows.trial, weights=values * weight, minlength=trials)
        return np.rint(summed).astype(np.int64)

    def anywhere(flags: NDArray[np.bool_]) -> NDArray[np.bool_]:
        return np.bincount(rows.trial, weights=flags & (weight > 0), minlength=trials) > 0

    return TierTotals(
        owed=total(priced.owed),
        issued=total(priced.issued),
        paid=total(priced.paid),
        capped_off=total(priced.capped_off),
        breach_periods=np.bincount(
            rows.trial, weights=priced.breach_periods * weight, minlength=trials
        )
        / tier.customers,
        any_breach=anywhere(priced.breach_periods > 0),
        hit_period_cap=anywhere(priced.hit_period_cap),
        hit_year_cap=anywhere(priced.hit_year_cap),
        hit_liability_cap=anywhere(priced.hit_liability_cap),
        termination_right=anywhere(right),
        revenue_at_risk=np.bincount(rows.trial, weights=at_risk * weight, minlength=trials).astype(
            np.float64
        ),
    )


def period_credits(
    run: SimulationRun, tier: str, trials: Sequence[int] | slice, customer: int | None = None
) -> I64:
    """Credit issued per period (one customer, minor units) for some trials of a run: to a
    customer that nothing of its own hit, or to ``customer`` of the tier."""
    terms = run.contract.tier(tier)
    index = run.contract.tiers.index(terms)
    measured = measured_again(run)
    rows = measured.whole_rows(_units(run.contract, measured)[index])
    picked: I64 | slice = trials if isinstance(trials, slice) else np.asarray(trials, np.int64)
    if customer is not None:
        wanted = np.asarray(trials, np.int64)
        match = (rows.trial[None, :] == wanted[:, None]) & (rows.customer == customer)
        found = match.argmax(axis=1)
        picked = np.where(match.any(axis=1), found, wanted)  # not hit: the shared row
    priced = _priced_rows(run, terms, rows, picked, keep_periods=True)
    assert priced.issued_by_period is not None
    return priced.issued_by_period


def _priced_rows(
    run: SimulationRun, terms: Tier, rows: Rows, picked: I64 | slice, keep_periods: bool = False
) -> TierPricing:
    """Some of a unit's rows priced on their own, per period (``price_tier``) or under a claim
    window per claim of each row, in time order, 0 past its last (``price_claims``)."""
    if rows.claims is not None:
        events = _claim_events(run.contract, terms, run.horizon, rows, 0, run.scenario, run.seed)
        return price_claims(
            run.contract,
            terms,
            run.horizon,
            rows.downtime[picked],
            rows.excluded[picked],
            rows.claims[picked],
            keep_periods=keep_periods,
            events=None if events is None else events.rows(picked),
        )
    return price_tier(
        run.contract,
        terms,
        run.horizon,
        rows.downtime[picked],
        rows.excluded[picked],
        keep_periods=keep_periods,
        incident_percent=_picked(rows.incident_percent.get(terms.name), picked),
        support=_run_support(run, terms, rows, picked),
    )


def measured_again(run: SimulationRun) -> Measured:
    """``run``'s measured periods: those it kept, else drawn and measured again from its seed
    (a run priced chunk by chunk: this takes the memory keeping them would have), drawn by the
    terms that drew them. The blocks a run finished are its first ones, so its trials' blocks
    are those of ``run.trials``."""
    if run.measured.kept:
        return run.measured
    contract, scenario = run.contract, run.scenario
    horizon = scenario_horizon(contract, scenario)
    model = OutageModel(scenario, contract, horizon)
    per_block = trials_per_block(scenario)
    sizes = block_sizes(run.trials, per_block)
    terms = tuple(dict.fromkeys((run.measured.drawn_by, contract.model_dump_json())))
    args = (terms, scenario.model_dump_json(), run.seed)
    blocks = list(enumerate(sizes))
    done = {block: found[-1] for block, found in measure_chunk(*args, blocks)}
    keys = [unit_key(model, i, tier) for i, tier in enumerate(contract.tiers)]
    plain = one_row_per_trial(contract, model)
    found = _assemble(done, sizes, per_block, keys, len(run.horizon.periods), plain)
    give_back_free_memory()
    return found


def _support(
    contract: Contract,
    tier: Tier,
    horizon: Horizon,
    trials: I64,
    scenario: Scenario | None,
    seed: int,
    misses: I64 | None = None,
) -> tuple[NDArray, int] | None:
    """A tier's drawn support credits per period (``pricing.price_tier``'s ``support``) on rows
    of ``trials``, or on rows with their own ``misses`` (``customer_tickets``); None when the
    scenario draws no tickets the tier has a target for."""
    drawn = _drawn_misses(contract, tier, horizon, trials, scenario, seed, misses)
    if drawn is None or scenario is None:
        return None
    found = support_percent(contract, tier, horizon, drawn, scenario)
    return found.values, found.den


def _drawn_misses(
    contract: Contract,
    tier: Tier,
    horizon: Horizon,
    trials: I64,
    scenario: Scenario | None,
    seed: int,
    misses: I64 | None,
) -> I64 | None:
    """``ticket_draws.drawn_tier_misses`` of a tier, drawn in the run's blocks of trials."""
    per_block = 1 if scenario is None else trials_per_block(scenario)
    # by name (each tier's is its own): ``tiers.index`` compares whole tiers, field by field,
    # every tier before it, for every tier and chunk of a run
    index = [t.name for t in contract.tiers].index(tier.name)
    return drawn_tier_misses(contract, index, horizon, trials, scenario, seed, per_block, misses)


def _claim_events(
    contract: Contract,
    tier: Tier,
    horizon: Horizon,
    rows: Rows,
    first_trial: int,
    scenario: Scenario | None,
    seed: int,
) -> ClaimEvents | None:
    """A tier's per-incident credits and drawn support misses on each row's claims
    (``claim_events``; rows of trials from ``first_trial`` on); None: it has neither."""
    assert rows.claims is not None
    trials = rows.trial + first_trial
    misses = _drawn_misses(contract, tier, horizon, trials, scenario, seed, rows.misses)
    incidents = rows.incident_percent.get(tier.name)
    if misses is None and incidents is None:
        return None
    terms, support = tier.incident_credits, tier.support
    starts = np.array([p.start for p in horizon.periods], np.int64)
    named = [] if scenario is None else [p for p, _ in drawn_priorities(tier, scenario)]
    return ClaimEvents(
        incident_num=incidents,
        incident_den=1 if terms is None else incident_credits.percent(terms, starts[:0])[1],
        misses=None if misses is None else misses_by_claim(misses, starts, rows.claims),
        targets=tuple(t for p in named if support and (t := support.target(p)) is not None),
    )


def _run_support(
    run: SimulationRun, tier: Tier, rows: Rows, picked: I64 | slice
) -> tuple[NDArray, int] | None:
    """A run's support credits on some of a unit's rows (``_support``)."""
    misses = _picked(rows.misses, picked)
    return _support(
        run.contract, tier, run.horizon, rows.trial[picked], run.scenario, run.seed, misses
    )


def _picked(values: I64 | None, picked: I64 | slice) -> I64 | None:
    return None if values is None else values[picked]


def measurement_terms(contract: Contract) -> str:
    """What measurement depends on; two contracts equal here share a simulation's measurement.
    Numbers in canonical form: terms that write a weight 1.0 or 1 measure alike."""
    data = canonical_terms(
        contract.model_dump(include={"timezone", "term", "measurement", "exclusions"})
    )
    assert isinstance(data, dict)
    data["scopes"] = [list(map(list, scope_key(t))) for t in contract.tiers]
    data["zones"] = [zone_key(t) for t in contract.tiers]
    data["customers"] = [t.customers for t in contract.tiers]
    if measures_claims(contract):  # whose incidents file each tier's claims (customer_cap)
        data["claim_holders"] = [claim_holders(contract, i) for i in range(len(contract.tiers))]
    return json.dumps(data, sort_keys=True)


def trial_incidents(
    contract: Contract,
    scenario: Scenario,
    seed: int,
    total_trials: int,
    trials: Iterable[int],
    customer: tuple[str, int] | None = None,
) -> dict[int, list[Incident]]:
    """The synthetic incidents of some trials of a run of ``total_trials``, as an incident file
    would hold them: replaying them gives the credits the simulation counted for those trials.
    Incidents that hit single customers are left out, except those of ``customer`` (a tier's
    name and the customer's number in it)."""
    horizon = scenario_horizon(contract, scenario)
    model = OutageModel(scenario, contract, horizon)
    per_block = trials_per_block(scenario)
    sizes = block_sizes(total_trials, per_block)
    wanted = sorted(set(trials))
    if wanted and not 0 <= wanted[0] <= wanted[-1] < total_trials:
        raise InputError(f"trials are numbered 0 to {total_trials - 1}")
    tier = contract.tiers.index(contract.tier(customer[0])) if customer else -2
    out: dict[int, list[Incident]] = {}
    for block in sorted({t // per_block for t in wanted}):
        drawn = draw_block(model, seed, block, sizes[block])
        mine = (drawn.tier < 0) | (
            (drawn.tier == tier) & (drawn.customer == (customer[1] if customer else -2))
        )
        for trial in (t for t in wanted if t // per_block == block):
            rows = np.flatnonzero(mine & (drawn.trial == trial - block * per_block))
            rows = rows[np.lexsort((drawn.end[rows], drawn.start[rows]))]
            out[trial] = []
            for n, k in enumerate(rows.tolist()):
                out[trial] += _incident_rows(model, drawn, k, f"T{trial}-{n + 1}", len(out[trial]))
    return out


def trial_support_tickets(
    contract: Contract,
    scenario: Scenario,
    seed: int,
    trials: Iterable[int],
    tier: str,
    customer: int | None = None,
) -> dict[int, list[Ticket]]:
    """The missed support tickets a tier drew in some trials (``ticket_draws.trial_tickets``):
    replayed with ``trial_incidents`` (of the same ``customer``), they give the credits the
    simulation counted. Where each customer draws its own (``customer_tickets``), those of
    ``customer``; without one, those of the customers that drew none: none."""
    horizon = scenario_horizon(contract, scenario)
    terms = contract.tier(tier)
    index = contract.tiers.index(terms)
    per_block = trials_per_block(scenario)
    wanted = sorted(set(trials))
    own = None
    if _tickets_per_customer(OutageModel(scenario, contract, horizon)):
        own = one_customers_misses(
            scenario, horizon, index, terms.customers, seed, wanted, per_block, customer
        )
    return trial_tickets(contract, scenario, horizon, index, seed, wanted, per_block, own)


def _incident_rows(
    model: OutageModel, drawn: DrawnIncidents, k: int, ident: str, rows_before: int
) -> list[Incident]:
    """Incident ``k`` as an export lists it: one row per place and zone it happens at, sharing
    its id."""
    source = model.sources[int(drawn.source[k])]
    return [
        Incident(
            id=ident,
            start=int(drawn.start[k]),
            end=int(drawn.end[k]),
            impact=model.impact_value(int(drawn.impact[k])),
            cause=model.causes[int(drawn.cause[k])],
            service=service,
            region=region,
            title=source.name,
            zone=zone,
            row=rows_before + n + 2,
        )
        for n, ((service, region), zone) in enumerate(
            product(source.places, mask_zones(int(drawn.zones[k]), model.zone_names))
        )
    ]


def why_not_repriced(run: SimulationRun, contract: Contract) -> str:
    """Why ``run``'s histories cannot be priced under ``contract`` ("" when they can): only
    credit terms may change (bands, fees, caps, claims...); terms that measure periods
    differently need a new simulation. The one check, which ``reprice`` enforces and a front
    end asks before it offers a re-price."""
    if len(contract.tiers) != len(run.contract.tiers):
        return "the new terms have another number of tiers, which are measured one by one"
    per_incident = incident_credits.changed(run.contract, contract)
    if per_incident:
        return per_incident
    if measurement_terms(contract) != measurement_terms(run.contract):
        return (
            "the new terms change how periods are measured (time zone, measurement, exclusions "
            "or scopes)"
        )
    return ""


def reprice(run: SimulationRun, contract: Contract) -> SimulationRun:
    """The same simulated histories under new credit terms (``why_not_repriced``)."""
    problem = why_not_repriced(run, contract)
    if problem:
        raise InputError(f"{problem}; run a new simulation instead of re-pricing")
    if not run.measured.kept:  # drawn and measured again: the same histories, chunk by chunk
        drawer = Contract.model_validate_json(run.measured.drawn_by)
        together = [drawer, contract] if drawer != run.contract else [contract]
        again = simulate_together(together, run.scenario, run.trials, run.seed)[-1]
        return dataclasses.replace(
            again,
            trials_requested=run.trials_requested,
            cancelled=run.cancelled,
            start_note=run.start_note,
        )
    unchanged = {
        new.name: run.pricing[old.name]
        for old, new in zip(run.contract.tiers, contract.tiers, strict=True)
        if _pricing_terms(run.contract, old) == _pricing_terms(contract, new)
    }
    return SimulationRun(
        contract=contract,
        scenario=run.scenario,
        seed=run.seed,
        trials_requested=run.trials_requested,
        horizon=run.horizon,
        measured=run.measured,
        pricing=price_all(
            contract, run.horizon, run.measured, run.seed, known=unchanged, scenario=run.scenario
        ),
        cancelled=run.cancelled,
        start_note=run.start_note,
    )


def _pricing_terms(contract: Contract, tier: Tier) -> str:
    """Everything a tier's pricing can depend on: the tier, and the contract's other terms."""
    return tier.model_dump_json() + contract.model_dump_json(exclude={"tiers"})


# -- one customer's credits (tier profitability, engine/profitability.py) -----------------------


def customer_paid(run: SimulationRun, tier: str, customer: int = 0) -> I64 | None:
    """Credits paid to one customer of ``tier`` in each trial (minor units): its own row where
    something of its own hit it, else the shared row. A tier's customers have the same terms and
    draws, so customer 0 stands for any. None where one customer's credits are not priced on
    their own: a customer cap across tiers, or claim shares that vary by trial."""
    terms = run.contract.tier(tier)
    held = {t.name for t in run.contract.held_together()}
    if terms.name in held or run.contract.claims.claim_rate_sd is not None:
        return None
    index = run.contract.tiers.index(terms)
    measured = measured_again(run)
    rows = measured.whole_rows(_units(run.contract, measured)[index])
    n = run.trials
    picked = np.arange(n, dtype=np.int64)  # the shared rows come first, one per trial
    own = np.flatnonzero(rows.customer == customer)
    picked[rows.trial[own]] = own
    return _priced_rows(run, terms, rows, picked).paid
