"""Hostile ticket exports and support terms: rows without a priority or an opening time, times
that are not times or have no zone, responses before the ticket, missing columns, a mapping that
names what the file lacks or a field tickets do not have, tickets with --ws, bad support terms;
each refused naming the file, row and column (or the contract field) and the fix."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile

CONTRACT = """format: slamodeler/v1
name: Support
currency: USD
timezone: UTC
term: {{start: 2024-01-01}}
tiers:
  - name: T
    target_pct: 99.9
    monthly_fee: 1000
    credits: {{kind: bands, bands: [{{below: 99.9, credit_pct: 10}}]}}
    support: {support}
"""
P1 = "{priority: P1, respond_within_minutes: 15, credit_pct: 5}"
INCIDENTS = "id,start,end,impact\nI-1,2024-03-05T10:00:00Z,2024-03-05T11:00:00Z,full\n"
HEADER = "id,priority,opened,first_response\n"
GOOD = "T-1,P1,2024-03-04T09:00:00Z,2024-03-04T09:30:00Z\n"


@pytest.fixture
def files(tmp_path):
    contract = tmp_path / "support.yaml"
    contract.write_text(CONTRACT.format(support="{targets: [" + P1 + "]}"))
    incidents = tmp_path / "incidents.csv"
    incidents.write_text(INCIDENTS)
    return contract, incidents


@pytest.mark.parametrize(
    ("row", "names"),
    [
        ("T-2,,2024-03-04T09:00:00Z,2024-03-04T09:30:00Z", ["(rows 3)", "priority is empty"]),
        ("T-2,P1,,2024-03-04T09:30:00Z", ["(rows 3)", "opened is empty"]),
        ("T-2,P1,yesterday,2024-03-04T09:30:00Z", ["(rows 3)", "opened", "'yesterday'"]),
        ("T-2,P1,2024-03-04T09:00:00,2024-03-04T09:30:00Z", ["(rows 3)", "--timezone"]),
        ("T-2,P1,2024-03-04T09:00:00Z,2024-03-04T08:30:00Z", ["(rows 3)", "before opened"]),
        ('T-2,"P1,2024-03-04T09:00:00Z,', ["row 3", "quote"]),
    ],
)
def test_a_bad_ticket_row_is_refused_naming_the_row_and_column(files, tmp_path, capsys, row, names):
    contract, incidents = files
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(HEADER + GOOD + row + "\n")
    hostile(
        capsys, "replay", contract, incidents, "--tickets", tickets, names=[str(tickets), *names]
    )


def test_skip_bad_rows_leaves_a_bad_ticket_out_and_lists_it(files, tmp_path, capsys):
    contract, incidents = files
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(HEADER + GOOD + "T-2,,2024-03-04T09:00:00Z,\n")
    _, out, err = hostile(
        capsys, "replay", contract, incidents, "--tickets", tickets, "--skip-bad-rows"
    )
    assert "2 row(s) read, 1 ticket(s) used" in err
    assert "1 row(s) not used: priority: priority is empty (rows 3)" in err
    assert "support: 1 response(s) late" in out


@pytest.mark.parametrize(
    ("header", "names"),
    [
        ("id,opened,first_response\n", ["no priority column", "columns: {priority: HEADER}"]),
        ("id,priority,first_response\n", ["no opened column"]),
        ("id,priority,opened\n", ["no first_response column"]),
    ],
)
def test_a_missing_column_is_named_with_the_fix(files, tmp_path, capsys, header, names):
    contract, incidents = files
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(header + "T-1,P1,2024-03-04T09:00:00Z\n")
    hostile(
        capsys, "replay", contract, incidents, "--tickets", tickets, names=[str(tickets), *names]
    )


@pytest.mark.parametrize(
    ("mapping", "names"),
    [
        ("columns: {priority: Urgency}", ["tickets.csv", "'Urgency' for priority", "header has"]),
        ("columns: {impact: Sev}", ["unknown field(s) ['impact']", "priority"]),
        ("timezone: Mars/Olympus", ["unknown time zone"]),
        ("priority_labels: [P1]", ["priority_labels"]),
    ],
)
def test_a_bad_ticket_mapping_is_refused_naming_it(files, tmp_path, capsys, mapping, names):
    contract, incidents = files
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(HEADER + GOOD)
    path = tmp_path / "tickets-mapping.yaml"
    path.write_text(mapping + "\n")
    argv = ("replay", contract, incidents, "--tickets", tickets, "--tickets-mapping", path)
    named = names if "tickets.csv" in names else [str(path), *names]
    hostile(capsys, *argv, names=named)


def test_tickets_from_a_missing_file_a_folder_or_an_odd_type_are_refused(files, tmp_path, capsys):
    contract, incidents = files
    for path, names in (
        (tmp_path / "nowhere.csv", ["no such file"]),
        (tmp_path, ["is a folder", "ticket file"]),
        (contract, ["unsupported file type '.yaml'", "tickets as CSV"]),
    ):
        hostile(capsys, "replay", contract, incidents, "--tickets", path, names=[str(path), *names])


def test_a_ticket_mapping_without_tickets_or_with_a_workspace_is_refused(files, tmp_path, capsys):
    contract, incidents = files
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns: {}\n")
    hostile(capsys, "replay", contract, incidents, "--tickets-mapping", mapping, names="--tickets")
    argv = ("replay", "k@1", "set", "--ws", tmp_path / "w.slam", "--tickets", incidents)
    hostile(
        capsys,
        *argv,
        "--tickets-mapping",
        mapping,
        names=["--tickets-mapping", "ws add-tickets KEY FILE --tickets-mapping MAP"],
    )


@pytest.mark.parametrize(
    ("support", "field"),
    [
        ("{targets: []}", "tiers[0].support.targets"),
        ("{targets: [{priority: P1, respond_within_minutes: 15}]}", "credit_pct"),
        (
            "{targets: [{priority: P1, respond_within_minutes: -5, credit_pct: 5}]}",
            "respond_within",
        ),
        ("{clock: office, targets: [" + P1 + "]}", "support.clock"),
        ("{clock: service_hours, targets: [" + P1 + "]}", "measurement.service_hours"),
        ("{targets: [" + P1 + ", " + P1 + "]}", "has two targets"),
        (
            "{targets: [{priority: P1, respond_within_minutes: 15, credit_amount: -1}]}",
            "credit_amount",
        ),
        ("every ticket in 15 minutes", "tiers[0].support"),
    ],
)
def test_bad_support_terms_are_refused_naming_the_field(tmp_path, capsys, support, field):
    path = tmp_path / "support.yaml"
    path.write_text(CONTRACT.format(support=support))
    hostile(capsys, "validate", path, names=[str(path), field])


def test_unknown_priorities_and_tickets_outside_the_range_are_said_not_dropped(
    files, tmp_path, capsys
):
    contract, incidents = files
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        HEADER + GOOD + "T-2,P4,2024-03-04T09:00:00Z,\nT-3,P1,2023-12-04T09:00:00Z,\n"
    )
    _, _, err = hostile(capsys, "replay", contract, incidents, "--tickets", tickets)
    assert "ticket priorities without a response target: 'p4'; not counted" in err
    assert "1 ticket(s) opened outside the replayed periods: not counted (first: T-3" in err
