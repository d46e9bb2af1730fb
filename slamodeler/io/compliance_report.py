"""A compliance report an account team can send: one customer's period, as a self-contained
printable HTML page (inline CSS with print rules, no scripts, no external files), rendered from
a replay (docs/user-guide.md, "Send a compliance report"). Every figure is the replay's, written
as the replay's JSON writes it and marked with ``data-field`` (the JSON's field name), so that a
reader or a test can hold the page against `slamodeler replay --format json`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from pathlib import Path

from slamodeler.domain.errors import InputError
from slamodeler.domain.results import PeriodResult
from slamodeler.io.output_files import write_text_atomic
from slamodeler.io.replay_report import percent

CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #222; margin: 2em auto;
       max-width: 60em; font-size: 11pt; line-height: 1.4; }
h1 { font-size: 18pt; margin-bottom: 0.2em; }
h2 { font-size: 13pt; border-bottom: 1px solid #999; margin-top: 1.6em; }
.meta { color: #555; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; }
td.n { text-align: right; white-space: nowrap; }
.missed { color: #a93226; font-weight: bold; }
.met { color: #1e8449; font-weight: bold; }
footer { margin-top: 2em; font-size: 9pt; color: #666; }
@page { size: A4; margin: 18mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  table, tr { break-inside: avoid; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


@dataclass(frozen=True)
class CountedIncident:
    """An incident of the period as the report lists it: times in the contract's zone."""

    name: str  # its id, and its row where the id is not the row
    title: str
    start: str
    end: str
    counted_minutes: Decimal
    excluded_minutes: Decimal
    excluded_reason: str | None


@dataclass(frozen=True)
class TierSection:
    tier: str
    target_pct: Decimal
    period: PeriodResult
    incidents: tuple[CountedIncident, ...]
    explanation: tuple[str, ...]  # the period's explanation lines (services/period_explanation)


@dataclass(frozen=True)
class ComplianceReport:
    customer: str
    period: str
    contract_name: str
    contract_label: str  # the file, or KEY@VERSION in a workspace
    contract_hash: str
    currency: str
    timezone: str
    measured: str  # how the period is measured, in words
    generated: str  # when, ISO date and time
    engine_version: str
    tiers: tuple[TierSection, ...]


def _minutes(value: Decimal) -> str:
    return f"{value.normalize():,f}"


def _row(label: str, field: str, value: str, number: bool = True) -> str:
    cls = ' class="n"' if number else ""
    return (
        f'<tr><th scope="row">{escape(label)}</th>'
        f'<td{cls} data-field="{field}">{escape(value)}</td></tr>'
    )


def _tier_html(s: TierSection, currency: str) -> list[str]:
    p = s.period
    verdict = (
        '<span class="met">met</span>' if p.met_target else '<span class="missed">missed</span>'
    )
    out = [
        f"<h2>{escape(s.tier)}: target {escape(_minutes(s.target_pct))}% {verdict}</h2>",
        "<table>",
        _row("Period", "period", p.period, number=False),
        _row("From", "start", p.start, number=False),
        _row("Up to", "end", p.end, number=False),
        _row("Minutes in the period", "period_minutes", _minutes(p.period_minutes)),
        _row("Minutes excluded", "excluded_minutes", _minutes(p.excluded_minutes)),
        _row("Minutes of downtime counted", "downtime_minutes", _minutes(p.downtime_minutes)),
        _row("Availability (%)", "availability_pct", f"{percent(p.availability_pct):.4f}"),
        _row("Credit (% of the period's fee)", "credit_pct", f"{percent(p.credit_pct):g}"),
        _row(f"Credit owed ({currency})", "credit_owed", f"{p.credit_owed:,}"),
        _row(f"Credit after caps ({currency})", "credit_after_caps", f"{p.credit_after_caps:,}"),
    ]
    if p.claim_by:
        out.append(_row("Claims in time up to", "claim_by", p.claim_by, number=False))
    out.append("</table>")
    if p.rule:
        out.append(f"<p>Rule applied: {escape(p.rule)}.</p>")
    out.append(
        "<h3>Incidents in the period</h3><p>Minutes counted are weighted by impact, and time "
        "two incidents overlap is counted once.</p>"
    )
    if s.incidents:
        out += [
            '<table class="incidents"><tr><th>Incident</th><th>Title</th><th>Start</th>'
            "<th>End</th><th>Minutes counted</th><th>Minutes excluded</th><th>Why excluded</th>"
            "</tr>",
            *(
                f"<tr><td>{escape(x.name)}</td><td>{escape(x.title)}</td><td>{escape(x.start)}"
                f"</td><td>{escape(x.end)}</td>"
                f'<td class="n" data-field="counted_minutes">{_minutes(x.counted_minutes)}</td>'
                f'<td class="n">{_minutes(x.excluded_minutes)}</td>'
                f"<td>{escape(x.excluded_reason or '')}</td></tr>"
                for x in s.incidents
            ),
            "</table>",
        ]
    else:
        out.append("<p>No incident reached this service in the period.</p>")
    if s.explanation:
        out += ["<h3>How the credit was worked out</h3>", "<ul>"]
        out += [f"<li>{escape(line)}</li>" for line in s.explanation]
        out.append("</ul>")
    return out


def compliance_html(r: ComplianceReport) -> str:
    """The report as one HTML page."""
    title = f"Service level report: {r.customer or r.contract_name}, {r.period}"
    body: Sequence[str] = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{escape(r.contract_name)}; contract version '
        f'<span data-field="contract_label">{escape(r.contract_label)}</span>, hash '
        f'<code data-field="contract_hash">{escape(r.contract_hash)}</code>. '
        f"Measured {escape(r.measured)} in {escape(r.timezone)}; amounts in "
        f"{escape(r.currency)} per customer.</p>",
        *(line for s in r.tiers for line in _tier_html(s, r.currency)),
        f"<footer>Generated {escape(r.generated)} by SLA Modeler {escape(r.engine_version)} "
        "from a replay of the incident record against the contract version above.</footer>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def write_compliance_html(path: str | Path, report: ComplianceReport) -> Path:
    """Write the page to ``path`` (atomically: a failed write leaves no partial file)."""
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"{path}: the report needs a name ending in .html")
    if path.is_dir():
        raise InputError(
            f"{path}: is a folder; give the report a file name, e.g. {path / 'report.html'}"
        )
    if not path.parent.is_dir():
        raise InputError(f"{path}: give a file name in a folder that exists")
    write_text_atomic(path, compliance_html(report), "", "report")
    return path
