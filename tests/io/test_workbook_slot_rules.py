"""The workbook under slot rules: Terms lists them, and Replay carries the minutes the engine
measured by them (values: a spreadsheet has no per-minute data to apply them to)."""

from __future__ import annotations

import openpyxl

from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from slamodeler.io.workbook import WorkbookContent, write_workbook
from tests.helpers.builders import incident
from tests.helpers.paths import SAMPLES


def test_terms_list_the_slot_rules_and_replay_has_the_added_minutes(tmp_path):
    terms = load_contract(SAMPLES / "real" / "microsoft_365.yaml")
    outages = [
        incident("2025-09-09T10:00", "2025-09-09T12:00", 0.5),
        incident("2025-09-09T11:00", "2025-09-09T13:00", 0.3),
    ]
    result = replay(terms, outages)
    path = tmp_path / "m365.xlsx"
    write_workbook(path, WorkbookContent(terms, None, result, outages))
    wb = openpyxl.load_workbook(path)
    rows = {row[1]: row[2] for row in wb["Terms"].iter_rows(values_only=True) if row[1]}
    assert rows["Slot counting (an incident counts in a slot it covers)"] == "any"
    assert rows["Overlapping incidents"] == "add"
    assert rows["A slot is down in full above"] == "none"
    cells = [c for row in wb["Replay"].iter_rows(values_only=True) for c in row]
    assert 96 in cells  # the user-minutes added up, not the 78 of the worst outage
