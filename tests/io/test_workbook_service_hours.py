"""The workbook under service hours: Terms lists the hours (LibreOffice recalculating a fee
multiple of scheduled availability in them: tests/io/test_workbook.py)."""

from __future__ import annotations

import openpyxl

from slamodeler.io.contract_file import load_contract
from slamodeler.io.workbook import WorkbookContent, write_workbook
from tests.helpers.builders import incident
from tests.helpers.paths import SAMPLES

CLOUDFLARE = load_contract(SAMPLES / "real" / "cloudflare_business.yaml")
SEPTEMBER = [
    incident("2025-09-09T10:00", "2025-09-09T16:00"),
    incident("2025-09-16T10:00", "2025-09-16T12:00", 0.25),
    incident("2025-09-20T00:00", "2025-09-20T12:00", cause="customer_planned"),
]


def in_office_hours(terms):
    """Cloudflare's terms measured Monday to Friday 08:00-18:00 UTC, not on 1 September 2025."""
    hours = {
        "days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
        "start": "08:00",
        "end": "18:00",
        "holidays": ["2025-09-01"],
    }
    data = terms.model_dump(mode="json")
    data["measurement"]["service_hours"] = hours
    return type(terms).model_validate(data)


def test_terms_list_the_service_hours(tmp_path):
    from slamodeler.engine.replay import replay

    terms = in_office_hours(CLOUDFLARE)
    result = replay(terms, SEPTEMBER, first="2025-09", last="2025-09")
    path = tmp_path / "hours.xlsx"
    write_workbook(path, WorkbookContent(terms, None, result, SEPTEMBER))
    rows = {
        row[1]: row[2]
        for row in openpyxl.load_workbook(path)["Terms"].iter_rows(values_only=True)
        if row[1]
    }
    assert rows["Service hours"] == "mon, tue, wed, thu, fri 08:00-18:00 (UTC); not on 2025-09-01"
