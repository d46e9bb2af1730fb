"""The Qt binding keeps Python's reference counts: PySide6 6.12.0 on Python 3.11 loses one
reference to ``True`` per signal emitted and to ``None`` per ``void`` call, and a session of
chart repaints then aborts the interpreter ("bool_dealloc"/"none_dealloc"). pyproject.toml
keeps that release out; this test fails if it comes back."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget


class _Emitter(QObject):
    changed = Signal(int)


def test_calls_into_qt_keep_the_counts_of_none_true_and_false(qtbot):
    emitter, widget = _Emitter(), QWidget()
    qtbot.addWidget(widget)
    before = [sys.getrefcount(x) for x in (None, True, False)]
    for _ in range(2000):
        emitter.changed.emit(1)
        widget.setToolTip("x")
    after = [sys.getrefcount(x) for x in (None, True, False)]
    assert all(a > b - 100 for a, b in zip(after, before, strict=True)), (before, after)
