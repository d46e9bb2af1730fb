"""Incidents kept as columns: what an import of a million rows hands to replay without making a
million ``Incident`` objects. Times and source rows are arrays; the cells exports repeat
(impact, cause, service, region, zone) are codes into a table of their distinct values. An
``Incident`` is made only when one is looked at (an explanation names a few of them), and the
columns compare equal to any sequence of the same incidents."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.incidents import Incident

I32 = NDArray[np.int32]
I64 = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Coded:
    """A column as codes into ``values``, its distinct cells (a value may appear twice in
    ``values``: replay weighs and names each entry, so that costs nothing but a repeat)."""

    codes: I32
    values: tuple[Any, ...]

    @classmethod
    def of(cls, cells: Sequence[Any]) -> Coded:
        """The column of ``cells`` (hashable), numbered in the order they first appear."""
        # One pass of the dict gives each cell the row its value first appears in; those rows,
        # numbered in order, are the codes.
        first_row: dict[Any, int] = {}
        rows = map(first_row.setdefault, cells, itertools.count())
        found = np.fromiter(rows, np.int64, len(cells))
        number = np.zeros(len(cells), dtype=np.int32)
        number[list(first_row.values())] = np.arange(len(first_row), dtype=np.int32)
        return cls(number[found], tuple(first_row))

    def column(self) -> list[Any]:
        """The value of every row."""
        return list(map(self.values.__getitem__, self.codes.tolist()))

    def firsts(self) -> I64:
        """For each entry of ``values``, the first row that has it (-1 for none)."""
        first = np.full(len(self.values), -1, dtype=np.int64)
        codes, rows = np.unique(self.codes, return_index=True)  # the first index of each
        first[codes] = rows
        return first


TEXTS = ("cause", "service", "region", "zone")


class IncidentColumns(Sequence[Incident]):
    """Incidents in the order of their rows (``Incident`` field by field)."""

    def __init__(
        self,
        ids: list[str],
        start: I64,
        end: I64,
        impact: Coded,
        texts: dict[str, Coded],
        titles: list[str],
        rows: I64,
    ):
        self.ids = ids
        self.start = start
        self.end = end
        self.impact = impact
        self.cause, self.service = texts["cause"], texts["service"]
        self.region, self.zone = texts["region"], texts["zone"]
        self.titles = titles
        self.rows = rows

    @classmethod
    def of(cls, incidents: Sequence[Incident]) -> IncidentColumns:
        """The columns of incidents given one by one (returned as they are if columns)."""
        if isinstance(incidents, IncidentColumns):
            return incidents
        n = len(incidents)

        def ints(field: str) -> I64:
            return np.fromiter(map(attrgetter(field), incidents), np.int64, n)

        def coded(field: str) -> Coded:
            cells = list(map(attrgetter(field), incidents))
            if field == "impact":  # 0.3 and 0.30 are equal keys but not the same cell
                return Coded(np.arange(n, dtype=np.int32), tuple(cells))
            return Coded.of(cells)

        return cls(
            [x.id for x in incidents],
            ints("start"),
            ints("end"),
            coded("impact"),
            {field: coded(field) for field in TEXTS},
            [x.title for x in incidents],
            ints("row"),
        )

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, k: int) -> Incident: ...

    @overload
    def __getitem__(self, k: slice) -> tuple[Incident, ...]: ...

    def __getitem__(self, k: int | slice) -> Incident | tuple[Incident, ...]:
        if isinstance(k, slice):
            return tuple(self[i] for i in range(*k.indices(len(self))))
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError(k)
        return Incident(
            self.ids[k],
            int(self.start[k]),
            int(self.end[k]),
            self.impact.values[self.impact.codes[k]],
            self.cause.values[self.cause.codes[k]],
            self.service.values[self.service.codes[k]],
            self.region.values[self.region.codes[k]],
            self.titles[k],
            int(self.rows[k]),
            self.zone.values[self.zone.codes[k]],
        )

    def __iter__(self) -> Iterator[Incident]:
        return map(
            Incident,
            self.ids,
            self.start.tolist(),
            self.end.tolist(),
            self.impact.column(),
            self.cause.column(),
            self.service.column(),
            self.region.column(),
            self.titles,
            self.rows.tolist(),
            self.zone.column(),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(map(Incident.__eq__, self, other))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"IncidentColumns({list(self)!r})"

    def merged(self, other: IncidentColumns) -> IncidentColumns:
        """These incidents and ``other``'s, in the order of their rows."""
        if not len(other):
            return self
        if not len(self):
            return other
        order = np.argsort(np.concatenate((self.rows, other.rows)), kind="stable").tolist()

        def pick(a: list[Any], b: list[Any]) -> list[Any]:
            both = a + b
            return [both[k] for k in order]

        def coded(a: Coded, b: Coded) -> Coded:
            codes = np.concatenate((a.codes, b.codes + np.int32(len(a.values))))
            return Coded(codes[order], a.values + b.values)

        def ints(a: I64, b: I64) -> I64:
            return np.concatenate((a, b))[order]

        return IncidentColumns(
            pick(self.ids, other.ids),
            ints(self.start, other.start),
            ints(self.end, other.end),
            coded(self.impact, other.impact),
            {f: coded(getattr(self, f), getattr(other, f)) for f in TEXTS},
            pick(self.titles, other.titles),
            ints(self.rows, other.rows),
        )
