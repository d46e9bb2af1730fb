"""What a short command's process need not pay: BLAS threads that spin for work it never gives
them, and the cycle collector's walks over every object at the interpreter's exit.

numpy's OpenBLAS starts a thread for every further core when numpy is imported, and each spins
about 0.1 s of CPU waiting for work before it sleeps, whether or not any comes. A printed replay
hands BLAS nothing (no matrix product, dot or linalg call on its path), so its numpy starts none.
A thread count the user set (``OPENBLAS_NUM_THREADS``) is kept, and the variable is put back once
numpy is loaded, so that nothing started later inherits it.

At exit Python runs a full collection before and after it clears the modules, each walking
every object still tracked (about 20 ms each after a small replay), to free memory the operating
system takes back anyway. Frozen objects (``gc.freeze``) are left out of both; the exit handlers
still run and the standard streams are still flushed. Only for commands that open no workspace
and write no file besides the standard streams: an object in a reference cycle is then not
finalized at exit, which no file or connection of theirs depends on.

Both were about a fifth of a small `slamodeler replay`'s CPU time on a 2-core machine
(benchmarks/README.md, `cli_startup.py`).
"""

from __future__ import annotations

import atexit
import functools
import gc
import importlib
import os
import sys

BLAS_THREADS = "OPENBLAS_NUM_THREADS"  # read by OpenBLAS once, when numpy loads it


def import_numpy_without_blas_threads() -> None:
    """Import numpy with one BLAS thread, unless it is loaded already or the user set the count."""
    if "numpy" in sys.modules or BLAS_THREADS in os.environ:
        return
    os.environ[BLAS_THREADS] = "1"
    try:
        importlib.import_module("numpy")
    finally:
        del os.environ[BLAS_THREADS]


@functools.cache  # once a process, however many commands it runs (the tests run many)
def exit_without_collecting() -> None:
    """Leave every object out of the collections at the interpreter's exit."""
    atexit.register(gc.freeze)
