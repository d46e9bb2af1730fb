"""Dragging a point of the penalty curve with the mouse: it snaps to round values, stops at its
neighbours (so the schedule offered for pricing is always valid), and says where it is while the
button is held."""

from __future__ import annotations

from decimal import Decimal

from tests.helpers.gui_editing import Mouse, cell, choose, previews_of


def handle_at(editor, index: int) -> tuple[float, float]:
    pos = editor.curve.handles[index].pos()
    return pos.x(), pos.y()


def test_a_band_dragged_past_its_neighbour_stops_at_it_and_shows_its_value(qtbot, make_window):
    window = make_window()
    window.resize(1280, 800)
    editor = window.editor
    offered = previews_of(editor)
    label = editor.curve.value_label
    assert not label.isVisible()
    mouse = Mouse(qtbot, editor)
    mouse.press(1)  # band 2: below 99% -> 25%
    mouse.move_to(99.8, 5.0)  # above band 1 (below 99.5% -> 10%) and under its credit

    assert handle_at(editor, 1) == (99.49, 10.0)  # a step under band 1's threshold, its credit
    assert label.isVisible() and label.textItem.toPlainText() == "below 99.49%  →  10%"
    qtbot.waitUntil(
        lambda: bool(offered) and offered[-1].tiers[0].credits.bands[1].below == Decimal("99.49")
    )
    for contract in offered:  # never an invalid schedule, and never off the grid
        bands = contract.tiers[0].credits.bands
        assert [b.below for b in bands] == sorted((b.below for b in bands), reverse=True)
        assert [b.credit_pct for b in bands] == sorted(b.credit_pct for b in bands)
        assert all(b.below % Decimal("0.01") == 0 for b in bands)
        assert all(b.credit_pct % Decimal("0.5") == 0 for b in bands)
    assert offered[-1].tiers[0].credits.bands[1].credit_pct == 10

    mouse.release()
    assert not label.isVisible()
    assert (cell(editor.schedule, 1, 0), cell(editor.schedule, 1, 1)) == ("99.49", "10")
    assert editor.document.problems == []
    assert editor.document.undo_stack.count() == 1


def test_a_dragged_band_lands_on_round_values(qtbot, make_window):
    window = make_window()
    window.resize(1280, 800)
    editor = window.editor
    mouse = Mouse(qtbot, editor)
    mouse.press(1)
    mouse.move_to(97.954, 39.37)
    mouse.release()
    below, credit = Decimal(cell(editor.schedule, 1, 0)), Decimal(cell(editor.schedule, 1, 1))
    assert below % Decimal("0.01") == 0 and abs(below - Decimal("97.95")) < Decimal(
        "0.3"
    )  # a pixel
    assert credit % Decimal("0.5") == 0 and abs(credit - Decimal("39.5")) <= 1
    assert len(cell(editor.schedule, 1, 0).partition(".")[2]) <= 2


def test_a_point_of_a_linear_curve_stops_above_the_next_one(qtbot, make_window):
    window = make_window()
    window.resize(1280, 800)
    editor = window.editor
    choose(qtbot, editor.schedule_terms.kind.combo, "Linear curve")  # 99.5/10, 99/25, 95/50
    offered = previews_of(editor)
    mouse = Mouse(qtbot, editor)
    mouse.press(1)
    mouse.move_to(94.5, 56.0)  # below point 3 in availability, above it in credit
    assert handle_at(editor, 1) == (95.01, 50.0)
    label = editor.curve.value_label.textItem.toPlainText()
    assert label == "95.01%  →  50%"
    mouse.release()
    assert (cell(editor.schedule, 1, 0), cell(editor.schedule, 1, 1)) == ("95.01", "50")
    assert editor.document.problems == []
    assert offered and all(c.tiers[0].credits.points[1].availability_pct > 95 for c in offered)
