"""When a contract's maintenance windows fall, for the views that show them: the next few from
now (the terms editor's preview) and the time each incident spent inside them (the timeline).
The day rule and the arithmetic are engine/windows.py's, as replay and simulation use them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError

from slamodeler.domain.contract import Contract, MaintenanceWindow
from slamodeler.domain.errors import InputError
from slamodeler.engine.windows import next_occurrences, seconds_inside, window_intervals


def upcoming_windows(
    windows: Sequence[Any], timezone: str, now: datetime, count: int
) -> list[tuple[int, datetime, datetime]]:
    """The next ``count`` occurrences of the windows (as the contract document holds them) from
    ``now``: (window number from 1, local begin, local end), earliest first. A window that is not
    valid yet is skipped; a time zone that is not valid raises InputError."""
    try:
        zone = ZoneInfo(timezone)
    except (ValueError, OSError, TypeError, KeyError):
        raise InputError(f"time zone {timezone!r}: not a valid IANA time zone") from None
    valid = [_valid(data) for data in windows]
    return [
        (number, datetime.fromtimestamp(begin, zone), datetime.fromtimestamp(end, zone))
        for begin, end, number in next_occurrences(valid, int(now.timestamp()), zone, count)
    ]


def _valid(data: Any) -> MaintenanceWindow | None:
    try:
        return MaintenanceWindow.model_validate(data)
    except ValidationError:
        return None


def time_in_windows(
    contract: Contract, starts: NDArray[np.int64], ends: NDArray[np.int64]
) -> tuple[list[tuple[int, int]], NDArray[np.int64]]:
    """The contract's windows over the incidents' span (UTC [start, end) pairs) and the seconds
    of each incident [start, end) inside them; ``starts`` must not be empty."""
    windows = window_intervals(
        contract.exclusions.maintenance_windows,
        int(starts.min()),
        int(ends.max()),
        ZoneInfo(contract.timezone),
    )
    return windows, seconds_inside(starts, ends, windows)
