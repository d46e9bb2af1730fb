"""Incidents kept as columns (domain/incident_columns.py) give back the incidents they were made
of, in order, and compare equal to them; a coded column numbers its distinct cells in the order
they first appear."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from slamodeler.domain.incident_columns import Coded, IncidentColumns
from slamodeler.domain.incidents import Incident

NAMES = st.sampled_from(["", "a", "A", "b ", "maintenance"])
INCIDENTS = st.builds(
    Incident,
    id=st.text(max_size=3),
    start=st.integers(0, 10**9),
    end=st.integers(0, 10**9),
    impact=st.sampled_from(["full", "partial", Decimal("0.3"), Decimal("0.30")]),
    cause=NAMES,
    service=NAMES,
    region=NAMES,
    title=st.text(max_size=3),
    row=st.integers(2, 10**6),
    zone=NAMES,
)


@given(st.lists(NAMES | st.none()))
def test_a_coded_column_gives_back_its_cells_numbered_as_they_first_appear(cells):
    column = Coded.of(cells)
    assert column.column() == cells
    assert column.values == tuple(dict.fromkeys(cells))


@given(st.lists(INCIDENTS, max_size=8), st.lists(INCIDENTS, max_size=8))
def test_columns_give_back_their_incidents_and_merge_by_row(some, others):
    columns = IncidentColumns.of(some)
    assert columns == tuple(some) and tuple(some) == columns
    assert list(columns) == [columns[k] for k in range(len(some))] == some
    assert [str(x.impact) for x in columns] == [str(x.impact) for x in some]
    # each part in the order of its rows, as an import's lanes give them
    some = sorted({x.row: x for x in some}.values(), key=lambda x: x.row)
    others = sorted({x.row: x for x in others if x.row not in {y.row for y in some}}.values(),
                    key=lambda x: x.row)  # fmt: skip
    merged = IncidentColumns.of(some).merged(IncidentColumns.of(others))
    assert list(merged) == sorted(some + others, key=lambda x: x.row)
