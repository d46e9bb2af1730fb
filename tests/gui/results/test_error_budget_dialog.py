"""Analysis > Error budget: a user picks a tier, reads the budget and the burn-rate alerts of an
objective as it is typed, searches the internal objective under a stored scenario in the
background, takes it as the objective, and exports the SLO as OpenSLO YAML."""

from __future__ import annotations

import yaml
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.helpers.gui_editing import choose


def _open(qtbot, window):
    action = window.error_budget_action
    assert action.isEnabled()
    action.trigger()
    dialog = window.error_budget_dialog
    qtbot.waitExposed(dialog)
    return dialog


def _row(dialog, row: int) -> list[str]:
    return [dialog.policy.item(row, c).text() for c in range(dialog.policy.columnCount())]


def _type_objective(qtbot, dialog, text: str) -> None:
    dialog.objective.lineEdit().selectAll()
    qtbot.keyClicks(dialog.objective, text)


def test_typing_an_objective_shows_its_budget_and_the_workbooks_alerts(qtbot, make_window):
    dialog = _open(qtbot, make_window())
    choose(qtbot, dialog.tier, "Gold")
    assert dialog.objective.value() == 99.99  # the tier's target to start with
    _type_objective(qtbot, dialog, "99.9")
    assert dialog.budget.text() == "43.20 weighted minutes per 30-day period"
    assert _row(dialog, 0) == ["page", "2%", "1 h", "5 min", "14.4x", "0.86 min"]
    assert _row(dialog, 1) == ["page", "5%", "6 h", "30 min", "6x", "2.16 min"]
    assert _row(dialog, 2) == ["ticket", "10%", "3 d", "6 h", "1x", "4.32 min"]
    _type_objective(qtbot, dialog, "93")
    assert _row(dialog, 0)[4:] == ["14.4x (unreachable)", "never"]
    assert _row(dialog, 1)[5] == "151.20 min"
    dialog.close()


def test_the_objective_is_found_under_a_scenario_and_can_be_used(qtbot, make_window):
    dialog = _open(qtbot, make_window())
    choose(qtbot, dialog.tier, "Bronze")
    choose(qtbot, dialog.scenario, "baseline")
    choose(qtbot, dialog.method, "monte-carlo")
    dialog.trials.lineEdit().selectAll()
    qtbot.keyClicks(dialog.trials, "1000")
    qtbot.mouseClick(dialog.run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.answer is not None, timeout=60_000)
    found = dialog.answer.objective
    text = dialog.found.text()
    assert (
        f"Internal objective: {found.objective_percent:.4f}% keeps P(breach) at or under 0.05"
        in text
    )
    assert "1,000 simulated trials per point" in text and "MTTR" in text
    assert found.answer.breach + 1.96 * found.answer.breach_se <= 0.05
    assert dialog.use.isEnabled()
    qtbot.mouseClick(dialog.use, Qt.MouseButton.LeftButton)
    assert dialog.objective.value() == round(found.objective_percent, 4)
    dialog.close()


def test_the_exact_method_says_which_term_it_cannot_price(qtbot, make_window):
    dialog = _open(qtbot, make_window())
    choose(qtbot, dialog.scenario, "baseline")
    choose(qtbot, dialog.method, "exact")
    qtbot.mouseClick(dialog.run, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.run.isEnabled(), timeout=60_000)
    assert dialog.status.text().startswith("No objective: the exact method")
    assert dialog.answer is None and not dialog.use.isEnabled()
    dialog.close()


def test_the_slo_is_exported_as_openslo(qtbot, make_window, tmp_path, monkeypatch):
    dialog = _open(qtbot, make_window())
    choose(qtbot, dialog.tier, "Silver")
    _type_objective(qtbot, dialog, "99.97")
    out = tmp_path / "silver.yaml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    qtbot.mouseClick(dialog.openslo, Qt.MouseButton.LeftButton)
    assert dialog.status.text().startswith(f"Wrote {out}: the SLO at 99.97%")
    documents = list(yaml.safe_load_all(out.read_text(encoding="utf-8")))
    assert documents[-1]["spec"]["objectives"][0]["target"] == 0.9997
    assert documents[-1]["metadata"]["displayName"] == "Silver"
    dialog.close()


def test_a_search_can_be_cancelled(qtbot, make_window):
    dialog = _open(qtbot, make_window())
    choose(qtbot, dialog.scenario, "baseline")
    choose(qtbot, dialog.method, "monte-carlo")
    dialog.trials.lineEdit().selectAll()
    qtbot.keyClicks(dialog.trials, "200000")
    qtbot.mouseClick(dialog.run, Qt.MouseButton.LeftButton)
    assert dialog.cancel.isEnabled()
    qtbot.mouseClick(dialog.cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.run.isEnabled(), timeout=60_000)
    assert dialog.status.text() == "No objective: cancelled." and dialog.answer is None
    dialog.close()


def _cells(table, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_the_budget_an_incident_set_spent_period_by_period(qtbot, make_window):
    dialog = _open(qtbot, make_window())
    choose(qtbot, dialog.tier, "Gold")  # 99.99%: INC-1007 (280 min in April 2024) is 1,000x
    choose(qtbot, dialog.incident_sets, "incidents_sample")
    qtbot.mouseClick(dialog.measure, Qt.MouseButton.LeftButton)
    rows = [_cells(dialog.spent, r) for r in range(dialog.spent.rowCount())]
    april = rows.index(["2024-04", "", "", "280.00", "4.32", "6481.5%", ""])
    assert rows[april + 1] == [
        "2024-04",
        "INC-1007",
        "280.00",
        "280.00",
        "",
        "6481.5%",
        "10,000.0x",
    ]
    assert dialog.status.text().startswith("incidents_sample: 13 period(s) from 2024-01 to 2025-01")
    assert dialog.reliability.text().startswith("7 outage(s) (overlapping incidents merged)")
    _type_objective(qtbot, dialog, "99.98")  # a looser objective: half the burn rate
    qtbot.mouseClick(dialog.measure, Qt.MouseButton.LeftButton)
    rows = [_cells(dialog.spent, r) for r in range(dialog.spent.rowCount())]
    assert ["2024-04", "INC-1007", "280.00", "280.00", "", "3240.7%", "5,000.0x"] in rows
    dialog.close()


def test_the_budget_spent_so_far_as_of_a_moment(qtbot, make_window):
    dialog = _open(qtbot, make_window())
    choose(qtbot, dialog.tier, "Gold")
    choose(qtbot, dialog.incident_sets, "incidents_sample")
    qtbot.keyClicks(dialog.as_of, "2024-04-10")  # no offset: refused, naming the field
    qtbot.mouseClick(dialog.measure, Qt.MouseButton.LeftButton)
    assert dialog.status.text().startswith("Not measured: As of 2024-04-10: give a time with its")
    # INC-1007 began 2024-04-30 23:20Z: by midnight UTC, 40 of Gold's 4.32 budget minutes
    dialog.as_of.clear()
    qtbot.keyClicks(dialog.as_of, "2024-05-01T00:00Z")
    qtbot.mouseClick(dialog.measure, Qt.MouseButton.LeftButton)
    assert dialog.reliability.text().splitlines()[-1] == (
        "So far, at 2024-05-01 00:00 UTC: 99.4% of 2024-04 gone, 925.9% of its budget spent: "
        "burn rate 9.31x; the budget is spent"
    )
    rows = [_cells(dialog.spent, r) for r in range(dialog.spent.rowCount())]
    assert rows[-1][:2] == ["2024-04", "INC-1007"]  # the history up to the period of the moment
    dialog.as_of.clear()  # no moment: the whole history, no pace
    qtbot.mouseClick(dialog.measure, Qt.MouseButton.LeftButton)
    assert "So far" not in dialog.reliability.text()
    dialog.close()
