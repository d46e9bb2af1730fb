"""The replay command end to end on the sample files: the stable JSON and CSV, and the table."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from slamodeler.cli.main import main
from tests.helpers.paths import DOCS, SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
INCIDENTS = SAMPLES / "incidents_sample.csv"
PAGE = (DOCS / "replay-output.md").read_text(encoding="utf-8")


def documented_period_fields() -> set[str]:
    """The JSON fields of a period as the table under "### Per period" lists them, so that the
    expectation is the documentation's, not the code's."""
    table = PAGE.split("### Per period", 1)[1].split("\n\n", 2)[1]
    cells = [line.split("|")[1] for line in table.splitlines()[2:]]
    return {name.strip(" `") for cell in cells for name in cell.split(",")}


def documented_csv_columns() -> list[str]:
    """The CSV columns as the "Columns:" sentence of the CSV section names them."""
    text = PAGE.split("\nColumns: ", 1)[1].split(", as described", 1)[0]
    return [name.strip(" `\n") for name in text.split(",")]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_documented_fields_and_consistent_totals(capsys):
    code, out, err = run(capsys, "replay", CONTRACT, INCIDENTS, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["format"] == "slamodeler-replay/v1"
    assert doc["currency"] == "USD" and doc["from"] == "2024-01" and doc["to"] == "2025-01"
    assert doc["incidents"]["rows_read"] == 14 and doc["incidents"]["used"] == 14
    assert [t["tier"] for t in doc["tiers"]] == ["Bronze", "Silver", "Gold"]
    for tier in doc["tiers"]:
        assert len(tier["periods"]) == 13
        for period in tier["periods"]:
            assert period.keys() == documented_period_fields()
            assert isinstance(period["credit_owed"], str)
            assert Decimal(period["credit_owed"]).as_tuple().exponent == -2
        total = sum(Decimal(p["credit_after_caps"]) for p in tier["periods"])
        assert Decimal(tier["totals"]["per_customer"]["credit_after_caps"]) == total
        assert Decimal(tier["totals"]["all_customers"]["credit_after_caps"]) == (
            total * tier["customers"]
        )


def test_gold_january_traced_to_its_incidents(capsys):
    # January 2024, New York: INC-1001 (57 minutes, counted) and INC-1002 (maintenance inside the
    # Sunday 02:00-06:00 window, 100 minutes, excused by the allowance). Availability
    # 100 * (44640 - 100 - 57) / (44640 - 100) = 99.87202%: Gold's first band (< 99.99%) -> 10%
    # of 12,000 = 1,200.00.
    code, out, _ = run(
        capsys,
        "replay",
        CONTRACT,
        INCIDENTS,
        "--tier",
        "gold",
        "--from",
        "2024-01",
        "--to",
        "2024-01",
        "--format",
        "json",
    )
    assert code == 0
    (jan,) = json.loads(out)["tiers"][0]["periods"]
    assert jan["downtime_minutes"] == 57 and jan["excluded_minutes"] == 100
    assert jan["availability_pct"] == round(100 * (44640 - 100 - 57) / (44640 - 100), 6)
    assert jan["band"] == 1 and jan["credit_owed"] == "1200.00"
    assert jan["excluded_by_reason"] == {"maintenance window": 100}
    assert [(i["id"], i["counted_minutes"], i["excluded_reason"]) for i in jan["incidents"]] == [
        ("INC-1001", 57, None),
        ("INC-1002", 0, "maintenance window"),
    ]


def test_csv_has_one_row_per_tier_and_period(capsys):
    code, out, _ = run(capsys, "replay", CONTRACT, INCIDENTS, "--format", "csv")
    assert code == 0
    reader = csv.DictReader(io.StringIO(out))
    rows = list(reader)
    assert len(rows) == 3 * 13
    assert reader.fieldnames == documented_csv_columns()
    assert {r["tier"] for r in rows} == {"Bronze", "Silver", "Gold"}


def test_table_shows_each_tier_and_the_explanation(capsys):
    code, out, err = run(capsys, "replay", CONTRACT, INCIDENTS, "--explain")
    assert code == 0
    for name in ("Bronze:", "Silver:", "Gold:", "Total per customer", "INC-1007"):
        assert name in out
    assert "14 row(s) read, 14 incident(s) used" in err


@pytest.mark.parametrize("contract", sorted((SAMPLES).glob("*.yaml")))
def test_every_sample_contract_validates(capsys, contract):
    code, out, _ = run(capsys, "validate", contract)
    assert code == 0 and "valid" in out


def test_schema_is_json_and_names_the_format(capsys):
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and schema["properties"]["format"]["const"] == "slamodeler/v1"
    code, out, _ = run(capsys, "schema", "--mapping")
    assert code == 0 and "columns" in json.loads(out)["properties"]


def test_json_of_a_contract_with_a_claim_deadline_adds_the_deadline_fields(capsys):
    contract = SAMPLES / "real" / "google_cloud_interconnect.yaml"
    code, out, err = run(capsys, "replay", contract, INCIDENTS, "--format", "json")
    assert code == 0, err
    (tier,) = json.loads(out)["tiers"]
    for period in tier["periods"]:
        assert period.keys() == documented_period_fields() | {"claim_by", "late_forfeited"}
        assert period["late_forfeited"] == "0.00"  # the SLA states no share made late
    assert tier["periods"][0]["claim_by"] == "2024-03-01"  # 1 February + 30 days, less one
    assert tier["totals"]["per_customer"]["late_forfeited"] == "0.00"
