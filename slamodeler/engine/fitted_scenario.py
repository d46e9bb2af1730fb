"""The scenario a fit writes: the chosen (or named) families of a FitReport as one process, with
the impact and cause mixes and the scope of what the history hit, its numbers rounded so that a
person can read and edit them (docs/fitting.md). Fitting itself is engine/fitting.py."""

from __future__ import annotations

from typing import Literal

from slamodeler.domain.errors import InputError
from slamodeler.domain.scenario import (
    SCENARIO_FORMAT,
    Exponential,
    Gamma,
    Lognormal,
    NegativeBinomial,
    Place,
    Poisson,
    Process,
    Scenario,
    Scope,
    Weibull,
)
from slamodeler.domain.simulation_request import SimulationRequest
from slamodeler.engine.fitting import (
    DURATION_FAMILIES,
    FREQUENCY_FAMILIES,
    FitReport,
    PlaceMix,
    month_number,
    month_text,
)
from slamodeler.engine.zone_fit import fitted_zones

SIGNIFICANT = 4  # significant digits of the numbers written into a scenario


def _sig(value: float) -> float:
    return float(f"{value:.{SIGNIFICANT}g}")


def _rounded_mix(shares: dict[str, float]) -> dict[str, float]:
    """Shares to 4 decimals that still add up to 1 (the largest takes the rounding)."""
    rounded = {k: round(v, 4) for k, v in shares.items()}
    top = max(rounded, key=lambda k: rounded[k])
    rounded[top] = round(1 - sum(v for k, v in rounded.items() if k != top), 4)
    return rounded


def fitted_scope(places: PlaceMix) -> Scope | Literal["all"]:
    """The scope that hits what the history hit: ``all`` when no incident names a service or
    region, ``{service: S}`` or ``{region: R}`` when every incident names that one place, else
    the mix of the incidents' places with their shares (6 decimals that add up to 1)."""
    tied = [(place, n) for place, n in places if place != ((), ())]
    if not tied:
        return "all"
    if len(places) == 1:
        (services, regions), _ = places[0]
        if len(services) == 1 and not regions:
            return Scope(service=services[0])
        if len(regions) == 1 and not services:
            return Scope(region=regions[0])
    total = sum(n for _, n in places)
    shares = [round(n / total, 6) for _, n in places]
    shares[0] = round(1 - sum(shares[1:]), 6)  # the largest takes the rounding
    return Scope(
        mix=[
            Place(services=list(services), regions=list(regions), share=share)
            for ((services, regions), _), share in zip(places, shares, strict=True)
        ]
    )


def next_month(month: str) -> str:
    return month_text(month_number(month) + 1)


def report_to_scenario(
    report: FitReport,
    *,
    start: str | None = None,
    name: str | None = None,
    years: int = 1,
    frequency: str | None = None,
    duration: str | None = None,
) -> Scenario:
    """A scenario of one process with the chosen (lowest-AIC) families, or the ``frequency`` and
    ``duration`` families named, the impact and cause mixes, scope ``all`` (or the service the
    report was filtered to), starting ``start`` (YYYY-MM; default the month after the last
    month of the history) for ``years`` years. Numbers are rounded to 4 significant digits."""
    if start is None:
        start = next_month(report.frequency.last_month)
    SimulationRequest(years=years, start=start)  # the horizon's limits, as a simulation's
    if frequency is not None and frequency not in FREQUENCY_FAMILIES:
        raise InputError(f"frequency {frequency!r}: one of {', '.join(FREQUENCY_FAMILIES)}")
    if duration is not None and duration not in DURATION_FAMILIES:
        raise InputError(f"duration {duration!r}: one of {', '.join(DURATION_FAMILIES)}")

    freq_fit = report.frequency.fit(frequency) if frequency else report.frequency.chosen
    if freq_fit.family == "negbin" and freq_fit.params["dispersion"] is None:
        raise InputError(
            "frequency negbin: the counts are not overdispersed, so the negative binomial is "
            "the Poisson; use poisson"
        )
    try:
        dur_fit = report.durations.fit(duration) if duration else report.durations.chosen
    except KeyError:
        why = report.durations.failed.get(duration or "", "")
        raise InputError(f"duration {duration}: could not be fitted ({why})") from None

    freq: Poisson | NegativeBinomial
    if freq_fit.family == "poisson":
        freq = Poisson(dist="poisson", rate_per_month=_sig(freq_fit.params["rate_per_month"] or 0))
    else:
        freq = NegativeBinomial(
            dist="negbin",
            mean_per_month=_sig(freq_fit.params["mean_per_month"] or 0),
            dispersion=_sig(freq_fit.params["dispersion"] or 0),
        )
    p = {k: _sig(v) for k, v in dur_fit.params.items()}
    dist: Exponential | Lognormal | Weibull | Gamma
    if dur_fit.family == "exponential":
        dist = Exponential(dist="exponential", mean=p["mean"])
    elif dur_fit.family == "lognormal":
        dist = Lognormal(dist="lognormal", median=p["median"], sigma=p["sigma"])
    elif dur_fit.family == "weibull":
        dist = Weibull(dist="weibull", shape=p["shape"], scale=p["scale"])
    else:
        dist = Gamma(dist="gamma", shape=p["shape"], scale=p["scale"])

    f = report.frequency
    label = report.service or report.source
    process = Process(
        name=f"fitted: {label}",
        frequency=freq,
        duration_minutes=dist,
        impact=_rounded_mix(report.impact.shares),
        cause=_rounded_mix(report.cause.shares),
        start_profile="uniform",
        scope=fitted_scope(report.places),
        zones=None if report.zones is None else fitted_zones(report.zones),
    )
    description = (
        f"Fitted from {report.source}"
        + (f" (service {report.service})" if report.service else "")
        + f": {report.incidents} incidents, {f.first_month} to {f.last_month} "
        f"({f.months} months, UTC). Frequency {freq_fit.family}, durations {dur_fit.family}"
        + (" (lowest AIC)." if not (frequency or duration) else " (as asked).")
        + "".join(f" Caveat: {note}." for note in report.notes)
    )
    return Scenario(
        format=SCENARIO_FORMAT,
        name=name or f"Fitted from {label}",
        description=description,
        start=start,
        years=years,
        processes=[process],
    )
