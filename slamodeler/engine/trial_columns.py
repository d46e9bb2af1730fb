"""A run's per-trial arrays, written chunk by chunk as chunks come back, and chunks sent small.

A run on workers gets back, per chunk, each tier's totals per trial and, for a run kept for
re-pricing, each trial's measured periods. Joining them once every chunk is in (concatenating
hundreds of parts) left the submitting process copying alone, about 0.8 CPU s at 1M trials,
while its workers waited (issue 18). ``TrialColumns`` allocates each array once, for the run's
trials, and copies each chunk into its rows on arrival, in any order: while the workers
measure the next chunks.

A kept run's measured periods travel ``packed``: integers divided by their common step, in the
narrowest integer type that holds them, which the submitting process multiplies back into the
run's array as it copies: exactly the values sent, in a fourth of the bytes on the sample
(micro-minutes under impact weights in tenths are multiples of 100,000: 16 bits a period), so
that less is read from the pipe and unpickled. Totals travel as they are: packing a chunk's
per-trial columns cost the worker more than it saved the submitting process. Except a column of
one value throughout (``constant``: no cap hit in a tier whose caps never bind, no termination
right without a chronic-failure clause; 60 of the sample's 159 bytes of totals a trial), which
travels as that value and stays one in the run (a read-only view of it), never written: in one
process too, a run wrote those columns into arrays it faulted in page by page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

STEP_SAMPLE = 256  # the values whose greatest common divisor is tried as the step (then checked)


@dataclass(frozen=True)
class Packed:
    """An array as ``values * step``, ``values`` in a narrower integer type; ``dtype``: the
    array's own."""

    values: NDArray[np.integer]
    step: int
    dtype: np.dtype

    def __len__(self) -> int:
        return len(self.values)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.values.shape

    def into(self, out: NDArray) -> None:
        """The array, written into ``out`` (of its shape and ``dtype``)."""
        if self.step == 1:
            np.copyto(out, self.values)
        else:
            np.multiply(self.values, np.asarray(self.step, dtype=out.dtype), out=out)


@dataclass(frozen=True)
class Constant:
    """A column of ``length`` rows of ``value`` (a numpy scalar: the column's type)."""

    value: np.generic
    length: int

    def __len__(self) -> int:
        return self.length

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.length,)

    @property
    def dtype(self) -> np.dtype:
        return self.value.dtype

    def into(self, out: NDArray) -> None:
        out[...] = self.value


Column = NDArray | Packed | Constant


def constant(values: NDArray) -> Column:
    """A column of one value as a ``Constant``; any other as it is (checked at both ends first,
    then throughout)."""
    if values.ndim != 1 or not len(values) or values[0] != values[-1]:
        return values
    if (values != values[0]).any():
        return values
    return Constant(values[0], len(values))


def unpacked(values: Column) -> NDArray:
    """A column's array: as it is, or made from what is packed or of one value."""
    if isinstance(values, np.ndarray):
        return values
    out = np.empty(values.shape, dtype=values.dtype)
    values.into(out)
    return out


def packed(values: NDArray[np.integer]) -> Column:
    """Integers packed where that saves bytes; as they are otherwise (empty, or needing all
    their bits)."""
    if not values.size:
        return values
    step = max(1, int(np.gcd.reduce(values.ravel()[:STEP_SAMPLE])))  # 0: a sample of zeros
    ints = values // step if step > 1 else values
    if step > 1 and not np.array_equal(ints * step, values):  # a step of the sample only
        step, ints = 1, values
    narrow = np.result_type(np.min_scalar_type(ints.min()), np.min_scalar_type(ints.max()))
    if narrow.itemsize >= values.dtype.itemsize:
        return values
    return Packed(ints.astype(narrow), step, values.dtype)


class TrialColumns:
    """Arrays of a row per trial (and any further axes) for ``trials`` trials, each allocated
    at its first part (its first not of the one value of the parts before it: ``Constant``)
    and filled part by part at the part's trials, in any order; a row no part filled holds
    nothing meaningful, so a run that stopped early takes its first rows, and taking a row no
    part filled is an error, never memory left as it was allocated. A column whose every part
    is the same ``Constant`` is never allocated."""

    def __init__(self, trials: int) -> None:
        self.trials = trials
        self._arrays: dict[tuple, NDArray] = {}
        self._constants: dict[tuple, np.generic] = {}  # columns of one value so far
        self._filled: dict[tuple, list[tuple[int, int]]] = {}  # each part's first and end trial

    def put(self, name: tuple, first_trial: int, values: Column) -> None:
        """``values``' rows at trials ``first_trial`` on."""
        self._filled.setdefault(name, []).append((first_trial, first_trial + len(values)))
        array = self._arrays.get(name)
        if array is None:
            if isinstance(values, Constant):
                held = self._constants.setdefault(name, values.value)
                if held == values.value:
                    return
            array = np.empty((self.trials, *values.shape[1:]), dtype=values.dtype)
            if name in self._constants:  # its parts so far, of another value
                array[...] = self._constants.pop(name)
            self._arrays[name] = array
        rows = array[first_trial : first_trial + len(values)]
        if isinstance(values, np.ndarray):
            rows[...] = values
        else:
            values.into(rows)

    def put_all(self, first_trial: int, columns: Mapping[tuple, Column]) -> None:
        for name, values in columns.items():
            self.put(name, first_trial, values)

    def names(self) -> list[tuple]:
        return [*self._arrays, *self._constants]

    def taken(self, name: tuple, trials: int) -> NDArray:
        """The array of the first ``trials`` trials (a copy when fewer than all, so that the
        rest is freed); a column of one value, a read-only view of it."""
        reached = 0
        for first, end in sorted(self._filled[name]):
            if first > reached:
                break
            reached = max(reached, end)
        if reached < trials:
            raise ValueError(f"trials {reached} to {trials} of {name} were never filled")
        if name in self._constants:
            return np.broadcast_to(self._constants[name], (trials,))
        array = self._arrays[name]
        return array if trials == self.trials else array[:trials].copy()
