"""A block's drawn incidents put together from its parts (a process, once per group of
customers, or a catastrophe), each drawn as variates: incidents per cell (a trial's month, or
its whole horizon), a uniform placing each in its cell, minutes, and uniforms picking an
impact, a cause and a source.

The compiled pass (``jit_draw.fill_part``) writes a part's trial, start, end, impact, cause and
source straight into the block's columns in one walk; numpy's steps (``cells_of``, the start's
and end's arithmetic, ``picked``: an array per step, the parts' joined at the end) stay the
reference it is tested against (tests/engine/test_compiled_draw.py) and the path where numba
cannot run. Only arithmetic is done here: every variate is drawn before, in the model's order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from slamodeler.engine import compiled_kernels

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
    at = 0
    for part in parts:
        picks = tuple((p.uniforms, p.cdf, p.lookup) for p in (part.impact, part.cause, part.source))
        kernel(
            part.counts,
            part.cells,
            (part.bounds, part.seconds),
            (part.uniforms, part.starts, part.minutes),
            limit_minutes,
            picks,
            out,
            at,
        )
        at += part.size
    return out


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
