"""The workbook under service hours and a fee multiple of scheduled availability: Terms lists the
hours, Replay's period minutes are the service minutes, and LibreOffice recalculates the credit
as the downtime's share of scheduled availability, as the engine does."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from slamodeler.io.contract_file import load_contract
from slamodeler.io.workbook import WorkbookContent, write_workbook
from tests.helpers.builders import incident
from tests.helpers.office import needs_office, office_profile
from tests.helpers.paths import SAMPLES
from tests.io.test_workbook import headers, recalculated_as_the_engine
from tests.real_contracts.test_cloudflare_business import SEPTEMBER

CLOUDFLARE = load_contract(SAMPLES / "real" / "cloudflare_business.yaml")


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return office_profile(tmp_path_factory)


def in_office_hours():
    """Cloudflare's terms measured Monday to Friday 08:00-18:00 UTC, not on 1 September 2025."""
    hours = {
        "days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
        "start": "08:00",
        "end": "18:00",
        "holidays": ["2025-09-01"],
    }
    data = CLOUDFLARE.model_dump(mode="json")
    data["measurement"]["service_hours"] = hours
    return type(CLOUDFLARE).model_validate(data)


def test_terms_list_the_service_hours(tmp_path):
    from slamodeler.engine.replay import replay

    terms = in_office_hours()
    result = replay(terms, SEPTEMBER, first="2025-09", last="2025-09")
    path = tmp_path / "hours.xlsx"
    write_workbook(path, WorkbookContent(terms, None, result, SEPTEMBER))
    rows = {
        row[1]: row[2]
        for row in openpyxl.load_workbook(path)["Terms"].iter_rows(values_only=True)
        if row[1]
    }
    assert rows["Service hours"] == "mon, tue, wed, thu, fri 08:00-18:00 (UTC); not on 2025-09-01"


@needs_office
def test_libreoffice_credits_the_share_of_scheduled_availability(office, tmp_path):
    """September 2025 in office hours: 22 working days less the holiday, 21 x 600 = 12,600
    minutes; the 6-hour outage (10:00-16:00) is 360 of them, the quarter-affected 2 hours 30;
    the customer's planned 12 hours fall on a Saturday, and of 07:00-09:00 on a Wednesday one hour
    is in service hours: excluded 60."""
    history = [
        *SEPTEMBER,
        incident("2025-09-10T07:00", "2025-09-10T09:00", cause="customer_planned"),
    ]
    wb = recalculated_as_the_engine(office, in_office_hours(), history, tmp_path)
    ws = wb["Replay"]
    cols = headers(ws, 3)
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, cols["Period"]).value == "2025-09")
    assert ws.cell(row, 7).value == 12600  # D: the service minutes
    assert ws.cell(row, 8).value == 60  # X: 08:00-09:00 of the planned downtime
    # 390 / (12,600 - 60) x 200 = 6.2200...
    assert round(Decimal(str(ws.cell(row, 12).value)) * 200, 2) == Decimal("6.22")
