"""Drawing synthetic incident histories from a scenario, many trials at a time (numpy).

Each trial is one possible history over the horizon: for every process, a count of incidents per
month (Poisson, or negative binomial as a gamma-mixed Poisson), start times (uniform in the month
or weighted by hour of the week in the contract's zone), durations, impact and cause; plus rare
catastrophes anywhere in the horizon. The order of draws is fixed, so a block of trials drawn
from the same generator state is always the same history.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from itertools import product
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.scenario import (
    Catastrophe,
    Duration,
    Empirical,
    Exponential,
    Gamma,
    HourOfWeek,
    Lognormal,
    NegativeBinomial,
    Process,
    Scenario,
    Scope,
    Uniform,
    Weibull,
)
from slamodeler.engine.drawn_parts import (
    NO_FLOATS,
    NO_INTS,
    DrawnColumns,
    Part,
    Pick,
    cdf_of,
    cells_of,
)
from slamodeler.engine.horizon import Horizon, ScopeKey, reaches
from slamodeler.engine.interval_measure import COUNTS, EXCLUDED_CAUSE, MAINTENANCE
from slamodeler.engine.slots import MICRO
from slamodeler.engine.zone_draws import draw_masks, scenario_zones

I64 = NDArray[np.int64]


@dataclass(frozen=True)
class Source:
    """Where incidents come from: a process (or one place of its scope's mix) or a catastrophe,
    and the places they happen at once, (service, region) with "" for not tied to one. An
    ``independent`` source hits single customers, each with that probability per incident."""

    name: str
    places: tuple[tuple[str, str], ...] = (("", ""),)
    independent: float | None = None

    def reaches(self, scope: ScopeKey) -> bool:
        """As a replay would see the incident's rows, one per place: if any row reaches."""
        return any(reaches(scope, service, region) for service, region in self.places)


@dataclass(frozen=True)
class DrawnIncidents:
    """Incidents of ``n_trials`` trials as columns; impact and cause index the model's lists.
    The columns drawn from the parts are put together when asked for (``DrawnColumns``)."""

    n_trials: int
    columns: DrawnColumns
    tier: I64  # for incidents of one customer: the tier's index, else -1
    customer: I64  # and the customer's number in the tier, else -1
    zones: I64  # the zones hit, a bit per name of the model's zone_names; 0: every zone

    @property
    def trial(self) -> I64:
        return self.columns.trial

    @property
    def start(self) -> I64:  # UTC epoch seconds
        return self.columns.joined()[1]

    @property
    def end(self) -> I64:
        return self.columns.joined()[2]

    @property
    def impact(self) -> I64:
        return self.columns.joined()[3]

    @property
    def cause(self) -> I64:
        return self.columns.joined()[4]

    @property
    def source(self) -> I64:
        return self.columns.joined()[5]


class OutageModel:
    """A scenario made ready to draw for one contract and horizon."""

    def __init__(self, scenario: Scenario, contract: Contract, horizon: Horizon):
        self.scenario = scenario
        self.contract = contract
        zone = ZoneInfo(contract.timezone)
        first_day = horizon.rows[0].first_day  # the range's, not a window's reach before it
        months = [
            first_day.replace(
                year=first_day.year + (first_day.month - 1 + k) // 12,
                month=(first_day.month - 1 + k) % 12 + 1,
            )
            for k in range(scenario.years * 12 + 1)
        ]
        self.month_bounds = np.array(
            [int(datetime(d.year, d.month, 1, tzinfo=zone).timestamp()) for d in months], np.int64
        )
        self.month_seconds = np.diff(self.month_bounds)
        self.start, self.end = int(self.month_bounds[0]), int(self.month_bounds[-1])
        self.zone = zone
        self.zone_names = scenario_zones(scenario)
        self.sources: list[Source] = []
        self.process_sources: list[tuple[I64, NDArray[np.float64]]] = []  # indexes, shares
        for process in scenario.processes:
            mine = _sources(process.name, process.scope)
            first = len(self.sources)
            self.sources += [source for source, _ in mine]
            self.process_sources.append(
                (np.arange(first, len(self.sources)), np.array([p for _, p in mine]))
            )
        self.catastrophe_sources = range(
            len(self.sources), len(self.sources) + len(scenario.catastrophes)
        )
        self.sources += [Source(c.name) for c in scenario.catastrophes]
        labels = [
            *(k for p in scenario.processes for k in p.impact),
            *(c.impact for c in scenario.catastrophes),
        ]
        causes = [
            *(k for p in scenario.processes for k in p.cause),
            *(c.cause for c in scenario.catastrophes),
        ]
        self.impacts: list[str] = list(dict.fromkeys(labels))
        self.causes: list[str] = list(dict.fromkeys(causes))
        users = {
            **{k: f"process {c.name!r}" for c in scenario.catastrophes for k in [c.impact]},
            **{k: f"process {p.name!r}" for p in reversed(scenario.processes) for k in p.impact},
        }
        self.impact_micro = np.array(
            [impact_weight(label, contract, users.get(label, "")) for label in self.impacts],
            dtype=np.int64,
        )
        excluded = set(contract.exclusions.causes)
        self.cause_class = np.array(
            [
                MAINTENANCE
                if c == "maintenance" and c in excluded
                else EXCLUDED_CAUSE
                if c in excluded
                else COUNTS
                for c in self.causes
            ],
            dtype=np.int8,
        )
        self._reaching: dict[ScopeKey, NDArray[np.bool_]] = {}
        self._hour_tables = {
            i: self._hours(p.start_profile)
            for i, p in enumerate(scenario.processes)
            if isinstance(p.start_profile, HourOfWeek)
        }

    @functools.cached_property
    def hits_customers_one_by_one(self) -> bool:
        """Whether a process hits single customers (``scope: independent``): their rows, units
        and tickets are then per customer, not per trial (asked for every tier and block)."""
        return any(source.independent is not None for source in self.sources)

    def reaching(self, scope: ScopeKey) -> NDArray[np.bool_]:
        """Per source, whether its incidents reach every customer of ``scope`` (not one by
        one): asked for every tier and block of a run, answered once per scope."""
        if scope not in self._reaching:
            self._reaching[scope] = np.array(
                [s.independent is None and s.reaches(scope) for s in self.sources]
            )
        return self._reaching[scope]

    def impact_value(self, index: int) -> str | Decimal:
        """The impact as an Incident carries it: a label, or a share for numeric keys."""
        label = self.impacts[index]
        share = _number(label)
        return share if share is not None else label

    def draw(self, rng: np.random.Generator, n_trials: int) -> DrawnIncidents:
        """``n_trials`` histories: every part's variates drawn in a fixed order, then put
        together (``drawn_parts``)."""
        parts: list[Part] = []
        others: list[dict[str, I64 | int]] = []  # per part: its tier, customer and zones
        zoned: list[tuple[int, Process]] = []  # parts whose process draws zones
        stress = self.scenario.stress
        months = len(self.month_seconds)
        for index, process in enumerate(self.scenario.processes):
            sources, shares = self.process_sources[index]
            share = self.sources[sources[0]].independent
            groups = (
                [(-1, 1)]
                if share is None
                else [(t, tier.customers) for t, tier in enumerate(self.contract.tiers)]
            )
            for tier, customers in groups:
                scale = 1.0 if share is None else share * customers
                if process.zones is not None:
                    zoned.append((len(parts), process))
                counts = self._counts(rng, process, n_trials, stress.frequency * scale)
                n = int(counts.sum())
                uniforms, starts = self._starts(rng, index, counts, n)
                parts.append(
                    Part(
                        size=n,
                        counts=counts,
                        cells=months,
                        bounds=self.month_bounds,
                        seconds=self.month_seconds,
                        uniforms=uniforms,
                        starts=starts,
                        minutes=self._minutes(rng, process.duration_minutes, n, stress.duration),
                        impact=self._pick(rng, process.impact, self.impacts, n),
                        cause=self._pick(rng, process.cause, self.causes, n),
                        source=Pick(sources, rng.random(n), cdf_of(shares / shares.sum()))
                        if len(sources) > 1
                        else Pick.one(int(sources[0])),
                    )
                )
                customer = rng.integers(0, customers, size=n) if tier >= 0 else -1
                others.append({"tier": tier, "customer": customer, "zones": 0})
        for number, cat in zip(self.catastrophe_sources, self.scenario.catastrophes, strict=True):
            parts.append(self._catastrophes(rng, cat, n_trials, number))
            others.append({"tier": -1, "customer": -1, "zones": 0})
        sizes = [part.size for part in parts]
        for at, process in zoned:  # drawn last: scenarios without zones draw as before
            assert process.zones is not None
            others[at]["zones"] = draw_masks(rng, process.zones, self.zone_names, sizes[at])
        return DrawnIncidents(
            n_trials=n_trials,
            columns=DrawnColumns(parts, (self.end - self.start) / 60.0),
            **{key: _joined([o[key] for o in others], sizes) for key in others[0]},
        )

    def _counts(self, rng: np.random.Generator, process: Process, n: int, stress: float) -> I64:
        """Incidents per trial and month, trial after trial."""
        months = len(self.month_bounds) - 1
        freq = process.frequency
        if isinstance(freq, NegativeBinomial):
            mean = freq.mean_per_month * stress
            rate = rng.gamma(freq.dispersion, mean / freq.dispersion, size=(n, months))
            return rng.poisson(rate).ravel()
        # one rate: drawn as from a table of it, without the table
        return rng.poisson(freq.rate_per_month * stress, size=(n, months)).ravel()

    def _starts(
        self, rng: np.random.Generator, index: int, counts: I64, n: int
    ) -> tuple[NDArray[np.float64], I64]:
        """Where each of ``n`` incidents starts: a uniform share of its month, which
        ``drawn_parts`` turns into a second (and no starts); or by hour of the week, weighted:
        then the starts themselves (and no uniforms)."""
        if index not in self._hour_tables:
            return rng.random(n), NO_INTS
        _, month = cells_of(counts, len(self.month_seconds))
        hour_start, cumulative, month_first = self._hour_tables[index]
        before = np.where(month_first[month] > 0, cumulative[month_first[month] - 1], 0.0)
        total = cumulative[month_first[month + 1] - 1] - before
        target = before + rng.random(len(month)) * total
        hour = np.minimum(
            np.searchsorted(cumulative, target, side="right"), month_first[month + 1] - 1
        )
        return NO_FLOATS, hour_start[hour] + np.floor(rng.random(len(month)) * 3600).astype(
            np.int64
        )

    def _hours(self, profile: HourOfWeek) -> tuple[I64, NDArray[np.float64], I64]:
        """Every hour of the horizon (UTC start), the running sum of its weight, and the index of
        each month's first hour."""
        starts = np.arange(self.start, self.end, 3600, dtype=np.int64)
        weights = np.empty(len(starts))
        for i, stamp in enumerate(starts.tolist()):
            local = datetime.fromtimestamp(stamp, self.zone)
            weights[i] = profile.hour_of_week[local.weekday() * 24 + local.hour]
        month_first = np.searchsorted(starts, self.month_bounds)
        return starts, np.cumsum(weights), month_first

    def _minutes(
        self, rng: np.random.Generator, dist: Duration, n: int, stress: float
    ) -> NDArray[np.float64]:
        minutes = _durations(rng, dist, n)
        if stress != 1:
            minutes *= stress
        return minutes

    def _pick(
        self, rng: np.random.Generator, mix: dict[str, float], names: list[str], n: int
    ) -> Pick:
        """An index into ``names`` per incident, or one for all where ``mix`` has one."""
        keys = list(mix)
        lookup = np.array([names.index(k) for k in keys], dtype=np.int64)
        if len(keys) == 1:  # a choice among one draws a uniform per pick and needs none of them
            skip_uniforms(rng, n)
            return Pick(lookup)
        probs = np.array([mix[k] for k in keys])
        return Pick(lookup, rng.random(n), cdf_of(probs / probs.sum()))

    def _catastrophes(
        self, rng: np.random.Generator, cat: Catastrophe, n: int, source: int
    ) -> Part:
        """Rare incidents anywhere in the horizon: a trial's horizon is its one cell."""
        counts = rng.poisson(cat.rate_per_year * self.scenario.years, size=n)
        k = int(counts.sum())
        return Part(
            size=k,
            counts=counts,
            cells=1,
            bounds=np.array([self.start, self.end], dtype=np.int64),
            seconds=np.array([self.end - self.start], dtype=np.int64),
            uniforms=rng.random(k),
            minutes=_durations(rng, cat.minutes, k),
            impact=Pick.one(self.impacts.index(cat.impact)),
            cause=Pick.one(self.causes.index(cat.cause)),
            source=Pick.one(source),
        )


def _joined(columns: list[NDArray | int], sizes: list[int]) -> NDArray:
    """The parts' columns end to end, where an int stands for ``sizes[k]`` copies of itself:
    built at once where every part's is an int (a tier, a source, no zones), without an array
    per part to copy again; filled with one value where every part's is that value (the usual
    case: no tier, no customer, no zones), which is faster than repeating it part by part."""
    if all(isinstance(c, int) for c in columns):
        if len(set(columns)) == 1:
            return np.full(sum(sizes), columns[0], dtype=np.int64)
        return np.repeat(np.array(columns, dtype=np.int64), sizes)
    return np.concatenate(
        [
            np.full(k, c, dtype=np.int64) if isinstance(c, int) else c
            for c, k in zip(columns, sizes, strict=True)
        ]
    )


def skip_uniforms(rng: np.random.Generator, n: int) -> None:
    """Leave ``rng`` as drawing ``n`` uniforms would (``Generator.random``: one 64-bit output
    each), so the draws after stay those of a seed: PCG64, numpy's default, jumps there at once
    unless it holds half an output for a 32-bit draw (a jump drops it); others draw them."""
    bits = rng.bit_generator
    if isinstance(bits, np.random.PCG64) and not bits.state["has_uint32"]:
        bits.advance(n)
    else:
        rng.random(n)


def _durations(rng: np.random.Generator, dist: Duration, n: int) -> NDArray[np.float64]:
    """Minutes, from the scenario's duration distribution."""
    if isinstance(dist, Exponential):
        return rng.exponential(dist.mean, size=n)
    if isinstance(dist, Lognormal):  # exp(log(median) + sigma * z), in place
        z = rng.standard_normal(n)
        z *= dist.sigma
        z += np.log(dist.median)
        return np.exp(z, out=z)
    if isinstance(dist, Weibull):
        w = rng.weibull(dist.shape, size=n)
        w *= dist.scale
        return w
    if isinstance(dist, Gamma):
        return rng.gamma(dist.shape, dist.scale, size=n)
    if isinstance(dist, Uniform):
        return rng.uniform(dist.low, dist.high, size=n)
    if isinstance(dist, Empirical):
        if dist.values is None:
            raise InputError("empirical durations from an incident file must be loaded first")
        values = np.asarray(dist.values, dtype=np.float64)
        return values[rng.integers(0, len(values), size=n)]
    raise TypeError(dist)


def _sources(name: str, scope: Scope | Literal["all"]) -> list[tuple[Source, float]]:
    """A process's sources and the share of its incidents each gets: one, or one per place of
    its scope's mix (drawn for each incident)."""
    if scope == "all":
        return [(Source(name), 1.0)]
    if scope.mix is not None:
        return [
            (Source(name, tuple(product(p.services or [""], p.regions or [""]))), p.share)
            for p in scope.mix
        ]
    place = (scope.service or "", scope.region or "")
    return [(Source(name, (place,), scope.independent), 1.0)]


def _number(label: str) -> Decimal | None:
    try:
        value = Decimal(label)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def impact_weight(label: str, contract: Contract, user: str) -> int:
    """An impact label's weight in millionths (the contract's, or a numeric label's own)."""
    share = _number(label)
    if share is None:
        weights = contract.measurement.impact_weights
        if label not in weights:
            raise InputError(
                f"the scenario's {user} uses impact {label!r}, which the contract does not "
                f"weigh; add it to measurement.impact_weights (has: {', '.join(sorted(weights))})"
            )
        share = weights[label]
    return int((share * MICRO).to_integral_value())
