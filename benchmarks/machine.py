"""What the benchmarks say of the machine beside their figures: this one has 2 cores shared
with other work, so every ratio is printed with the cores the load left free."""

from __future__ import annotations

import os


def free_cores() -> str:
    """The cores the 1-minute load average leaves free, as measured now."""
    load = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    return f"load {load:.2f} on {cores} cores: {max(0.0, cores - load):.1f} free"
