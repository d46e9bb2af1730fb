"""Which availability thresholds each measured period misses, for many tiers at once.

Every band and target of a schedule is a test "availability below (or at or below) t". Sorted
from the easiest to miss to the hardest, the tests nest: a period that misses one misses every
easier one. So one small number per period, how many of the sorted tests it misses, says which
of them it misses, and every band tier sharing the measurement reads its band from that number.

The number is found in floating point and is exact anyway: a period misses "below t" when its
unavailable fraction down / base exceeds r = 1 - t / 100, and correctly rounded division is
monotone, so comparing fl(down / base) with fl(r) can only be wrong where the two are equal.
Those periods (rare: the downtime sits exactly on a threshold) are tested again in integers.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.credit_schedules import Boundary
from slamodeler.domain.limits import MAX_THRESHOLDS
from slamodeler.engine.pricing import Availability

Test = tuple[Decimal, Boundary]  # availability threshold in percent, boundary
F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


def unavailable_fraction(base: I64, down: I64) -> F64:
    """down / base per period, 0 where nothing of the period counts (100% available)."""
    fraction = down / np.maximum(base, 1)
    empty = base == 0
    if empty.any():
        fraction[empty] = 0.0
    return fraction


def sorted_tests(tests: set[Test]) -> list[Test]:
    """Easiest to miss first: lower unavailable fraction, and "at or below" before "below"."""
    return sorted(tests, key=lambda t: (1 - Fraction(t[0]) / 100, t[1] == "below"))


def miss_codes(
    tests: list[Test], fraction: F64, exact_at: Callable[[I64, I64], Availability]
) -> NDArray[np.uint8]:
    """Per period, how many of ``tests`` (as sorted by ``sorted_tests``) it misses;
    ``exact_at(rows, columns)`` gives the exact availability of the periods tied with a cut."""
    distinct, code_of = code_table(tests)
    above = np.zeros(fraction.shape, dtype=np.uint8)  # distinct cuts strictly below
    for cut in distinct:
        above += fraction > cut
    # a period misses every test whose cut is below its fraction, unless it sits on a cut
    code = code_of[above]
    tied = np.append(distinct, np.inf)[above] == fraction
    if tied.any():
        rows, columns = np.nonzero(tied)
        code[rows, columns] = exact_codes(tests, exact_at(rows, columns))
    return code


def code_table(tests: list[Test]) -> tuple[F64, NDArray[np.uint8]]:
    """The distinct cuts of ``tests`` (as sorted by ``sorted_tests``), ascending, and per
    number of them strictly below a period's fraction, the period's code (when it sits on
    none)."""
    if len(tests) > MAX_THRESHOLDS:  # refused when the contract is validated
        raise ValueError("too many distinct thresholds to code in a byte")
    cuts = np.array([cut_of(threshold) for threshold, _ in tests])
    distinct = np.unique(cuts)
    code = np.searchsorted(cuts, distinct, side="right").astype(np.uint8)
    return distinct, np.concatenate((np.zeros(1, np.uint8), code))


def exact_codes(tests: list[Test], exact: Availability) -> NDArray[np.uint8]:
    """The codes of periods decided in integers: how many of ``tests`` each misses."""
    found = np.zeros(len(exact.base), dtype=np.uint8)
    for threshold, boundary in tests:
        found += exact.misses(threshold, boundary)
    return found


def cut_of(threshold: Decimal) -> float:
    """fl(1 - threshold / 100), correctly rounded from exact integers."""
    num, den = (100 - Fraction(threshold)).as_integer_ratio()
    return num / (100 * den)
