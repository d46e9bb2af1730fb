"""The exposure workbook (docs/workbook.md), checked with a real spreadsheet engine.

LibreOffice recalculates the exported workbook headlessly; every formula cell must then hold the
value the engine computed, to the cent. After a band is edited in Terms, the Replay credits must
follow the contract rules, recomputed here from the replay's availabilities and the new band.
"""

from __future__ import annotations

import random
import re
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from slamodeler.cli.main import main
from slamodeler.domain.contract import Contract
from slamodeler.domain.incidents import Incident
from slamodeler.domain.support import Ticket
from slamodeler.engine.exposure import exposures
from slamodeler.engine.fees import credited_fee
from slamodeler.engine.periods import Period
from slamodeler.engine.replay import replay
from slamodeler.engine.simulation import simulate
from slamodeler.io.scenario_file import load_scenario
from slamodeler.io.workbook import WorkbookContent, convergence, histogram, write_workbook
from slamodeler.io.workbook.cells import safe_text
from tests.helpers import builders
from tests.helpers.builders import contract as build_contract
from tests.helpers.builders import ts
from tests.helpers.office import convert, needs_office, office_profile
from tests.helpers.paths import SAMPLES

SAMPLES = SAMPLES

# ---------------------------------------------------------------------------------------------
# A contract that exercises every rule the Replay formulas implement
# ---------------------------------------------------------------------------------------------

RICH = {
    "format": "slamodeler/v1",
    "name": "Workbook test terms",
    "currency": "USD",
    "timezone": "UTC",
    "term": {"start": "2024-01-01", "months": 24},
    "measurement": {"period": "month", "slot_minutes": 1, "min_downtime_minutes": 2},
    "exclusions": {"causes": ["customer", "maintenance"]},
    "tiers": [
        {
            "name": "Banded",
            "target_pct": 99.9,
            "monthly_fee": 1234.57,
            "cost_to_serve_monthly": 400.01,
            "customers": 3,
            "scope": {"services": ["Compute"]},
            "credits": {
                "kind": "bands",
                "boundary": "below",
                "bands": [
                    {"below": 99.9, "credit_pct": 10},
                    {"below": 99.0, "credit_pct": 25, "escalation": "tell the account team"},
                    {"below": 95.0, "credit_pct": 100},
                ],
            },
            "caps": {"per_period_pct": 50, "per_year_pct_of_annual_fees": 15},
        },
        {
            "name": "Exactly",
            "target_pct": 99.9,
            "monthly_fee": 1000.5,
            "customers": 7,
            "scope": {"services": ["Exact"]},
            "credits": {
                "kind": "bands",
                "boundary": "at_or_below",
                "bands": [
                    {"below": 99.9, "credit_pct": 10.5},
                    {"below": 99.0, "credit_pct": 30},
                ],
            },
        },
        {
            "name": "Hourly",
            "target_pct": 99.95,
            "monthly_fee": 999.99,
            "customers": 2,
            "scope": {"services": ["Compute"]},
            "credits": {"kind": "per_hour", "credit_pct_per_hour": 2.5, "hours": "started"},
            "caps": {"per_period_pct": 20},
        },
        {
            "name": "Whole hours",
            "target_pct": 99.5,
            "monthly_fee": 777.77,
            "scope": {"services": ["Compute"]},
            "credits": {
                "kind": "per_hour",
                "boundary": "at_or_below",
                "credit_pct_per_hour": 3,
                "hours": "whole",
            },
        },
        {
            "name": "Multiple",
            "target_pct": 99.99,
            "monthly_fee": 800,
            "customers": 11,
            "scope": {"services": ["Compute"]},
            "credits": {"kind": "fee_multiple", "multiple": 10},
        },
        {
            "name": "Curve",
            "target_pct": 99.9,
            "monthly_fee": 500,
            "scope": {"services": ["Compute"]},
            "credits": {
                "kind": "linear",
                "points": [
                    {"availability_pct": 99.9, "credit_pct": 0},
                    {"availability_pct": 99.0, "credit_pct": 20},
                    {"availability_pct": 95.0, "credit_pct": 60},
                ],
            },
        },
    ],
    "liability_cap": {"amount": 2500, "pct_of_annual_fees": 20},
    "claims": {"min_credit": 5, "claim_rate": 0.6},
}


def rich_contract() -> Contract:
    return Contract.model_validate(RICH)


def _ts(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def rich_incidents() -> list[Incident]:
    """Two years of outages on Compute (enough to reach every cap), and on the Exact service a
    partial outage that leaves April 2024 at exactly 99.9% (144 min x 0.3 = 43.2 of 43,200)."""
    rnd = random.Random(20240101)
    start, span = _ts("2024-01-01T00:00:00"), 730 * 86400
    out = []
    for k in range(320):
        begin = start + rnd.randrange(span - 86400)
        minutes = min(int(rnd.lognormvariate(3.4, 1.1)) + 1, 2000)
        out.append(
            Incident(
                id=f"C{k}",
                start=begin,
                end=begin + minutes * 60,
                impact=rnd.choice(["full", "full", "partial", Decimal("0.42")]),
                cause=rnd.choice(["", "", "", "", "customer", "maintenance"]),
                service="Compute",
                title=f"compute incident {k}",
                row=k + 2,
            )
        )
    exact = _ts("2024-04-10T10:00:00")
    out.append(Incident("X1", exact, exact + 144 * 60, "partial", service="Exact", row=400))
    later = _ts("2024-09-03T00:00:00")
    out.append(Incident("X2", later, later + 900 * 60, "full", service="Exact", row=401))
    return out


def yen_contract() -> Contract:
    """The same tiers priced in yen (no minor unit), without a liability cap."""
    data = dict(RICH, currency="JPY", name="Workbook test terms in yen")
    data.pop("liability_cap")
    data["tiers"] = [
        dict(t, monthly_fee=int(t["monthly_fee"] * 151), cost_to_serve_monthly=3000)
        for t in RICH["tiers"]
    ]
    data["claims"] = {"min_credit": 700, "claim_rate": 0.75}
    return Contract.model_validate(data)


def quarterly_contract() -> Contract:
    """The quarterly sample (EUR, Berlin): a fee multiple and per-hour credits, excluded time
    counted as available, a maintenance allowance, a liability cap in % of annual fees."""
    from slamodeler.io.contract_file import load_contract

    return load_contract(SAMPLES / "quarterly_collaboration.yaml")


def more_than_contract() -> Contract:
    """The rich terms with a minimum credit met only "more than" (AWS), set exactly to an amount
    a period issues under "at least": that period's credit is below the minimum."""
    data = dict(RICH, name="Workbook test terms, more than the minimum")
    free = Contract.model_validate(dict(data, claims={"min_credit": 0}))
    issued = [p.credit_after_caps for t in replay(free, rich_incidents()).tiers for p in t.periods]
    data["claims"] = {"min_credit": min(a for a in issued if a), "min_credit_rule": "more_than"}
    return Contract.model_validate(data)


def late_claims_contract() -> Contract:
    """The rich terms with a 30-day claim deadline that a quarter of the claims miss."""
    data = dict(RICH, name="Workbook test terms, late claims")
    late = {"claim_deadline_days": 30, "late_share": "0.25", "claim_rate": "0.8"}
    return Contract.model_validate(dict(data, claims={**RICH.get("claims", {}), **late}))


def varying_fees_contract() -> Contract:
    """The rich terms with every tier's fee varying by month (and the first's credits on 60% of
    it): the period fee and the caps' annual fees are the engine's values."""
    data = dict(RICH, name="Workbook test terms, fees that vary")
    months = {"2024-02": "1500", "2024-03": "90", "2024-06": "4000.5", "2024-11": "0"}
    tiers = [dict(t, monthly_fees=months) for t in data["tiers"]]
    tiers[0]["affected_share"] = "0.6"
    return Contract.model_validate(dict(data, tiers=tiers))


CASES = {
    "rich": rich_contract,
    "varying_fees": varying_fees_contract,
    "yen": yen_contract,
    "quarterly": quarterly_contract,
    "more_than": more_than_contract,
    "late_claims": late_claims_contract,
}


def export_case(name: str, folder: Path):
    return export(CASES[name](), rich_incidents(), folder / f"{name}.xlsx")


def export(contract: Contract, incidents: list[Incident], path: Path, tickets=()):
    """The workbook of the contract's replay of ``incidents`` (and support ``tickets``) and a
    small simulation."""
    result = replay(contract, incidents, tickets=tickets)
    scenario = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    run = simulate(contract, scenario.model_copy(update={"start": "2026-01", "years": 2}), 3000, 5)
    write_workbook(
        path,
        WorkbookContent(
            contract, "rich-terms v3", result, incidents, simulation=run, exposures=exposures(run)
        ),
    )
    return contract, incidents, result, run, path


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    return export_case("rich", tmp_path_factory.mktemp("rich"))


# ---------------------------------------------------------------------------------------------
# LibreOffice
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return office_profile(tmp_path_factory)


def recalculated(profile: Path, source: Path, outdir: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(convert(profile, source, "xlsx", outdir), data_only=True)


def formula_cells(path: Path) -> dict[tuple[str, str], str]:
    wb = openpyxl.load_workbook(path)
    return {
        (ws.title, cell.coordinate): cell.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    }


# ---------------------------------------------------------------------------------------------
# What each formula cell must hold, from the engine's results
# ---------------------------------------------------------------------------------------------

CENT = Decimal("0.01")
REPLAY_MONEY = {
    "Credit owed": lambda p: p.credit_owed,
    "After per-period cap": lambda p: p.credit_owed - p.capped_by_period,
    "After yearly cap": lambda p: p.credit_owed - p.capped_by_period - p.capped_by_year,
    "After liability cap": lambda p: p.credit_owed - p.capped_off + p.capped_by_customer,
    "Below minimum credit": lambda p: p.below_min_credit,
    "Credit issued": lambda p: p.credit_after_caps,
    "Capped off": lambda p: p.capped_off,
    "Capped by per-period cap": lambda p: p.capped_by_period,
    "Capped by yearly cap": lambda p: p.capped_by_year,
    "Capped by liability cap": lambda p: p.capped_by_liability,
    "Expected paid (claim rate)": lambda p: p.expected_paid,
}


def headers(ws, row: int) -> dict[str, int]:
    return {ws.cell(row, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(row, c).value}


def header_rows(ws, first: str) -> Iterator[int]:
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == first and ws.cell(r, 2).value in ("Tier", None):
            yield r


def period_fee_of(tier, p, months):
    """The fee a replayed period's credit is a % of: the engine's, where fees vary."""
    if not tier.monthly_fees and tier.affected_share == 1:
        return tier.monthly_fee * months
    first = date.fromisoformat(p.start[:10])
    return float(credited_fee(tier, Period(p.period, first, months, 0, 0)))


def expected_values(
    wb, formulas: dict[tuple[str, str], str], contract: Contract, result, run
) -> dict[tuple[str, str], object]:
    """(sheet, cell) -> the value the engine computed, for every formula the workbook has."""
    out: dict[tuple[str, str], object] = {}
    tiers = contract.tiers
    periods = {(t.tier, p.period): p for t in result.tiers for p in t.periods}

    # Terms: the boundary in words, the bands' tier names and checks.
    ws = wb["Terms"]
    tier_header = next(header_rows(ws, "#"))
    for i, tier in enumerate(tiers, tier_header + 1):
        boundary = getattr(tier.credits, "boundary", None)
        if tier.credits.kind != "linear":
            what = "a band is hit" if tier.credits.kind == "bands" else "the target is missed"
            words = "at or below" if boundary == "at_or_below" else "strictly below"
            out[("Terms", f"I{i}")] = f"{what} when availability is {words} its threshold"
    band_header = next(header_rows(ws, "Tier #"))
    r = band_header + 1
    while ("Terms", f"F{r}") in formulas:  # the bands, then the spare rows
        k = ws.cell(r, 1).value
        out[("Terms", f"B{r}")] = tiers[k - 1].name if k else ""
        out[("Terms", f"F{r}")] = "ok" if k else ""
        r += 1

    # Replay: one row per tier and period.
    ws = wb["Replay"]
    cols = headers(ws, 3)
    for r in range(4, ws.max_row + 1):
        tier = tiers[ws.cell(r, 1).value - 1]
        p = periods[(tier.name, ws.cell(r, cols["Period"]).value)]
        cell = lambda name, r=r: f"{openpyxl.utils.get_column_letter(cols[name])}{r}"  # noqa: E731
        out[("Replay", cell("Tier"))] = tier.name
        out[("Replay", cell("Target"))] = "met" if p.met_target else "missed"
        if tier.credits.kind != "linear" and tier.either_or is None:
            out[("Replay", cell("Credit %"))] = float(p.credit_pct / 100)
        out[("Replay", cell("Period fee"))] = period_fee_of(
            tier, p, ws.cell(r, cols["Months"]).value
        )
        for name, get in REPLAY_MONEY.items():
            out[("Replay", cell(name))] = get(p)
        if contract.chronic_failure_of(tier) is not None:
            flag = "holds" if p.chronic_missed else ""
            out[("Replay", cell("Termination right (chronic failure)"))] = flag
        if contract.customer_cap is not None:
            own = REPLAY_MONEY["After liability cap"](p)
            minimum = contract.claims.min_credit
            clears = (
                own > minimum if contract.claims.min_credit_rule == "more_than" else own >= minimum
            )
            out[("Replay", cell("Issued before customer cap"))] = own if clears else 0

    # Profitability: the simulated table, then the replayed one.
    ws = wb["Profitability"]
    found = {e.name: e for e in exposures(run)}
    months = sum(p.months for p in run.horizon.periods)
    per_period = 3 if contract.measurement.period == "quarter" else 1
    replay_months = {t.tier: per_period * len(t.periods) for t in result.tiers}
    by_result = {t.tier: t for t in result.tiers}
    sim_header, rep_header = header_rows(ws, "#")
    totals: dict[str, Decimal] = {}
    for i, tier in enumerate(tiers, sim_header + 1):
        e = found[tier.name]
        revenue = tier.monthly_fee * months * tier.customers
        cost = tier.cost_to_serve_monthly * months * tier.customers
        margin = float(revenue - cost) - e.mean
        out.update(
            {
                ("Profitability", f"B{i}"): tier.name,
                ("Profitability", f"C{i}"): tier.customers,
                ("Profitability", f"E{i}"): revenue,
                ("Profitability", f"F{i}"): cost,
                ("Profitability", f"I{i}"): margin,
                ("Profitability", f"J{i}"): float(revenue - cost) - e.quantiles["p95"],
                ("Profitability", f"K{i}"): margin / float(revenue),
            }
        )
        totals["C"] = totals.get("C", 0) + tier.customers
        totals["E"] = totals.get("E", 0) + revenue
        totals["F"] = totals.get("F", 0) + cost
    p = sim_header + len(tiers) + 1
    e = found["portfolio"]
    out[("Profitability", f"C{p}")] = totals["C"]
    out[("Profitability", f"E{p}")] = totals["E"]
    out[("Profitability", f"F{p}")] = totals["F"]
    out[("Profitability", f"I{p}")] = float(totals["E"] - totals["F"]) - e.mean
    out[("Profitability", f"J{p}")] = float(totals["E"] - totals["F"]) - e.quantiles["p95"]
    out[("Profitability", f"K{p}")] = (float(totals["E"] - totals["F"]) - e.mean) / float(
        totals["E"]
    )
    sums = {c: Decimal(0) for c in "CEFGHI"}
    for i, tier in enumerate(tiers, rep_header + 1):
        t = by_result[tier.name]
        n = tier.customers
        revenue = tier.monthly_fee * replay_months[tier.name] * n
        cost = tier.cost_to_serve_monthly * replay_months[tier.name] * n
        issued, paid = t.total("credit_after_caps") * n, t.total("expected_paid") * n
        row = {
            "B": tier.name,
            "C": n,
            "D": replay_months[tier.name],
            "E": revenue,
            "F": cost,
            "G": issued,
            "H": paid,
            "I": revenue - cost - paid,
            "J": float(revenue - cost - paid) / float(revenue),
        }
        for c, v in row.items():
            out[("Profitability", f"{c}{i}")] = v
        for c in sums:
            sums[c] += row[c]
    p = rep_header + len(tiers) + 1
    for c, v in sums.items():
        out[("Profitability", f"{c}{p}")] = v
    out[("Profitability", f"J{p}")] = float(sums["I"]) / float(sums["E"])

    # Summary: names, customers, replay totals, margins.
    ws = wb["Summary"]
    h = next(header_rows(ws, "#"))
    margin_rows = {tier.name: sim_header + i for i, tier in enumerate(tiers, 1)}
    margin_rows["portfolio"] = sim_header + len(tiers) + 1
    sums = {c: Decimal(0) for c in "CDEF"}
    for i, tier in enumerate(tiers, h + 1):
        t = by_result[tier.name]
        row = {
            "B": tier.name,
            "C": tier.customers,
            "D": t.total("credit_after_caps") * tier.customers,
            "E": t.total("expected_paid") * tier.customers,
            "F": t.breach_periods,
        }
        for c, v in row.items():
            out[("Summary", f"{c}{i}")] = v
        for c in sums:
            sums[c] += row[c]
        out[("Summary", f"N{i}")] = out[("Profitability", f"I{margin_rows[tier.name]}")]
    p = h + len(tiers) + 1
    for c, v in sums.items():
        out[("Summary", f"{c}{p}")] = v
    out[("Summary", f"N{p}")] = out[("Profitability", f"I{margin_rows['portfolio']}")]
    return out


def same(actual: object, expected: object) -> bool:
    if isinstance(expected, str):
        return (actual or "") == expected
    if actual is None or isinstance(actual, str):
        return False
    if isinstance(expected, Decimal | int):
        # Money: the formula's result is the amount to the cent, not merely near it.
        return abs(Decimal(repr(float(actual))) - Decimal(expected)) < Decimal("1e-9")
    return abs(float(actual) - float(expected)) <= 1e-9 * max(1.0, abs(float(expected)))


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


def test_the_workbook_has_its_sheets_and_reopens(rich):
    *_, path = rich
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "Summary",
        "Terms",
        "Replay",
        "Incidents",
        "Exposure",
        "Profitability",
        "Assumptions",
    ]
    assert wb.calculation.fullCalcOnLoad
    assert not wb["Summary"].sheet_view.showGridLines
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert wb["Replay"].freeze_panes == "D4" and wb["Incidents"].freeze_panes == "C4"
    names = {s.name if hasattr(s, "name") else s for s in wb.named_styles}
    assert {"SLA Money", "SLA Percent", "SLA Header", "SLA Money input"} <= names
    assert wb["Replay"]["N4"].number_format == '"USD" #,##0.00'
    assert wb["Replay"]["L4"].number_format == "0.00%"
    assert len(wb["Summary"]._charts) == 1 and len(wb["Exposure"]._charts) == 2 * 7
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None


def test_exposure_sheet_holds_the_simulations_statistics(rich):
    *_, run, path = rich
    ws = openpyxl.load_workbook(path)["Exposure"]
    found = exposures(run)
    assert [ws.cell(4, c).value for c in range(2, 2 + len(found))] == [e.name for e in found]
    rows = {ws.cell(r, 1).value: r for r in range(5, 30) if ws.cell(r, 1).value}
    for c, e in enumerate(found, 2):
        assert ws.cell(rows["Trials"], c).value == e.trials == 3000
        assert ws.cell(rows["Mean"], c).value == pytest.approx(e.mean)
        assert ws.cell(rows["P95"], c).value == pytest.approx(e.quantiles["p95"])
        assert ws.cell(rows["TVaR 99% (mean of the worst 1%)"], c).value == pytest.approx(e.tvar99)
        assert ws.cell(rows["Probability of any breach"], c).value == pytest.approx(e.p_any_breach)


def test_histogram_and_convergence_summarise_every_trial():
    rnd = np.random.default_rng(3)
    paid = np.where(rnd.random(5000) < 0.3, 0.0, rnd.lognormal(8, 1, 5000))
    bins = histogram(paid)
    assert bins[0] == (0.0, 0.0, int((paid == 0).sum()))
    assert sum(count for *_, count in bins) == 5000
    assert bins[-1][1] == pytest.approx(paid.max())
    points = convergence(paid)
    assert points[0][0] == 100 and points[-1][0] == 5000 and len(points) <= 40
    _, mean, low, high = points[-1]
    half = 1.959963984540054 * paid.std(ddof=1) / np.sqrt(5000)
    assert mean == pytest.approx(paid.mean()) and high - mean == pytest.approx(half)
    assert mean - low == pytest.approx(half)
    assert histogram(np.zeros(0)) == [] and convergence(np.zeros(0)) == []
    assert histogram(np.zeros(7)) == [(0.0, 0.0, 7)]


@needs_office
@pytest.mark.parametrize("case", CASES)
def test_libreoffice_recalculates_every_formula_to_the_engines_value(case, rich, office, tmp_path):
    contract, _, result, run, path = rich if case == "rich" else export_case(case, tmp_path)
    formulas = formula_cells(path)
    wb = recalculated(office, path, tmp_path / "out")
    expected = expected_values(wb, formulas, contract, result, run)
    assert set(formulas) == set(expected), "formula cells without an expected value"
    wrong = [
        f"{sheet}!{coord}: {wb[sheet][coord].value!r}, engine {value!r} ({formulas[sheet, coord]})"
        for (sheet, coord), value in expected.items()
        if not same(wb[sheet][coord].value, value)
    ]
    assert not wrong, f"{len(wrong)} of {len(expected)} formula cells differ:\n" + "\n".join(
        wrong[:20]
    )
    # The data covers what the formulas are for.
    periods = [p for t in result.tiers for p in t.periods]
    assert sum(1 for p in periods if p.credit_owed) >= 10
    if case == "rich":
        assert any(p.capped_by_period for p in periods) and any(p.capped_by_year for p in periods)
        assert any(p.capped_by_liability for p in periods)
        assert any(p.below_min_credit for p in periods)
        exact = next(
            p
            for t in result.tiers
            if t.tier == "Exactly"
            for p in t.periods
            if p.period == "2024-04"
        )
        assert exact.availability_pct == Fraction(999, 10)
        assert exact.credit_owed == Decimal("105.05")
    if case == "quarterly":
        assert any(p.capped_by_period for p in periods) and any(p.capped_by_year for p in periods)
    if case == "more_than":
        assert any(p.below_min_credit == contract.claims.min_credit for p in periods)
    if case == "late_claims":
        assert any(p.late_forfeited for p in periods)


def recalculated_as_the_engine(office, contract, incidents, folder: Path, tickets=()):
    """The workbook recalculated by LibreOffice, after checking every formula cell against the
    engine's value; the recalculated workbook."""
    contract, _, result, run, path = export(contract, incidents, folder / "case.xlsx", tickets)
    formulas = formula_cells(path)
    wb = recalculated(office, path, folder / "out")
    expected = expected_values(wb, formulas, contract, result, run)
    assert set(formulas) == set(expected), "formula cells without an expected value"
    wrong = [
        f"{sheet}!{coord}: {wb[sheet][coord].value!r}, engine {value!r}"
        for (sheet, coord), value in expected.items()
        if not same(wb[sheet][coord].value, value)
    ]
    assert not wrong, "\n".join(wrong[:20])
    return wb


@needs_office
def test_libreoffice_reads_both_ends_of_githubs_bands(office, tmp_path):
    """GitHub's bands as written: exactly 99.0% (2025-Q1, 1,296 of 129,600 minutes) in no band,
    98.99% (2025-Q2, 1,323.504 of 131,040) in band 2 "below 99.0%", 99.5% (2025-Q3, 662.4 of
    132,480) in band 1 "at or below 99.9% and above 99.0%"."""
    from slamodeler.io.contract_file import load_contract

    def down(day: str, minutes: int, impact: str | Decimal = "full", k: int = 0) -> Incident:
        begin = _ts(f"{day}T00:00:00")
        return Incident(id=f"G{day}{k}", start=begin, end=begin + 60 * minutes, impact=impact)

    incidents = [
        down("2025-02-10", 1296),
        down("2025-05-06", 1323),
        down("2025-05-07", 1, Decimal("0.504")),
        down("2025-08-04", 662),
        down("2025-08-05", 1, Decimal("0.4")),
    ]
    contract = load_contract(SAMPLES / "real" / "github_enterprise_cloud.yaml")
    wb = recalculated_as_the_engine(office, contract, incidents, tmp_path)
    ws = wb["Replay"]
    cols = headers(ws, 3)
    credit = {
        ws.cell(r, cols["Period"]).value: ws.cell(r, 12).value for r in range(4, ws.max_row + 1)
    }
    assert (credit["2025-Q1"], credit["2025-Q2"], credit["2025-Q3"]) == (0, 0.25, 0.1)


@needs_office
def test_an_either_or_tier_recalculates_from_the_credit_the_engine_chose(office, tmp_path):
    """Bands 10/25/100% or 5% per started hour, the greater, capped at 30% of the fee: May's
    3.5 hours pay the hourly 20% (200.00), June's 8 hours its 40%, cut to 300.00 by the cap
    formula over the engine's grey percentage."""
    hourly = {"kind": "per_hour", "credit_pct_per_hour": 5, "hours": "started"}
    contract = builders.contract(
        tier={
            "either_or": {"name": "outage credit", "credits": hourly},
            "caps": {"per_period_pct": 30},
        }
    )
    incidents = [
        Incident(
            id="E1", start=_ts("2024-05-10T10:00:00"), end=_ts("2024-05-10T13:30:00"), impact="full"
        ),
        Incident(
            id="E2", start=_ts("2024-06-10T10:00:00"), end=_ts("2024-06-10T18:00:00"), impact="full"
        ),
    ]
    ws = recalculated_as_the_engine(office, contract, incidents, tmp_path)["Replay"]
    cols = headers(ws, 3)
    row = {ws.cell(r, cols["Period"]).value: r for r in range(4, ws.max_row + 1)}
    may, june = row["2024-05"], row["2024-06"]
    assert ws.cell(may, cols["Credit %"]).value == pytest.approx(0.2)
    assert ws.cell(may, cols["Credit issued"]).value == 200
    assert ws.cell(june, cols["Credit owed"]).value == 400
    assert ws.cell(june, cols["Credit issued"]).value == 300
    assert ws.cell(june, cols["Rule at export"]).value.startswith("outage credit paid")


@needs_office
def test_chronic_failure_and_the_customer_cap_recalculate_as_the_engine_says(office, tmp_path):
    """Two tiers held under a customer cap of 400 a term, a termination right at 2 missed of
    any 3 months. Compute misses in February and April (12 h each: 25% of 1,000 = 250) and
    Storage too (25% of 500 = 125): February uses 375 of the cap, April's Compute credit is cut
    to 25 and Storage's to 0. The right holds from April (February and April of the last 3)."""
    data = builders.contract().model_dump(mode="json")
    compute = {**data["tiers"][0], "name": "Compute", "customers": 2}
    data["tiers"] = [compute, {**compute, "name": "Storage", "monthly_fee": 500}]
    data["customer_cap"] = {"amount": 400}
    data["chronic_failure"] = {"missed": 2, "of": 3}
    contract = Contract.model_validate(data)
    incidents = [
        Incident(
            id=f"C{m}",
            start=_ts(f"2024-0{m}-03T00:00:00"),
            end=_ts(f"2024-0{m}-03T12:00:00"),
            impact="full",
        )
        for m in (2, 4)
    ]
    wb = recalculated_as_the_engine(office, contract, incidents, tmp_path)
    ws = wb["Replay"]
    cols = headers(ws, 3)
    rows = {
        (ws.cell(r, cols["Tier"]).value, ws.cell(r, cols["Period"]).value): r
        for r in range(4, ws.max_row + 1)
    }

    def at(tier: str, period: str, column: str) -> object:
        return ws.cell(rows[tier, period], cols[column]).value

    assert at("Compute", "2024-04", "Capped by customer cap") == 225
    assert at("Compute", "2024-04", "Credit issued") == 25
    assert at("Storage", "2024-04", "Credit issued") == 0
    assert at("Storage", "2024-04", "Capped off") == 125
    flags = [at("Compute", f"2024-0{m}", "Termination right (chronic failure)") for m in (2, 3, 4)]
    assert [flag or "" for flag in flags] == ["", "", "holds"]
    exposure = wb["Exposure"]
    labels = {exposure.cell(r, 1).value: r for r in range(5, 40)}
    found = {e.name: e for e in exposures(simulate_like_export(contract))}
    r = labels["Probability of a termination right (chronic failure)"]
    assert exposure.cell(r, 2).value == pytest.approx(found["Compute"].p_termination_right)
    assert labels["Revenue at risk from chronic failure (mean)"] == r + 1
    cut = labels["Cut by the customer cap (mean)"]
    assert exposure.cell(cut, 2).value > 0  # the baseline scenario's outages pass 400 a term


def simulate_like_export(contract: Contract):
    """The simulation ``export`` runs, again (same scenario, trials and seed)."""
    scenario = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    return simulate(contract, scenario.model_copy(update={"start": "2026-01", "years": 2}), 3000, 5)


# -- the band edit, recomputed independently ----------------------------------------------------


def band_pct(
    bands: list[tuple[Decimal, Decimal]], boundary: str, availability: Fraction
) -> Decimal:
    """Credit of the lowest band hit (bands listed with falling thresholds)."""
    credit = Decimal(0)
    for below, pct in bands:
        hit = availability < below if boundary == "below" else availability <= below
        if hit:
            credit = pct
    return credit


def priced(contract: Contract, tier_name: str, rows, pcts: list[Decimal]) -> list[dict]:
    """docs/measurement.md section 9 written out again, with Decimal: fee, owed, caps in order,
    minimum credit, claim rate."""
    tier = contract.tier(tier_name)
    fee = tier.monthly_fee
    annual = fee * 12
    caps = tier.caps
    lc = contract.liability_cap
    term_limits = []
    if lc is not None and lc.amount is not None:
        term_limits.append(lc.amount)
    if lc is not None and lc.pct_of_annual_fees is not None:
        term_limits.append(annual * lc.pct_of_annual_fees / 100)
    down = lambda x: x.quantize(CENT, ROUND_DOWN)  # noqa: E731
    half = lambda x: x.quantize(CENT, ROUND_HALF_UP)  # noqa: E731
    year_cap = (
        down(annual * caps.per_year_pct_of_annual_fees / 100)
        if caps.per_year_pct_of_annual_fees is not None
        else None
    )
    term_cap = down(min(term_limits)) if term_limits else None
    used_year: dict[object, Decimal] = {}
    used_term: dict[object, Decimal] = {}
    out = []
    for (year, term), pct in zip(rows, pcts, strict=True):
        owed = half(fee * pct / 100)
        amount = owed
        if caps.per_period_pct is not None:
            amount = min(amount, down(fee * caps.per_period_pct / 100))
        if year_cap is not None:
            amount = min(amount, year_cap - used_year.get(year, 0))
        if term_cap is not None:
            amount = min(amount, term_cap - used_term.get(term, 0))
        floor = contract.claims.min_credit
        clears = (
            amount > floor if contract.claims.min_credit_rule == "more_than" else amount >= floor
        )
        issued = amount if clears else Decimal("0.00")
        used_year[year] = used_year.get(year, 0) + issued
        used_term[term] = used_term.get(term, 0) + issued
        out.append(
            {
                "Credit owed": owed,
                "Credit issued": issued,
                "Expected paid (claim rate)": half(issued * contract.claims.claim_rate),
            }
        )
    return out


@needs_office
def test_editing_a_band_in_terms_recalculates_the_replay_credits(rich, office, tmp_path):
    contract, _, result, _, path = rich
    wb = openpyxl.load_workbook(path)
    terms = wb["Terms"]
    band_header = next(header_rows(terms, "Tier #"))
    tier_header = next(header_rows(terms, "#"))
    # Banded: first band 10% -> 17.5%. Exactly: at_or_below -> below, so April 2024 (exactly
    # 99.9%) no longer earns a credit.
    assert terms.cell(band_header + 1, 5).value == pytest.approx(0.10)
    terms.cell(band_header + 1, 5).value = 0.175
    assert terms.cell(tier_header + 2, 8).value == "at_or_below"
    terms.cell(tier_header + 2, 8).value = "below"
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    after = recalculated(office, edited, tmp_path / "out")["Replay"]
    cols = headers(after, 3)
    rows: dict[str, list[int]] = {}
    for r in range(4, after.max_row + 1):
        rows.setdefault(contract.tiers[after.cell(r, 1).value - 1].name, []).append(r)

    new_bands = {
        "Banded": (
            [
                (Decimal("99.9"), Decimal("17.5")),
                (Decimal("99.0"), Decimal(25)),
                (Decimal("95.0"), Decimal(100)),
            ],
            "below",
        ),
        "Exactly": ([(Decimal("99.9"), Decimal("10.5")), (Decimal("99.0"), Decimal(30))], "below"),
    }
    changed = 0
    for t in result.tiers:
        if t.tier not in new_bands:
            continue
        bands, boundary = new_bands[t.tier]
        pcts = [band_pct(bands, boundary, p.availability_pct) for p in t.periods]
        # Contract year and term of each period, from the term's start (2024-01, 24 months).
        since = [int(p.period[:4]) * 12 + int(p.period[5:7]) - (2024 * 12 + 1) for p in t.periods]
        keys = [(m // 12, m // 24) for m in since]
        want = priced(contract, t.tier, keys, pcts)
        for r, p, pct, w in zip(rows[t.tier], t.periods, pcts, want, strict=True):
            assert after.cell(r, cols["Credit %"]).value == pytest.approx(
                float(pct / 100), abs=1e-12
            )
            for name, value in w.items():
                got = after.cell(r, cols[name]).value
                assert same(got, value), f"{t.tier} {p.period} {name}: {got} != {value}"
            changed += w["Credit owed"] != p.credit_owed
    assert changed >= 3
    exact_april = rows["Exactly"][[p.period for p in result.tiers[1].periods].index("2024-04")]
    assert after.cell(exact_april, cols["Credit owed"]).value == 0  # was 10.5% of 1000.50
    assert result.tiers[1].periods[3].credit_owed == Decimal("105.05")


@needs_office
def test_summary_renders_to_png(rich, office, tmp_path):
    *_, path = rich
    pdf = convert(office, path, "pdf", tmp_path)
    subprocess.run(
        ["pdftoppm", "-f", "1", "-l", "1", "-r", "60", "-png", str(pdf), str(tmp_path / "summary")],
        check=True,
        timeout=120,
    )
    png = next(tmp_path.glob("summary*.png"))
    assert png.stat().st_size > 20_000  # a page with a table and a chart, not a blank one
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    assert (
        "SLA exposure workbook" in text
        and "Workbook test terms" in text
        and "rich-terms v3" in text
    )


# -- injection ---------------------------------------------------------------------------------

HOSTILE = [
    "=1+1",
    '=HYPERLINK("http://example.invalid","click")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "\x00\x07=cmd|' /C calc'!A0",
    "fine title\x1b[31m with escapes\x0b",
]


def test_hostile_text_stays_inert_text(tmp_path):
    # names cannot hold control characters (tests/hostile/test_hidden_characters.py); titles can
    data = dict(RICH, name='=HYPERLINK("http://example.invalid","x")')
    data["tiers"] = [dict(RICH["tiers"][0], name="+Gold")]
    contract = Contract.model_validate(data)
    start = _ts("2024-03-01T00:00:00")
    incidents = [
        Incident(
            id=f"@id{k}",
            start=start + k * 7200,
            end=start + k * 7200 + 1800,
            impact="full",
            cause="-customer" if k == 1 else "",
            service="Compute",
            region="=A1",
            title=title,
            row=k + 2,
        )
        for k, title in enumerate(HOSTILE)
    ]
    path = tmp_path / "hostile.xlsx"
    write_workbook(path, WorkbookContent(contract, "=v1", replay(contract, incidents), incidents))
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    written = re.findall(r"<f>(.*?)</f>", xml)
    assert written and not any("HYPERLINK" in f or "SUM(1" in f or "cmd" in f for f in written)

    wb = openpyxl.load_workbook(path)
    inc = wb["Incidents"]
    titles = {inc.cell(r, 10).value: inc.cell(r, 10) for r in range(4, inc.max_row + 1)}
    for title in HOSTILE:
        clean, guard = safe_text(title)
        cell = titles[clean]
        assert cell.data_type == "s" and cell.value == clean
        assert cell.quotePrefix == guard
        assert not any(ord(ch) < 32 and ch not in "\t\n" for ch in clean)
    assert safe_text(HOSTILE[7]) == ("=cmd|' /C calc'!A0", True)
    assert safe_text("\r=1+1") == ("\n=1+1", True)
    assert safe_text("plain") == ("plain", False)
    for r in range(4, inc.max_row + 1):
        region, ident = inc.cell(r, 9), inc.cell(r, 2)
        assert region.value == "=A1" and region.data_type == "s" and region.quotePrefix
        assert ident.value.startswith("@id") and ident.data_type == "s" and ident.quotePrefix
    name = wb["Summary"]["C3"]
    assert name.value == '=HYPERLINK("http://example.invalid","x")' and name.data_type == "s"
    assert name.quotePrefix
    assert wb["Summary"]["C4"].value == "=v1" and wb["Summary"]["C4"].quotePrefix
    tier = next(c for row in wb["Terms"].iter_rows() for c in row if c.value == "+Gold")
    assert tier.data_type == "s" and tier.quotePrefix


@needs_office
def test_hostile_text_is_still_text_after_libreoffice(tmp_path, office):
    contract = Contract.model_validate(dict(RICH, tiers=[RICH["tiers"][0]]))
    start = _ts("2024-03-01T00:00:00")
    incidents = [
        Incident(
            f"I{k}",
            start + k * 7200,
            start + k * 7200 + 600,
            "full",
            service="Compute",
            title=t,
            row=k + 2,
        )
        for k, t in enumerate(HOSTILE)
    ]
    path = tmp_path / "hostile.xlsx"
    write_workbook(path, WorkbookContent(contract, None, replay(contract, incidents), incidents))
    saved = convert(office, path, "xlsx", tmp_path / "out")
    for data_only in (True, False):  # neither a computed value nor a formula: the text itself
        inc = openpyxl.load_workbook(saved, data_only=data_only)["Incidents"]
        cells = [inc.cell(r, 10) for r in range(4, inc.max_row + 1)]
        assert [c.value for c in cells] == [safe_text(t)[0] for t in HOSTILE]
        assert {c.data_type for c in cells} == {"s"}


# -- the other shapes of export ----------------------------------------------------------------


def test_replay_only_and_simulation_only_workbooks(tmp_path):
    contract = rich_contract()
    incidents = rich_incidents()[:50]
    result = replay(contract, incidents)
    only_replay = tmp_path / "replay.xlsx"
    report = write_workbook(only_replay, WorkbookContent(contract, None, result, incidents))
    assert report.replay_rows == sum(len(t.periods) for t in result.tiers)
    wb = openpyxl.load_workbook(only_replay)
    assert "No simulation" in wb["Exposure"]["A2"].value
    scenario = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    run = simulate(contract, scenario, 500, 1)
    only_sim = tmp_path / "sim.xlsx"
    write_workbook(only_sim, WorkbookContent(contract, simulation=run))
    wb = openpyxl.load_workbook(only_sim)
    assert "No replayed history" in wb["Replay"]["A2"].value
    assert wb["Exposure"]["B5"].value == 500


def test_bad_output_paths_are_refused_and_nothing_is_left(tmp_path):
    from slamodeler.domain.errors import InputError

    contract = rich_contract()
    with pytest.raises(InputError, match=r"ending in \.xlsx"):
        write_workbook(tmp_path / "out.csv", WorkbookContent(contract))
    with pytest.raises(InputError, match="does not exist"):
        write_workbook(tmp_path / "no" / "out.xlsx", WorkbookContent(contract))
    assert list(tmp_path.iterdir()) == []


def test_cli_replay_simulate_and_export_write_workbooks(tmp_path, capsys):
    contract = SAMPLES / "three_tier_cloud.yaml"
    incidents = SAMPLES / "incidents_sample.csv"
    scenario = SAMPLES / "scenarios" / "baseline.yaml"
    out = tmp_path / "replay.xlsx"
    assert main(["replay", str(contract), str(incidents), "--xlsx", str(out)]) == 0
    assert openpyxl.load_workbook(out)["Replay"].max_row == 3 + 3 * 13
    out = tmp_path / "sim.xlsx"
    args = ["simulate", str(contract), "--scenario", str(scenario), "--trials", "300"]
    assert main([*args, "--xlsx", str(out)]) == 0
    assert openpyxl.load_workbook(out)["Exposure"]["B5"].value == 300
    out = tmp_path / "both.xlsx"
    code = main(
        [
            "export",
            str(contract),
            str(incidents),
            "--scenario",
            str(scenario),
            "--trials",
            "200",
            "--seed",
            "3",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    wb = openpyxl.load_workbook(out)
    assert wb["Exposure"]["B5"].value == 200 and wb["Replay"].max_row == 42
    assert "wrote" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:  # refused before any work is done
        main(["export", str(contract), str(incidents), "--out", str(tmp_path / "x.csv")])
    assert stop.value.code == 2 and "ending in .xlsx" in capsys.readouterr().err
    code = main(["export", str(contract), str(incidents), "--trials", "9", "--out", str(out)])
    assert code == 2 and "--trials and --seed go with --scenario" in capsys.readouterr().err


@needs_office
def test_libreoffice_credits_the_share_of_scheduled_availability_in_service_hours(office, tmp_path):
    """Cloudflare's fee multiple of scheduled availability, measured Monday to Friday
    08:00-18:00 UTC without 1 September 2025: 21 x 600 = 12,600 minutes (D); 6 hours down and 2
    hours a quarter down, 390 minutes (T); customer-planned 07:00-09:00 on a Wednesday, 60 of
    them in service hours (X), and 12 hours on a Saturday, none. 390 / 12,540 x 200 = 6.22."""
    from slamodeler.io.contract_file import load_contract

    def down(start: str, end: str, impact: str | Decimal = "full", cause: str = "") -> Incident:
        begin, finish = _ts(start), _ts(end)
        return Incident(id=start, start=begin, end=finish, impact=impact, cause=cause)

    data = load_contract(SAMPLES / "real" / "cloudflare_business.yaml").model_dump(mode="json")
    data["measurement"]["service_hours"] = {
        "start": "08:00",
        "end": "18:00",
        "holidays": ["2025-09-01"],
    }
    incidents = [
        down("2025-09-09T10:00:00", "2025-09-09T16:00:00"),
        down("2025-09-16T10:00:00", "2025-09-16T12:00:00", Decimal("0.25")),
        down("2025-09-10T07:00:00", "2025-09-10T09:00:00", cause="customer_planned"),
        down("2025-09-20T00:00:00", "2025-09-20T12:00:00", cause="customer_planned"),
    ]
    wb = recalculated_as_the_engine(office, Contract.model_validate(data), incidents, tmp_path)
    ws = wb["Replay"]
    row = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 7).value == 12600)
    assert (ws.cell(row, 8).value, ws.cell(row, 9).value) == (60, 390)
    assert round(Decimal(str(ws.cell(row, 12).value)) * 200, 2) == Decimal("6.22")


# Per-incident credits: the credit % formula adds the period's per-incident credits as a value.


def _per_incident_down(ident: str, start: str, minutes: int, impact: str = "full") -> Incident:
    begin = _ts(f"{start}:00")
    return Incident(id=ident, start=begin, end=begin + 60 * minutes, impact=impact)


@needs_office
@pytest.mark.parametrize("hours", ["started", "exact"])
def test_libreoffice_adds_the_per_incident_credits_to_the_schedules(office, tmp_path, hours):
    """March: a full incident of 20 minutes and a partial one of 150 (45 weighted minutes):
    65 of 44,640 minutes is 99.85%, band 1 (10%); the second incident earns 5% + 2% x its
    hours (1 started hour, or 0.75 exact)."""
    terms = build_contract(
        tier={
            "incident_credits": {
                "longer_than_minutes": 30,
                "credit_pct": "5",
                "credit_pct_per_hour": "2",
                "hours": hours,
            }
        }
    )
    incidents = [
        _per_incident_down("A", "2024-03-05T10:00", 20),
        _per_incident_down("B", "2024-03-12T09:00", 150, "partial"),
    ]
    wb = recalculated_as_the_engine(office, terms, incidents, tmp_path)
    ws = wb["Replay"]
    cols = headers(ws, 3)
    credit = {
        ws.cell(r, cols["Period"]).value: ws.cell(r, 12).value for r in range(4, ws.max_row + 1)
    }
    earned = 0.10 + (0.07 if hours == "started" else 0.05 + 0.02 * 45 / 60)
    assert credit["2024-03"] == pytest.approx(earned)


@needs_office
def test_libreoffice_adds_the_support_credit_to_the_band_credit(office, tmp_path):
    """March 2024: 60 minutes down (99.8656%, band 1: 10%) and a P1 ticket answered in 40
    minutes (+5%); April: no downtime and a P2 ticket 30 minutes late (+50 of 1,000: 5%)."""
    support = {
        "targets": [
            {"priority": "P1", "respond_within_minutes": 15, "credit_pct": 5},
            {"priority": "P2", "respond_within_minutes": 60, "credit_amount": 50},
        ]
    }
    terms = build_contract(tier={"support": support})
    down = Incident("I-1", ts("2024-03-05T10:00:00"), ts("2024-03-05T11:00:00"), "full")
    tickets = [
        Ticket("T-1", "p1", ts("2024-03-06T10:00:00"), ts("2024-03-06T10:40:00"), 2),
        Ticket("T-2", "p2", ts("2024-04-02T10:00:00"), ts("2024-04-02T11:30:00"), 3),
    ]
    quiet = Incident("I-2", ts("2024-04-30T10:00:00"), ts("2024-04-30T10:00:00"), "full")
    wb = recalculated_as_the_engine(office, terms, [down, quiet], tmp_path, tickets)
    ws = wb["Replay"]
    cols = headers(ws, 3)
    rows = {ws.cell(r, cols["Period"]).value: r for r in range(4, ws.max_row + 1)}
    assert round(Decimal(str(ws.cell(rows["2024-03"], 12).value)), 6) == Decimal("0.15")
    assert round(Decimal(str(ws.cell(rows["2024-04"], 12).value)), 6) == Decimal("0.05")
    assert "support: 1 late response(s) (T-2) +5%" in ws.cell(rows["2024-04"], 27).value
