"""Sensitivity on common random numbers: bars that match hand-computed and finite-difference
answers, a term at its base value moves nothing, and paired changes resolved far better than by
independent runs."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest

from slamodeler.domain.errors import ContractError, InputError
from slamodeler.domain.term_paths import with_term
from slamodeler.engine.redline import paid_per_year
from slamodeler.engine.sensitivity import TermRange, rounded, spider, spider_values, tornado
from slamodeler.engine.simulation import period_credits, simulate
from tests.helpers.builders import contract, scenario

BAND = "tiers[T].credits.bands[{}].credit_pct"
TRIALS = 2000


def test_each_bands_bar_is_its_percentage_of_the_fee_for_each_month_in_that_band():
    """One customer, fee 1000, no caps, every credit claimed: the mean credits a year are linear
    in each band's credit %, 10.00 per point for each month in the band, so a bar's ends are
    10 x (value - base) x the mean months a year in that band, counted from the base's own
    period credits. With ranges 10 points wide each, the bars are ordered by those counts."""
    terms, scen = contract(), scenario()
    ranges = [
        TermRange(BAND.format(0), 5, 15),
        TermRange(BAND.format(1), 20, 30),
        TermRange(BAND.format(2), 90, 100),
    ]
    found = tornado(terms, scen, ranges, TRIALS, 4)
    periods = period_credits(found.base, "T", slice(None))  # cents per trial and month
    months = {  # mean months a trial in each band (base credits 10%, 25%, 100% of 1000.00)
        0: (periods == 10_000).sum() / TRIALS,
        1: (periods == 25_000).sum() / TRIALS,
        2: (periods == 100_000).sum() / TRIALS,
    }
    assert min(months.values()) * TRIALS >= 5  # every band is hit
    bases = {0: 10, 1: 25, 2: 100}
    for bar in found.bars:
        band = int(bar.path.split("[")[2][0])
        for end in (bar.low, bar.high):
            expected = 10.0 * (float(end.value) - bases[band]) * months[band]
            assert end.mean_change == pytest.approx(expected, rel=1e-9, abs=1e-9)
    expected_order = sorted(months, key=lambda b: months[b], reverse=True)
    assert [b.path for b in found.bars] == [BAND.format(b) for b in expected_order]
    assert found.simulations == 1  # every variant re-priced


def test_the_ordering_matches_finite_differences_of_separate_simulations():
    """Each variant simulated on its own on the same seed gives the same ends, so the widths
    and their order are those of plain finite differences."""
    terms, scen = contract(), scenario()
    ranges = [
        TermRange(BAND.format(0), 0, 25),
        TermRange(BAND.format(1), 24, 26),
        TermRange("claims.claim_rate", 0.5, 1),
        TermRange("stress.frequency", 0.9, 1.1),
    ]
    found = tornado(terms, scen, ranges, TRIALS, 8)

    def mean_of(path: str, value: float) -> float:
        if path.startswith("stress"):
            run = simulate(terms, with_term(scen, path, value), TRIALS, 8)
        else:
            run = simulate(with_term(terms, path, rounded(Decimal(1), value)), scen, TRIALS, 8)
        return float(paid_per_year(run, None, 1).mean())

    widths = {r.path: abs(mean_of(r.path, r.high) - mean_of(r.path, r.low)) for r in ranges}
    for bar in found.bars:
        assert bar.width() == pytest.approx(widths[bar.path], rel=1e-9)
    assert [b.path for b in found.bars] == sorted(widths, key=widths.__getitem__, reverse=True)


def test_a_term_at_its_base_value_gives_a_bar_of_zero_width_exactly():
    terms, scen = contract(), scenario()
    ranges = [
        TermRange(BAND.format(1), 25, 25),
        TermRange("tiers[T].monthly_fee", 1000, 1000),
        TermRange("stress.frequency", 1, 1),
        TermRange("processes[platform].duration_minutes.median", 40, 40),
    ]
    found = tornado(terms, scen, ranges, TRIALS, 2)
    assert found.base_mean > 0
    for bar in found.bars:
        assert bar.width() == bar.width("p99") == 0.0
        for end in (bar.low, bar.high):
            assert end.mean_change == end.p99_change == end.mean_stderr == 0.0
            assert end.mean == found.base_mean and end.p99 == found.base_p99


def _independent_stderr(base, moved) -> float:
    """The standard error of the difference of two independent runs' means."""
    a, b = paid_per_year(base, None, 1), paid_per_year(moved, None, 1)
    return math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))


def test_paired_changes_are_resolved_far_better_than_by_independent_runs():
    """A credit % moved by one point is re-priced on the same draws: its paired standard error
    is at least 10 times smaller than that of two independent runs. A longer median duration
    is a new drawing on the same seed, which stretches the same incidents: at least 3 times.
    A higher incident rate draws other incidents from the same seed, so the pairing gains
    little, and the standard error reported says so (docs/user-guide.md)."""
    terms, scen = contract(), scenario()
    median = "processes[platform].duration_minutes.median"
    ranges = [
        TermRange(BAND.format(0), 10, 11),
        TermRange(median, 40, 42),
        TermRange("stress.frequency", 1, 1.05),
    ]
    found = {b.path: b for b in tornado(terms, scen, ranges, 4000, 5).bars}
    base = simulate(terms, scen, 4000, 5)
    credit = simulate(with_term(terms, BAND.format(0), 11), scen, 4000, 6)
    longer = simulate(terms, with_term(scen, median, 42), 4000, 6)
    more_often = simulate(terms, with_term(scen, "stress.frequency", 1.05), 4000, 6)
    assert 0 < found[BAND.format(0)].high.mean_stderr * 10 <= _independent_stderr(base, credit)
    assert 0 < found[median].high.mean_stderr * 3 <= _independent_stderr(base, longer)
    frequency = found["stress.frequency"].high.mean_stderr
    assert frequency == pytest.approx(_independent_stderr(base, more_often), rel=0.5)


def test_bars_can_be_ordered_by_p99_and_for_one_tier():
    terms = contract(
        tiers=[
            {**contract().model_dump(mode="json")["tiers"][0], "name": "A"},
            {**contract().model_dump(mode="json")["tiers"][0], "name": "B", "customers": 3},
        ]
    )
    ranges = [
        TermRange("tiers[A].monthly_fee", 500, 5000),
        TermRange("tiers[B].monthly_fee", 900, 1100),
    ]
    found = tornado(terms, scenario(), ranges, TRIALS, 3, tiers=["B"], order="p99")
    assert [b.path for b in found.bars] == ["tiers[B].monthly_fee", "tiers[A].monthly_fee"]
    assert found.bars[1].width() == 0.0  # A's fee does not touch B's credits
    whole = tornado(terms, scenario(), ranges, TRIALS, 3)
    assert whole.bars[0].path == "tiers[A].monthly_fee"
    assert found.bars[0].width("p99") >= found.bars[1].width("p99")


def test_a_spider_walks_the_range_and_meets_the_tornados_ends():
    terms, scen = contract(), scenario()
    term = TermRange("claims.claim_rate", 0.2, 1)
    found = spider(terms, scen, term, 5, TRIALS, 7)
    assert [p.value for p in found.points] == [
        Decimal(v) for v in ("0.2", "0.4", "0.6", "0.8", "1")
    ]
    means = np.array([p.mean for p in found.points])
    assert np.all(np.diff(means) > 0)
    bar = tornado(terms, scen, [term], TRIALS, 7).bars[0]
    assert (bar.low.mean, bar.high.mean) == (found.points[0].mean, found.points[-1].mean)
    assert found.points[-1].mean == found.base_mean  # every credit claimed in the base


def test_values_are_written_as_the_term_allows():
    assert rounded(Decimal("10"), 12.345678) == Decimal("12.3457")
    assert rounded(Decimal("10"), 10.00001) == Decimal("10")
    assert rounded(5, 7.6) == 8
    assert rounded(1.5, 0.1) == 0.1
    assert spider_values(3, 0, 2, 5) == [0, 1, 2]  # a count's steps, without repeats


def test_bad_ranges_name_the_term_and_the_fix():
    terms, scen = contract(), scenario()
    with pytest.raises(InputError, match=r"tiers\[T\]\.nope.*tiers\[T\]\.target_pct"):
        tornado(terms, scen, [TermRange("tiers[T].nope", 1, 2)], 10, 1)
    with pytest.raises(InputError, match=r"processes\[platform\]\.nope.*processes\[platform\]"):
        tornado(terms, scen, [TermRange("processes[platform].nope", 1, 2)], 10, 1)
    with pytest.raises(InputError, match="low 3 is above high 2"):
        tornado(terms, scen, [TermRange("claims.claim_rate", 3, 2)], 10, 1)
    with pytest.raises(ContractError, match="claim"):
        tornado(terms, scen, [TermRange("claims.claim_rate", 0.5, 1.5)], 10, 1)
    with pytest.raises(InputError, match="tier 'Z'"):
        tornado(terms, scen, [TermRange("claims.claim_rate", 0.5, 1)], 10, 1, tiers=["Z"])
    with pytest.raises(InputError, match="steps 1"):
        spider(terms, scen, TermRange("claims.claim_rate", 0.5, 1), 1, 10, 1)
