"""A simulation task keeps its big arrays on the heap instead of mapping and unmapping each one,
in a plain process and in one started as Dask's nanny starts workers (MALLOC_TRIM_THRESHOLD_
set), and on small pages unless the user asks numpy otherwise. Each case runs in a fresh
interpreter: the allocator's settings are per process."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers.paths import REPO

# Whether a chunk of trials tuned the process, how many bytes of a 4 MiB array allocated after
# it live in mapped regions, and whether numpy asks for huge pages before and after it.
PROBE = """
import ctypes, json
import numpy as np
from benchmarks.simulation_speed import SCENARIO
from slamodeler.engine.allocator import keep_big_arrays_on_the_heap
from slamodeler.engine.simulation import measure_chunk
from slamodeler.io.contract_file import load_contract

class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in (
        "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split())]

libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Info
terms = load_contract("sample_contracts/three_tier_cloud.yaml")
core = getattr(np, "_core", None) or np.core  # numpy 2; numpy 1.26
huge = [core.multiarray._get_madvise_hugepage()]
measure_chunk((terms.model_dump_json(),), SCENARIO.model_dump_json(), 1, [(0, 50)])
before = libc.mallinfo2().hblkhd
big = np.ones(4 * 1024 * 1024 // 8)
called = keep_big_arrays_on_the_heap.cache_info().currsize == 1  # by the chunk, not this probe
huge.append(core.multiarray._get_madvise_hugepage())
tuned = called and keep_big_arrays_on_the_heap()
print(json.dumps([tuned, libc.mallinfo2().hblkhd - before, huge]))
"""


def _probe(**env: str) -> list:
    import json

    kept = ("MALLOC_TRIM_THRESHOLD_", "NUMPY_MADVISE_HUGEPAGE")
    clean = {k: v for k, v in os.environ.items() if k not in kept}
    found = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(found.stdout)


def test_a_worker_told_to_trim_keeps_big_arrays_on_the_heap():
    tuned, mapped, _ = _probe(MALLOC_TRIM_THRESHOLD_="65536")
    assert tuned is True
    assert mapped == 0


def test_a_plain_process_keeps_big_arrays_on_the_heap_too():
    """Left to glibc, a plain process handed a block's temporaries back and faulted them in
    again block after block (engine/allocator.py): it is tuned as a worker is."""
    tuned, mapped, _ = _probe()
    assert tuned is True
    assert mapped == 0


def test_a_process_that_simulates_asks_for_small_pages_unless_told_otherwise():
    """numpy's huge-page advice cost a 1M-trial run 9-24% more CPU here (engine/allocator.py):
    a simulating process turns it off; a user who set NUMPY_MADVISE_HUGEPAGE keeps theirs."""
    assert _probe()[2][1] is False  # whatever numpy's default on this kernel (on from 4.6)
    assert _probe(NUMPY_MADVISE_HUGEPAGE="1")[2] == [True, True]


def test_a_run_hands_what_it_freed_back_at_its_end(monkeypatch):
    """Tuned, an arena keeps up to 64 MiB freed: a run, and a run measured again, trim it at
    their end (in the desktop application's long session a dropped 1M-trial run left 335 MB
    resident untrimmed, 211 MB trimmed)."""
    from benchmarks.simulation_speed import SCENARIO
    from slamodeler.engine import simulation
    from slamodeler.io.contract_file import load_contract

    calls: list[str] = []
    monkeypatch.setattr(simulation, "give_back_free_memory", lambda: calls.append("trim"))
    terms = load_contract(REPO / "sample_contracts" / "three_tier_cloud.yaml")
    run = simulation.simulate(terms, SCENARIO, 200, seed=1, keep_periods=False)
    assert calls == ["trim"]
    simulation.measured_again(run)
    assert calls == ["trim", "trim"]


def test_giving_back_does_not_tune_a_process_that_was_not():
    script = (
        "from slamodeler.engine.allocator import give_back_free_memory as g,"
        " keep_big_arrays_on_the_heap as k\n"
        "g()\n"
        "print(k.cache_info().currsize)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "0"
