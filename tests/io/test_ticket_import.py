"""Ticket exports: the usual headers found, a mapping's columns, priority words and time zone
applied, unanswered tickets kept with a note, XLSX read as CSV is, and every row accounted for."""

from __future__ import annotations

from datetime import datetime

import openpyxl

from slamodeler.domain.ticket_mapping import TicketMapping
from slamodeler.io.ticket_import import UNANSWERED, import_tickets, load_ticket_mapping
from tests.helpers.builders import ts


def test_usual_headers_are_found_and_an_unanswered_ticket_is_kept_with_a_note(tmp_path):
    path = tmp_path / "desk.csv"
    path.write_text(
        "Ticket_ID,Severity,Created_At,First_Reply_At\n"
        "A-1,P1,2024-03-04T09:00:00Z,2024-03-04T09:20:00Z\n"
        ",,,\n"
        "A-2, p2 ,2024-03-05T09:00:00Z,\n"
    )
    found = import_tickets(path)
    assert [(t.id, t.priority, t.row) for t in found.tickets] == [
        ("A-1", "p1", 2),
        ("A-2", "p2", 4),
    ]
    assert found.tickets[0].first_response == ts("2024-03-04T09:20:00")
    assert found.tickets[1].first_response is None
    report = found.report
    assert (report.rows_read, report.used, report.blank_rows) == (2, 2, 1)
    assert [(n.row, n.column, n.reason) for n in report.notes] == [
        (4, "First_Reply_At", UNANSWERED)
    ]
    assert report.summary_lines()[0] == f"{path}: 2 row(s) read, 2 ticket(s) used"


def test_a_mapping_names_columns_maps_priority_words_and_gives_the_zone(tmp_path):
    mapping = tmp_path / "desk.yaml"
    mapping.write_text(
        "columns: {priority: Urgency, opened: Logged, first_response: Answered}\n"
        "priority_labels: {Urgent: P1, High: P2}\n"
        "timezone: Europe/Berlin\n"
    )
    path = tmp_path / "desk.csv"
    path.write_text("Urgency,Logged,Answered\nUrgent,2024-03-04 09:00,2024-03-04 09:10\n")
    found = import_tickets(path, load_ticket_mapping(mapping))
    (ticket,) = found.tickets
    assert ticket.priority == "p1"
    assert ticket.opened == ts("2024-03-04T08:00:00")  # 09:00 in Berlin (UTC+1 in March)
    assert ticket.id == "row 2"


def test_an_xlsx_export_with_date_cells_is_read(tmp_path):
    path = tmp_path / "desk.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["id", "priority", "opened", "first_response"])
    book.active.append(["X-1", "P1", datetime(2024, 3, 4, 9, 0), datetime(2024, 3, 4, 9, 45)])
    book.save(path)
    found = import_tickets(path, TicketMapping(timezone="UTC"))
    (ticket,) = found.tickets
    assert ticket.first_response - ticket.opened == 45 * 60
