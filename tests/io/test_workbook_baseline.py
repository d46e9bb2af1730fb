"""The Baseline sheet recalculated by LibreOffice: its formulas give the engine's suggested target,
periods met and missed; and a share typed into the sheet moves the target as the engine would."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

from slamodeler.engine.baseline import baseline
from slamodeler.services.baseline import default_template
from slamodeler.services.replay import load_incident_file
from tests.helpers.cli import run
from tests.helpers.office import convert, needs_office, office_profile

# Jan: 60 min down; Feb: none; Mar: 600 min; Apr: 432 min (exactly 99.0%)
HISTORY = (
    "id,start,end,impact\n"
    "A,2024-01-10T10:00:00Z,2024-01-10T11:00:00Z,full\n"
    "C,2024-03-05T00:00:00Z,2024-03-05T10:00:00Z,full\n"
    "D,2024-04-20T12:00:00Z,2024-04-20T19:12:00Z,full\n"
)


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    return office_profile(tmp_path_factory)


def labelled(sheet) -> dict[str, list[object]]:
    """Each label in column A with the values of its row (the first tier's block comes first)."""
    found: dict[str, list[object]] = {}
    for row in sheet.iter_rows(values_only=True):
        if isinstance(row[0], str):
            found.setdefault(row[0], list(row[1:]))
    return found


def exported(tmp_path: Path, capsys, boundary: str = "below") -> Path:
    history = tmp_path / "history.csv"
    history.write_text(HISTORY, encoding="utf-8")
    out = tmp_path / "baseline.xlsx"
    args = ["baseline", history, "--share", "0.75", "--targets", "99.0", "99.9", "--xlsx", out]
    if boundary != "below":
        terms = tmp_path / "terms.yaml"
        terms.write_text(_template(boundary), encoding="utf-8")
        args += ["--contract", terms]
    code, _, err = run(capsys, *args)
    assert code == 0, err
    return out


def _template(boundary: str) -> str:
    import yaml

    data = default_template().model_dump(mode="json", exclude_none=True)
    data["tiers"][0]["credits"]["boundary"] = boundary
    return yaml.safe_dump(data)


def recalculated(office, path: Path, tmp_path: Path, share: float | None = None):
    if share is not None:  # the user types another share into the sheet
        wb = openpyxl.load_workbook(path)
        wb["Baseline"]["B4"] = share
        wb.save(path)
    return openpyxl.load_workbook(convert(office, path, "xlsx", tmp_path / "out"), data_only=True)[
        "Baseline"
    ]


def engine(share: Fraction, tmp_path: Path, boundary: str = "below"):
    terms = default_template()
    tier = terms.tiers[0]
    credits = tier.credits.model_copy(update={"boundary": boundary})
    terms = terms.model_copy(update={"tiers": [tier.model_copy(update={"credits": credits})]})
    history = tmp_path / "h.csv"
    history.write_text(HISTORY, encoding="utf-8")
    return baseline(terms, load_incident_file(history).incidents, share, (Decimal("99.9"),)).tiers[
        0
    ]


@needs_office
@pytest.mark.parametrize("boundary", ["below", "at_or_below"])
@pytest.mark.parametrize("share", [None, 1.0, 0.5])
def test_libreoffice_computes_the_engines_target_and_counts(
    office, tmp_path, capsys, boundary, share
):
    sheet = recalculated(office, exported(tmp_path, capsys, boundary), tmp_path, share)
    got = labelled(sheet)
    want = engine(Fraction(str(share or 0.75)), tmp_path, boundary)
    assert got["Periods"][0] == 4
    assert got["Periods the target must be met in"][0] == want.needed
    assert got["Suggested target"][0] == pytest.approx(
        float(want.suggested_percent) / 100, abs=1e-12
    )
    assert got["Periods that meet it"][0] == want.met
    assert got["Periods at exactly that availability"][0] == want.tied
    low, high = want.met_share_interval
    assert got["95% interval of that share, from"][0] == pytest.approx(low, abs=1e-9)
    assert got["95% interval of that share, to"][0] == pytest.approx(high, abs=1e-9)
    assert got["Reached in 100% of periods"][0] == pytest.approx(
        float(want.reached_in(Fraction(1))) / 100
    )
    candidates = [
        row
        for row in sheet.iter_rows(values_only=True)
        if row[1] in ("", "suggested", None)
        and isinstance(row[0], float)
        and row[2] is not None
        and row[4] is not None
    ]
    ninety_nine_nine = next(r for r in candidates if r[0] == pytest.approx(0.999))
    missed = next(c for c in want.candidates if c.target_pct == Decimal("99.9")).missed
    assert ninety_nine_nine[2] == len(missed)
    assert ninety_nine_nine[5] == pytest.approx(float(ninety_nine_nine[4]))  # one customer


def test_the_sheet_holds_the_measured_availabilities_and_credits(tmp_path, capsys):
    sheet = openpyxl.load_workbook(exported(tmp_path, capsys))["Baseline"]
    periods = {
        r[7]: r[8]
        for r in sheet.iter_rows(values_only=True)
        if isinstance(r[7], str) and r[7][:2] == "20"
    }
    assert periods == {
        "2024-01": pytest.approx(1 - 60 / 44640),
        "2024-02": 1.0,
        "2024-03": pytest.approx(1 - 600 / 44640),
        "2024-04": pytest.approx(0.99),
    }
    assert labelled(sheet)["Suggested target"][0] == "=ROUNDDOWN(B9,6)"
