"""Incident import (slamodeler/io/incident_import.py, slamodeler/domain/import_mapping.py).

Expected values are worked out by hand (epoch seconds checked with calendar.timegm, an oracle that
does not share the importer's datetime.fromisoformat path) or read from the raw CSV text with the
csv module, never recomputed the way the importer does it.
"""

from __future__ import annotations

import calendar
import csv
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from slamodeler.domain.errors import InputError, UndecodableTextError
from slamodeler.domain.import_mapping import ColumnMapping
from slamodeler.io.incident_import import import_incidents, load_mapping
from tests.helpers.builders import ts
from tests.helpers.paths import MAPPINGS, SHARED_DATA

CLOUD = SHARED_DATA / "cloud_provider_status_incidents_2018_2020.csv"
GITHUB = SHARED_DATA / "github_status_incidents_2022_2026.csv"
CLOUD_MAPPING = MAPPINGS / "cloud_status_2018_2020.yaml"
GITHUB_MAPPING = MAPPINGS / "github_status_2022_2026.yaml"

needs_data = pytest.mark.skipif(
    not SHARED_DATA.is_dir(),
    reason=f"real incident data not found at {SHARED_DATA} (shared/ beside the checkout)",
)

# 2024-01-01T00:00:00Z: 54 years after 1970 with 13 leap days (1972..2020) = 19723 days.
JAN_1_2024 = 19723 * 86400
assert calendar.timegm((2024, 1, 1, 0, 0, 0)) == JAN_1_2024
HOUR = 3600


def epoch(text: str) -> int:
    """'2022-03-26T01:43:00Z' -> epoch seconds, through time.strptime and calendar.timegm."""
    return calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def mapping_file(tmp_path: Path, text: str, name: str = "mapping.yaml") -> Path:
    return write(tmp_path, name, text)


def raw_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Data rows with their line numbers, read with the csv module alone."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return [(reader.line_num, row) for row in reader]


def by_reason(issues, needle: str) -> set[int]:
    return {i.row for i in issues if needle in i.reason}


# ---------------------------------------------------------------------------------------------
# The two real exports, with their shipped mappings


def refused_import(path: Path, mapping: ColumnMapping | None = None) -> str:
    """The message importing ``path`` (with ``mapping``) is refused with."""
    with pytest.raises(InputError) as err:
        import_incidents(path, mapping)
    return str(err.value)


@needs_data
@pytest.mark.parametrize(
    ("data", "mapping", "n_rows"),
    [(CLOUD, CLOUD_MAPPING, 1031), (GITHUB, GITHUB_MAPPING, 1248)],
    ids=["cloud", "github"],
)
def test_every_row_of_a_real_export_is_used_or_reported(data, mapping, n_rows):
    rows = raw_rows(data)
    # The README's counts, and one record per physical line (no quoted newlines), so the csv
    # module's data rows are lines 2..N+1 of the file.
    assert len(rows) == n_rows
    assert [line for line, _ in rows] == list(range(2, n_rows + 2))
    assert len(data.read_text(encoding="utf-8").splitlines()) == n_rows + 1

    result = import_incidents(data, load_mapping(mapping), on_bad_row="skip")
    report = result.report
    used = [i.row for i in result.incidents]
    rejected = [i.row for i in report.rejected]
    assert report.rows_read == n_rows
    assert report.used == len(used)
    assert len(used) + len(rejected) == n_rows
    assert set(used).isdisjoint(rejected)
    assert set(used) | set(rejected) == set(range(2, n_rows + 2))
    # Every rejected row says why, in which column.
    assert all(issue.reason for issue in report.rejected)
    # The default (reject) mode accepts both files as they are: nothing in them is unusable.
    assert report.rejected == ()
    strict = import_incidents(data, load_mapping(mapping))
    assert len(strict.incidents) == n_rows


@needs_data
@pytest.mark.parametrize(
    ("data", "mapping", "expected_zero"),
    [(CLOUD, CLOUD_MAPPING, {912, 966, 1016}), (GITHUB, GITHUB_MAPPING, None)],
    ids=["cloud", "github"],
)
def test_zero_duration_rows_are_used_with_a_note(data, mapping, expected_zero):
    zero = {line for line, row in raw_rows(data) if row["start_utc"] == row["end_utc"]}
    if expected_zero is None:
        assert len(zero) == 22  # the README: "22 rows have zero duration"
    else:
        assert zero == expected_zero
    result = import_incidents(data, load_mapping(mapping))
    notes = [n for n in result.report.notes if "zero duration" in n.reason]
    assert {n.row for n in notes} == zero
    assert all(n.column == "end_utc" for n in notes)
    incidents = {i.row: i for i in result.incidents}
    assert all(incidents[r].start == incidents[r].end for r in zero)
    summary = "\n".join(result.report.summary_lines())
    assert f"{len(zero)} row(s) used, note: end_utc: zero duration" in summary


@needs_data
def test_cloud_export_empty_impacts_are_reported_as_taken_as_full():
    rows = raw_rows(CLOUD)
    assert all(row["impact"] == "" for _, row in rows)  # the README: the source has no impact
    result = import_incidents(CLOUD, load_mapping(CLOUD_MAPPING))
    taken = [n for n in result.report.notes if n.reason == "impact empty: taken as full"]
    assert {n.row for n in taken} == set(range(2, 1031 + 2))
    assert {i.impact for i in result.incidents} == {"full"}
    assert {i.cause for i in result.incidents} == {""}
    assert "1031 row(s) used, note: impact: impact empty: taken as full" in "\n".join(
        result.report.summary_lines()
    )


@needs_data
def test_cloud_export_spot_checks_against_the_raw_text():
    incidents = {i.row: i for i in import_incidents(CLOUD, load_mapping(CLOUD_MAPPING)).incidents}
    # Line 2: GCP,Cloud Spanner,Multi-region,2018-01-03T20:45:46Z,2018-01-03T21:26:59Z,41.2
    first = incidents[2]
    assert (first.start, first.end) == (1515012346, 1515014819)
    assert first.end - first.start == 41 * 60 + 13  # 20:45:46 -> 21:26:59
    assert (first.service, first.region, first.impact) == ("Cloud Spanner", "Multi-region", "full")
    assert first.id == "row 2"  # the file has no id column
    assert first.title.startswith("Cloud Spanner issues from 12:45 to 13:26 Pacific")
    # Line 3: AWS, Amazon Elastic Load Balancing, N. Virginia, 21:53:00Z -> 22:29:00Z (36 min)
    elb = incidents[3]
    assert (elb.start, elb.end) == (1515016380, 1515018540)
    assert elb.end - elb.start == 36 * 60
    assert (elb.service, elb.region) == ("Amazon Elastic Load Balancing", "N. Virginia")
    # Line 912: zero duration, 2020-08-20T04:15:00Z
    assert incidents[912].start == incidents[912].end == epoch("2020-08-20T04:15:00Z")


@needs_data
def test_github_export_spot_checks_against_the_raw_text():
    result = import_incidents(GITHUB, load_mapping(GITHUB_MAPPING))
    incidents = {i.row: i for i in result.incidents}
    # Line 2: Codespaces,global,2022-03-26T01:43:00Z,2022-03-26T03:35:00Z,112.0,degraded,,
    codespaces = incidents[2]
    assert (codespaces.start, codespaces.end) == (1648258980, 1648265700)
    assert codespaces.end - codespaces.start == 112 * 60
    assert (codespaces.impact, codespaces.cause) == ("degraded", "")
    assert (codespaces.service, codespaces.region, codespaces.id) == (
        "Codespaces",
        "global",
        "9632825",
    )
    # Line 3: maintenance, cause maintenance, 12:01 -> 15:02 (181 min); the mapping reads the
    # impact "maintenance" as a full outage.
    migration = incidents[3]
    assert (migration.start, migration.end) == (1648468860, 1648479720)
    assert (migration.impact, migration.cause) == ("full", "maintenance")
    assert migration.service == "GitHub (component not stated)"
    assert migration.title == "Migrations to GitHub are Paused"
    # Line 314: Actions, degraded, third_party, 2023-06-29T14:51:00Z -> 17:19:00Z (148 min)
    actions = incidents[314]
    assert (actions.impact, actions.cause, actions.id) == ("degraded", "third_party", "17720747")
    assert actions.end - actions.start == 148 * 60
    # Line 583: zero duration, Pull Requests, 2024-08-06T18:30:00Z
    assert incidents[583].start == incidents[583].end == epoch("2024-08-06T18:30:00Z")
    assert incidents[583].service == "Pull Requests"


@needs_data
def test_github_export_every_row_matches_its_raw_text():
    """Each incident against its own line, with the csv module and calendar.timegm as oracle."""
    incidents = {i.row: i for i in import_incidents(GITHUB, load_mapping(GITHUB_MAPPING)).incidents}
    word = {"full": "full", "partial": "partial", "degraded": "degraded", "none": "none"}
    word["maintenance"] = "full"
    for line, row in raw_rows(GITHUB):
        incident = incidents[line]
        assert incident.start == epoch(row["start_utc"]), line
        assert incident.end == epoch(row["end_utc"]), line
        # duration_minutes is rounded to 0.1 minute in the file
        assert abs((incident.end - incident.start) / 60 - float(row["duration_minutes"])) <= 0.05
        assert incident.impact == word[row["impact"]], line
        assert incident.cause == row["cause_category"], line
        assert (incident.service, incident.region) == (row["service"], row["region"]), line
        assert incident.id == row["incident_id"], line
    counts = import_incidents(GITHUB, load_mapping(GITHUB_MAPPING)).impact_labels()
    # The README: maintenance is posted 18 times; the others as in the file.
    raw = [row["impact"] for _, row in raw_rows(GITHUB)]
    assert raw.count("maintenance") == 18
    assert counts["full"] == raw.count("full") + 18


# ---------------------------------------------------------------------------------------------
# Column mapping


def test_headers_that_differ_are_named_in_the_mapping(tmp_path):
    data = write(
        tmp_path,
        "itsm.csv",
        "Ticket,Opened (UTC),Closed (UTC),Severity,Root cause,Component,Zone,Short text\n"
        "INC42,2024-01-01T00:00:00Z,2024-01-01T02:30:00Z,Sev1,Planned,Compute,eu-1,Disk array\n"
        "INC43,2024-01-02T10:00:00Z,2024-01-02T10:45:00Z,sev2, vendor ,Storage,eu-2,Slow\n",
    )
    mapping = load_mapping(
        mapping_file(
            tmp_path,
            "columns:\n"
            "  id: Ticket\n  start: Opened (UTC)\n  end: closed (utc)\n  impact: Severity\n"
            "  cause: Root cause\n  service: Component\n  region: Zone\n  title: Short text\n"
            "impact_labels: {SEV1: full, Sev2: 0.5}\n"
            "cause_labels: {planned: maintenance, Vendor: third_party}\n",
        )
    )
    result = import_incidents(data, mapping)
    first, second = result.incidents
    assert (first.id, first.start, first.end) == ("INC42", JAN_1_2024, JAN_1_2024 + 150 * 60)
    assert (first.impact, first.cause, first.service, first.region, first.title) == (
        "full",
        "maintenance",
        "Compute",
        "eu-1",
        "Disk array",
    )
    assert second.start == JAN_1_2024 + 34 * HOUR  # 2024-01-02 10:00
    assert second.end - second.start == 45 * 60
    assert (second.impact, second.cause) == (Decimal("0.5"), "third_party")
    assert result.report.issues == ()


def test_aliases_find_common_headers_without_a_mapping(tmp_path):
    data = write(
        tmp_path,
        "export.csv",
        "Number,Started_At,Resolved_At,Severity_Weight,Category,Component,Location,Summary\n"
        "7,2024-01-01T06:00:00Z,2024-01-01T07:00:00Z,partial,customer,API,us,Timeouts\n",
    )
    (incident,) = import_incidents(data).incidents
    assert (incident.id, incident.start, incident.end) == (
        "7",
        JAN_1_2024 + 6 * HOUR,
        JAN_1_2024 + 7 * HOUR,
    )
    assert (incident.impact, incident.cause, incident.service, incident.region) == (
        "partial",
        "customer",
        "API",
        "us",
    )
    assert incident.title == "Timeouts"


def test_a_duration_column_instead_of_an_end(tmp_path):
    data = write(
        tmp_path,
        "durations.csv",
        "start,duration,impact\n"
        "2024-01-01T00:00:00Z,90,full\n"
        "2024-01-01T12:00:00Z,1.25,full\n"  # 75 seconds
        "2024-01-01T18:00:00Z,0,full\n",
    )
    result = import_incidents(data)
    a, b, c = result.incidents
    assert (a.start, a.end) == (JAN_1_2024, JAN_1_2024 + 5400)
    assert (b.start, b.end) == (JAN_1_2024 + 12 * HOUR, JAN_1_2024 + 12 * HOUR + 75)
    assert c.start == c.end == JAN_1_2024 + 18 * HOUR
    assert [(n.row, "zero duration" in n.reason) for n in result.report.notes] == [(4, True)]


def test_an_end_wins_over_a_duration_and_a_missing_pair_is_reported(tmp_path):
    data = write(
        tmp_path,
        "both.csv",
        "start,end,duration_minutes,impact\n"
        "2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,,full\n"
        "2024-01-01T00:00:00Z,,30,full\n"
        "2024-01-01T00:00:00Z,,,full\n"
        "2024-01-01T00:00:00Z,,-5,full\n"
        "2024-01-01T00:00:00Z,,ten,full\n",
    )
    result = import_incidents(data, on_bad_row="skip")
    assert [i.end - i.start for i in result.incidents] == [3600, 1800]
    reasons = {i.row: i.reason for i in result.report.rejected}
    assert reasons[4] == "no end and no duration (still open?)"
    assert "'-5' is not a duration" in reasons[5]
    assert "'ten' is not a number" in reasons[6]


def test_a_semicolon_delimited_export(tmp_path):
    data = write(
        tmp_path,
        "excel_de.csv",
        "id;start;end;impact;service\n"
        "A;2024-03-01T10:00:00+01:00;2024-03-01T11:30:00+01:00;partial;Web, EU\n",
    )
    (incident,) = import_incidents(data).incidents
    # 2024-03-01 is day 31 + 29 = 60 of the year; 10:00+01:00 is 09:00Z
    assert incident.start == JAN_1_2024 + 60 * 86400 + 9 * HOUR
    assert incident.end - incident.start == 90 * 60
    assert (incident.id, incident.impact, incident.service) == ("A", "partial", "Web, EU")


def test_a_utf8_bom_from_excel_does_not_hide_the_first_header(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(
        "start,end,impact\n2024-01-01T00:00:00Z,2024-01-01T00:10:00Z,full\n".encode("utf-8-sig")
    )
    (incident,) = import_incidents(path).incidents
    assert (incident.start, incident.end) == (JAN_1_2024, JAN_1_2024 + 600)


def test_xlsx_with_datetime_cells_and_a_time_zone(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["nothing to see here"])
    sheet = book.create_sheet("Incidents")
    sheet.append(["Key", "Opened", "Closed", "Minutes", "Impact", "Service"])
    # Berlin is +01:00 in January and +02:00 (CEST) in July.
    sheet.append(
        ["X-1", datetime(2024, 1, 15, 12, 0), datetime(2024, 1, 15, 13, 30), None, 1, "DB"]
    )
    sheet.append(["X-2", datetime(2024, 7, 1, 12, 0), None, 45.5, 0.25, "DB"])
    sheet.append([None, None, None, None, None, None])  # an empty row
    sheet.append(["X-3", "2024-07-02T00:00:00Z", "2024-07-02T00:05:00Z", None, "degraded", "DB"])
    path = tmp_path / "incidents.xlsx"
    book.save(path)
    mapping = ColumnMapping(
        columns={"id": "Key", "start": "Opened", "end": "Closed", "duration_minutes": "Minutes"},
        sheet="Incidents",
    )
    result = import_incidents(path, mapping, timezone="Europe/Berlin")
    x1, x2, x3 = result.incidents
    # 2024-01-15 12:00 CET = 11:00Z; day 14 of the year
    assert (x1.start, x1.end) == (
        JAN_1_2024 + 14 * 86400 + 11 * HOUR,
        JAN_1_2024 + 14 * 86400 + 12 * HOUR + 1800,
    )
    assert x1.impact == Decimal(1)
    # 2024-07-01 is day 182 (leap year: 31+29+31+30+31+30); 12:00 CEST = 10:00Z; +45.5 min
    assert x2.start == JAN_1_2024 + 182 * 86400 + 10 * HOUR
    assert x2.end - x2.start == 45 * 60 + 30
    assert x2.impact == Decimal("0.25")
    # A text cell with Z is taken as it is, not in Berlin time.
    assert x3.start == JAN_1_2024 + 183 * 86400
    assert [i.row for i in result.incidents] == [2, 3, 5]
    assert result.report.rows_read == 3


def test_xlsx_missing_sheet_and_corrupt_workbook(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["start", "end"])
    path = tmp_path / "one.xlsx"
    book.save(path)
    with pytest.raises(InputError, match=r"no sheet 'Incidents'; sheets are Sheet"):
        import_incidents(path, ColumnMapping(sheet="Incidents"))
    junk = write(tmp_path, "junk.xlsx", "this is not a zip file\n")
    with pytest.raises(InputError, match=r"junk\.xlsx: not a readable XLSX workbook"):
        import_incidents(junk)


def test_naive_timestamps_need_a_zone(tmp_path):
    data = write(
        tmp_path,
        "naive.csv",
        "start,end,impact\n2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,full\n"
        "2024-01-01 09:00,2024-01-01 10:00,full\n",
    )
    message = refused_import(data)
    assert "--timezone" in message
    assert "(rows 3)" in message
    skipped = import_incidents(data, on_bad_row="skip")
    (issue,) = skipped.report.rejected
    assert (issue.row, issue.column) == (3, "start")
    assert "--timezone" in issue.reason
    # Given a zone (here from the mapping), naive times are local: 09:00 in Tokyo is 00:00Z.
    tokyo = import_incidents(data, ColumnMapping(timezone="Asia/Tokyo"))
    assert [(i.start, i.end) for i in tokyo.incidents] == [
        (JAN_1_2024, JAN_1_2024 + HOUR),
        (JAN_1_2024, JAN_1_2024 + HOUR),
    ]


def test_offsets_and_z_are_taken_as_they_are_whatever_the_zone(tmp_path):
    data = write(
        tmp_path,
        "offsets.csv",
        "start,end,impact\n"
        "2024-03-01T14:05:00Z,2024-03-01T15:05:00Z,full\n"
        "2024-03-01T15:05:00+01:00,2024-03-01T16:05:00+01:00,full\n"
        "2024-03-01T09:05:00-05:00,2024-03-01T10:05:00-05:00,full\n"
        "2024-03-01T19:35:00+05:30,2024-03-01T20:35:00+05:30,full\n",
    )
    expected = JAN_1_2024 + 60 * 86400 + 14 * HOUR + 5 * 60
    for zone in (None, "Asia/Tokyo", "America/Los_Angeles"):
        result = import_incidents(data, timezone=zone)
        assert [(i.start, i.end) for i in result.incidents] == [(expected, expected + HOUR)] * 4


def test_an_invalid_timezone_argument_is_an_input_error(tmp_path):
    data = write(tmp_path, "a.csv", "start,end,impact\n2024-01-01 00:00,2024-01-01 01:00,full\n")
    for zone in ("Mars/Olympus_Mons", "America", "../etc"):
        with pytest.raises(InputError, match=r"--timezone .*unknown time zone"):
            import_incidents(data, timezone=zone)


def test_numeric_impacts(tmp_path):
    data = write(
        tmp_path,
        "numeric.csv",
        "start,end,impact\n"
        + "".join(
            f"2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,{impact}\n"
            for impact in ("0.25", "25%", "100%", "0", "1", " 12.5 % ", "150%", "-0.1", "1.5")
        ),
    )
    result = import_incidents(data, on_bad_row="skip")
    assert [i.impact for i in result.incidents] == [
        Decimal("0.25"),
        Decimal("0.25"),
        Decimal("1"),
        Decimal("0"),
        Decimal("1"),
        Decimal("0.125"),
    ]
    rejected = {i.row: i.reason for i in result.report.rejected}
    assert set(rejected) == {8, 9, 10}
    assert all("outside 0..1" in reason for reason in rejected.values())


def test_an_unknown_impact_label_is_reported_with_its_row(tmp_path):
    data = write(
        tmp_path,
        "labels.csv",
        "start,end,impact\n"
        "2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,FULL\n"
        "2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,catastrophic\n"
        "2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,Partial\n",
    )
    message = refused_import(data)
    assert "unknown impact label 'catastrophic'" in message
    assert "(rows 3)" in message
    assert "impact_labels" in message
    assert "--skip-bad-rows" in message
    result = import_incidents(data, on_bad_row="skip")
    assert [i.impact for i in result.incidents] == ["full", "partial"]
    # A mapping can name the word.
    mapped = import_incidents(data, ColumnMapping(impact_labels={"Catastrophic": "full"}))
    assert [i.impact for i in mapped.incidents] == ["full", "full", "partial"]


def test_end_before_start_and_unparsable_dates(tmp_path):
    data = write(
        tmp_path,
        "broken.csv",
        "id,start,end,impact\n"
        "ok,2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,full\n"
        "back,2024-01-01T02:00:00Z,2024-01-01T01:00:00Z,full\n"
        "feb30,2024-02-30T00:00:00Z,2024-03-01T00:00:00Z,full\n"
        "words,yesterday,2024-01-01T01:00:00Z,full\n"
        "us,01/02/2024 10:00,01/02/2024 11:00,full\n",
    )
    result = import_incidents(data, on_bad_row="skip")
    assert [i.id for i in result.incidents] == ["ok"]
    rejected = {i.row: (i.column, i.reason) for i in result.report.rejected}
    assert rejected[3] == ("end", "end is before start")
    assert rejected[4][0] == "start" and "'2024-02-30T00:00:00Z' is not a date" in rejected[4][1]
    assert "'yesterday' is not a date and time" in rejected[5][1]
    assert "'01/02/2024 10:00' is not a date and time" in rejected[6][1]


def test_reject_stops_with_the_rows_and_skip_lists_them(tmp_path):
    data = write(
        tmp_path,
        "mixed.csv",
        "start,end,impact\n"
        "2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,full\n"
        "2024-01-01T00:00:00Z,2023-12-31T00:00:00Z,full\n"
        "2024-01-02T00:00:00Z,2024-01-02T01:00:00Z,partial\n"
        "2024-01-03T00:00:00Z,2024-01-02T00:00:00Z,full\n",
    )
    message = refused_import(data)
    assert message.startswith(f"{data}: 4 row(s) read, 2 incident(s) used")
    assert "2 row(s) not used: end: end is before start (rows 3, 5)" in message
    result = import_incidents(data, on_bad_row="skip")
    assert [i.row for i in result.incidents] == [2, 4]
    assert [(i.row, i.kept) for i in result.report.rejected] == [(3, False), (5, False)]
    assert (result.report.rows_read, result.report.used) == (4, 2)


def test_blank_lines_are_ignored_and_rows_keep_their_line_numbers(tmp_path):
    data = write(
        tmp_path,
        "blanks.csv",
        "start,end,impact\n"
        "\n"
        "2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,full\n"
        ",,\n"
        "  ,,\n"
        "2024-01-02T00:00:00Z,2024-01-02T01:00:00Z,partial\n"
        "\n\n",
    )
    result = import_incidents(data)
    assert [i.row for i in result.incidents] == [3, 6]
    assert result.report.rows_read == 2
    assert result.report.issues == ()


def test_default_impact_for_empty_cells(tmp_path):
    data = write(
        tmp_path,
        "empty_impact.csv",
        "start,end,impact\n2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,\n",
    )
    with pytest.raises(InputError, match="impact is empty; set default_impact"):
        import_incidents(data)
    result = import_incidents(data, ColumnMapping(default_impact="Partial"))
    assert result.incidents[0].impact == "partial"
    (note,) = result.report.notes
    assert (note.row, note.column, note.reason) == (2, "impact", "impact empty: taken as partial")


def test_a_duration_too_long_for_the_calendar_is_a_row_problem(tmp_path):
    data = write(
        tmp_path,
        "long.csv",
        "start,duration_minutes,impact\n"
        "2024-01-01T00:00:00Z,1e30,full\n"
        "2024-01-01T00:00:00Z,1e999999,full\n"
        "2024-01-01T00:00:00Z,Infinity,full\n",
    )
    result = import_incidents(data, on_bad_row="skip")
    assert result.incidents == ()
    assert [i.row for i in result.report.rejected] == [2, 3, 4]
    assert all(i.column == "duration_minutes" for i in result.report.rejected)


# ---------------------------------------------------------------------------------------------
# Files that cannot be read


def test_a_missing_start_column_names_the_headers(tmp_path):
    data = write(
        tmp_path, "nostart.csv", "when,end,impact\n2024-01-01T00:00Z,2024-01-01T01:00Z,x\n"
    )
    message = refused_import(data)
    assert str(data) in message
    assert "no start column" in message
    assert "Header: when, end, impact" in message


def test_no_end_and_no_duration_column(tmp_path):
    data = write(tmp_path, "noend.csv", "start,impact\n2024-01-01T00:00Z,full\n")
    with pytest.raises(InputError, match="needs an end or a duration_minutes column"):
        import_incidents(data)


def test_a_mapped_header_that_is_not_in_the_file(tmp_path):
    data = write(tmp_path, "a.csv", "start,end\n2024-01-01T00:00Z,2024-01-01T01:00Z\n")
    message = refused_import(data, ColumnMapping(columns={"impact": "Severity"}))
    assert "'Severity' for impact" in message
    assert "header has only: start, end" in message


def test_not_a_file(tmp_path):
    with pytest.raises(InputError, match=r"missing\.csv: no such file"):
        import_incidents(tmp_path / "missing.csv")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(InputError, match=r"folder\.csv"):
        import_incidents(folder)


def test_an_unsupported_extension(tmp_path):
    data = write(tmp_path, "incidents.json", "[]")
    with pytest.raises(InputError, match=r"incidents\.json: unsupported file type '\.json'"):
        import_incidents(data)


# Excel's "CSV (Comma delimited)" on a Western Windows: Windows-1252, where é is 0xE9, the en
# dash 0x96 and the euro sign 0x80 (none of them valid UTF-8 on their own).
CP1252_BYTES = (
    b"start,end,impact,service,title\r\n"
    b"2024-01-01T00:00Z,2024-01-01T01:00Z,full,Z\xe9rich,Outage \x96 billing\r\n"
    b"2024-01-02T00:00Z,2024-01-02T01:00Z,full,Paris,Refund \x80 50\r\n"
)


def test_a_windows_1252_export_from_excel_is_detected(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(CP1252_BYTES)
    result = import_incidents(path)
    assert [x.service for x in result.incidents] == ["Z\u00e9rich", "Paris"]
    assert [x.title for x in result.incidents] == ["Outage \u2013 billing", "Refund \u20ac 50"]
    assert result.report.encoding == "Windows-1252 (detected)"
    assert "  text encoding: Windows-1252 (detected)" in result.report.summary_lines()


def test_utf16_with_a_byte_order_mark_either_way_and_utf8_with_one(tmp_path):
    text = "start,end,impact,service\r\n2024-01-01T00:00Z,2024-01-01T01:00Z,full,Z\u00fcrich\r\n"
    for name, data, described in (
        ("le.csv", b"\xff\xfe" + text.encode("utf-16-le"), "UTF-16 (detected)"),
        ("be.csv", b"\xfe\xff" + text.encode("utf-16-be"), "UTF-16 (detected)"),
        ("bom.csv", b"\xef\xbb\xbf" + text.encode("utf-8"), "UTF-8 with BOM (detected)"),
        ("plain.csv", text.encode("utf-8"), None),  # as expected: no note
    ):
        path = tmp_path / name
        path.write_bytes(data)
        result = import_incidents(path)
        assert [x.service for x in result.incidents] == ["Z\u00fcrich"], name
        assert result.incidents[0].start == JAN_1_2024
        assert result.report.encoding == described


def test_an_encoding_chosen_is_used_as_it_is(tmp_path):
    path = tmp_path / "utf8.csv"
    path.write_bytes(
        "start,end,impact,service\n2024-01-01T00:00Z,2024-01-01T01:00Z,full,Z\u00fcrich\n".encode()
    )
    result = import_incidents(path, encoding="windows-1252")
    assert result.incidents[0].service == "Z\u00c3\u00bcrich"  # what the user asked for
    assert result.report.encoding == "Windows-1252 (chosen)"
    mapped = import_incidents(path, ColumnMapping(encoding="windows-1252"))
    assert mapped.incidents[0].service == "Z\u00c3\u00bcrich"
    assert (
        import_incidents(path, ColumnMapping(encoding="windows-1252"), encoding="auto")
        .incidents[0]
        .service
        == "Z\u00fcrich"
    )


def test_a_file_valid_in_no_encoding_is_refused_with_the_byte(tmp_path):
    # 0x81 is undefined in Windows-1252, and 0xE9 0x81 is not UTF-8.
    path = tmp_path / "broken.csv"
    path.write_bytes(b"start,end,impact\n2024-01-01T00:00Z,2024-01-01T01:00Z,caf\xe9\x81\n")
    with pytest.raises(UndecodableTextError) as err:
        import_incidents(path)
    message = str(err.value)
    assert f"{path}: not readable as text" in message
    assert "not UTF-8 (bytes 0xE9 0x81 at offset 56, line 2)" in message
    assert "not Windows-1252 (byte 0x81 at offset 57, line 2)" in message
    assert "--encoding" in message and "save it again as 'CSV UTF-8'" in message


def test_an_encoding_chosen_that_does_not_fit_is_refused_not_guessed(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(CP1252_BYTES)
    with pytest.raises(UndecodableTextError) as err:
        import_incidents(path, encoding="utf-8")
    # 0xE9 follows the 32 bytes of the header line and 42 more on line 2
    assert f"{path}: not valid UTF-8: byte 0xE9 at offset 74, line 2" in str(err.value)


def test_an_empty_file(tmp_path):
    with pytest.raises(InputError, match=r"empty\.csv: the file is empty"):
        import_incidents(write(tmp_path, "empty.csv", ""))


# ---------------------------------------------------------------------------------------------
# Mapping files


def test_the_shipped_mappings_load():
    cloud = load_mapping(CLOUD_MAPPING)
    assert cloud.default_impact == "full"
    assert cloud.columns["start"] == "start_utc"
    github = load_mapping(GITHUB_MAPPING)
    assert github.impact_labels == {"maintenance": "full"}
    assert github.columns["cause"] == "cause_category"


def refused_mapping(tmp_path: Path, text: str) -> tuple[Path, str]:
    """A mapping file of ``text``, and the message loading it is refused with."""
    path = mapping_file(tmp_path, text)
    with pytest.raises(InputError) as err:
        load_mapping(path)
    return path, str(err.value)


def test_a_mapping_with_an_unknown_field_names_the_file(tmp_path):
    path, message = refused_mapping(tmp_path, "columns:\n  start: Opened\n  begin: Started\n")
    assert str(path) in message
    # the line of the `columns:` key
    assert "line 1, columns: unknown field(s) ['begin']" in message


def test_a_mapping_with_an_unknown_key_names_the_file_and_line(tmp_path):
    path, message = refused_mapping(
        tmp_path, "columns: {start: Opened}\ntimezone: UTC\nimpact_lables: {}\n"
    )
    assert str(path) in message
    assert "line 3, impact_lables: unknown key" in message


def test_a_mapping_with_bad_yaml_names_the_file_and_line(tmp_path):
    path, message = refused_mapping(tmp_path, "columns:\n  start: Opened\n  end: [Closed\n")
    assert message.startswith(f"{path}: line ")
    assert "not valid YAML" in message


def test_a_mapping_with_bad_values_names_the_field(tmp_path):
    path, message = refused_mapping(
        tmp_path,
        "format: slamodeler-mapping/v1\ntimezone: Mars/Olympus_Mons\nimpact_labels: {sev1: 1.5}\n",
    )
    assert str(path) in message
    assert "line 2, timezone: unknown time zone 'Mars/Olympus_Mons'" in message
    assert "line 3, impact_labels.sev1" in message


def test_a_mapping_timezone_that_names_a_folder_of_the_zone_database(tmp_path):
    path = mapping_file(tmp_path, "timezone: America\n")
    with pytest.raises(InputError, match="timezone"):
        load_mapping(path)


def test_a_mapping_that_is_not_a_mapping_or_is_missing(tmp_path):
    with pytest.raises(InputError, match="expected a mapping"):
        load_mapping(mapping_file(tmp_path, "- start\n- end\n"))
    with pytest.raises(InputError, match="format"):
        load_mapping(mapping_file(tmp_path, "format: slamodeler-mapping/v9\n"))
    with pytest.raises(InputError, match=r"nope\.yaml: no such file"):
        load_mapping(tmp_path / "nope.yaml")


def test_decimal_commas_of_european_exports(tmp_path):
    data = write(tmp_path, "eu.csv", "start;duration_minutes;impact\n2024-01-01T00:00Z;12,5;0,25\n")
    (incident,) = import_incidents(data).incidents
    assert incident.end - incident.start == 750  # 12.5 minutes
    assert incident.impact == Decimal("0.25")


def test_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path):
    # The first record's title spans two lines of the file; the second record is row 3.
    data = write(
        tmp_path,
        "multi.csv",
        "start,end,impact,title\n"
        '2024-01-01T00:00Z,2024-01-01T01:00Z,full,"two\nlines"\n'
        "2024-01-02T00:00Z,2024-01-01T01:00Z,full,bad\n",
    )
    report = import_incidents(data, on_bad_row="skip").report
    assert [(i.row, i.reason) for i in report.rejected] == [(3, "end is before start")]


def test_messages_name_the_header_found_by_alias(tmp_path):
    data = write(tmp_path, "alias.csv", "start_utc,end_utc\n2024-01-01T00:00Z,2024-01-01T00:00Z\n")
    report = import_incidents(data, ColumnMapping(default_impact="full")).report
    assert {i.column for i in report.notes} == {"end_utc", "impact"}


def test_labels_the_contract_weighs_are_accepted(tmp_path):
    data = write(
        tmp_path, "sev.csv", "start,end,impact\n2024-01-01T00:00Z,2024-01-01T01:00Z,Sev2\n"
    )
    with pytest.raises(InputError, match="unknown impact label 'Sev2'"):
        import_incidents(data)
    (incident,) = import_incidents(data, known_labels=["sev1", "SEV2"]).incidents
    assert incident.impact == "sev2"


def test_a_comma_that_may_separate_thousands_is_refused_not_guessed(tmp_path):
    data = write(
        tmp_path,
        "t.csv",
        "start,duration_minutes,impact\n"
        '2024-01-01T00:00Z,"1,440",full\n2024-01-02T00:00Z,"0,250",full\n',
    )
    report = import_incidents(data, on_bad_row="skip").report
    assert [(i.row, i.reason) for i in report.rejected] == [
        (2, "'1,440' is ambiguous (1,440 or 1.44?); write it without a comma")
    ]


OPEN_ROWS = (
    "id,start,end,impact\n"
    "A,2024-01-01T00:00:00Z,2024-01-01T01:00:00Z,full\n"
    "B,2024-01-02T00:00:00Z,,partial\n"
    "C,2024-01-03T00:00:00Z,2024-01-03T02:00:00Z,full\n"
)


def test_a_row_still_open_is_refused_unless_the_export_time_is_given(tmp_path):
    data = write(tmp_path, "open.csv", OPEN_ROWS)
    with pytest.raises(InputError, match=r"no end and no duration \(still open\?\)"):
        import_incidents(data)

    latest = import_incidents(data, open_until="latest")
    ended = {x.id: x.end for x in latest.incidents}
    assert ended["B"] == ts("2024-01-03T02:00:00")  # the latest time in the file
    assert latest.open_rows == {3} and latest.still_open() == [False, True, False]
    assert "still open: counted until the latest time in the file (2024-01-03T02:00Z)" in (
        "\n".join(latest.report.summary_lines())
    )

    as_of = import_incidents(data, open_until="2024-01-05T12:00:00+02:00")
    assert {x.id: x.end for x in as_of.incidents}["B"] == ts("2024-01-05T10:00:00")


def test_an_open_row_refused_for_another_cell_is_not_counted_as_open(tmp_path):
    """Its impact cannot be read: the row is not an incident, so "latest" is the latest time of
    none (the file then has no incident) and no row is left open."""
    data = write(tmp_path, "open.csv", "id,start,end,impact\nB,2024-01-02T00:00:00Z,,bogus\n")
    with pytest.raises(InputError, match=r"unknown impact label 'bogus'.*\(rows 2\)"):
        import_incidents(data, open_until="latest")
    kept = import_incidents(data, open_until="latest", on_bad_row="skip")
    assert len(kept.incidents) == 0 and kept.open_rows == frozenset()
    assert [(i.row, i.column) for i in kept.report.rejected] == [(2, "impact")]


def test_an_open_row_that_starts_after_the_export_time_is_unusable(tmp_path):
    data = write(tmp_path, "open.csv", OPEN_ROWS)
    with pytest.raises(InputError, match=r"row.*still open but starts after --as-of"):
        import_incidents(data, open_until="2024-01-01T12:00Z")
    kept = import_incidents(data, open_until="2024-01-01T12:00Z", on_bad_row="skip")
    assert [x.id for x in kept.incidents] == ["A", "C"] and kept.open_rows == frozenset()
    with pytest.raises(InputError, match="--as-of 'yesterday': not a date and time"):
        import_incidents(data, open_until="yesterday")
    with pytest.raises(InputError, match="has no zone or offset"):
        import_incidents(data, open_until="2024-01-05T00:00")
