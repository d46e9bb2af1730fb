"""The incident import's fast lane (slamodeler/io/incident_rows.py and ``FastRows``) decides
nothing of its own: on any rows it gives the incidents, problems and notes the per-cell rules
(``RowParser.parse``) give, row by row and column by column."""

from __future__ import annotations

import csv
import io
import math
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import IncidentSet
from slamodeler.io import incident_import
from slamodeler.io.incident_rows import coded, plain_texts, utc_seconds
from tests.helpers.incident_cells import IMPACTS, TEXTS, time_texts

ROWS = st.lists(
    st.tuples(
        TEXTS,
        time_texts(),
        time_texts(),
        st.sampled_from(["", "30", "1e9999", "NaN"]),
        IMPACTS,
        TEXTS,
        TEXTS,
        TEXTS,
    ).map(lambda row: (*row[:5], row[4], *row[5:]))  # the impact cell again, as the cause
    | st.just(("", "", "", "", "", "", "", "", "")),  # a blank row
    min_size=1,
    max_size=12,
)


def written(rows: list[tuple[str, ...]], bom: bool, tmp_path: Path) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(
        ["id", "start", "end", "duration_minutes", "impact", "cause", "service", "region", "title"]
    )
    writer.writerows(rows)
    path = tmp_path / "export.csv"
    path.write_text(("\ufeff" if bom else "") + out.getvalue(), encoding="utf-8", newline="")
    return path


def imported(path: Path, zone: str | None) -> IncidentSet | str:
    try:
        return incident_import.import_incidents(path, on_bad_row="skip", timezone=zone)
    except InputError as exc:
        return f"refused: {exc}"


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ROWS, st.booleans(), st.sampled_from([None, "UTC", "America/New_York"]))
@example([("a", "2024-02-30T10:00:00Z", "2024-03-01T10:00:00Z", "", "full", "")], False, None)
@example([("a", "2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z", "", "full", "")], False, None)
@example([("a", "2024-03-10 02:30:00Z", "2024-03-10T03:30:00+01:00", "", "0.3", "")], True, "UTC")
def test_the_fast_lane_gives_what_the_per_cell_rules_give(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows, bom: bool, zone: str | None
) -> None:
    path = written(rows, bom, tmp_path)
    fast = imported(path, zone)
    with monkeypatch.context() as patch:
        patch.setattr(incident_import, "_fast_lane", lambda parser, rows: None)
        per_cell = imported(path, zone)
    assert fast == per_cell


@given(st.lists(time_texts() | st.none() | st.integers(), max_size=30))
@example(["2024-02-29T23:59:59Z", "2023-02-29T10:00:00Z", "0000-01-01T00:00:00Z"])
@example(["9999-12-31T23:59:59Z", "0001-01-01 00:00:00Z", "2024-06-31T10:00:00Z"])
@example(["2024-01-01T24:00:00Z", "2024-01-01T23:60:00Z", "2024-01-01T23:59:60Z"])
def test_the_lane_reads_a_time_only_as_the_per_cell_rules_read_it(cells: list[object]) -> None:
    seconds, taken = utc_seconds(cells)
    for cell, value, ok in zip(cells, seconds.tolist(), taken.tolist(), strict=True):
        if ok:
            assert isinstance(cell, str)
            assert value == math.floor(datetime.fromisoformat(cell).timestamp())


def test_the_lane_takes_the_usual_form_and_a_space_for_the_t() -> None:
    seconds, taken = utc_seconds(
        [
            "2024-01-01T00:00:00Z",
            "2024-01-01 01:00:00Z",
            "2024-01-01T00:00Z",
            " 2024-01-01T00:00:00Z",
        ]
    )
    jan_1_2024 = 19723 * 86400  # 54 years after 1970 with 13 leap days
    assert taken.tolist() == [True, True, False, False]
    assert seconds[:2].tolist() == [jan_1_2024, jan_1_2024 + 3600]


def test_rows_the_lane_takes_and_rows_it_leaves_keep_their_order_and_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        ("A", "2024-01-01T10:00:00Z", "2024-01-01T11:00:00Z", "", "full", ""),
        ("B", "2024-01-02T10:00:00+01:00", "2024-01-02T11:00:00Z", "", "partial", ""),
        ("C", "2024-01-03T10:00:00Z", "2024-01-03T10:00:00Z", "", "full", ""),
        ("", "", "", "", "", ""),
        ("D", "2024-01-04T10:00:00Z", "2024-01-04T11:00:00Z", "", "severe", ""),
        ("E", "2024-01-05T10:00:00Z", "2024-01-05T11:00:00Z", "", "0.5", "Maintenance"),
        ("F", "2024-01-06 10:00:00Z", "2024-01-06T09:00:00Z", "", "full", ""),
    ]
    path = written(rows, False, tmp_path)
    taken = []
    lane = incident_import.FastRows

    def watched(parser, rows):
        found = lane(parser, rows)
        taken.extend(k not in found.left for k in range(rows.n))
        return found

    monkeypatch.setattr(incident_import, "FastRows", watched)
    fast = imported(path, None)
    assert taken == [True, False, False, False, False, True, False]
    assert isinstance(fast, IncidentSet)
    assert [x.id for x in fast.incidents] == ["A", "B", "C", "E"]
    assert [(i.row, i.column, i.kept) for i in fast.report.issues] == [
        (4, "end", True),
        (6, "impact", False),
        (8, "end", False),
    ]
    monkeypatch.setattr(incident_import, "_fast_lane", lambda parser, rows: None)
    assert imported(path, None) == fast


def test_text_cells_are_parsed_once_each_and_workbook_cells_each_on_its_own() -> None:
    seen = []

    def parse(value):
        seen.append(value)
        return str(value)

    texts = coded(["a", None, "a", "b", None], parse)
    assert texts.column() == ["a", "None", "a", "b", "None"]
    assert seen == ["a", None, "b"]
    seen.clear()
    numbers = coded(["1", 1, 1.0, True, -0.0, 0.0, "1", None, None], parse)
    assert numbers.column() == [*["1", "1", "1.0", "True", "-0.0", "0.0", "1", "None", "None"]]
    assert seen == ["1", 1, 1.0, True, -0.0, 0.0, "1", None, None]


@given(st.lists(TEXTS | st.sampled_from(["'x", " '=1", "\x00", "a\x00'b"]), max_size=8))
def test_texts_taken_a_column_at_once_are_what_each_cell_gives(cells: list[str]) -> None:
    for empty in (True, False):
        found = plain_texts(cells, empty)
        if found is not None:
            assert found == [incident_import.clean(c) or "" for c in cells]
            assert empty or all(found)
