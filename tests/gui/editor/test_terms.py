"""The contract editor's exclusions, caps, claims, scopes, schedule kinds and tiers, driven as a
user would (typing, ticking, picking, clicking Add / Remove); each edit changes the contract,
undoes and redoes, and a value the contract cannot take is marked and blocks saving."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from slamodeler.domain.contract import Caps, CustomerCap, LiabilityCap, MaintenanceWindow, Scope
from slamodeler.domain.credit_schedules import (
    FeeMultipleSchedule,
    LinearSchedule,
    PerHourSchedule,
)
from slamodeler.gui.editor.models import INVALID
from slamodeler.gui.editor.terms_fields import INVALID_BORDER
from slamodeler.gui.results.simulation_view import RESIMULATE
from tests.helpers.gui_editing import (
    cell,
    choose,
    choose_in_cell,
    open_version,
    show_section,
    type_into,
    type_into_cell,
)
from tests.helpers.gui_runs import run_simulation


def tick(qtbot, causes, word: str) -> None:
    """Click the cause in the list and press Space, which toggles its tick."""
    items = causes.list
    row = next(
        r for r in range(items.count()) if items.item(r).data(Qt.ItemDataRole.UserRole) == word
    )
    rect = items.visualItemRect(items.item(row))
    QTest.mouseClick(items.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(items, Qt.Key.Key_Space)


def ticked(causes) -> list[str]:
    items = causes.list
    return [
        items.item(r).data(Qt.ItemDataRole.UserRole)
        for r in range(items.count())
        if items.item(r).checkState() == Qt.CheckState.Checked
    ]


def undo_all(window) -> None:
    stack = window.editor.document.undo_stack
    while stack.canUndo():
        window.undo_action.trigger()


def blocked(window) -> bool:
    """The contract cannot be saved or approved."""
    return not window.save_action.isEnabled() and not window.approve_action.isEnabled()


def test_excluded_causes_are_ticked_in_a_list_and_undone(qtbot, make_window):
    window = make_window()
    editor = window.editor
    show_section(editor, "Exclusions")
    causes = editor.exclusions.causes
    assert ticked(causes) == ["maintenance", "force_majeure", "customer"]

    tick(qtbot, causes, "third_party")
    tick(qtbot, causes, "customer")
    contract = editor.document.contract
    assert contract.exclusions.causes == ["maintenance", "force_majeure", "third_party"]
    assert ticked(causes) == ["maintenance", "force_majeure", "third_party"]
    assert window.isWindowModified()

    type_into(qtbot, causes.other, "Vendor_Outage")  # a word of the incident files, not listed
    assert editor.document.contract.exclusions.causes[-1] == "vendor_outage"
    assert "vendor_outage" in ticked(causes)

    window.undo_action.trigger()
    window.undo_action.trigger()
    assert ticked(causes) == ["maintenance", "force_majeure", "customer", "third_party"]
    window.redo_action.trigger()
    assert editor.document.contract.exclusions.causes == [
        "maintenance",
        "force_majeure",
        "third_party",
    ]
    undo_all(window)
    assert ticked(causes) == ["maintenance", "force_majeure", "customer"]
    assert not window.isWindowModified()


def test_maintenance_windows_are_added_edited_and_removed_with_a_preview(qtbot, make_window):
    window = make_window()
    editor = window.editor
    show_section(editor, "Exclusions")
    windows = editor.exclusions.windows
    windows.now = lambda: datetime(2024, 3, 1, tzinfo=UTC)
    windows.refresh()
    # docs/contract-format.md's DST table for the Sunday "02:00" window of 240 minutes
    assert windows.preview.text().splitlines()[:3] == [
        "window 1: Sun 03 Mar 2024 02:00-06:00 EST (07:00-11:00 UTC)",
        "window 1: Sun 10 Mar 2024 03:00-07:00 EDT (07:00-11:00 UTC)",
        "window 1: Sun 17 Mar 2024 02:00-06:00 EDT (06:00-10:00 UTC)",
    ]

    qtbot.mouseClick(windows.add, Qt.MouseButton.LeftButton)
    table = windows.table
    assert table.model().rowCount() == 2
    choose_in_cell(qtbot, table, 1, 0, "month")
    assert cell(table, 1, 1) == "1"  # a monthly window starts on the 1st unless told
    type_into_cell(qtbot, table, 1, 1, "15")
    type_into_cell(qtbot, table, 1, 2, "12:00")
    type_into_cell(qtbot, table, 1, 3, "120")
    choose_in_cell(qtbot, table, 0, 1, "saturday")
    assert editor.document.contract.exclusions.maintenance_windows == [
        MaintenanceWindow(every="week", day="saturday", start="02:00", minutes=240),
        MaintenanceWindow(every="month", day=15, start="12:00", minutes=120),
    ]
    lines = windows.preview.text().splitlines()
    assert lines[0] == "window 1: Sat 02 Mar 2024 02:00-06:00 EST (07:00-11:00 UTC)"
    assert "window 2: Fri 15 Mar 2024 12:00-14:00 EDT (16:00-18:00 UTC)" in lines

    type_into_cell(qtbot, table, 1, 2, "25:00")
    assert cell(table, 1, 2, Qt.ItemDataRole.BackgroundRole).color() == INVALID
    assert "HH:MM" in cell(table, 1, 2, Qt.ItemDataRole.ToolTipRole)
    assert blocked(window)
    assert not any(line.startswith("window 2") for line in windows.preview.text().splitlines())
    window.undo_action.trigger()
    assert not blocked(window)

    table.selectRow(0)
    qtbot.mouseClick(windows.remove, Qt.MouseButton.LeftButton)
    assert [w.every for w in editor.document.contract.exclusions.maintenance_windows] == ["month"]
    window.undo_action.trigger()
    assert table.model().rowCount() == 2 and cell(table, 0, 1) == "saturday"
    undo_all(window)
    assert table.model().rowCount() == 1 and cell(table, 0, 1) == "sunday"


def test_the_allowance_and_the_excluded_time_convention(qtbot, make_window):
    window = make_window()
    editor = window.editor
    show_section(editor, "Exclusions")
    panel = editor.exclusions
    assert panel.allowance.edit.text() == "600"

    type_into(qtbot, panel.allowance.edit, "")
    assert editor.document.contract.exclusions.maintenance_allowance_minutes_per_year is None
    assert panel.allowance.edit.placeholderText() == "no limit"

    type_into(qtbot, panel.allowance.edit, "ten hours")
    assert not panel.allowance.message.isHidden()
    assert "'ten hours' is not a number" in panel.allowance.message.text()
    assert panel.allowance.edit.styleSheet() == INVALID_BORDER
    assert blocked(window)
    window.undo_action.trigger()
    assert panel.allowance.message.isHidden() and not blocked(window)

    choose(qtbot, panel.excluded_time.combo, "counted as available")
    assert editor.document.contract.exclusions.excluded_time == "available"
    undo_all(window)
    assert editor.document.contract.exclusions.maintenance_allowance_minutes_per_year == 600
    assert editor.document.contract.exclusions.excluded_time == "remove"
    assert panel.excluded_time.combo.currentText() == "taken out of the period"


def test_a_tiers_scope_and_caps(qtbot, make_window):
    window = make_window()
    editor = window.editor
    terms = editor.tier_terms
    assert terms.title() == "Scope and caps of Bronze"
    assert terms.services.edit.text() == "Compute" and terms.period_cap.edit.text() == "50"

    type_into(qtbot, terms.services.edit, "Compute, Block storage")
    type_into(qtbot, terms.regions.edit, "")
    type_into(qtbot, terms.period_cap.edit, "")
    type_into(qtbot, terms.year_cap.edit, "30")
    bronze = editor.document.contract.tiers[0]
    assert bronze.scope == Scope(services=["Compute", "Block storage"], regions=[])
    assert bronze.caps == Caps(per_period_pct=None, per_year_pct_of_annual_fees=Decimal(30))

    rect = editor.tiers.visualRect(editor.tiers_model.index(2, 0))
    QTest.mouseClick(editor.tiers.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert terms.title() == "Scope and caps of Gold"
    assert (terms.period_cap.edit.text(), terms.year_cap.edit.text()) == ("100", "50")
    type_into(qtbot, terms.year_cap.edit, "-5")
    assert "greater than or equal to 0" in terms.year_cap.message.text()
    assert "Gold, yearly cap % of annual fees: " in editor.problems.text()
    assert blocked(window)

    window.undo_action.trigger()
    assert terms.year_cap.edit.text() == "50" and not blocked(window)
    undo_all(window)
    assert editor.document.contract.tiers[0].caps.per_period_pct == 50
    window.redo_action.trigger()
    assert editor.document.contract.tiers[0].scope.services == ["Compute", "Block storage"]


def test_the_liability_cap_and_the_claims(qtbot, make_window):
    window = make_window()
    editor = window.editor
    show_section(editor, "Caps and claims")
    caps = editor.caps
    assert caps.liability_amount.edit.text() == "1000000"

    type_into(qtbot, caps.liability_amount.edit, "")
    assert editor.document.contract.liability_cap is None  # both empty: no cap
    type_into(qtbot, caps.liability_percent.edit, "100")
    assert editor.document.contract.liability_cap == LiabilityCap(pct_of_annual_fees=100)
    type_into(qtbot, caps.liability_amount.edit, "250000")
    assert editor.document.contract.liability_cap == LiabilityCap(
        amount=250000, pct_of_annual_fees=100
    )

    type_into(qtbot, caps.claim_rate.edit, "60")  # a percentage where a share is wanted
    assert "less than or equal to 1" in caps.claim_rate.message.text()
    assert blocked(window)
    type_into(qtbot, caps.claim_rate.edit, "0.45")
    type_into(qtbot, caps.min_credit.edit, "2.50")
    claims = editor.document.contract.claims
    assert (claims.claim_rate, claims.min_credit) == (Decimal("0.45"), Decimal("2.50"))
    assert not blocked(window)

    undo_all(window)
    contract = editor.document.contract
    assert contract.liability_cap == LiabilityCap(amount=1000000)
    assert (contract.claims.claim_rate, contract.claims.min_credit) == (Decimal("0.6"), 1)
    assert caps.liability_percent.edit.text() == "" and caps.claim_rate.edit.text() == "0.6"


def test_switching_a_tiers_schedule_kind_and_editing_it(qtbot, make_window):
    window = make_window()
    editor = window.editor
    terms = editor.schedule_terms
    original = copy.deepcopy(editor.document.data)

    choose(qtbot, terms.kind.combo, "Per hour of downtime")
    assert editor.document.contract.tiers[0].credits == PerHourSchedule(
        kind="per_hour", credit_pct_per_hour=5, hours="started"
    )
    assert not editor.schedule.isVisible() and not editor.curve.isVisible()
    assert terms.per_hour.isVisibleTo(editor) and terms.hours.isVisibleTo(editor)
    type_into(qtbot, terms.per_hour.edit, "2")
    choose(qtbot, terms.hours.combo, "exact fractions of an hour")
    choose(qtbot, terms.boundary.combo, "at or below the threshold")
    assert editor.document.contract.tiers[0].credits == PerHourSchedule(
        kind="per_hour", boundary="at_or_below", credit_pct_per_hour=2, hours="exact"
    )
    type_into(qtbot, terms.per_hour.edit, "-1")
    assert "greater than or equal to 0" in terms.per_hour.message.text()
    assert blocked(window)
    window.undo_action.trigger()

    choose(qtbot, terms.kind.combo, "Multiple of the fee for the downtime")
    assert not terms.per_hour.isVisibleTo(editor) and terms.multiple.isVisibleTo(editor)
    type_into(qtbot, terms.multiple.edit, "3")
    assert editor.document.contract.tiers[0].credits == FeeMultipleSchedule(
        kind="fee_multiple", boundary="at_or_below", multiple=3
    )

    choose(qtbot, terms.kind.combo, "Linear curve")  # from the target, 99.5%
    assert editor.document.contract.tiers[0].credits == LinearSchedule(
        kind="linear",
        points=[
            {"availability_pct": "99.5", "credit_pct": "0"},
            {"availability_pct": "94.5", "credit_pct": "100"},
        ],
    )
    assert editor.schedule.isVisible() and not terms.boundary.isVisibleTo(editor)
    assert editor.schedule_model.headerData(0, Qt.Orientation.Horizontal, 0) == "Availability %"
    assert len(editor.curve.handles) == 2

    choose(qtbot, terms.kind.combo, "Bands (steps)")  # the curve's points become the bands
    bands = editor.document.contract.tiers[0].credits.bands
    assert [(b.below, b.credit_pct) for b in bands] == [
        (Decimal("99.5"), 0),
        (Decimal("94.5"), 100),
    ]
    assert [cell(editor.schedule, r, 0) for r in range(2)] == ["99.5", "94.5"]

    undo_all(window)
    assert editor.document.data == original
    assert terms.kind.combo.currentText() == "Bands (steps)"
    assert editor.schedule_model.rowCount() == 3


def test_a_bands_escalation_is_typed_in_the_table(qtbot, make_window):
    window = make_window()
    editor = window.editor
    type_into_cell(qtbot, editor.schedule, 1, 2, "notify legal")
    assert editor.document.contract.tiers[0].credits.bands[1].escalation == "notify legal"
    type_into_cell(qtbot, editor.schedule, 1, 2, "")
    assert editor.document.contract.tiers[0].credits.bands[1].escalation is None
    undo_all(window)
    assert not window.isWindowModified()


def test_adding_and_removing_tiers_is_undoable(qtbot, make_window):
    window = make_window()
    editor = window.editor
    names = lambda: [t["name"] for t in editor.document.data["tiers"]]  # noqa: E731

    qtbot.mouseClick(editor.add_tier, Qt.MouseButton.LeftButton)
    assert names() == ["Bronze", "Silver", "Gold", "New tier"]
    assert editor.tier == 3 and editor.tiers.currentIndex().row() == 3
    assert "New tier" in editor.schedule_box.title()
    new = editor.document.contract.tiers[3]
    assert new.model_dump(exclude={"name"}) == editor.document.contract.tiers[0].model_dump(
        exclude={"name"}
    )  # a copy of the selected tier, Bronze
    type_into_cell(qtbot, editor.tiers, 3, 0, "Platinum")
    type_into_cell(qtbot, editor.tiers, 3, 1, "99.999")
    assert editor.document.contract.tier("Platinum").target_pct == Decimal("99.999")

    rect = editor.tiers.visualRect(editor.tiers_model.index(1, 0))
    QTest.mouseClick(editor.tiers.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(editor.remove_tier, Qt.MouseButton.LeftButton)  # asks nothing
    assert names() == ["Bronze", "Gold", "Platinum"]
    assert editor.tiers.currentIndex().row() == 1 and "Gold" in editor.schedule_box.title()
    assert editor.tier_terms.title() == "Scope and caps of Gold"

    window.undo_action.trigger()
    assert names() == ["Bronze", "Silver", "Gold", "Platinum"]
    assert [cell(editor.tiers, r, 0) for r in range(4)] == names()
    window.redo_action.trigger()
    assert names() == ["Bronze", "Gold", "Platinum"]

    for _ in range(2):
        qtbot.mouseClick(editor.remove_tier, Qt.MouseButton.LeftButton)
    assert len(names()) == 1 and not editor.remove_tier.isEnabled()  # a contract keeps a tier
    assert editor.document.valid
    undo_all(window)
    assert names() == ["Bronze", "Silver", "Gold"] and not window.isWindowModified()
    assert editor.tiers.currentIndex().row() in range(3)


def test_a_new_tier_with_a_name_in_use_is_marked(qtbot, make_window):
    window = make_window()
    editor = window.editor
    qtbot.mouseClick(editor.add_tier, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.add_tier, Qt.MouseButton.LeftButton)
    assert [cell(editor.tiers, r, 0) for r in (3, 4)] == ["New tier", "New tier 2"]
    type_into_cell(qtbot, editor.tiers, 3, 0, "silver")
    assert "used twice" in cell(editor.tiers, 3, 0, Qt.ItemDataRole.ToolTipRole)
    assert blocked(window)


def test_a_tier_name_with_a_hidden_character_is_marked_and_named_by_number(qtbot, make_window):
    """A right-to-left override pasted into a tier's name would reorder every table and file the
    name is printed in: the cell says why, the problems name the tier by its number, and nothing
    can be saved until it is typed again."""
    window = make_window()
    editor = window.editor
    type_into_cell(qtbot, editor.tiers, 1, 0, "Sil\u202erevlis", paste=True)
    tip = cell(editor.tiers, 1, 0, Qt.ItemDataRole.ToolTipRole)
    assert "U+202E (right-to-left override), which a name cannot hold" in tip
    assert "Tier 2" in editor.problems.text() and "\u202e" not in editor.problems.text()
    assert blocked(window)
    type_into_cell(qtbot, editor.tiers, 1, 0, "Silver")
    assert not blocked(window)


@pytest.mark.parametrize(
    ("field", "text"),
    [("period_cap", "20"), ("claim_rate", "0.3"), ("kind", "Linear curve")],
)
def test_a_credit_term_edit_reprices_the_last_simulation(qtbot, make_window, field, text):
    window = make_window()
    view = run_simulation(qtbot, window, 2000, seed=5)
    first = view.run_result
    window.tabs.setCurrentIndex(0)
    editor = window.editor
    with qtbot.waitSignal(view.repriced, timeout=5_000):
        if field == "kind":
            choose(qtbot, editor.schedule_terms.kind.combo, text)
        elif field == "claim_rate":
            show_section(editor, "Caps and claims")
            type_into(qtbot, editor.caps.claim_rate.edit, text)
        else:
            type_into(qtbot, editor.tier_terms.period_cap.edit, text)
    assert view.run_result.measured is first.measured  # re-priced, not simulated again
    assert view.run_result.contract == editor.document.contract


def test_the_measurement_terms_are_chosen_typed_and_undone(qtbot, make_window):
    window = make_window()
    editor = window.editor
    show_section(editor, "Measurement")
    terms = editor.measurement
    assert terms.period.combo.currentText() == "calendar months"
    assert terms.slot_minutes.combo.currentText() == "1 minute"
    assert terms.min_downtime.edit.text() == "1"

    choose(qtbot, terms.period.combo, "calendar quarters (Jan-Mar, Apr-Jun, ...)")
    terms.slot_minutes.combo.setFocus()
    qtbot.keyClick(terms.slot_minutes.combo, Qt.Key.Key_Down)  # the keyboard picks 5 minutes
    type_into(qtbot, terms.min_downtime.edit, "10")
    measurement = editor.document.contract.measurement
    assert (measurement.period, measurement.slot_minutes) == ("quarter", 5)
    assert measurement.min_downtime_minutes == 10
    assert window.isWindowModified()

    type_into(qtbot, terms.min_downtime.edit, "2000")  # more than a day
    assert "less than or equal to 1440" in terms.min_downtime.message.text()
    assert terms.min_downtime.edit.styleSheet() == INVALID_BORDER
    assert "Minimum downtime (minutes): " in editor.problems.text()
    assert blocked(window)
    window.undo_action.trigger()
    assert terms.min_downtime.edit.text() == "10" and terms.min_downtime.message.isHidden()
    assert not blocked(window)

    undo_all(window)
    assert terms.period.combo.currentText() == "calendar months"
    assert terms.slot_minutes.combo.currentText() == "1 minute"
    assert terms.min_downtime.edit.text() == "1" and not window.isWindowModified()
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert terms.slot_minutes.combo.currentText() == "5 minutes"
    assert editor.document.contract.measurement.slot_minutes == 5

    open_version(window, "s3_style_requests", 1)  # another contract: its own terms
    terms = window.editor.measurement
    assert terms.slot_minutes.combo.currentText() == "5 minutes"
    assert terms.min_downtime.edit.text() == "5"
    table = terms.weights.table
    assert ("partial", "0.5") in [(cell(table, r, 0), cell(table, r, 1)) for r in range(4)]


def test_impact_weights_are_a_table_of_labels(qtbot, make_window):
    window = make_window()
    editor = window.editor
    show_section(editor, "Measurement")
    weights = editor.measurement.weights
    table = weights.table
    rows = lambda: [(cell(table, r, 0), cell(table, r, 1)) for r in range(4)]  # noqa: E731
    stored = [("degraded", "0"), ("full", "1"), ("none", "0"), ("partial", "0.3")]
    assert rows() == stored  # as the workspace keeps them

    type_into_cell(qtbot, table, 3, 1, "0.5")
    type_into_cell(qtbot, table, 0, 0, "Brownout")  # renamed, kept in its place
    assert editor.document.contract.measurement.impact_weights == {
        "brownout": 0,
        "full": 1,
        "none": 0,
        "partial": Decimal("0.5"),
    }
    assert cell(table, 0, 0) == "brownout"
    type_into_cell(qtbot, table, 0, 1, "1.5")
    assert cell(table, 0, 1, Qt.ItemDataRole.BackgroundRole).color() == INVALID
    assert "less than or equal to 1" in cell(table, 0, 1, Qt.ItemDataRole.ToolTipRole)
    assert blocked(window)
    window.undo_action.trigger()
    assert cell(table, 0, 1) == "0" and not blocked(window)

    type_into_cell(qtbot, table, 0, 0, "full")  # one label, two weights: refused, said why
    assert "has a weight already" in weights.message.text()
    assert cell(table, 0, 0) == "brownout"

    qtbot.mouseClick(weights.add, Qt.MouseButton.LeftButton)
    assert cell(table, 4, 0) == "new label"
    type_into_cell(qtbot, table, 4, 0, "minor")
    type_into_cell(qtbot, table, 4, 1, "0.1")
    assert editor.document.contract.measurement.impact_weights["minor"] == Decimal("0.1")
    type_into_cell(qtbot, table, 4, 0, "")
    assert "must not be empty" in weights.message.text()
    assert cell(table, 4, 0, Qt.ItemDataRole.BackgroundRole).color() == INVALID
    assert blocked(window)
    window.undo_action.trigger()
    assert weights.message.isHidden()

    table.selectRow(1)
    qtbot.mouseClick(weights.remove, Qt.MouseButton.LeftButton)
    assert "full" not in editor.document.data["measurement"]["impact_weights"]
    undo_all(window)
    assert rows() == stored and not window.isWindowModified()


def test_the_term_and_the_description(qtbot, make_window):
    window = make_window()
    editor = window.editor
    term = editor.general.term
    assert term.start.date.text() == "2024-01-01" and term.months.edit.text() == "36"
    assert term.description.text.toPlainText().startswith("Bronze, Silver and Gold")

    date = term.start.date
    date.setFocus()
    date.setSelectedSection(date.Section.YearSection)
    qtbot.keyClicks(date, "2025")
    qtbot.keyClick(date, Qt.Key.Key_Return)
    assert str(editor.document.contract.term.start) == "2025-01-01"
    arrow = QPoint(date.width() - 6, date.height() // 2)  # the calendar: the next day
    QTest.mouseClick(date, Qt.MouseButton.LeftButton, pos=arrow)
    calendar = date.calendarWidget()
    qtbot.waitUntil(calendar.isVisible, timeout=2000)
    days = calendar.focusWidget()
    qtbot.keyClick(days, Qt.Key.Key_Right)
    qtbot.keyClick(days, Qt.Key.Key_Return)  # picks it
    qtbot.waitUntil(lambda: not calendar.isVisible(), timeout=2000)
    assert str(editor.document.contract.term.start) == "2025-01-02"

    type_into(qtbot, term.months.edit, "0")
    assert "greater than or equal to 1" in term.months.message.text()
    assert term.months.edit.styleSheet() == INVALID_BORDER
    assert blocked(window)
    type_into(qtbot, term.months.edit, "24")
    assert editor.document.contract.term.months == 24 and not blocked(window)

    text = term.description.text
    QTest.mouseClick(text.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClick(text, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(text, "Compute tiers.")
    qtbot.keyClick(text, Qt.Key.Key_Return)
    qtbot.keyClicks(text, "Signed 2025.")
    qtbot.keyClick(text, Qt.Key.Key_Tab)  # leaving the field commits it
    assert editor.document.contract.description == "Compute tiers.\nSigned 2025."

    window.undo_action.trigger()
    assert text.toPlainText().startswith("Bronze, Silver and Gold")
    window.undo_action.trigger()
    assert term.months.edit.text() == "0" and not term.months.message.isHidden()
    undo_all(window)
    assert date.text() == "2024-01-01" and term.months.edit.text() == "36"
    window.redo_action.trigger()
    assert date.text() == "2025-01-01"


def test_a_measurement_edit_asks_to_resimulate_and_undo_reprices_again(qtbot, make_window):
    window = make_window()
    view = run_simulation(qtbot, window, 2000, seed=5)
    first = view.run_result
    window.tabs.setCurrentIndex(0)
    editor = window.editor
    show_section(editor, "Measurement")
    choose(qtbot, editor.measurement.slot_minutes.combo, "5 minutes")
    assert RESIMULATE in view.status.text()
    assert view.run_result is first  # the last figures stay

    with qtbot.waitSignal(view.repriced, timeout=5_000):
        window.undo_action.trigger()
    assert RESIMULATE not in view.status.text()
    show_section(editor, "Caps and claims")
    with qtbot.waitSignal(view.repriced, timeout=5_000):
        type_into(qtbot, editor.caps.claim_rate.edit, "0.3")
    assert view.run_result.measured is first.measured  # re-priced live again
    assert view.run_result.contract == editor.document.contract


def test_compare_starts_from_the_version_being_edited(qtbot, make_window):
    window = make_window()
    type_into_cell(qtbot, window.editor.schedule, 0, 1, "20")
    window.ask_text = lambda *a: "raise the first band"
    window.save_action.trigger()
    assert window.editor.title == "three_tier_cloud@2"

    open_version(window, "three_tier_cloud", 1)  # the older one, with version 2 stored
    editor = window.editor
    show_section(editor, "Caps and claims")
    type_into(qtbot, editor.caps.claim_rate.edit, "0.5")
    editor.tabs.setCurrentIndex(1)
    diff = editor.diff
    assert diff.older.currentText().startswith("version 1")
    assert diff.newer.currentText() == "the edits in the editor"
    rows = [[diff.table.item(r, c).text() for c in range(3)] for r in range(diff.table.rowCount())]
    assert rows == [["Claim rate", "0.6", "0.5"]]  # what was edited, nothing of version 2

    choose(qtbot, diff.older, "version 2 (draft)")
    assert diff.table.rowCount() == 2  # the band as well, from the other version


def test_a_cap_per_customer_across_tiers(qtbot, make_window):
    window = make_window()
    editor = window.editor
    show_section(editor, "Caps and claims")
    caps = editor.caps
    assert caps.customer_amount.edit.text() == "" and caps.customer_tiers.edit.text() == ""
    tiers = editor.document.contract.tiers
    assert len({t.customers for t in tiers}) > 1  # so every tier cannot be held together
    type_into(qtbot, caps.customer_amount.edit, "5000")
    assert "need the same customers" in editor.problems.text()
    assert blocked(window)
    type_into(qtbot, caps.customer_tiers.edit, f"{tiers[0].name}, Nonsense")
    assert "no tier named 'Nonsense'" in editor.problems.text()
    type_into(qtbot, caps.customer_tiers.edit, tiers[0].name)
    assert not blocked(window)
    assert editor.document.contract.customer_cap == CustomerCap(amount=5000, tiers=[tiers[0].name])
    assert caps.customer_tiers.edit.text() == tiers[0].name
    type_into(qtbot, caps.customer_amount.edit, "")
    type_into(qtbot, caps.customer_tiers.edit, "")
    assert editor.document.contract.customer_cap is None  # nothing left: no cap
