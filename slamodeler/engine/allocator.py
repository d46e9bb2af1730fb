"""Big arrays kept on the heap in a process whose allocator was told to hand memory back at once.

Dask's nanny starts every worker with ``MALLOC_TRIM_THRESHOLD_=65536`` (its
``distributed.nanny.pre-spawn-environ``), and setting any of glibc's thresholds also fixes its
mmap threshold at 128 KiB: every array past that size is then mapped and unmapped on each
allocation and its pages faulted in again, and a chunk of trials took 3x the CPU time on such a
worker that it takes in a plain process (benchmarks/dask_speed.py). In such a process a
simulation task sets the two thresholds where glibc's own adjustment takes them in a plain
process (mmap at 32 MiB, its ceiling on 64-bit systems; trim at twice that), once, before its
first block. Elsewhere (no such variable, or another C library) nothing is changed.
"""

from __future__ import annotations

import ctypes
import functools
import os
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters
MMAP_BYTES = 32 * 1024 * 1024
TOLD = "MALLOC_TRIM_THRESHOLD_"


@functools.cache
def keep_big_arrays_on_the_heap() -> bool:
    """Tune glibc as above where the process was started with ``MALLOC_TRIM_THRESHOLD_``;
    whether it was tuned (once per process; a forked child inherits the setting)."""
    if TOLD not in os.environ or not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # musl or another C library: nothing to tune
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_BYTES)) and bool(
        mallopt(M_TRIM_THRESHOLD, 2 * MMAP_BYTES)
    )
