"""A block's drawn incidents put together from its parts (a process, once per group of
customers, or a catastrophe), each drawn as variates: incidents per cell (a trial's month, or
its whole horizon), a uniform placing each in its cell, minutes, and uniforms picking an
impact, a cause and a source.

The measurement's columns (trial, counted slots, weight, class) are written straight from the
variates by one compiled walk (``jit_draw.counted_part``), or the sweep's sort keys themselves
where the measurement reads nothing else (``jit_draw.laid_part``), and the block's trial, start,
end, impact, cause and source columns by another (``jit_draw.fill_part``) only where something
asks for them (``DrawnColumns``). numpy's steps (``cells_of``, the start's and end's arithmetic,
``picked``: an array per step, the parts' joined at the end) stay the reference both are tested
against (tests/engine/test_compiled_draw.py) and the path where numba cannot run. Only
arithmetic is done here: every variate is drawn before, in the model's order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from slamodeler.engine import compiled_kernels
from slamodeler.engine.counted_columns import COUNTING_CODES, counted_columns, grid_shape
from slamodeler.engine.slot_rules import SlotRules
from slamodeler.engine.slots import SlotGrid

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]
NO_FLOATS = np.zeros(0, dtype=np.float64)
NO_INTS = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Pick:
    """One of ``lookup`` per incident: the one at the number of ``cdf``'s edges (the running
    shares, less the last) at or below the incident's uniform, as ``Generator.choice`` picks;
    no ``uniforms``: ``lookup[0]`` for every incident."""

    lookup: I64
    uniforms: F64 = field(default_factory=lambda: NO_FLOATS)
    cdf: F64 = field(default_factory=lambda: NO_FLOATS)

    @classmethod
    def one(cls, value: int) -> Pick:
        return cls(np.array([value], dtype=np.int64))


@dataclass(frozen=True)
class Part:
    """A part's variates: ``counts`` incidents per cell, trial after trial (``cells`` a trial);
    cell c spans [``bounds[c % cells]``, + ``seconds[c % cells]``); each incident starts at
    its ``uniforms`` share of its cell (a whole second), or at ``starts`` where those are given,
    and lasts ``minutes`` (at most the horizon's, rounded to the second)."""

    size: int  # incidents: counts.sum()
    counts: I64
    cells: int
    bounds: I64
    seconds: I64
    minutes: F64
    impact: Pick
    cause: Pick
    source: Pick
    uniforms: F64 = field(default_factory=lambda: NO_FLOATS)
    starts: I64 = field(default_factory=lambda: NO_INTS)


def cdf_of(p: F64) -> F64:
    """Running shares of ``p`` scaled to end at 1, which ``picked`` compares uniforms with."""
    cdf = p.cumsum()
    cdf /= cdf[-1]
    return cdf


def picked(uniform: F64, cdf: F64) -> I64:
    """How many of ``cdf``'s edges but the last each uniform is at or above (numpy's
    ``choice``: the last edge is 1, above every uniform)."""
    found = (uniform >= cdf[0]).astype(np.int64)
    for edge in cdf[1:-1]:
        found += uniform >= edge
    return found


def joined_columns(parts: list[Part], limit_minutes: float) -> tuple[I64, ...]:
    """Trial, start, end (epoch seconds), impact, cause and source of every part's incidents,
    part after part: by the compiled pass where numba runs, else by numpy (the reference)."""
    kernel = compiled_kernels.parts()
    if kernel is None:
        return _numpy_columns(parts, limit_minutes)
    total = sum(part.size for part in parts)
    out = tuple(np.empty(total, dtype=np.int64) for _ in range(6))
    _walk_parts(kernel, parts, limit_minutes, (out,))
    return out


class DrawnColumns:
    """A block's incidents as columns: trial, start, end (epoch seconds), impact, cause and
    source, put together from its parts (``joined_columns``) when first asked for.

    The measurement asks for what it reads of them first (``counted``: trial, counted slots,
    weight, class), which one compiled walk writes straight from the parts
    (``jit_draw.counted_part``), integer for integer what ``counted_columns`` reads of the
    columns; where every incident is measured in its trial's row, it asks for the sweep's sort
    keys instead (``laid``). Most runs (one scope that every incident reaches, no claims, no
    zone rule) never ask for the columns themselves, which are then never made; the others put
    them together first (``simulation.measure_drawn``) and are measured from them, so that the
    parts are walked once. A second contract measured on the same draws reads the columns where
    they were put together, else walks the parts again with its own weights and grid."""

    def __init__(self, parts: list[Part], limit_minutes: float) -> None:
        self._parts = parts
        self._limit_minutes = limit_minutes
        self._joined: tuple[I64, ...] | None = None
        self._trial: I64 | None = None  # written by ``counted`` before anything is joined

    @classmethod
    def given(
        cls, trial: I64, start: I64, end: I64, impact: I64, cause: I64, source: I64
    ) -> DrawnColumns:
        """Columns as they are (a test's hand-made incidents)."""
        columns = cls([], 0.0)
        columns._joined = (trial, start, end, impact, cause, source)
        return columns

    def joined(self) -> tuple[I64, ...]:
        """Trial, start, end, impact, cause and source."""
        if self._joined is None:
            self._joined = joined_columns(self._parts, self._limit_minutes)
            self._parts, self._trial = [], None  # the columns hold all they held
        return self._joined

    @property
    def trial(self) -> I64:
        if self._joined is None and self._trial is not None:
            return self._trial
        return self.joined()[0]

    def counted(
        self, weights: tuple[I64, NDArray[np.int8]], grid: SlotGrid, rules: SlotRules
    ) -> tuple[I64, I64, I64, NDArray[np.int8]]:
        """First counted slot, one past the last, weight and class of each incident (as
        ``counted_columns``); ``weights``: per impact its weight, per cause its class."""
        parts = self._parts
        kernel = None if self._joined is not None else compiled_kernels.counted_parts()
        if kernel is None:
            _, start, end, impact, cause, _ = self.joined()
            return counted_columns(start, end, (impact, cause, *weights), grid, rules)
        total = sum(part.size for part in parts)
        trial = np.empty(total, dtype=np.int64)
        first, stop, weight = (np.empty(total, dtype=np.int64) for _ in range(3))
        klass = np.empty(total, dtype=np.int8)
        plan = (grid_shape(grid), COUNTING_CODES[rules.counting], *weights)
        _walk_parts(kernel, parts, self._limit_minutes, (plan, (trial, first, stop, weight, klass)))
        self._trial = trial
        return first, stop, weight, klass

    def laid(
        self, kernel: Callable[..., tuple[int, int]], plan: tuple, n_trials: int
    ) -> tuple[I64, I64, int, int, int] | None:
        """The incidents as the measurement's sort keys, laid out by trial and cell (a month;
        a catastrophe's, its trial's whole horizon, in the trial's first) by
        ``jit_draw.laid_part`` (``plan`` its) straight from the parts: the keys, each cell's
        first key (then the keys' count), the cells a trial, how many keys are -1 (dropped) and
        the latest first slot (what ``jit_measure.measure_laid`` reads). None where the columns
        are put together already (the measurement reads them), or there are no parts, or parts
        of cells other than their trial's horizon or the one count of months."""
        parts = self._parts
        cells = max((part.cells for part in parts), default=0)
        if self._joined is not None or not parts or any(p.cells not in (1, cells) for p in parts):
            return None
        counts = np.zeros((n_trials, cells), dtype=np.int64)
        for part in parts:
            if part.cells == cells:
                counts += part.counts.reshape(n_trials, cells)
            else:
                counts[:, 0] += part.counts
        offsets = np.zeros(n_trials * cells + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        keys = np.empty(max(1, int(offsets[-1])), dtype=np.int64)
        laid = (keys, offsets[:-1].copy(), cells)
        dropped, latest = 0, 0
        for part in parts:
            some, last = kernel(*_walked(part, self._limit_minutes), plan, laid)
            dropped, latest = dropped + some, max(latest, last)
        return keys, offsets, cells, dropped, latest


def _walk_parts(
    kernel: Callable[..., None], parts: list[Part], limit_minutes: float, rest: tuple
) -> None:
    """``kernel`` (a compiled walk of ``jit_draw``) on each part in turn, writing its incidents
    from where the part before left off; ``rest``: the kernel's arguments after the part's."""
    at = 0
    for part in parts:
        kernel(*_walked(part, limit_minutes), *rest, at)
        at += part.size


def _walked(part: Part, limit_minutes: float) -> tuple:
    """What a compiled walk of ``jit_draw`` reads of a part: its counts, cells, cells' spans,
    variates, the minutes' limit and its picks."""
    picks = tuple((p.uniforms, p.cdf, p.lookup) for p in (part.impact, part.cause, part.source))
    spans = (part.bounds, part.seconds)
    return (
        part.counts,
        part.cells,
        spans,
        (part.uniforms, part.starts, part.minutes),
        limit_minutes,
        picks,
    )


def _numpy_columns(parts: list[Part], limit_minutes: float) -> tuple[I64, ...]:
    trial: list[I64] = []
    start: list[I64] = []
    minutes: list[F64] = []
    impact: list[I64] = []
    cause: list[I64] = []
    source: list[I64] = []
    for part in parts:
        t, cell = cells_of(part.counts, part.cells)
        trial.append(t)
        if len(part.starts):
            start.append(part.starts)
        else:
            offset = part.uniforms * part.seconds[cell]
            start.append(part.bounds[cell] + np.floor(offset, out=offset).astype(np.int64))
        minutes.append(part.minutes)
        for column, pick in ((impact, part.impact), (cause, part.cause), (source, part.source)):
            if len(pick.uniforms):
                column.append(pick.lookup[picked(pick.uniforms, pick.cdf)])
            else:
                column.append(np.full(part.size, pick.lookup[0], dtype=np.int64))
    lasts = np.concatenate(minutes)
    lasts = np.minimum(lasts, limit_minutes, out=lasts)
    lasts *= 60
    seconds = np.rint(lasts, out=lasts).astype(np.int64)
    starts = np.concatenate(start)
    picks = (np.concatenate(c) for c in (impact, cause, source))
    return np.concatenate(trial), starts, starts + seconds, *picks


def cells_of(counts: I64, months: int) -> tuple[I64, I64]:
    """The trial and month of every incident, from the incidents drawn per (trial, month)
    cell, trial after trial: by the compiled loop (``jit_draw``) where numba runs, else by
    numpy (the reference)."""
    kernel = compiled_kernels.cells()
    if kernel is not None:
        return kernel(counts, months)
    cell = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    trial, month = np.divmod(cell, months)
    return trial, month
