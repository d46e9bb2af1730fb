"""The compiled kernels (numba): the measurement's (its sweep, and the columns it reads of
drawn incidents), the drawing's bookkeeping and band pricing's coding of measured periods,
loaded on the simulation's first use, and any other (``compiled``: the CSV reader's), never at
start-up: numba and LLVM take about a second to import, and commands that do not need them must
not pay it (tests/cli/test_startup_imports.py).

The pure numpy (or Python) path stays the reference: a kernel is used only once it has compiled
and run on a small case; where numba is missing or cannot compile (an unusual platform, a frozen
app without its sources), the caller takes its other path with the same results. The
``SLAMODELER_NUMPY_KERNELS`` environment variable (any value) forces the other paths.

Every process that simulates loads the kernel once, each local or Dask worker among them: numba's
array maths would import scipy.linalg on the way, for a BLAS the kernels never call
(``_numba_without_blas``).
"""

from __future__ import annotations

import os
import sys
import threading
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

NUMPY_ONLY = "SLAMODELER_NUMPY_KERNELS"
I64 = NDArray[np.int64]

_lock = threading.Lock()
_loaded: dict[str, Any] = {}
load_seconds: dict[str, float] = {}  # how long each kernel took to import and compile or load


def compiled(name: str, load: Callable[[], Any]) -> Any:
    """What ``load`` gives (imports a kernel module and runs it on a small case) the first time
    ``name`` is asked for, kept; None where it fails (no numba, cannot compile) or the
    environment forces the other path."""
    with _lock:
        if name not in _loaded:
            began = time.perf_counter()
            _loaded[name] = None if os.environ.get(NUMPY_ONLY) else _quietly(load)
            load_seconds[name] = time.perf_counter() - began
        return _loaded[name]


def _quietly(load: Callable[[], Any]) -> Any:
    try:
        with warnings.catch_warnings():  # a cache it cannot write is not a reason to stop
            warnings.simplefilter("ignore")
            _numba_without_blas()
            return load()
    except Exception:  # no numba, or it cannot compile here: the other path gives the same
        return None


def measure() -> Callable[..., int] | None:
    """``jit_measure.measure_trials``, or None where it cannot run."""
    kernel: Callable[..., int] | None = compiled("measure", _measure)
    return kernel


def _measure() -> Callable[..., int]:
    from slamodeler.engine.jit_measure import MEASURED, measure_trials

    one, ten = np.zeros(1, dtype=np.int64), np.full(1, 10, dtype=np.int64)
    tables = (np.array([0, 10]), np.zeros(3, np.int64), np.zeros(3, np.bool_), one, 20)
    done = measure_trials(
        one,
        one,
        one + 1,
        ten,
        np.zeros(1, dtype=np.int8),
        ten,
        one,
        tables,
        (1, 0, -1),
        -1,
        np.zeros((3, 1, 1), np.int64),
    )
    if done != MEASURED:  # a kernel that cannot measure this is not loaded
        raise RuntimeError("the compiled measurement did not measure its small case")
    return measure_trials


def measure_over_base() -> tuple[Callable[..., Any], Callable[..., int]] | None:
    """``jit_measure.measure_marked`` and ``measure_changes`` (a base and rows over it), or
    None where they cannot run."""
    kernels: tuple[Callable[..., Any], Callable[..., int]] | None = compiled(
        "measure_over_base", _measure_over_base
    )
    return kernels


def _measure_over_base() -> tuple[Callable[..., Any], Callable[..., int]]:
    from slamodeler.engine.jit_measure import (
        IN_M,
        IN_NC,
        MEASURED,
        measure_changes,
        measure_marked,
    )

    one, ten = np.zeros(1, dtype=np.int64), np.full(1, 10, dtype=np.int64)
    tables = (np.array([0, 10]), np.zeros(3, np.int64), np.zeros(3, np.bool_), one, 20)
    columns = (one, one, one + 1, ten, np.zeros(1, dtype=np.int8))
    counted = np.full(1, IN_M | IN_NC, dtype=np.int64)  # class 0: downtime
    settings = (ten, counted, tables, (1, 0, -1), -1)
    totals = np.zeros((3, 1, 1), np.int64)
    done, *swept = measure_marked(*columns, *settings, totals)
    out = np.zeros((3, 1, 1), np.int64)
    row_first = np.array([0, 1], dtype=np.int64)
    if done == MEASURED:
        done = measure_changes(one, row_first, *columns[1:], *settings, (totals, *swept), out)
    if done != MEASURED or out[0, 0, 0] != 10:  # kernels that cannot measure this are not loaded
        raise RuntimeError("the compiled measurement of changes did not measure its small case")
    return measure_marked, measure_changes


def measure_laid() -> tuple[Callable[..., tuple[int, int]], Callable[..., None], tuple] | None:
    """``jit_draw.laid_part`` and ``jit_measure.measure_laid`` (drawn parts measured without
    their counted columns), and the sort keys' layout the walk writes and the sweep reads:
    (``START_AT``, ``STOP_AT``, ``LEVEL_AT``), the most slots and the most levels a key holds;
    or None where they cannot run. The walk is passed the layout as the tuple given here: any
    other type (a list) would compile it again on the first real run."""
    kernels: tuple[Callable[..., tuple[int, int]], Callable[..., None], tuple] | None = compiled(
        "measure_laid", _measure_laid
    )
    return kernels


def _measure_laid() -> tuple[Callable[..., tuple[int, int]], Callable[..., None], tuple]:
    from slamodeler.engine.jit_draw import laid_part
    from slamodeler.engine.jit_measure import (
        IN_M,
        IN_NC,
        LEVEL_AT,
        LEVEL_MASK,
        SLOT_MASK,
        START_AT,
        STOP_AT,
        measure_laid,
    )

    ints, floats = np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.float64)
    pick = (floats, floats, ints)
    none = np.zeros(0, dtype=np.int64)
    shifts = (START_AT, STOP_AT, LEVEL_AT)
    plan = ((0, 60, 20), 0, ints, np.full(1, IN_M | IN_NC, dtype=np.int64), shifts)
    keys, offsets = np.empty(1, dtype=np.int64), np.array([0, 1], dtype=np.int64)
    # one incident of 10 minutes at the horizon's start, in one cell of one trial
    variates = (floats, none, floats + 10)
    laid = (keys, offsets[:1].copy(), 1)
    laid_part(ints + 1, 1, (ints, ints + 1200), variates, 20.0, (pick,) * 3, plan, laid)
    tables = (np.array([0, 20]), np.zeros(3, np.int64), np.zeros(3, np.bool_), ints, 20)
    totals = np.zeros((3, 1, 1), np.int64)
    measure_laid(keys, offsets, 1, 0, 0, ints + 7, tables, (1, 0, -1), -1, totals)
    if totals[0, 0, 0] != 70:  # kernels that cannot measure this are not loaded
        raise RuntimeError("the compiled measurement of drawn parts did not measure its small case")
    return laid_part, measure_laid, (shifts, SLOT_MASK, LEVEL_MASK + 1)


def counted() -> Callable[..., tuple[I64, I64, I64, NDArray[np.int8]]] | None:
    """``jit_draw.counted_columns``, or None where it cannot run."""
    kernel: Callable[..., tuple[I64, I64, I64, NDArray[np.int8]]] | None = compiled(
        "counted", _counted
    )
    return kernel


def _counted() -> Callable[..., tuple[I64, I64, I64, NDArray[np.int8]]]:
    from slamodeler.engine.jit_draw import counted_columns

    one = np.zeros(1, dtype=np.int64)
    classes = np.zeros(1, dtype=np.int8)
    counted_columns(one, one + 60, one, one, one, classes, (0, 60, 1), 0)
    return counted_columns


def cells() -> Callable[[I64, int], tuple[I64, I64]] | None:
    """``jit_draw.cells_of``, or None where it cannot run."""
    kernel: Callable[[I64, int], tuple[I64, I64]] | None = compiled("cells", _cells)
    return kernel


def _cells() -> Callable[[I64, int], tuple[I64, I64]]:
    from slamodeler.engine.jit_draw import cells_of

    cells_of(np.ones(2, dtype=np.int64), 2)
    return cells_of


def parts() -> Callable[..., None] | None:
    """``jit_draw.fill_part``, or None where it cannot run."""
    kernel: Callable[..., None] | None = compiled("parts", _parts)
    return kernel


def _parts() -> Callable[..., None]:
    from slamodeler.engine.jit_draw import fill_part

    ints, floats = np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.float64)
    pick = (floats, floats, ints)
    out = tuple(np.zeros(1, dtype=np.int64) for _ in range(6))
    none = np.zeros(0, dtype=np.int64)
    fill_part(ints + 1, 1, (ints, ints + 60), (floats, none, floats), 1.0, (pick,) * 3, out, 0)
    return fill_part


def counted_parts() -> Callable[..., None] | None:
    """``jit_draw.counted_part``, or None where it cannot run."""
    kernel: Callable[..., None] | None = compiled("counted_parts", _counted_parts)
    return kernel


def _counted_parts() -> Callable[..., None]:
    from slamodeler.engine.jit_draw import counted_part

    ints, floats = np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.float64)
    pick = (floats, floats, ints)
    out = (*(np.zeros(1, dtype=np.int64) for _ in range(4)), np.zeros(1, dtype=np.int8))
    none = np.zeros(0, dtype=np.int64)
    plan = ((0, 60, 1), 0, ints, np.zeros(1, dtype=np.int8))
    variates = (floats, none, floats)
    counted_part(ints + 1, 1, (ints, ints + 60), variates, 1.0, (pick,) * 3, plan, out, 0)
    return counted_part


def codes() -> Callable[..., I64] | None:
    """``jit_codes.code_periods``, or None where it cannot run."""
    kernel: Callable[..., I64] | None = compiled("codes", _codes)
    return kernel


def _codes() -> Callable[..., I64]:
    from slamodeler.engine.jit_codes import code_periods

    ints = np.zeros((1, 1), dtype=np.int64)
    measured = (ints, ints, np.ones(1, dtype=np.int64), True)
    table = (np.zeros(1), np.zeros(2, np.uint8))
    # a slice of the rows' totals: not contiguous, unless one slice takes every row
    for total in (np.zeros((2, 2))[:, :1], np.zeros((2, 1))):
        out = (np.zeros((1, 1), np.uint8), np.zeros((1, 1, 2), np.uint8), total)
        code_periods(measured, (np.zeros((1, 1)), False, False), *table, np.zeros(1, np.int64), out)
    return code_periods


def _numba_without_blas() -> None:
    """Import numba's array maths without its look for a BLAS, which imports scipy.linalg (0.13
    of the 0.42 CPU seconds loading the kernel took a fresh worker) to decide whether ``np.dot``
    of float vectors in compiled code calls BLAS or loops: the kernels take no dot products.
    Every other use of BLAS by numba still looks for it (and imports scipy) when compiled.
    Nothing is changed where scipy.linalg or numba's array maths is already imported, or where
    numba is laid out otherwise."""
    if "scipy.linalg" in sys.modules or "numba.np.arraymath" in sys.modules:
        return
    from numba.np import linalg

    look = getattr(linalg, "ensure_blas", None)
    if look is None:
        return

    def no_blas() -> None:
        raise ImportError("not looked for: the compiled kernels take no dot products")

    linalg.ensure_blas = no_blas
    try:
        from numba.np import arraymath
    finally:
        linalg.ensure_blas = look
    arraymath.ensure_blas = look


def forget() -> None:
    """Load again on next use (tests switch the paths)."""
    with _lock:
        _loaded.clear()
        load_seconds.clear()
