"""A progress line on a terminal's stderr, with an estimate of the time left."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Call with (done, total); silent unless the stream is a terminal."""

    def __init__(self, what: str, stream: TextIO | None = None, width: int = 30):
        self.what = what
        self.stream = stream or sys.stderr
        self.width = width
        self.started = time.monotonic()
        self.active = self.stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.active or total <= 0:
            return
        share = done / total
        filled = int(self.width * share)
        elapsed = time.monotonic() - self.started
        left = f", {elapsed * (1 - share) / share:,.0f} s left" if 0 < share < 1 else ""
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {share:4.0%} {done:,}/{total:,} {self.what}{left}   ")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
