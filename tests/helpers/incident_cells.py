"""Cells of incident files as exports write them, and around them (hypothesis strategies):
times in the fast lane's form and broken, impacts, free texts; for the import's fast lane and
the compiled reader, held to the per-cell rules."""

from __future__ import annotations

from datetime import datetime

from hypothesis import strategies as st

DIGITS = st.sampled_from("0123456789")
ODD = st.sampled_from(["", " ", "\ufeff", "'", '"', "٢", "２", "Z", "z", "+", "-", ":", "T", "."])


@st.composite
def time_texts(draw: st.DrawFn) -> str:
    """Times as exports write them, in the lane's form and around it: offsets, naive, dates,
    fractions, other digits, spaces, impossible dates and clock times."""
    stamp = draw(
        st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59))
    )
    sep = draw(st.sampled_from(["T", "T", " ", "t", "_"]))
    text = stamp.strftime(f"%Y-%m-%d{sep}%H:%M:%S")
    text = stamp.isoformat(sep) if draw(st.booleans()) and stamp.microsecond else text
    text += draw(st.sampled_from(["Z"] * 6 + ["", "+00:00", "-05:00", "+14:00", "z", " Z"]))
    if draw(st.integers(0, 4)) == 0:  # break one character: a month 13, a day 31 of June ...
        at = draw(st.integers(0, len(text) - 1))
        text = text[:at] + draw(st.one_of(DIGITS, ODD)) + text[at + 1 :]
    if draw(st.integers(0, 5)) == 0:
        text = draw(ODD) + text + draw(ODD)
    return draw(st.sampled_from([text] * 8 + [""]) | st.text(max_size=22))


IMPACTS = st.one_of(
    st.sampled_from(
        [
            *["full", "full", "FULL ", "partial", "degraded", "none", "major", "", " ", "0.25"],
            *["0,5", "30%", "150%", "-0", "1e999", "NaN", "inf", "-inf", "1,440", "'=1", "٠.٥"],
        ]
    ),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=6),
)
TEXTS = st.one_of(st.sampled_from(["", " x ", "'=maint", "Maintenance", "ü"]), st.text(max_size=8))
