"""When a contract's maintenance windows fall, for the editor and the incident timeline to show
them: the occurrences the measurement excludes, computed by the one rule the replay and the
simulation use (``engine/windows.py``), so that what is shown is what is excluded."""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from slamodeler.domain.contract import MaintenanceWindow
from slamodeler.engine.windows import window_intervals


def window_occurrences(
    windows: Iterable[MaintenanceWindow], start: int, end: int, zone: ZoneInfo
) -> list[tuple[int, int]]:
    """UTC [start, end) seconds of every occurrence of ``windows`` overlapping [start, end), in
    the contract's time zone ``zone``."""
    return window_intervals(windows, start, end, zone)
