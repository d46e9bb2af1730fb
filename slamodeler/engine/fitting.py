"""Fitting an outage process to an incident history, by maximum likelihood (numpy, scipy.stats).

scipy is imported by the functions that fit, not with the module: scipy.stats and
scipy.optimize take longer to import than the desktop application takes to open its window.

What is fitted, and how (docs/fitting.md explains it for users):

- Frequency: incidents are counted per calendar month in UTC, from the month of the first
  incident's start to the month of the last one's, months without incidents included. Poisson
  (rate = mean count) and negative binomial (mean = mean count, dispersion k by maximum likelihood;
  variance = mean + mean^2 / k) are both fitted and compared by AIC. The index-of-dispersion test
  says whether the counts vary more than a Poisson process allows.
- Durations (minutes): exponential, lognormal, Weibull and gamma with location 0, by maximum
  likelihood. Right-censored durations (incidents still open: the time so far is a lower bound)
  enter the likelihood through the survival function. Zero durations cannot be fitted by these
  families and are left out (and counted). Families are ranked by AIC; each gets a
  Kolmogorov-Smirnov statistic on the observed (uncensored) durations.
- Impact and cause mixes: the share of incidents with each label. Numeric impacts (shares of the
  service lost) are kept as their own keys, written as plain decimals ("0.5").

Nothing here reads files: callers pass incidents (slamodeler/services/fit.py reads them). The
scenario a fit writes is built in engine/fitted_scenario.py.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import Incident
from slamodeler.domain.scenario import is_month
from slamodeler.engine.zone_fit import ZoneFit, fit_zones, zone_note

F64 = NDArray[np.float64]
PlaceKey = tuple[tuple[str, ...], tuple[str, ...]]  # services, regions ("none": not tied to any)
PlaceMix = tuple[tuple[PlaceKey, int], ...]  # incidents per set of places, most first
_Fit = TypeVar("_Fit", "FrequencyFit", "DurationFit")

MIN_INCIDENTS = 10  # incidents needed to fit a process at all
MIN_MONTHS = 2  # calendar months the history must span to fit a monthly frequency
MIN_DURATIONS = 10  # positive durations needed to fit a duration family
MIN_OBSERVED = 5  # of which observed (not censored)
FREQUENCY_FAMILIES = ("poisson", "negbin")
DURATION_FAMILIES = ("exponential", "lognormal", "weibull", "gamma")


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class FrequencyFit:
    """One count family: parameters as the scenario names them, log-likelihood and AIC.

    A negative binomial whose ``dispersion`` is None is the Poisson limit (k infinite): the counts
    vary no more than Poisson counts, so the extra parameter buys nothing.
    """

    family: str
    params: dict[str, float | None]
    log_likelihood: float
    aic: float
    n_params: int
    method: str  # "closed form", "maximum likelihood", "method of moments", "Poisson limit"


@dataclass(frozen=True)
class DispersionTest:
    """Index-of-dispersion test of the monthly counts against Poisson (one-sided, overdispersion).

    ``statistic`` = sum((x - mean)^2) / mean, chi-square with ``df`` = months - 1 degrees of
    freedom if the counts are Poisson; ``index`` = variance / mean (about 1 for Poisson).
    """

    index: float
    statistic: float
    df: int
    p_value: float

    def rejects_poisson(self, level: float = 0.05) -> bool:
        return self.p_value < level


class _Ranked(Generic[_Fit]):
    """The fits of one kind (frequency or durations), lowest AIC first."""

    fits: tuple[_Fit, ...]

    @property
    def chosen(self) -> _Fit:
        return self.fits[0]

    def fit(self, family: str) -> _Fit:
        for fit in self.fits:
            if fit.family == family:
                return fit
        raise KeyError(f"no {family} fit (fitted: {', '.join(f.family for f in self.fits)})")


@dataclass(frozen=True)
class FrequencyReport(_Ranked[FrequencyFit]):
    first_month: str  # YYYY-MM, UTC
    last_month: str
    counts: tuple[int, ...]  # one per calendar month, first to last
    mean: float
    variance: float  # sample variance (n - 1)
    fits: tuple[FrequencyFit, ...]  # lowest AIC first
    dispersion_test: DispersionTest

    @property
    def months(self) -> int:
        return len(self.counts)


@dataclass(frozen=True)
class DurationFit:
    """One duration family. ``params`` in the scenario's terms: exponential {mean}, lognormal
    {median, sigma} (median = exp(mu)), Weibull and gamma {shape, scale}; minutes.

    ``ks_statistic``/``ks_p_value``: Kolmogorov-Smirnov distance between the observed durations
    and the fitted distribution. The p-value is approximate (too large): the parameters were
    estimated from the same durations, and repeated values (rounded minutes) are ties.
    """

    family: str
    params: dict[str, float]
    log_likelihood: float
    aic: float
    delta_aic: float  # AIC minus the best family's AIC (0 for the best)
    ks_statistic: float
    ks_p_value: float
    converged: bool


@dataclass(frozen=True)
class DurationReport(_Ranked[DurationFit]):
    used: int  # positive durations fitted (observed + censored)
    observed: int
    censored: int
    zero_excluded: int
    median: float  # of the observed durations, minutes
    mean: float
    maximum: float
    fits: tuple[DurationFit, ...]  # lowest AIC first
    failed: dict[str, str] = field(default_factory=dict)  # family -> why it could not be fitted


@dataclass(frozen=True)
class Mix:
    """Incidents per label and their shares (summing to 1), most frequent first."""

    counts: dict[str, int]
    shares: dict[str, float]


@dataclass(frozen=True)
class FitReport:
    source: str  # what the incidents came from (a file name), for messages and the scenario
    service: str | None  # the service the incidents were filtered to, as the data spells it
    rows: int  # incidents given (after the service filter, before merging by id)
    incidents: int  # incidents fitted (rows sharing an incident id merged into one)
    frequency: FrequencyReport
    durations: DurationReport
    impact: Mix
    cause: Mix
    places: PlaceMix = ()  # where the incidents fitted happened: the process's scope
    zones: ZoneFit | None = None  # the zones they hit (None: no row names one)
    notes: tuple[str, ...] = ()
    import_summary: tuple[str, ...] = ()  # what import said, filled in by the service

    @property
    def tied(self) -> bool:
        """Whether any incident fitted names a service or a region."""
        return any(services or regions for (services, regions), _ in self.places)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with a fixed layout; floats to 6 significant digits."""
        f, d = self.frequency, self.durations
        return {
            "source": self.source,
            "service": self.service,
            "rows": self.rows,
            "incidents": self.incidents,
            "frequency": {
                "basis": "incidents per calendar month, UTC",
                "first_month": f.first_month,
                "last_month": f.last_month,
                "months": f.months,
                "counts": list(f.counts),
                "mean": _r(f.mean),
                "variance": _r(f.variance),
                "chosen": f.chosen.family,
                "fits": [
                    {
                        "family": x.family,
                        "params": {k: _r(v) for k, v in x.params.items()},
                        "log_likelihood": _r(x.log_likelihood),
                        "aic": _r(x.aic),
                        "n_params": x.n_params,
                        "method": x.method,
                    }
                    for x in f.fits
                ],
                "dispersion_test": {
                    "test": "index of dispersion (chi-square), one-sided",
                    "index": _r(f.dispersion_test.index),
                    "statistic": _r(f.dispersion_test.statistic),
                    "df": f.dispersion_test.df,
                    "p_value": _r(f.dispersion_test.p_value),
                },
            },
            "durations": {
                "unit": "minutes",
                "used": d.used,
                "observed": d.observed,
                "censored": d.censored,
                "zero_excluded": d.zero_excluded,
                "median": _r(d.median),
                "mean": _r(d.mean),
                "max": _r(d.maximum),
                "chosen": d.chosen.family,
                "fits": [
                    {
                        "family": x.family,
                        "params": {k: _r(v) for k, v in x.params.items()},
                        "log_likelihood": _r(x.log_likelihood),
                        "aic": _r(x.aic),
                        "delta_aic": _r(x.delta_aic),
                        "ks_statistic": _r(x.ks_statistic),
                        "ks_p_value": _r(x.ks_p_value),
                        "converged": x.converged,
                    }
                    for x in d.fits
                ],
                "failed": dict(d.failed),
            },
            "impact": {"counts": self.impact.counts, "shares": _shares(self.impact)},
            "cause": {"counts": self.cause.counts, "shares": _shares(self.cause)},
            "places": [
                {"services": list(services), "regions": list(regions), "incidents": n}
                for (services, regions), n in self.places
            ],
            "notes": list(self.notes),
        } | ({} if self.zones is None else {"zones": self.zones.to_dict()})


def _r(value: float | None) -> float | None:
    """6 significant digits; None for a missing or non-finite value (JSON has no NaN)."""
    if value is None or not math.isfinite(value):
        return None
    return float(f"{value:.6g}")


def _shares(mix: Mix) -> dict[str, float | None]:
    return {k: _r(v) for k, v in mix.shares.items()}


# --------------------------------------------------------------------------- frequency


def month_key(epoch_seconds: int) -> int:
    """Months since year 0 of the UTC calendar month containing the instant."""
    day = datetime.fromtimestamp(epoch_seconds, UTC)
    return day.year * 12 + day.month - 1


def month_text(key: int) -> str:
    return f"{key // 12:04d}-{key % 12 + 1:02d}"


def month_number(text: str) -> int:
    if not is_month(text):
        raise InputError(f"{text!r}: must be a month YYYY-MM, e.g. 2027-01")
    return int(text[:4]) * 12 + int(text[5:]) - 1


def monthly_counts(
    starts: ArrayLike, first: str | None = None, last: str | None = None
) -> tuple[str, str, NDArray[np.int64]]:
    """Incidents per calendar month (UTC) from ``first`` to ``last`` (YYYY-MM; by default the
    months of the first and last start): (first month, last month, counts), months without
    incidents included. Starts outside the span are refused."""
    keys = np.array([month_key(int(s)) for s in np.asarray(starts, dtype=np.int64)], np.int64)
    if keys.size == 0:
        raise InputError("no incidents to count")
    lo = month_number(first) if first else int(keys.min())
    hi = month_number(last) if last else int(keys.max())
    if hi < lo:
        raise InputError(f"the span {month_text(lo)} to {month_text(hi)} ends before it begins")
    outside = int(((keys < lo) | (keys > hi)).sum())
    if outside:
        raise InputError(
            f"{outside} incident(s) start outside the span {month_text(lo)} to {month_text(hi)}"
        )
    counts = np.bincount(keys - lo, minlength=hi - lo + 1).astype(np.int64)
    return month_text(lo), month_text(hi), counts


def fit_frequency(
    counts: ArrayLike, first_month: str = "", last_month: str = ""
) -> FrequencyReport:
    """Poisson and negative binomial fits of monthly counts, ranked by AIC, and the dispersion
    test. ``first_month``/``last_month`` only label the report."""
    from scipy import stats

    x = np.asarray(counts, dtype=np.int64)
    if x.ndim != 1 or x.size < MIN_MONTHS:
        raise InputError(
            f"frequency: the counts cover {x.size} month(s); fitting a monthly frequency needs "
            f"at least {MIN_MONTHS}"
        )
    if np.any(x < 0):
        raise InputError("frequency: monthly counts must not be negative")
    total = int(x.sum())
    if total == 0:
        raise InputError(f"frequency: no incidents in the {x.size} month(s) given")
    n = x.size
    mean = float(x.mean())
    variance = float(x.var(ddof=1))

    ll_poisson = float(stats.poisson.logpmf(x, mean).sum())
    poisson = FrequencyFit(
        "poisson", {"rate_per_month": mean}, ll_poisson, 2 * 1 - 2 * ll_poisson, 1, "closed form"
    )
    negbin = _fit_negbin(x, mean, ll_poisson)

    statistic = float(((x - mean) ** 2).sum() / mean)
    test = DispersionTest(
        index=variance / mean,
        statistic=statistic,
        df=n - 1,
        p_value=float(stats.chi2.sf(statistic, n - 1)),
    )
    fits = tuple(sorted((poisson, negbin), key=lambda f: (f.aic, f.n_params)))
    counts_ = tuple(int(c) for c in x)
    return FrequencyReport(first_month, last_month, counts_, mean, variance, fits, test)


def _negbin_loglik(x: NDArray[np.int64], mean: float, k: float) -> float:
    from scipy import stats

    return float(stats.nbinom.logpmf(x, k, k / (k + mean)).sum())


def _poisson_limit(mean: float, ll_poisson: float) -> FrequencyFit:
    """The negative binomial as k goes to infinity: the Poisson, with one parameter more."""
    return FrequencyFit(
        "negbin",
        {"mean_per_month": mean, "dispersion": None},
        ll_poisson,
        2 * 2 - 2 * ll_poisson,
        2,
        "Poisson limit",
    )


def _fit_negbin(x: NDArray[np.int64], mean: float, ll_poisson: float) -> FrequencyFit:
    """The negative binomial's maximum-likelihood mean is the sample mean; the dispersion k
    maximises the profile likelihood (searched on log k). When the counts are not overdispersed
    the maximum is at k = infinity, the Poisson limit; when the search fails, k comes from the
    moments, mean^2 / (variance - mean)."""
    from scipy import optimize

    variance_mle = float(x.var())
    if variance_mle <= mean:
        return _poisson_limit(mean, ll_poisson)
    lo, hi = math.log(1e-4), math.log(1e8)
    result = optimize.minimize_scalar(
        lambda t: -_negbin_loglik(x, mean, math.exp(t)),
        bounds=(lo, hi),
        method="bounded",
        options={"xatol": 1e-8},
    )
    if result.success and math.isfinite(result.fun) and result.x < hi - 1e-3:
        k, method = math.exp(float(result.x)), "maximum likelihood"
    elif result.success and result.x >= hi - 1e-3:
        return _poisson_limit(mean, ll_poisson)
    else:
        k, method = mean**2 / (variance_mle - mean), "method of moments"
    ll = _negbin_loglik(x, mean, k)
    return FrequencyFit(
        "negbin", {"mean_per_month": mean, "dispersion": k}, ll, 2 * 2 - 2 * ll, 2, method
    )


# --------------------------------------------------------------------------- durations


@dataclass(frozen=True)
class _Family:
    """A duration family: scipy distribution, its parameters on an unconstrained scale (for the
    optimiser), and the scenario's names for them."""

    name: str
    n_params: int
    dist: Callable[[F64], Any]  # theta -> frozen scipy distribution
    uncensored: Callable[[F64], F64]  # durations -> theta of the plain maximum-likelihood fit
    params: Callable[[F64], dict[str, float]]  # theta -> scenario parameters


def _expon_uncensored(x: F64) -> F64:
    return np.array([math.log(float(x.mean()))])


def _lognorm_uncensored(x: F64) -> F64:
    logs = np.log(x)
    return np.array([float(logs.mean()), math.log(max(float(logs.std()), 1e-9))])


def _weibull_uncensored(x: F64) -> F64:
    from scipy import stats

    shape, _, scale = stats.weibull_min.fit(x, floc=0)
    return np.log([shape, scale])


def _gamma_uncensored(x: F64) -> F64:
    from scipy import stats

    shape, _, scale = stats.gamma.fit(x, floc=0)
    return np.log([shape, scale])


def _expon(t: F64) -> Any:
    from scipy import stats

    return stats.expon(scale=math.exp(t[0]))


def _lognorm(t: F64) -> Any:
    from scipy import stats

    return stats.lognorm(math.exp(t[1]), scale=math.exp(t[0]))


def _weibull(t: F64) -> Any:
    from scipy import stats

    return stats.weibull_min(math.exp(t[0]), scale=math.exp(t[1]))


def _gamma(t: F64) -> Any:
    from scipy import stats

    return stats.gamma(math.exp(t[0]), scale=math.exp(t[1]))


FAMILIES: dict[str, _Family] = {
    "exponential": _Family(
        "exponential",
        1,
        _expon,
        _expon_uncensored,
        lambda t: {"mean": math.exp(t[0])},
    ),
    "lognormal": _Family(
        "lognormal",
        2,
        _lognorm,
        _lognorm_uncensored,
        lambda t: {"median": math.exp(t[0]), "sigma": math.exp(t[1])},
    ),
    "weibull": _Family(
        "weibull",
        2,
        _weibull,
        _weibull_uncensored,
        lambda t: {"shape": math.exp(t[0]), "scale": math.exp(t[1])},
    ),
    "gamma": _Family(
        "gamma",
        2,
        _gamma,
        _gamma_uncensored,
        lambda t: {"shape": math.exp(t[0]), "scale": math.exp(t[1])},
    ),
}


def _loglik(family: _Family, theta: F64, observed: F64, censored: F64) -> float:
    dist = family.dist(theta)
    total = float(dist.logpdf(observed).sum())
    if censored.size:
        total += float(dist.logsf(censored).sum())
    return total if math.isfinite(total) else -math.inf


def _fit_family(family: _Family, observed: F64, censored: F64) -> tuple[F64, bool]:
    """Maximum-likelihood theta. Without censoring, scipy's (or the closed-form) fit. With it,
    the censored likelihood (log pdf of the observed, log survival of the censored) is maximised
    by Nelder-Mead, starting from the fit that takes every duration as observed."""
    from scipy import optimize

    start = family.uncensored(np.concatenate([observed, censored]))
    if not censored.size:
        return start, True
    if family.name == "exponential":  # closed form: total time at risk / observed incidents
        total = float(observed.sum() + censored.sum())
        return np.array([math.log(total / observed.size)]), True

    def objective(theta: F64) -> float:
        if np.any(np.abs(theta) > 50):
            return math.inf
        value = -_loglik(family, theta, observed, censored)
        return value if math.isfinite(value) else 1e300

    result = optimize.minimize(
        objective,
        start,
        method="Nelder-Mead",
        options={"xatol": 1e-7, "fatol": 1e-9, "maxiter": 4000, "maxfev": 8000},
    )
    return np.asarray(result.x, dtype=np.float64), bool(result.success)


def fit_durations(minutes: ArrayLike, censored: ArrayLike | None = None) -> DurationReport:
    """Fit the four duration families to durations in minutes, ranked by AIC.

    ``censored[i]`` True means duration i is a lower bound (the incident was still open). Zero
    durations are left out and counted in ``zero_excluded``; negative or non-finite ones are
    refused.
    """
    from scipy import stats

    x = np.asarray(minutes, dtype=np.float64).ravel()
    mask = (
        np.zeros(x.size, dtype=bool)
        if censored is None
        else np.asarray(censored, dtype=bool).ravel()
    )
    if mask.size != x.size:
        raise InputError(f"durations: {x.size} duration(s) but {mask.size} censoring flag(s)")
    if not np.all(np.isfinite(x)):
        raise InputError("durations: a duration is not a finite number of minutes")
    if np.any(x < 0):
        raise InputError(f"durations: {int((x < 0).sum())} duration(s) are negative")
    positive = x > 0
    zero = int((~positive).sum())
    if x.size and zero == x.size:
        raise InputError(
            f"durations: all {x.size} durations are zero; no duration distribution can be "
            "fitted. Give a duration in the scenario by hand."
        )
    observed, cens = x[positive & ~mask], x[positive & mask]
    used = observed.size + cens.size
    left_out = f" ({zero} of zero duration left out)" if zero else ""
    if used < MIN_DURATIONS:
        raise InputError(
            f"durations: {used} incident(s) have a positive duration{left_out}; fitting a "
            f"duration distribution needs at least {MIN_DURATIONS}"
        )
    if observed.size < MIN_OBSERVED:
        raise InputError(
            f"durations: only {observed.size} of {used} duration(s) are observed (the others "
            f"are censored: still open); fitting needs at least {MIN_OBSERVED} observed"
        )
    if np.unique(observed).size < 2:
        raise InputError(
            f"durations: every observed duration is {observed[0]:g} minutes; a distribution "
            "cannot be fitted to one value. Give a duration in the scenario by hand."
        )

    fitted: list[DurationFit] = []
    failed: dict[str, str] = {}
    for family in FAMILIES.values():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                theta, converged = _fit_family(family, observed, cens)
                ll = _loglik(family, theta, observed, cens)
                ks = stats.kstest(observed, family.dist(theta).cdf)
        except (ValueError, ArithmeticError, RuntimeError) as exc:
            failed[family.name] = str(exc) or type(exc).__name__
            continue
        if not math.isfinite(ll):
            failed[family.name] = "the likelihood is zero at every parameter tried"
            continue
        fitted.append(
            DurationFit(
                family=family.name,
                params=family.params(theta),
                log_likelihood=ll,
                aic=2 * family.n_params - 2 * ll,
                delta_aic=0.0,
                ks_statistic=float(ks.statistic),
                ks_p_value=float(ks.pvalue),
                converged=converged,
            )
        )
    if not fitted:
        raise InputError(
            "durations: no family could be fitted: "
            + "; ".join(f"{k}: {v}" for k, v in failed.items())
        )
    fitted.sort(key=lambda f: (f.aic, len(f.params)))
    fits = tuple(replace(f, delta_aic=f.aic - fitted[0].aic) for f in fitted)
    return DurationReport(
        used=used,
        observed=int(observed.size),
        censored=int(cens.size),
        zero_excluded=zero,
        median=float(np.median(observed)),
        mean=float(observed.mean()),
        maximum=float(observed.max()),
        fits=fits,
        failed=failed,
    )


def fitted_distribution(fit: DurationFit) -> Any:
    """The fitted scipy distribution (frozen), for densities and quantiles to draw. Each family's
    parameters, in the scenario's names, are the exponentials of the unconstrained ones the
    optimiser works on, in the same order."""
    return FAMILIES[fit.family].dist(np.log(np.array(list(fit.params.values()), dtype=float)))


def count_pmf(report: FrequencyReport, family: str, k: NDArray[np.int64]) -> F64:
    """Probability of k incidents in a month under a fitted count family."""
    from scipy import stats

    params = report.fit(family).params
    if family == "poisson" or params.get("dispersion") is None:
        return np.asarray(stats.poisson.pmf(k, report.mean), dtype=np.float64)
    dispersion = float(params["dispersion"] or 0)
    return np.asarray(
        stats.nbinom.pmf(k, dispersion, dispersion / (dispersion + report.mean)), dtype=np.float64
    )


# --------------------------------------------------------------------------- mixes


def impact_key(impact: str | Decimal) -> str:
    """A label as it is; a numeric share as a plain decimal ("0.5", "1")."""
    if isinstance(impact, Decimal):
        text = format(impact.normalize(), "f")
        return text if text != "-0" else "0"
    return impact.strip().lower()


def fit_mix(labels: Sequence[str]) -> Mix:
    """Shares of each label (most frequent first; ties by label)."""
    if not labels:
        raise InputError("no incidents to take a mix from")
    counts = Counter(labels)
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    n = len(labels)
    return Mix(dict(ordered), {k: c / n for k, c in ordered})


# --------------------------------------------------------------------------- incidents


def merge_same_id(
    incidents: Sequence[Incident], censored: Sequence[bool] | None = None
) -> tuple[list[Incident], list[bool]]:
    """One incident per id: exports list an incident once per affected component, with the same
    id. Ids that import made up from the row number ("row 12") are never merged. The merged
    incident runs from the earliest start to the latest end, keeps the first row's impact and
    cause, and the service only if every row names the same one; it is censored if any row is."""
    flags = list(censored) if censored is not None else [False] * len(incidents)
    if len(flags) != len(incidents):
        raise InputError(f"{len(incidents)} incident(s) but {len(flags)} censoring flag(s)")
    merged: list[Incident] = []
    merged_flags: list[bool] = []
    for group in same_id_groups(incidents):
        members = [incidents[i] for i in group]
        first = members[0]
        if len(members) > 1:
            services = {m.service for m in members}
            regions = {m.region for m in members}
            first = replace(
                first,
                start=min(m.start for m in members),
                end=max(m.end for m in members),
                service=first.service if len(services) == 1 else "",
                region=first.region if len(regions) == 1 else "",
            )
        merged.append(first)
        merged_flags.append(any(flags[i] for i in group))
    return merged, merged_flags


def same_id_groups(incidents: Sequence[Incident]) -> list[list[int]]:
    """The rows of each incident, in order of first appearance: rows sharing an id, except ids
    that import made up from the row number ("row 12"), which stand alone."""
    groups: dict[str, list[int]] = {}
    for i, incident in enumerate(incidents):
        key = incident.id if incident.id != f"row {incident.row}" else f"\0{i}"
        groups.setdefault(key, []).append(i)
    return list(groups.values())


def _names(values: Iterable[str]) -> tuple[str, ...]:
    """Distinct names (any case, first spelling kept), in alphabetical order; "" is left out."""
    seen: dict[str, str] = {}
    for value in values:
        if value.strip():
            seen.setdefault(value.strip().lower(), value.strip())
    return tuple(seen[k] for k in sorted(seen))


def fit_places(incidents: Sequence[Incident], merge_ids: bool = True) -> PlaceMix:
    """Incidents per set of places (the services and the regions of an incident's rows), most
    frequent first. A row that names no service (or region) ties its incident to none: it
    reaches every tier's services (regions) in a replay, so the set holds none either."""
    groups = same_id_groups(incidents) if merge_ids else [[i] for i in range(len(incidents))]
    counts: Counter[PlaceKey] = Counter()
    for group in groups:
        rows = [incidents[i] for i in group]
        services = (
            () if any(not r.service.strip() for r in rows) else _names(r.service for r in rows)
        )
        regions = () if any(not r.region.strip() for r in rows) else _names(r.region for r in rows)
        counts[(services, regions)] += 1
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def fit_incidents(
    incidents: Sequence[Incident],
    *,
    censored: Sequence[bool] | None = None,
    source: str = "incidents",
    service: str | None = None,
    merge_ids: bool = True,
    span: tuple[str, str] | None = None,
) -> FitReport:
    """Fit frequency, durations and mixes to incidents.

    ``censored[i]`` True: incident i was still open, its end is when the export was taken.
    ``service``: keep only incidents of that service (case-insensitive). ``merge_ids``: rows that
    share an incident id are one incident (see merge_same_id). ``span``: the first and last
    calendar months (YYYY-MM, UTC) the history covers; by default those of the first and last
    incident given, before the service filter, so a service quiet at the start or end of the
    history gets its zero months.
    """
    flags = list(censored) if censored is not None else [False] * len(incidents)
    if len(flags) != len(incidents):
        raise InputError(f"{len(incidents)} incident(s) but {len(flags)} censoring flag(s)")
    if not incidents:
        raise InputError(
            f"{source}: no incidents; fitting an outage process needs at least {MIN_INCIDENTS}"
        )
    if span is None:
        span = (
            month_text(min(month_key(x.start) for x in incidents)),
            month_text(max(month_key(x.start) for x in incidents)),
        )
    chosen_service: str | None = None
    if service is not None:
        wanted = service.strip().lower()
        keep = [i for i, x in enumerate(incidents) if x.service.strip().lower() == wanted]
        if not keep:
            known = Counter(x.service for x in incidents if x.service).most_common(10)
            listed = ", ".join(f"{name!r} ({n})" for name, n in known) or "none named"
            raise InputError(
                f"{source}: no incident of service {service!r}; services with the most "
                f"incidents: {listed}"
            )
        chosen_service = incidents[keep[0]].service
        incidents = [incidents[i] for i in keep]
        flags = [flags[i] for i in keep]
    rows = len(incidents)
    if merge_ids:
        merged, flags = merge_same_id(incidents, flags)
    else:
        merged = list(incidents)
    what = f" of service {chosen_service!r}" if chosen_service else ""
    if len(merged) < MIN_INCIDENTS:
        raise InputError(
            f"{source}: {len(merged)} incident(s){what}; fitting an outage process needs at "
            f"least {MIN_INCIDENTS}"
        )
    starts = [x.start for x in merged]
    try:
        first, last, counts = monthly_counts(starts, *span)
    except InputError as exc:
        raise InputError(f"{source}: {exc}") from None
    if counts.size < MIN_MONTHS:
        raise InputError(
            f"{source}: the history covers only {first}; fitting a monthly frequency needs "
            f"at least {MIN_MONTHS} calendar months"
        )
    frequency = fit_frequency(counts, first, last)
    minutes = np.array([(x.end - x.start) / 60 for x in merged], dtype=np.float64)
    try:
        durations = fit_durations(minutes, flags)
    except InputError as exc:
        raise InputError(f"{source}{what}: {exc}") from None
    places = fit_places(incidents, merge_ids)
    groups = same_id_groups(incidents) if merge_ids else [[i] for i in range(len(incidents))]
    zones = fit_zones(incidents, groups)
    impact = fit_mix([impact_key(x.impact) for x in merged])
    cause = fit_mix([x.cause.strip().lower() for x in merged])

    notes: list[str] = []
    untied = sum(n for (services, regions), n in places if not services and not regions)
    if untied == len(merged):
        notes.append(
            "no incident names a service or a region, so the fit applies to every "
            "tier (scope: all), whatever the tiers' scopes; map the service and region columns "
            "on import, or edit the scenario's scope"
        )
    elif untied:
        notes.append(
            f"{untied} incident(s) name neither a service nor a region: like in a replay, "
            "they reach every tier"
        )
    if rows > len(merged):
        notes.append(
            f"{rows} rows are {len(merged)} incidents: rows sharing an incident id (one per "
            "affected component) count once"
        )
    if durations.zero_excluded:
        share = durations.zero_excluded / len(merged)
        notes.append(
            f"{durations.zero_excluded} incident(s) of zero duration count in the frequency but "
            f"not in the durations; the scenario gives every incident a positive duration, so it "
            f"overstates downtime by about {share:.1%} unless you lower the rate"
        )
    if durations.censored:
        notes.append(
            f"{durations.censored} duration(s) are censored (incidents still open); the "
            "Kolmogorov-Smirnov statistics use the observed durations only"
        )
    recent = float(np.mean(counts[-12:]))
    if counts.size >= 24 and abs(recent / frequency.mean - 1) > 0.25:
        notes.append(
            f"the last 12 months average {recent:.3g} incidents a month against "
            f"{frequency.mean:.3g} over the whole history: the fit assumes one constant rate; "
            "edit the scenario's rate for a forward-looking view"
        )
    notes.append(
        f"the first ({first}) and last ({last}) months are counted whole although the history "
        "may begin or end inside them"
    )
    notes += zone_note(zones)
    return FitReport(
        source=source,
        service=chosen_service,
        rows=rows,
        incidents=len(merged),
        frequency=frequency,
        durations=durations,
        impact=impact,
        cause=cause,
        places=places,
        zones=zones,
        notes=tuple(notes),
    )
