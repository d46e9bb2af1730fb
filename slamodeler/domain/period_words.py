"""The measurement periods and windows of a contract in words, as summaries and exports say them."""

from __future__ import annotations

from slamodeler.domain.contract import Measurement, Window


def window_words(window: Window | None) -> str:
    """What each result row measures, in words (exports, the editor)."""
    if window is None:
        return "each period on its own"
    if window.kind == "rolling":
        return f"the {window.days} days before each period end"
    return f"the {window.days} days before each claim (a claim as each incident ends)"


def period_words(m: Measurement) -> str:
    """``quarterly periods (fiscal, from February), each measured over ...``: the periods and
    what each measures, as a summary line says them."""
    words = f"{m.period}ly periods"
    if m.period != "month" and m.first_month:
        words += f" (fiscal, from {m.year_starts.capitalize()})"
    if m.window is not None:
        words += f", each measured over {window_words(m.window)}"
    return words
