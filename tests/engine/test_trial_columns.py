"""A run's per-trial arrays filled chunk by chunk (engine/trial_columns.py): what a worker packs
comes back exactly, whatever the values; each part lands in its own trials' rows, in whatever
order parts arrive; and a run's measured rows joined block by block out of order are those
joined in order."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from slamodeler.engine import simulation
from slamodeler.engine.simulation import JoinedRows, measure_chunk, row_columns
from slamodeler.engine.trial_columns import (
    STEP_SAMPLE,
    Constant,
    Packed,
    TrialColumns,
    constant,
    packed,
)
from tests.helpers.builders import contract, scenario

I64_MAX = np.iinfo(np.int64).max


def _unpacked(values: np.ndarray) -> np.ndarray:
    columns = TrialColumns(len(values))
    columns.put(("x",), 0, packed(values))
    return columns.taken(("x",), len(values))


@given(
    arrays(
        np.int64,
        st.tuples(st.integers(1, 300), st.integers(1, 3)),
        elements=st.one_of(st.integers(-1000, 70_000), st.integers(-I64_MAX, I64_MAX)),
    ),
    st.sampled_from([1, 7, 100_000, 10**12]),
)
def test_packed_integers_come_back_exactly(values, scale):
    values = np.where(np.abs(values) <= I64_MAX // scale, values * scale, values)
    found = _unpacked(values)
    assert found.dtype == np.int64
    np.testing.assert_array_equal(found, values)


def test_micro_minutes_travel_as_16_bit_multiples_of_their_common_step():
    # 65.9 h and 10 h of downtime, nothing: gcd(3,954,000,000, 600,000,000) = 6,000,000
    values = np.array([[0, 3_954_000_000], [600_000_000, 0]], dtype=np.int64)
    found = packed(values)
    assert isinstance(found, Packed)
    assert found.step == 6_000_000 and found.values.dtype == np.uint16
    assert found.values.tolist() == [[0, 659], [100, 0]]
    np.testing.assert_array_equal(_unpacked(values), values)


def test_a_step_the_sample_shows_but_a_later_value_breaks_is_not_used():
    values = np.full(STEP_SAMPLE + 1, 1000, dtype=np.int64)
    values[-1] = 1001  # past the values whose gcd is tried
    found = packed(values)
    assert isinstance(found, Packed) and found.step == 1 and found.values.dtype == np.uint16
    np.testing.assert_array_equal(_unpacked(values), values)


def test_a_sample_of_zeros_shows_no_step():
    values = np.zeros(STEP_SAMPLE + 2, dtype=np.int64)
    values[-1] = 5
    np.testing.assert_array_equal(_unpacked(values), values)


def test_arrays_that_need_every_bit_or_hold_nothing_go_as_they_are():
    wide = np.array([-I64_MAX, 3], dtype=np.int64)
    assert packed(wide) is wide
    empty = np.zeros((0, 12), dtype=np.int64)
    assert packed(empty) is empty


def test_parts_land_in_their_own_trials_in_any_order():
    columns = TrialColumns(10)
    for first in (6, 0, 3):  # trials 6-9, 0-2, 3-5
        rows = np.arange(first, first + (4 if first == 6 else 3), dtype=np.int64)
        columns.put(("t",), first, packed(rows * 100_000))
        columns.put(("flag",), first, rows % 2 == 0)
    assert columns.taken(("t",), 10).tolist() == [t * 100_000 for t in range(10)]
    assert columns.taken(("flag",), 10).tolist() == [t % 2 == 0 for t in range(10)]
    first_five = columns.taken(("t",), 5)
    assert first_five.tolist() == [t * 100_000 for t in range(5)]
    assert first_five.base is None  # a copy: the other trials' rows are not held


def test_a_column_of_one_value_travels_as_it_and_is_never_written():
    zeros = np.zeros(4, dtype=np.int64)
    found = constant(zeros)
    assert isinstance(found, Constant) and found.value == 0 and found.dtype == np.int64
    for values in (np.array([0, 1, 0]), np.array([2, 0, 0, 2]), np.zeros(0), np.zeros((2, 3))):
        assert constant(values) is values  # varies (at the ends or within); empty; 2-d
    columns = TrialColumns(10)
    for first in (5, 0):
        columns.put(("capped",), first, constant(np.zeros(5, dtype=np.int64)))
        columns.put(("hit",), first, constant(np.zeros(5, dtype=bool)))
    assert sorted(columns.names()) == [("capped",), ("hit",)]
    taken = columns.taken(("capped",), 10)
    assert taken.tolist() == [0] * 10 and taken.dtype == np.int64
    assert not taken.flags.writeable  # a view of the one value: nothing allocated per trial
    assert columns.taken(("hit",), 4).tolist() == [False] * 4


@pytest.mark.parametrize(
    "parts",
    [
        [np.full(3, 7), np.arange(3)],  # one value, then values
        [np.arange(3), np.full(3, 7)],  # values, then one value
        [np.full(3, 7), np.full(3, 9)],  # one value, then another
        [np.full(3, 9), np.full(3, 9)],  # the same value throughout
    ],
)
def test_parts_of_one_value_and_of_many_join_as_the_values_sent(parts):
    columns = TrialColumns(6)
    for first, values in zip((3, 0), parts, strict=True):  # the later trials first
        columns.put(("x",), first, constant(values.astype(np.int64)))
    expected = np.concatenate(parts[::-1])
    assert columns.taken(("x",), 6).tolist() == expected.tolist()
    assert columns.taken(("x",), 2).tolist() == expected[:2].tolist()


def test_trials_no_part_filled_are_refused_not_read():
    """A run stopped with a later chunk in and an earlier one not: its first trials up to the
    gap are there; the gap's rows were never written and are refused."""
    columns = TrialColumns(10)
    columns.put(("t",), 0, np.arange(3, dtype=np.int64))  # trials 0-2
    columns.put(("t",), 6, np.arange(6, 10, dtype=np.int64))  # trials 6-9; 3-5 never came
    columns.put(("c",), 0, constant(np.zeros(3, dtype=np.int64)))  # one value, alike
    columns.put(("c",), 6, constant(np.zeros(4, dtype=np.int64)))
    assert columns.taken(("t",), 3).tolist() == [0, 1, 2]
    for name in ("t", "c"):
        with pytest.raises(ValueError, match=rf"trials 3 to 7 of \('{name}',\) were never"):
            columns.taken((name,), 7)


def test_a_runs_blocks_joined_out_of_order_are_those_joined_in_order():
    terms = contract(tier={"incident_credits": {"longer_than_minutes": 10, "credit_pct": "5"}})
    scen = scenario()
    per_block = simulation.trials_per_block(scen)
    sizes = [per_block, per_block, 37]
    blocks = measure_chunk(
        (terms.model_dump_json(),), scen.model_dump_json(), 5, list(enumerate(sizes))
    )
    keys = list(blocks[0][1][0])

    def joined(order: list[int]) -> simulation.Measured:
        rows = JoinedRows(sum(sizes), per_block, plain=True)
        for block in order:
            rows.add_block(block, blocks[block][1][0])
        return rows.measured(sizes, keys, 12, sum(sizes))

    in_order, reversed_ = joined([0, 1, 2]), joined([2, 0, 1])
    for key in keys:
        expected = np.concatenate([row_columns(found[0])[(key, "downtime")] for _, found in blocks])
        np.testing.assert_array_equal(in_order.units[key].downtime, expected)
        for name, values in row_columns(in_order.units).items():
            np.testing.assert_array_equal(row_columns(reversed_.units)[name], values)
        assert in_order.units[key].incident_percent  # the per-incident credits came along
        assert reversed_.units[key].trial.tolist() == list(range(sum(sizes)))


def test_a_kept_chunk_sends_its_periods_packed_and_its_trials_without_saying():
    terms, scen = contract(), scenario()
    blocks = [(0, simulation.trials_per_block(scen)), (1, 300)]  # a full block, a last one
    chunk = simulation.price_chunk(
        (terms.model_dump_json(),), scen.model_dump_json(), 5, blocks, rows=True
    )
    assert chunk.first_trial == 0 and not chunk.measured  # every row is a trial's
    sent = chunk.rows[0]
    assert {name[1] for name in sent} == {"downtime", "excluded"}
    assert all(isinstance(v, Packed) and v.values.itemsize < 8 for v in sent.values())
