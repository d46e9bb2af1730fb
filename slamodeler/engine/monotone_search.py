"""The last step of a non-decreasing function at or below zero, found in few evaluations: each
evaluation is a re-pricing of every trial (the fee solver of profitability, the finders)."""

from __future__ import annotations

from collections.abc import Callable


def last_at_or_below(value: Callable[[int], float], lo: int, hi: int, strict: bool = False) -> int:
    """The last j in [lo, hi) with value(j) <= 0 (< 0 when ``strict``), given that it holds at
    ``lo`` and not at ``hi`` and that ``value`` does not decrease. False position (Illinois),
    since what is priced is often nearly linear in the step, with a plain halving every third
    step, so that flat stretches and the steps of rounding cannot stall it."""

    def holds(v: float) -> bool:
        return v < 0 if strict else v <= 0

    f_lo, f_hi, side, step = value(lo), value(hi), 0, 0
    while hi - lo > 1:
        step += 1
        mid = (lo + hi) // 2
        if step % 3 and f_hi != f_lo:
            guess = lo + f_lo * (lo - hi) / (f_hi - f_lo)
            mid = min(hi - 1, max(lo + 1, round(guess)))
        found = value(mid)
        if holds(found):
            lo, f_lo = mid, found
            f_hi = f_hi / 2 if side == -1 else f_hi  # Illinois: the end kept twice counts less
            side = -1
        else:
            hi, f_hi = mid, found
            f_lo = f_lo / 2 if side == 1 else f_lo
            side = 1
    return lo
