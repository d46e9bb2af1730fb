"""One name for each concept: a *percent* is 99.9 (what contracts, replay output and the views
show), a *fraction* is 0.999 (what a percent-formatted workbook cell holds). These tests hold
the two conversions to their meaning, and keep the ambiguous abbreviation out of the code's own
names (the file formats' keys such as ``credit_pct`` stay as published)."""

from __future__ import annotations

import ast
from decimal import Decimal
from fractions import Fraction

from slamodeler.domain.field_names import LABELS
from slamodeler.io.replay_report import percent
from slamodeler.io.workbook.values import as_fraction, optional_fraction

# The editor's widget for the contract's pct_of_annual_fees: a percent too, renamed when the
# terms editors are next reworked (they are being moved into their own folder).
from tests.helpers.paths import PACKAGE


def test_a_percent_stays_a_percent_rounded_for_display():
    assert percent(Fraction(999, 10)) == 99.9
    assert percent(Fraction(100)) == 100.0
    assert percent(Fraction(200, 3)) == 66.666667  # 6 decimals; decisions use the exact value


def test_a_percent_becomes_the_fraction_a_workbook_cell_holds():
    assert as_fraction(Decimal("99.9")) == 0.999
    assert as_fraction(Fraction(999, 10)) == 0.999
    assert as_fraction(99.9) == 99.9 / 100
    # the double nearest the exact value, so thresholds compare exactly in the sheet's formulas
    assert as_fraction(Decimal("99.95")) == float(Fraction(9995, 10000))
    assert optional_fraction(Decimal("25")) == 0.25
    assert optional_fraction(None) is None


def _names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return [node.name, *(a.arg for a in node.args.args + node.args.kwonlyargs)]
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.alias):
        return [node.asname or node.name]
    return []


def test_no_name_in_the_code_abbreviates_percent_but_the_published_fields():
    """``pct`` meant 99.9 in one module and 0.999 in another. Only the contract's own field
    names (``credit_pct``, ``pct_of_annual_fees``, ...) may say ``pct``; a function, variable,
    argument or attribute of the code's own says ``percent`` or ``fraction``."""
    published = {path.split(".")[-1] for path in LABELS}
    assert {"credit_pct", "target_pct", "pct_of_annual_fees"} <= published
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for name in _names(node):
                if "pct" in name.strip("_").split("_") and name not in published:
                    found.add(f"{path.relative_to(PACKAGE)}: {name}")
    assert not found, sorted(found)
