"""Pieces of work put in later turns of the event loop: the window's timers are served between
any two of them (with ``QTimer.singleShot(0, ...)`` two ran back to back)."""

from __future__ import annotations

import itertools
import time

from PySide6.QtCore import QObject, QTimer

from slamodeler.gui.widgets.turns import in_a_later_turn


def test_a_due_timer_is_served_between_two_pieces(qtbot):
    context = QObject()
    happened: list[str] = []
    ticking = QTimer()
    ticking.setInterval(1)
    ticking.timeout.connect(lambda: happened.append("tick"))

    def piece(n: int) -> None:
        until = time.monotonic() + 0.005  # long enough for the 1 ms timer to be due after it
        while time.monotonic() < until:
            pass
        happened.append(f"piece {n}")
        if n < 4:
            in_a_later_turn(context, lambda: piece(n + 1))

    ticking.start()
    in_a_later_turn(context, lambda: piece(1))
    qtbot.waitUntil(lambda: "piece 4" in happened)
    ticking.stop()
    pieces = [i for i, what in enumerate(happened) if what.startswith("piece")]
    assert all(b - a >= 2 for a, b in itertools.pairwise(pieces))  # a tick between


def test_a_piece_of_a_deleted_context_is_not_called(qtbot):
    context = QObject()
    called: list[int] = []
    in_a_later_turn(context, lambda: called.append(1))
    context.deleteLater()
    qtbot.wait(30)
    assert called == []
