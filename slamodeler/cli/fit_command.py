"""``slamodeler fit``: fit an outage scenario to an incident history (docs/fitting.md).

The main CLI adds the subcommand with ``add_fit_parser(subparsers)`` and runs it with
``run_fit(args)``; bad input raises InputError, which the main CLI turns into exit code 2.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slamodeler import __version__
from slamodeler.cli.options import add_incident_options, input_files
from slamodeler.cli.tables import render
from slamodeler.cli.ticket_fit_options import (
    add_ticket_fit_options,
    fitted_tickets,
    with_fitted_tickets,
)

if TYPE_CHECKING:
    from slamodeler.domain.scenario import Scenario
    from slamodeler.services.fit import FitReport, Mix


def add_fit_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``fit INCIDENTS [options]`` to the subparsers of the main CLI; returns its parser."""
    fit = subparsers.add_parser(
        "fit",
        help="fit an outage scenario (frequency, durations, impact and cause) to incident history",
        description="Fit incident frequency and duration families by maximum likelihood, compare "
        "them by AIC and goodness of fit, and write the best as an editable scenario.",
    )
    fit.add_argument("incidents", type=Path, help="CSV or XLSX export of incidents")
    add_incident_options(fit)
    fit.add_argument("--service", help="fit only the incidents of this service")
    fit.add_argument(
        "--start",
        metavar="YYYY-MM",
        help="first month of the scenario (default: the month after the history's last month)",
    )
    fit.add_argument(
        "--as-of",
        metavar="TIME",
        help="when the export was taken (ISO 8601): rows with a start but no end or duration "
        "are incidents still open then, and their durations are fitted as right-censored "
        "(default: the latest start or end in the file)",
    )
    fit.add_argument("--out", type=Path, metavar="FILE", help="write the scenario YAML here")
    add_ticket_fit_options(fit)
    fit.add_argument("--format", choices=("table", "json"), default="table")
    return fit


def run_fit(args: argparse.Namespace) -> int:
    from slamodeler.services.export import check_output
    from slamodeler.services.fit import fit_incident_file

    if args.out is not None:
        check_output(args.out, input_files(args), "--out")
    tickets = fitted_tickets(args)
    report, scenario = fit_incident_file(
        args.incidents,
        mapping=args.mapping,
        timezone=args.timezone,
        skip_bad_rows=args.skip_bad_rows,
        service=args.service,
        start=args.start,
        as_of=args.as_of,
        encoding=args.encoding,
    )
    print("\n".join(report.import_summary), file=sys.stderr)
    scenario, tickets_table, tickets_json = with_fitted_tickets(tickets, scenario)
    if args.out is not None:
        write_scenario(args.out, scenario, report, args.incidents, args.mapping)
        print(f"scenario written to {args.out}", file=sys.stderr)
    if args.format == "json":
        data = report.to_dict()
        data["scenario_file"] = str(args.out) if args.out is not None else None
        data["scenario"] = scenario.model_dump(mode="json", exclude_none=True)
        if tickets_json is not None:
            data["tickets"] = tickets_json
        print(json.dumps(data, indent=2))
    else:
        print(fit_table(report) + tickets_table)
        if args.out is None:
            print("\nNo --out FILE given: the scenario was not written.")
    return 0


def scenario_header(
    report: FitReport, incidents: Path, mapping: Path | None, when: datetime
) -> str:
    from slamodeler.services.fit import p_text

    f, d = report.frequency, report.durations
    others = ", ".join(f"{x.family} {x.aic:,.1f}" for x in d.fits[1:])
    lines = [
        f"Outage scenario fitted by `slamodeler fit` (slamodeler {__version__}) from {incidents}"
        + (f" with mapping {mapping}" if mapping else "")
        + (f", service {report.service!r}" if report.service else ""),
        f"on {when:%Y-%m-%d %H:%M} UTC: {report.incidents} incidents, {f.first_month} to "
        f"{f.last_month} ({f.months} calendar months, UTC).",
        f"Frequency: {f.chosen.family}, lowest AIC ({f.chosen.aic:,.1f}; "
        f"{f.fits[1].family} {f.fits[1].aic:,.1f}); dispersion test p = {p_text(f.dispersion_test.p_value)}.",
        f"Durations: {d.chosen.family}, lowest AIC ({d.chosen.aic:,.1f}; {others})"
        + (f"; {d.zero_excluded} zero durations left out." if d.zero_excluded else "."),
        "Every number below is an estimate from that history, rounded: read it and edit it",
        "(rates, durations, mixes, scope, start, years). docs/fitting.md explains each one.",
    ]
    return "".join(f"# {line}\n" for line in lines)


def write_scenario(
    path: Path, scenario: Scenario, report: FitReport, incidents: Path, mapping: Path | None
) -> None:
    from slamodeler.services.export import write_text_atomic
    from slamodeler.services.fit import scenario_to_yaml

    text = scenario_header(report, incidents, mapping, datetime.now(UTC)) + _tidy(
        scenario_to_yaml(scenario)
    )
    write_text_atomic(path, text, "--out", "scenario")


def _tidy(text: str) -> str:
    """What a person would write: the empty cause as ``'': 0.9`` rather than YAML's complex-key
    form, and the start month in quotes as the examples have it."""
    text = re.sub(r"^(\s*)\? ''\n\s*: ", r"\1'': ", text, flags=re.MULTILINE)
    return re.sub(r"^start: '?(\d{4}-\d{2})'?$", r'start: "\1"', text, flags=re.MULTILINE)


def _mix_table(title: str, mix: Mix, empty: str) -> str:
    rows = [[k or empty, f"{mix.counts[k]:,}", f"{mix.shares[k]:.4f}"] for k in mix.counts]
    return f"{title}\n" + render(["label", "incidents", "share"], rows, right={1, 2})


def fit_table(report: FitReport) -> str:
    from slamodeler.services.fit import (
        dispersion_verdict,
        duration_rows,
        frequency_rows,
        p_text,
        scope_text,
    )

    f, d, test = report.frequency, report.durations, report.frequency.dispersion_test
    head = f"Fitted {report.source}"
    if report.service:
        head += f", service {report.service!r}"
    head += f": {report.incidents:,} incidents"
    if report.rows != report.incidents:
        head += f" ({report.rows:,} rows)"

    freq_rows = frequency_rows(f)
    verdict = dispersion_verdict(test)
    frequency = "\n".join(
        [
            f"Frequency: incidents per calendar month (UTC), {f.first_month} to {f.last_month}, "
            f"{f.months} months",
            f"  mean {f.mean:,.4g}, variance {f.variance:,.4g}, fewest {min(f.counts)}, "
            f"most {max(f.counts)}",
            render(
                ["family", "parameters", "method", "log-lik", "AIC", "dAIC"],
                freq_rows,
                right={3, 4, 5},
            ),
            f"Dispersion test (Poisson?): variance/mean {test.index:.3g}, chi-square "
            f"{test.statistic:,.1f} on {test.df} df, p = {p_text(test.p_value)}",
            f"  {verdict}",
        ]
    )

    dur_rows = [row if row[-1] else row[:-1] for row in duration_rows(d)]
    width = max(len(r) for r in dur_rows)
    dur_rows = [r + [""] * (width - len(r)) for r in dur_rows]
    headers = ["family", "parameters", "log-lik", "AIC", "dAIC", "KS D", "KS p"]
    headers += [""] * (width - len(headers))
    zero = f"; {d.zero_excluded} of zero duration left out" if d.zero_excluded else ""
    durations = [
        f"Durations (minutes): {d.used:,} fitted ({d.observed:,} observed, {d.censored:,} "
        f"censored){zero}",
        f"  observed median {d.median:,.4g}, mean {d.mean:,.4g}, longest {d.maximum:,.4g}",
        render(headers, dur_rows, right={2, 3, 4, 5, 6}),
        "KS p is approximate (too high): the parameters were fitted to these same durations.",
    ]
    durations += [f"Could not fit {k}: {why}" for k, why in d.failed.items()]

    parts = [
        head,
        frequency,
        "\n".join(durations),
        _mix_table("Impact mix", report.impact, "(empty)"),
        _mix_table("Cause mix", report.cause, "(no cause)"),
        textwrap.fill(scope_text(report), 100, subsequent_indent="  "),
    ]
    if report.notes:
        parts.append(
            "Notes:\n"
            + "\n".join(
                textwrap.fill(n, 100, initial_indent="  - ", subsequent_indent="    ")
                for n in report.notes
            )
        )
    parts.append("* lowest AIC: the family the scenario uses.")
    return "\n\n".join(parts)
