"""What a band schedule's text leaves unpaid or pays twice: the availabilities that miss the
target but fall in no band (GitHub's "at or below 99.9% and above 99.0%" then "below 99.0%" pays
nothing at exactly 99.0%), and those that fall in a band that states its lower end and in another
band too. Warnings, not refusals: the contract is what it says, and these are what a reviewer
wants to find before signing. Exact (fractions): the gap may be a single point.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from slamodeler.domain.credit_schedules import Band, BandSchedule, Boundary

if TYPE_CHECKING:
    from slamodeler.domain.contract import Contract


@dataclass(frozen=True)
class Span:
    """Availabilities from ``low`` to ``high`` in percent, each end included or not; a single
    point when ``low == high`` (both included)."""

    low: Fraction
    low_included: bool
    high: Fraction
    high_included: bool

    def text(self) -> str:
        if self.low == self.high:
            return f"exactly {_percent(self.low)}%"
        low = f"{'at or above' if self.low_included else 'above'} {_percent(self.low)}%"
        high = f"{'at or below' if self.high_included else 'below'} {_percent(self.high)}%"
        return f"{low} and {high}"


@dataclass(frozen=True)
class BandWarning:
    """One gap or overlap: where, which bands (numbered from 1), and the sentence to show."""

    span: Span
    bands: tuple[int, ...]
    message: str


def band_warnings(schedule: BandSchedule, target_pct: Decimal) -> list[BandWarning]:
    """The gaps (missing the target, in no band) and overlaps (in a band that states its lower
    end and in another), from the highest availability to the lowest."""
    boundary = schedule.boundary
    pieces = _pieces([target_pct, *_ends(schedule.bands)])
    found: list[tuple[Span, str, tuple[int, ...]]] = []
    for span, at in pieces:
        hit = tuple(i for i, band in enumerate(schedule.bands) if in_band(band, boundary, at))
        if misses(at, target_pct, boundary) and not hit:
            found.append((span, "gap", ()))
        elif any(schedule.bands[i].above is not None for i in hit[:-1]):
            found.append((span, "overlap", hit))
    merged = _merge(found)
    return [_warning(span, kind, bands, schedule) for span, kind, bands in reversed(merged)]


def in_band(band: Band, boundary: Boundary, availability: Fraction) -> bool:
    """Whether ``availability`` (percent, exact) is between the band's ends as stated."""
    threshold, rule = band.upper_test(boundary)
    if not misses(availability, threshold, rule):
        return False
    lower = band.lower_test()
    return lower is None or not misses(availability, *lower)


def misses(availability: Fraction, threshold: Decimal, boundary: Boundary) -> bool:
    """Whether ``availability`` is below (or at or below) ``threshold``, exactly."""
    limit = Fraction(threshold)
    return availability < limit if boundary == "below" else availability <= limit


def _ends(bands: list[Band]) -> list[Decimal]:
    return [end for band in bands for end in (band.below, band.above) if end is not None]


def _pieces(points: list[Decimal]) -> list[tuple[Span, Fraction]]:
    """0 to 100 cut at every end: each point and each open stretch between two, with an
    availability inside it (every test is constant on a piece), from the lowest up."""
    cuts = sorted({Fraction(0), Fraction(100), *(Fraction(p) for p in points)})
    pieces = [(Span(cuts[0], True, cuts[0], True), cuts[0])]
    for low, high in itertools.pairwise(cuts):
        pieces.append((Span(low, False, high, False), (low + high) / 2))
        pieces.append((Span(high, True, high, True), high))
    return pieces


def _merge(
    found: list[tuple[Span, str, tuple[int, ...]]],
) -> list[tuple[Span, str, tuple[int, ...]]]:
    """Neighbouring pieces of the same kind and bands as one span."""
    merged: list[tuple[Span, str, tuple[int, ...]]] = []
    for span, kind, bands in found:
        if merged:
            last, last_kind, last_bands = merged[-1]
            touching = last.high == span.low and (last.high_included or span.low_included)
            if touching and (last_kind, last_bands) == (kind, bands):
                merged[-1] = (
                    Span(last.low, last.low_included, span.high, span.high_included),
                    kind,
                    bands,
                )
                continue
        merged.append((span, kind, bands))
    return merged


def _warning(span: Span, kind: str, bands: tuple[int, ...], schedule: BandSchedule) -> BandWarning:
    if kind == "gap":
        point = span.low == span.high
        verb = "misses the target but falls" if point else "miss the target but fall"
        earns = "it earns" if point else "they earn"
        return BandWarning(span, (), f"{span.text()} {verb} in no band: {earns} no credit")
    numbers = tuple(i + 1 for i in bands)
    paid = schedule.bands[bands[-1]]
    names = ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}"
    return BandWarning(
        span,
        numbers,
        f"{span.text()} falls in bands {names}: the lowest, band {numbers[-1]} "
        f"({paid.credit_pct}%), is paid",
    )


def _percent(value: Fraction) -> str:
    """A percentage as written in a contract: 99.0 stays 99.0, 99.95 stays 99.95."""
    text = f"{Decimal(value.numerator) / Decimal(value.denominator):f}"
    return text if "." in text else f"{text}.0"


def contract_band_warnings(contract: Contract) -> list[str]:
    """Every band tier's gaps and overlaps, each naming the tier and the key at fault."""
    return [
        f"{tier.name}, bands: {warning.message} (tiers[{i}].credits.bands)"
        for i, tier in enumerate(contract.tiers)
        if isinstance(tier.credits, BandSchedule)
        for warning in band_warnings(tier.credits, tier.target_pct)
    ]
