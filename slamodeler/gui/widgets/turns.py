"""Work split across turns of the event loop, so that the GUI thread serves its timers and input
between the pieces.

``QTimer.singleShot(0, ...)`` is a posted event, and Qt delivers the events posted meanwhile
before it serves the timers again: two pieces queued that way ran back to back, with no timer
between them (the responsiveness test saw a browser listing and a replay's table, each put in a
turn of its own, in one 60-80 ms stretch). A 1 ms timer is served with the other timers: the
window's events come between two pieces."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

NEXT_TURN_MS = 1


def in_a_later_turn(context: QObject, piece: Callable[[], None]) -> None:
    """Call ``piece`` once the event loop has served what is due, unless ``context`` is
    deleted first."""
    QTimer.singleShot(NEXT_TURN_MS, context, piece)
