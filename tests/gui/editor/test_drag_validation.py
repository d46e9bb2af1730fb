"""A dragged point of the penalty curve is checked against its neighbours at each move; the whole
contract is validated once, when the point is let go."""

from __future__ import annotations

from decimal import Decimal

from slamodeler.domain.contract import Contract
from tests.helpers.gui_editing import Mouse, cell, previews_of


def test_a_drag_validates_the_whole_contract_only_when_the_point_is_let_go(
    qtbot, make_window, monkeypatch
):
    window = make_window()
    window.resize(1280, 800)
    editor = window.editor
    offered = previews_of(editor)
    validated: list[object] = []
    whole = Contract.model_validate

    def counted(data: object, *args: object, **kwargs: object) -> Contract:
        validated.append(data)
        return whole(data, *args, **kwargs)

    monkeypatch.setattr(Contract, "model_validate", counted)
    mouse = Mouse(qtbot, editor)
    mouse.press(1)  # band 2: below 99% -> 25%
    mouse.move_to(98.0, 40.0)
    qtbot.waitUntil(lambda: len(offered) > 1)
    assert validated == []  # every move offered a contract, none validated whole
    assert all(c.tiers[0].credits.bands[1].below < Decimal("99.5") for c in offered)

    mouse.release()
    assert len(validated) >= 1  # the edit made on release is validated whole
    assert editor.document.problems == [] and editor.document.undo_stack.count() == 1
    assert cell(editor.schedule, 1, 0) != "99"
