"""File > Save compliance report…: after a replay, a user selects a period in the Replay tab,
names the customer and a file, and gets the page of `slamodeler report` for that tier and
period, with the figures the Replay tab shows."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from tests.helpers.gui_editing import choose
from tests.helpers.gui_runs import run_replay, table_rows


def _field(html: str, name: str) -> list[str]:
    return re.findall(rf'data-field="{name}">([^<]*)<', html)


def test_the_selected_period_is_saved_as_the_customers_report(qtbot, make_window, tmp_path):
    window = make_window()
    assert not window.report_action.isEnabled()  # nothing replayed yet
    run_replay(qtbot, window)
    view = window.replay
    choose(qtbot, view.tier, "Silver")
    rows = table_rows(view)
    april = next(i for i, r in enumerate(rows) if r[0] == "2024-04")
    rect = view.table.visualItemRect(view.table.item(april, 0))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.report_action.isEnabled()
    asked: list[str] = []
    window.compliance.ask_customer = lambda what: asked.append(what) or "Acme Corp"
    window.compliance.ask_path = lambda suggested: str(tmp_path / suggested.removesuffix(".html"))
    window.report_action.trigger()
    assert asked == ["Silver, 2024-04"]
    page = tmp_path / "compliance-2024-04.html"
    assert (
        view.status.text()
        == "Wrote the compliance report compliance-2024-04.html (Silver, 2024-04)"
    )
    html = page.read_text(encoding="utf-8")
    assert "<h1>Service level report: Acme Corp, 2024-04</h1>" in html
    shown = rows[april]
    assert _field(html, "availability_pct") == [shown[4]]
    assert float(_field(html, "downtime_minutes")[0]) == float(shown[3])
    assert _field(html, "credit_after_caps") == ["400.00"]
    assert _field(html, "contract_hash")[0].startswith(view.result.contract_hash)


def test_a_cancelled_name_writes_nothing(qtbot, make_window, tmp_path):
    window = make_window()
    run_replay(qtbot, window)
    window.compliance.ask_customer = lambda what: None
    window.compliance.ask_path = lambda suggested: str(tmp_path / suggested)
    window.report_action.trigger()
    assert list(tmp_path.glob("*.html")) == []


def test_a_name_ending_in_pdf_gets_the_page_as_a_pdf(qtbot, make_window, tmp_path):
    window = make_window()
    run_replay(qtbot, window)
    window.compliance.ask_customer = lambda what: "Acme Corp"
    folder = tmp_path / "out"
    folder.mkdir()
    window.compliance.ask_path = lambda suggested: str(folder / "acme.pdf")
    window.report_action.trigger()
    pdf = (folder / "acme.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]
    assert window.replay.status.text().startswith("Wrote the compliance report acme.pdf")
    assert [p.name for p in folder.iterdir()] == ["acme.pdf"]  # no temporary file left
