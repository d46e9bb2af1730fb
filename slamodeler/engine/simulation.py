"""Monte Carlo: many synthetic histories measured by the contract's rules, then priced.

Trials come in fixed blocks, each with its own random stream (numpy SeedSequence spawned from
the seed by block number), so a result depends on the seed and the number of trials only: not
on how blocks are grouped into chunks, nor on how many workers ran them, nor in what order.
Measurement (what took time) is kept per trial and period, so new credit terms re-price a
result without drawing it again.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import Incident
from slamodeler.domain.scenario import Scenario
from slamodeler.engine.horizon import Horizon, ScopeKey, build_horizon, scope_key
from slamodeler.engine.interval_measure import IntervalIncidents, measure_intervals
from slamodeler.engine.outage_model import DrawnIncidents, OutageModel
from slamodeler.engine.periods import parse_label
from slamodeler.engine.pricing import TierPricing, price_tier

BLOCK_TRIALS = 2000
I64 = NDArray[np.int64]
Progress = Callable[[int, int], None]


class CancelToken:
    """Set from any thread; the simulation stops after the chunks already running."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


@dataclass
class Measured:
    """Per scope, per trial and period: downtime and excluded micro-minutes."""

    downtime: dict[ScopeKey, I64] = field(default_factory=dict)
    excluded: dict[ScopeKey, I64] = field(default_factory=dict)

    @property
    def trials(self) -> int:
        return next(iter(self.downtime.values())).shape[0] if self.downtime else 0


@dataclass(frozen=True)
class SimulationRun:
    contract: Contract
    scenario: Scenario
    seed: int
    trials_requested: int
    horizon: Horizon
    measured: Measured
    pricing: dict[str, TierPricing]
    cancelled: bool = False

    @property
    def notes(self) -> list[str]:
        """Tiers that no incident process or catastrophe of the scenario can reach."""
        model = OutageModel(self.scenario, self.contract, self.horizon)
        return [
            f"tier {tier.name}: no process of the scenario reaches its scope; check the region "
            "and service names"
            for tier in self.contract.tiers
            if not any(source.reaches(scope_key(tier)) for source in model.sources)
        ]

    @property
    def trials(self) -> int:
        return self.measured.trials


def scenario_horizon(contract: Contract, scenario: Scenario) -> Horizon:
    kind = contract.measurement.period
    first = parse_label(scenario.start, "month")
    if kind == "quarter" and first % 3:
        raise InputError(
            f"scenario start {scenario.start} is not the first month of a quarter; this contract "
            "measures calendar quarters"
        )
    return build_horizon(contract, first, first + scenario.years * 12 - 1)


def scopes(contract: Contract) -> list[ScopeKey]:
    return list(dict.fromkeys(scope_key(t) for t in contract.tiers))


def block_rng(seed: int, block: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))


def block_sizes(trials: int) -> list[int]:
    full, rest = divmod(trials, BLOCK_TRIALS)
    return [BLOCK_TRIALS] * full + ([rest] if rest else [])


def draw_block(model: OutageModel, seed: int, block: int, size: int) -> DrawnIncidents:
    return model.draw(block_rng(seed, block), size)


def measure_drawn(
    drawn: DrawnIncidents, model: OutageModel, contract: Contract, horizon: Horizon
) -> dict[ScopeKey, tuple[I64, I64]]:
    first, stop = horizon.grid.index_range(drawn.start, drawn.end)
    weight = model.impact_micro[drawn.impact]
    klass = model.cause_class[drawn.cause]
    out = {}
    for scope in scopes(contract):
        reaches = np.array([s.reaches(scope) for s in model.sources], dtype=bool)
        keep = reaches[drawn.source]
        m = measure_intervals(
            IntervalIncidents(
                drawn.n_trials,
                drawn.trial[keep],
                first[keep],
                stop[keep],
                weight[keep],
                klass[keep],
            ),
            horizon,
            contract.measurement.slot_minutes,
            contract.measurement.min_downtime_minutes,
        )
        out[scope] = (m.downtime, m.excluded)
    return out


def measure_chunk(
    contract_json: str, scenario_json: str, seed: int, blocks: list[tuple[int, int]]
) -> list[tuple[int, dict[ScopeKey, tuple[I64, I64]]]]:
    """Draw and measure some blocks: a plain function of plain data, for any executor."""
    contract = Contract.model_validate_json(contract_json)
    scenario = Scenario.model_validate_json(scenario_json)
    horizon = scenario_horizon(contract, scenario)
    model = OutageModel(scenario, contract, horizon)
    return [
        (block, measure_drawn(draw_block(model, seed, block, size), model, contract, horizon))
        for block, size in blocks
    ]


def simulate(
    contract: Contract,
    scenario: Scenario,
    trials: int,
    seed: int,
    executor: Executor | None = None,
    blocks_per_chunk: int = 4,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> SimulationRun:
    """Run ``trials`` trials; with ``executor``, chunks of blocks run on it (processes, a Dask
    cluster's executor...). After a cancel, the result holds the blocks that finished."""
    if trials < 1:
        raise InputError("trials must be at least 1")
    if not 0 <= seed < 2**63:
        raise InputError("the seed must be a whole number from 0 to 2**63 - 1")
    horizon = scenario_horizon(contract, scenario)
    OutageModel(scenario, contract, horizon)  # check the scenario against the contract up front
    sizes = block_sizes(trials)
    work = list(enumerate(sizes))
    chunks = [work[i : i + blocks_per_chunk] for i in range(0, len(work), blocks_per_chunk)]
    args = (contract.model_dump_json(), scenario.model_dump_json(), seed)
    done: dict[int, dict[ScopeKey, tuple[I64, I64]]] = {}
    finished = 0

    def collect(parts: Iterable[tuple[int, dict[ScopeKey, tuple[I64, I64]]]]) -> None:
        nonlocal finished
        for block, measured in parts:
            done[block] = measured
            finished += sizes[block]
        if progress:
            progress(finished, trials)

    if executor is None:
        for chunk in chunks:
            if cancel and cancel.cancelled:
                break
            collect(measure_chunk(*args, chunk))
    else:
        _run_on(executor, chunks, args, collect, cancel)
    cancelled = bool(cancel and cancel.cancelled and len(done) < len(sizes))
    measured = _assemble(done, scopes(contract), len(horizon.periods))
    return SimulationRun(
        contract=contract,
        scenario=scenario,
        seed=seed,
        trials_requested=trials,
        horizon=horizon,
        measured=measured,
        pricing=price_all(contract, horizon, measured),
        cancelled=cancelled,
    )


def _run_on(
    executor: Executor,
    chunks: list[list[tuple[int, int]]],
    args: tuple[str, str, int],
    collect: Callable[[list], None],
    cancel: CancelToken | None,
) -> None:
    pending: list[Future] = []
    queue = list(chunks)
    limit = max(2, getattr(executor, "_max_workers", 2) * 2)  # bounded memory in flight
    while queue or pending:
        while queue and len(pending) < limit and not (cancel and cancel.cancelled):
            pending.append(executor.submit(measure_chunk, *args, queue.pop(0)))
        if not pending:
            break
        future = pending.pop(0)
        collect(future.result())
        if cancel and cancel.cancelled:
            queue.clear()


def _assemble(
    done: dict[int, dict[ScopeKey, tuple[I64, I64]]], keys: list[ScopeKey], n_periods: int
) -> Measured:
    measured = Measured()
    order = sorted(done)
    for key in keys:
        if order:
            measured.downtime[key] = np.concatenate([done[b][key][0] for b in order])
            measured.excluded[key] = np.concatenate([done[b][key][1] for b in order])
        else:
            measured.downtime[key] = np.zeros((0, n_periods), dtype=np.int64)
            measured.excluded[key] = np.zeros((0, n_periods), dtype=np.int64)
    return measured


def price_all(contract: Contract, horizon: Horizon, measured: Measured) -> dict[str, TierPricing]:
    return {
        tier.name: price_tier(
            contract,
            tier,
            horizon,
            measured.downtime[scope_key(tier)],
            measured.excluded[scope_key(tier)],
        )
        for tier in contract.tiers
    }


def period_credits(run: SimulationRun, tier: str, trials: Sequence[int] | slice) -> I64:
    """Credit issued per period (per customer, minor units) for some trials of a run."""
    terms = run.contract.tier(tier)
    key = scope_key(terms)
    priced = price_tier(
        run.contract,
        terms,
        run.horizon,
        run.measured.downtime[key][trials],
        run.measured.excluded[key][trials],
        keep_periods=True,
    )
    assert priced.issued_by_period is not None
    return priced.issued_by_period


def measurement_terms(contract: Contract) -> str:
    """What measurement depends on; two contracts equal here share a simulation's measurement."""
    data = contract.model_dump(
        mode="json", include={"timezone", "term", "measurement", "exclusions"}
    )
    data["scopes"] = sorted(map(list, scopes(contract)))
    return json.dumps(data, sort_keys=True)


def trial_incidents(
    contract: Contract, scenario: Scenario, seed: int, total_trials: int, trials: Iterable[int]
) -> dict[int, list[Incident]]:
    """The synthetic incidents of some trials of a run of ``total_trials``, as an incident file
    would hold them: replaying them gives the credits the simulation counted for those trials."""
    horizon = scenario_horizon(contract, scenario)
    model = OutageModel(scenario, contract, horizon)
    sizes = block_sizes(total_trials)
    wanted = sorted(set(trials))
    if wanted and not 0 <= wanted[0] <= wanted[-1] < total_trials:
        raise InputError(f"trials are numbered 0 to {total_trials - 1}")
    out: dict[int, list[Incident]] = {}
    for block in sorted({t // BLOCK_TRIALS for t in wanted}):
        drawn = draw_block(model, seed, block, sizes[block])
        for trial in (t for t in wanted if t // BLOCK_TRIALS == block):
            rows = np.flatnonzero(drawn.trial == trial - block * BLOCK_TRIALS)
            rows = rows[np.lexsort((drawn.end[rows], drawn.start[rows]))]
            out[trial] = [
                _incident(model, drawn, int(k), f"T{trial}-{n + 1}", n + 2)
                for n, k in enumerate(rows.tolist())
            ]
    return out


def _incident(model: OutageModel, drawn: DrawnIncidents, k: int, ident: str, row: int) -> Incident:
    source = model.sources[int(drawn.source[k])]
    return Incident(
        id=ident,
        start=int(drawn.start[k]),
        end=int(drawn.end[k]),
        impact=model.impact_value(int(drawn.impact[k])),
        cause=model.causes[int(drawn.cause[k])],
        service=source.service,
        region=source.region,
        title=source.name,
        row=row,
    )


def reprice(run: SimulationRun, contract: Contract) -> SimulationRun:
    """The same simulated histories under new credit terms (bands, fees, caps, claims...).
    Refused if the new terms measure differently: that needs a new simulation."""
    if measurement_terms(contract) != measurement_terms(run.contract):
        raise InputError(
            "the new terms change how periods are measured (time zone, measurement, exclusions "
            "or scopes); run a new simulation instead of re-pricing"
        )
    return SimulationRun(
        contract=contract,
        scenario=run.scenario,
        seed=run.seed,
        trials_requested=run.trials_requested,
        horizon=run.horizon,
        measured=run.measured,
        pricing=price_all(contract, run.horizon, run.measured),
        cancelled=run.cancelled,
    )
