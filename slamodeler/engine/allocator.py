"""Big arrays kept on the heap in every process that simulates, instead of mapped and unmapped.

glibc maps every allocation past its mmap threshold (128 KiB at first) and unmaps it when freed,
and hands the top of its heap back past its trim threshold; both move only as mapped blocks are
freed. A block's measurement makes a few MiB of temporaries, so a plain process gave them back
and faulted their pages in again block after block until its thresholds had risen: the first
1M-trial run of the sample in a process (a command's only one) took 156,000-164,000 page faults
and 0.9-1.2 s of system time, against 17,000-18,000 and 0.4-0.5 s (5-12% less CPU time) with the
thresholds where glibc's own adjustment stops (mmap at 32 MiB, its ceiling on 64-bit systems;
trim at twice that). Dask's nanny starts every worker with ``MALLOC_TRIM_THRESHOLD_=65536``,
which fixes the mmap threshold at 128 KiB: a chunk of trials took 3x the CPU time there
(benchmarks/dask_speed.py). So a simulation task sets the two thresholds, once per process,
before its first block. Each arena (about one per thread that allocates) may then keep up to
64 MiB of freed memory for reuse, so a run hands what it freed back at its end
(``give_back_free_memory``): in a long session of the desktop application a 1M-trial run
left 335 MB resident once dropped, against 211 MB trimmed (8 ms). Under another C library
nothing is changed.

numpy asks the kernel for transparent huge pages (``madvise(MADV_HUGEPAGE)``) on every array of
4 MiB or more: a run's per-trial totals from 524,288 trials on (8 MB each at 1M), a kept run's
periods. Where the system grants them on request (``madvise``, the default of many
distributions), faulting them in cost a 1M-trial run 0.2-0.6 s more system time on this 2-core
virtual machine (about 50 huge pages; no compaction stall counted), 1.01-1.19x the CPU time of
the run on 4 KiB pages, and never clearly less (benchmarks/huge_pages.py, fresh processes in
turn); a kernel short of free huge pages would also compact memory on the spot. So a process
that simulates asks numpy for small pages, unless ``NUMPY_MADVISE_HUGEPAGE`` says otherwise
(numpy reads it at import: the user's choice stands).
"""

from __future__ import annotations

import ctypes
import functools
import os
import sys

import numpy as np

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters
MMAP_BYTES = 32 * 1024 * 1024


@functools.cache
def keep_big_arrays_on_the_heap() -> bool:
    """Tune glibc as above, and ask numpy for small pages; whether glibc was tuned (once per
    process; a forked child inherits the setting)."""
    if not sys.platform.startswith("linux"):
        return False
    small_pages_for_big_arrays()
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # musl or another C library: nothing to tune
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_BYTES)) and bool(
        mallopt(M_TRIM_THRESHOLD, 2 * MMAP_BYTES)
    )


def small_pages_for_big_arrays() -> None:
    """numpy's huge-page advice turned off, as above, unless ``NUMPY_MADVISE_HUGEPAGE`` is set."""
    if "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        return
    core = getattr(np, "_core", None) or np.core  # numpy 2; numpy 1.26
    advise = getattr(core.multiarray, "_set_madvise_hugepage", None)
    if advise is not None:
        advise(False)


def give_back_free_memory() -> None:
    """Hand the memory the process's allocator holds free back to the system (``malloc_trim``),
    where ``keep_big_arrays_on_the_heap`` tuned it: at the end of a run, not between blocks."""
    if keep_big_arrays_on_the_heap.cache_info().currsize and keep_big_arrays_on_the_heap():
        ctypes.CDLL("libc.so.6").malloc_trim(0)
