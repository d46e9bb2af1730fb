"""``threshold_codes.miss_codes`` and the counts band pricing reads, as one compiled pass over
measured periods (numba), imported only through ``compiled_kernels``, never at start-up.

numpy makes an array of each step (the fractions, a comparison per cut, the codes, the ties, a
key per period and its bincount); this reads each period once and writes its code, its row's
counts and totals. The periods that sit exactly on a cut are only listed: the caller decides
them in integers, as ``miss_codes`` does (tests/engine/test_compiled_codes.py holds the two
paths equal)."""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def code_periods(measured, fractions, cuts, code_of, segment, out):
    """Each period's code, counted per row, segment and code, and per code and row over the
    horizon; returns the periods that sit on a cut (flat indices, row by row), left out of the
    counts for the caller to decide.

    ``measured``: downtime and excluded (rows x periods), each period's length, and whether
    the excluded time leaves the base. ``fractions``: the unavailable fractions, the flag
    "read them from there" (kept from an earlier coding) and the flag "write them there".
    ``cuts``: the distinct cuts, sorted; ``code_of[k]``: the code of a period with ``k`` cuts
    below its fraction. ``out``: code, counts and total, for these rows."""
    down, excluded, period_micro, remove = measured
    fraction, given, keep = fractions
    code, counts, total = out
    n_cuts = cuts.shape[0]
    tied = np.empty(16, np.int64)
    ties = 0
    for r in range(down.shape[0]):
        counts[r, :, :] = 0
        for c in range(down.shape[1]):
            if given:
                f = fraction[r, c]
            else:
                base = period_micro[c] - excluded[r, c] if remove else period_micro[c]
                f = 0.0 if base == 0 else down[r, c] / max(base, 1)
                if keep:
                    fraction[r, c] = f
            above = 0
            for j in range(n_cuts):  # every cut, without a branch to mispredict
                above += f > cuts[j]
            if above < n_cuts and cuts[above] == f:
                if ties == tied.shape[0]:
                    more = np.empty(2 * ties, np.int64)
                    more[:ties] = tied
                    tied = more
                tied[ties] = r * down.shape[1] + c
                code[r, c] = 0
                ties += 1
                continue
            k = code_of[above]
            code[r, c] = k
            counts[r, segment[c], k] += 1
        for k in range(counts.shape[2]):
            whole = 0
            for s in range(counts.shape[1]):
                whole += counts[r, s, k]
            total[k, r] = whole
    return tied[:ties]
