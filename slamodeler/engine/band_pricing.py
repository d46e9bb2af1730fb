"""Band schedules priced by counting, for all the band tiers that share one measurement.

Under a band schedule a period's credit depends only on which thresholds it misses, which
``threshold_codes`` condenses into one small code per period. Before the running caps, every
amount of a period (owed, after the period cap, issued, paid) is then a lookup in a table of a
few entries, and a trial's totals are its count of periods per code times that table: one pass
over the measured periods for all tiers, whatever their bands, fees and caps. Only the trials
where a yearly or liability cap can bind are walked period by period, as ``pricing`` does.

The result is identical to ``pricing.price_tier`` (a property test holds them together).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.contract import Contract, Tier
from slamodeler.domain.credit_schedules import BandSchedule, schedule_tests
from slamodeler.domain.money import scale_of
from slamodeler.engine import compiled_kernels, pricing, threads
from slamodeler.engine.horizon import Horizon
from slamodeler.engine.pricing import Availability, CreditTerms, TierPricing
from slamodeler.engine.threshold_codes import (
    Test,
    code_table,
    cut_of,
    exact_codes,
    miss_codes,
    sorted_tests,
    unavailable_fraction,
)

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]
# A matrix product of at most this many multiply-adds runs on the calling thread in OpenBLAS
# (numpy's BLAS; its GEMM_MULTITHREAD_THRESHOLD of 4 x 65,536): above, it wakes its own threads,
# which spin on cores the pricing threads already share (8x the CPU time of one thread, with the
# cores busy) for a product of a few amounts by a few codes per trial.
BLAS_ON_CALLER = 4 * 65_536


def counts_bands(tier: Tier) -> bool:
    """Whether a tier can be priced here: band credits of one fee for every period (the codes'
    amounts do not depend on the period)."""
    return (
        isinstance(tier.credits, BandSchedule) and tier.either_or is None and not tier.monthly_fees
    )


class CodedPeriods:
    """The measured periods of one unit, coded against the thresholds last priced: re-pricing
    under new percentages, fees or caps reuses the codes; moving a threshold codes again only
    the periods between its old and new place. The periods' unavailable fractions are kept from
    the second coding on (a threshold dragged in the editor codes them again and again), not
    for the simulation's first. One coding at a time: the desktop's views re-price one run on
    threads of their own, maybe against other thresholds, and a coding writes into arrays it
    holds as its own until it hands them out (never changed after)."""

    def __init__(self, downtime: I64, excluded: I64, horizon: Horizon, remove_excluded: bool):
        self.downtime, self.excluded, self.horizon = downtime, excluded, horizon
        self.remove_excluded = remove_excluded
        self.segment = _segments(horizon)
        self._tests: list[Test] = []
        self._fraction: F64 | None = None
        self._codings = 0
        self._lock = threading.Lock()

    def codes(self, tests: list[Test]) -> tuple[NDArray[np.uint8], NDArray[np.uint8], F64]:
        """Each period's code; each row's count of periods per segment and code; and per code
        and row (codes x rows, as floats for the product of ``row_sums``) over the whole
        horizon. Coded in chunks of rows, so temporaries stay small."""
        with self._lock:
            if tests != self._tests:
                hull = _moved_hull(self._tests, tests)
                if hull is None or not self._recode_between(tests, *hull):
                    self._code_all(tests)
                self._tests = tests
            return self._code, self._counts, self._total

    def _code_all(self, tests: list[Test]) -> None:
        """Every period coded, in chunks of rows on the threads."""
        n, n_periods = self.downtime.shape
        shape = (n, int(self.segment.max()) + 1, len(tests) + 1)
        self._code = np.empty((n, n_periods), dtype=np.uint8)
        self._counts = np.empty(shape, dtype=np.uint8)

        self._codings += 1
        keep = self._codings == 2
        if keep:
            self._fraction = np.empty((n, n_periods))

        kernel = compiled_kernels.codes()
        if kernel is not None:
            self._total = np.empty((shape[2], n))
            table = code_table(tests)

            def code(rows: slice) -> None:
                self._code_compiled(kernel, tests, table, rows, keep)

        else:

            def code(rows: slice) -> None:
                self._code[rows] = self._code_rows(tests, rows, keep)
                self._counts[rows] = _counts(self._code[rows], self.segment, shape[2])

        threads.over_rows(n, pricing.CHUNK_TRIALS, code)
        if kernel is None:
            self._total = np.ascontiguousarray(self._counts.sum(axis=1, dtype=np.float64).T)

    def _code_compiled(
        self,
        kernel: Callable[..., I64],
        tests: list[Test],
        table: tuple[F64, NDArray[np.uint8]],
        rows: slice,
        keep: bool,
    ) -> None:
        """``_code_rows`` and ``_counts`` of ``rows`` in one compiled pass
        (``jit_codes.code_periods``); the periods on a cut decided in integers after it."""
        down, excluded = self.downtime[rows], self.excluded[rows]
        fraction = self._fraction[rows] if self._fraction is not None else np.empty((0, 0))
        given = self._fraction is not None and not keep
        code, counts, total = self._code[rows], self._counts[rows], self._total[:, rows]
        measured = (down, excluded, self.horizon.period_micro, self.remove_excluded)
        tied = kernel(
            measured, (fraction, given, keep), *table, self.segment, (code, counts, total)
        )
        if not len(tied):
            return
        at, columns = np.divmod(tied, down.shape[1])
        base = self.horizon.period_micro[columns] - (
            excluded[at, columns] if self.remove_excluded else 0
        )
        found = exact_codes(tests, Availability(base, down[at, columns]))
        code[at, columns] = found
        np.add.at(counts, (at, self.segment[columns], found), 1)
        np.add.at(total, (found, at), 1)

    def _recode_between(self, tests: list[Test], low: float, high: float) -> bool:
        """Only a period whose fraction lies between the moved cuts (ties included) can miss
        a different number of tests: those are coded again, and their rows counted again, in
        new arrays, so that the codes handed out before stay as they were. False, with nothing
        done, before the fractions are kept or when so many periods lie between that coding
        them all is quicker."""
        fraction = self._fraction
        if fraction is None:
            return False
        between = ((fraction >= low) & (fraction <= high)).reshape(-1)
        if np.count_nonzero(between) > fraction.size // 8:
            return False
        at = np.flatnonzero(between)  # flat indices of (row, period), in order
        rows, columns = np.divmod(at, fraction.shape[1])
        down = self.downtime.take(at)
        base = self.horizon.period_micro[columns] - (
            self.excluded.take(at) if self.remove_excluded else 0
        )

        def exact_at(_: I64, k: I64) -> Availability:
            return Availability(base[k], down[k])

        new = miss_codes(tests, fraction.take(at)[None, :], exact_at)[0]
        old = self._code.take(at)
        changed = new != old
        at, rows = at[changed], rows[changed]
        code, counts, total = self._code.copy(), self._counts.copy(), self._total.copy()
        code.reshape(-1)[at] = new[changed]
        rows = rows[np.flatnonzero(np.diff(rows, prepend=-1))]  # each once (they are sorted)
        counts[rows] = _counts(code[rows], self.segment, counts.shape[2])
        total[:, rows] = counts[rows].sum(axis=1, dtype=np.float64).T
        self._code, self._counts, self._total = code, counts, total
        return True

    def _code_rows(self, tests: list[Test], rows: slice, keep: bool) -> NDArray[np.uint8]:
        down = self.downtime[rows]
        base = self.horizon.period_micro[None, :] - (
            self.excluded[rows] if self.remove_excluded else 0
        )
        base = np.broadcast_to(base, down.shape)

        def exact_at(r: I64, c: I64) -> Availability:
            return Availability(base[r, c], down[r, c])

        if self._fraction is None:
            fraction = unavailable_fraction(base, down)
        else:
            if keep:
                self._fraction[rows] = unavailable_fraction(base, down)
            fraction = self._fraction[rows]
        return miss_codes(tests, fraction, exact_at)


def price_band_tiers(
    contract: Contract, tiers: list[Tier], periods: CodedPeriods, tables: Tables | None = None
) -> list[Callable[[], TierPricing]]:
    """Band tiers measured alike, priced by counting (identical to ``pricing.price_tier``):
    the periods are coded now, and each tier gets a job that prices it, for any thread.
    ``tables``: the tiers' amounts per code kept from earlier calls (a run's chunks)."""
    tests = sorted_tests({test for tier in tiers for test in _tests(tier)})
    horizon = periods.horizon
    code, counts, total = periods.codes(tests)
    kept = Tables() if tables is None else tables
    return [
        functools.partial(
            kept.of(contract, tier, horizon, tests).price,
            code,
            counts,
            total,
            horizon,
            periods.segment,
        )
        for tier in tiers
    ]


class Tables:
    """Band tiers' amounts per code, kept across calls for one contract and horizon (a run's
    chunks), which they depend on with the tests coded alone: building them cost about a
    millisecond a tier. Tiers whose terms differ only in name and scope (a tier per region)
    share theirs. Asked for another contract or horizon (other objects), it starts again."""

    def __init__(self) -> None:
        self._terms: tuple[Contract, Horizon] | None = None
        self._kept: dict[tuple[str, tuple[Test, ...]], _Tables] = {}
        self._alike: dict[tuple[str, tuple[Test, ...]], _Tables] = {}  # by the tier's terms

    def of(self, contract: Contract, tier: Tier, horizon: Horizon, tests: list[Test]) -> _Tables:
        terms = self._terms
        if terms is None or terms[0] is not contract or terms[1] is not horizon:
            self._terms, self._kept, self._alike = (contract, horizon), {}, {}
        key = (tier.name, tuple(tests))
        found = self._kept.get(key)
        if found is None:
            alike = (tier.model_dump_json(exclude={"name", "scope"}), key[1])
            found = self._alike.get(alike)
            if found is None:
                found = self._alike[alike] = _Tables(contract, tier, horizon, tests)
            self._kept[key] = found
        return found


def _moved_hull(old: list[Test], new: list[Test]) -> tuple[float, float] | None:
    """The span of unavailable fractions between the cuts that changed, when as many tests
    changed as replaced them: outside it every period misses as many tests as before. None
    when the number of tests changed (then the codes of far periods change too)."""
    if not old or len(old) != len(new):
        return None
    cuts = [cut_of(threshold) for threshold, _ in set(old) ^ set(new)]
    return min(cuts), max(cuts)


def _tests(tier: Tier) -> set[Test]:
    schedule = tier.credits
    assert isinstance(schedule, BandSchedule)
    return {(tier.target_pct, schedule.boundary)} | set(schedule_tests(schedule))


def _segments(horizon: Horizon) -> I64:
    """Per period, its (contract year, term) pair numbered 0, 1...: the groups the running
    caps add up over."""
    pairs = list(zip(horizon.years, horizon.terms, strict=True))
    number = {pair: i for i, pair in enumerate(dict.fromkeys(pairs))}
    return np.array([number[pair] for pair in pairs], dtype=np.int64)


def _counts(code: NDArray[np.uint8], segment: I64, n_codes: int) -> NDArray[np.uint8]:
    """rows x segments x codes: how many periods of each segment of a row have each code."""
    n = len(code)
    n_segments = int(segment.max()) + 1
    key = (np.arange(n, dtype=np.int64)[:, None] * n_segments + segment[None, :]) * n_codes
    key = key + code
    found = np.bincount(key.ravel(), minlength=n * n_segments * n_codes)
    return found.astype(np.uint8).reshape(n, n_segments, n_codes)  # a segment is a year at most


def row_sums(columns: I64, total: F64, periods: int) -> I64:
    """``columns.T @ total``: per amount (row) and measured row (column), its sum over codes,
    where a row's counts add up to at most ``periods``.

    In float64, through BLAS, when no sum can reach 2**53: every partial sum is then an integer
    that float64 holds exactly, whatever order BLAS adds in. Otherwise in integers. A chunk of
    columns at a time, so that the float temporaries stay small, and small enough that BLAS
    runs it on the calling thread (``BLAS_ON_CALLER``). The bound is read from ``periods``,
    not from every count: a run of 50 tiers read the counts again for each."""
    largest = int(np.abs(columns).max(initial=0)) * periods
    if largest >= 2**53:
        return columns.T @ total.astype(np.int64)
    table = np.ascontiguousarray(columns.T, dtype=np.float64)
    out = np.empty((table.shape[0], total.shape[1]), dtype=np.int64)
    step = max(1, min(pricing.CHUNK_TRIALS, BLAS_ON_CALLER // max(1, table.size)))
    for start in range(0, total.shape[1], step):
        rows = slice(start, start + step)
        out[:, rows] = table @ total[:, rows]
    return out


class _Tables:
    """One tier's amounts per code, in minor units per customer, before the running caps."""

    def __init__(self, contract: Contract, tier: Tier, horizon: Horizon, tests: list[Test]):
        schedule = tier.credits
        assert isinstance(schedule, BandSchedule)
        boundary = schedule.boundary
        codes = np.arange(len(tests) + 1)
        scale = scale_of(band.credit_pct for band in schedule.bands)
        percent = np.zeros(len(codes), dtype=np.int64)
        for band in schedule.bands:  # later bands override earlier ones, as in pricing
            # a period misses sorted test k when its code is above k
            hit = codes > tests.index(band.upper_test(boundary))
            lower = band.lower_test()
            if lower is not None:
                hit &= codes <= tests.index(lower)
            percent[hit] = int(band.credit_pct * scale)
        self.terms = CreditTerms.of(contract, tier, horizon)
        # one fee for every period (counts_bands): the first period's
        fee, den = self.terms.fee_num[:1], self.terms.fee_den
        self.num, self.den = pricing.exact_owed(fee, den, percent, scale)
        self.owed = pricing.round_half_up(self.num, self.den)
        capped = self.num
        if self.terms.period_cap is not None:
            capped = np.minimum(capped, self.terms.period_cap[:1] * self.den)
        self.after_period = pricing.round_half_up(capped, self.den)
        self.capped_num = capped
        self.issued = np.where(self.after_period >= self.terms.min_credit, self.after_period, 0)
        self.paid = self.terms.paid(self.issued)
        self.missed = (codes > tests.index((tier.target_pct, boundary))).astype(np.int64)
        period_capped = (self.after_period < self.owed).astype(np.int64)
        # the per-code amounts side by side, so that one product gives a row's totals
        self.columns = np.stack(
            [self.owed, self.issued, self.paid, self.after_period, self.missed, period_capped],
            axis=1,
        )

    def price(
        self,
        code: NDArray[np.uint8],
        counts: NDArray[np.uint8],
        total: F64,
        horizon: Horizon,
        segment: I64,
    ) -> TierPricing:
        owed, issued, paid, after_period, missed, period_capped = row_sums(
            self.columns, total, code.shape[1]
        )
        capped_off = owed - after_period
        hit_year = np.zeros(len(owed), dtype=bool)
        hit_liability = np.zeros(len(owed), dtype=bool)

        def totals_by_group(columns: list[int]) -> I64:
            segments = sorted({int(segment[p]) for p in columns})
            if len(segments) == counts.shape[1]:
                return after_period
            return counts[:, segments, :].sum(axis=1, dtype=np.int64) @ self.after_period

        rows = self.terms.running_caps(horizon, totals_by_group)
        if rows.size:
            period_after = self.after_period[code[rows]]
            after_year, after_liability, issued_rows = pricing.sequential_caps(
                self.capped_num[code[rows]], self.den, horizon, self.terms
            )
            issued[rows] = issued_rows.sum(axis=1)
            paid[rows] = self.terms.paid(issued_rows).sum(axis=1)
            capped_off[rows] = owed[rows] - after_liability.sum(axis=1)
            hit_year[rows] = (after_year < period_after).any(axis=1)
            hit_liability[rows] = (after_liability < after_year).any(axis=1)
        return TierPricing(
            owed=owed,
            issued=issued,
            paid=paid,
            capped_off=capped_off,
            breach_periods=missed,
            hit_period_cap=period_capped > 0,
            hit_year_cap=hit_year,
            hit_liability_cap=hit_liability,
        )
