"""How fitted numbers are written for people (the `fit` table and the GUI's fit view alike)."""

from __future__ import annotations

from slamodeler.engine.fitting import DispersionTest, DurationReport, FitReport, FrequencyReport


def p_text(value: float) -> str:
    """A p-value: three decimals, or two significant digits when it is small."""
    if value == 0:
        return "< 1e-300"
    return f"{value:.2g}" if value < 0.001 else f"{value:.3f}"


def number_text(value: float | None) -> str:
    """A parameter: 4 significant digits; None is the Poisson limit's infinite dispersion."""
    if value is None:
        return "infinite"
    return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"


def params_text(params: dict[str, float | None] | dict[str, float]) -> str:
    return ", ".join(f"{k} {number_text(v)}" for k, v in params.items())


def frequency_rows(f: FrequencyReport) -> list[list[str]]:
    """Family (``*`` the chosen), parameters, method, log-likelihood, AIC, dAIC."""
    return [
        [
            x.family + (" *" if i == 0 else ""),
            params_text(x.params),
            x.method,
            f"{x.log_likelihood:,.2f}",
            f"{x.aic:,.2f}",
            f"{x.aic - f.chosen.aic:,.2f}",
        ]
        for i, x in enumerate(f.fits)
    ]


def duration_rows(d: DurationReport) -> list[list[str]]:
    """Family (``*`` the chosen), parameters, log-likelihood, AIC, dAIC, KS D, KS p, and a note
    ("not converged", or empty)."""
    return [
        [
            x.family + (" *" if i == 0 else ""),
            params_text(x.params),
            f"{x.log_likelihood:,.2f}",
            f"{x.aic:,.2f}",
            f"{x.delta_aic:,.2f}",
            f"{x.ks_statistic:.4f}",
            p_text(x.ks_p_value),
            "" if x.converged else "not converged",
        ]
        for i, x in enumerate(d.fits)
    ]


def dispersion_verdict(test: DispersionTest) -> str:
    return (
        "the counts vary more than a Poisson process allows"
        if test.rejects_poisson()
        else "no evidence against Poisson"
    )


def scope_text(report: FitReport, most: int = 6) -> str:
    """Whom the fitted process hits: the services and regions its incidents were seen on, as
    the scenario's scope keeps them, or every tier when they name none."""
    if not report.tied:
        return "Scope: every tier (no incident names a service or a region)" + zones_text(report)

    def names(index: int) -> str:
        seen = sorted({name for place, _ in report.places for name in place[index]}, key=str.lower)
        shown = ", ".join(seen[:most]) + (
            f" and {len(seen) - most} more" if len(seen) > most else ""
        )
        return shown or "any"

    return (
        f"Scope: what the history hit, {len(report.places)} set(s) of places "
        f"(services: {names(0)}; regions: {names(1)})" + zones_text(report)
    )


def zones_text(report: FitReport) -> str:
    """The zones the incidents hit, as the scenario draws them ("" when none names a zone)."""
    fit = report.zones
    if fit is None:
        return ""
    hits = ", ".join(f"{zone} {n}" for zone, n in fit.hits.items())
    at_once = ", ".join(f"{m + 1}: {n}" for m, n in enumerate(fit.at_once))
    return f"; zones hit: {hits} (incidents by zones at once, {at_once})"
