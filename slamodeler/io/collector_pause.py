"""Python's cycle collector paused while a large input becomes objects: a big YAML file or a
million incident rows make millions of objects (none in a cycle), and each automatic full
collection walks every one made so far (parsing 10,000 tiers cost half as much again per tier as
1,000 did; a third of a 1M-row import's time). Where automatic collection is already off (the
desktop application collects on its GUI thread only: gui/collector.py), it stays off."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
