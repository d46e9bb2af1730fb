"""OpenSLO v1 export and import: the objects carry the spec's required fields (checked with a
schema written from the spec, tests/helpers/openslo_schema.py), the alert thresholds are the
workbook's, and an exported SLO imports back to the same target."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from slamodeler.domain.errors import InputError
from slamodeler.io.contract_file import load_contract
from slamodeler.services.slo import export_openslo, import_openslo, tier_from_openslo
from tests.helpers.openslo_schema import NAME, SCHEMAS, problems
from tests.helpers.paths import SAMPLES

EC2 = SAMPLES / "ec2_region_sla.yaml"


def _documents(path):
    return list(yaml.safe_load_all(path.read_text(encoding="utf-8")))


def test_the_export_validates_and_says_the_workbooks_policy(tmp_path):
    out = tmp_path / "slo.yaml"
    export_openslo(EC2, out, objective=Decimal("99.9"))
    documents = _documents(out)
    assert [d["kind"] for d in documents] == [
        "SLI",
        "AlertPolicy",
        "AlertPolicy",
        "AlertPolicy",
        "SLO",
    ]
    for document in documents:
        assert problems(document, SCHEMAS[document["kind"]]) == [], document["kind"]
    conditions = [d["spec"]["conditions"][0]["spec"] for d in documents[1:4]]
    assert [
        (
            c["severity"],
            c["condition"]["threshold"],
            c["condition"]["lookbackWindow"],
            c["condition"]["alertAfter"],
        )
        for c in conditions
    ] == [("page", 14.4, "1h", "5m"), ("page", 6.0, "6h", "30m"), ("ticket", 1.0, "3d", "6h")]
    slo = documents[-1]["spec"]
    assert slo["objectives"][0]["target"] == 0.999
    assert slo["indicatorRef"] == documents[0]["metadata"]["name"]
    assert slo["alertPolicies"] == [d["metadata"]["name"] for d in documents[1:4]]
    assert slo["timeWindow"][0]["calendar"]["timeZone"] == "America/Los_Angeles"


def test_the_schema_check_catches_a_missing_field(tmp_path):
    out = tmp_path / "slo.yaml"
    export_openslo(EC2, out)
    slo = _documents(out)[-1]
    del slo["spec"]["objectives"][0]["target"]
    slo["spec"]["indicator"] = {}
    assert problems(slo, SCHEMAS["SLO"]) == [
        "/spec: matches 2 of oneOf",
        "/spec/objectives/0/target: missing",
    ]


REAL = SAMPLES / "real"


@pytest.mark.parametrize(
    ("contract", "tier", "objective"),
    [
        (SAMPLES / "three_tier_cloud.yaml", "Bronze", None),
        (SAMPLES / "three_tier_cloud.yaml", "Gold", Decimal("99.995")),
        (REAL / "atlassian_cloud.yaml", "Enterprise", Decimal("99.95")),
        (REAL / "azure_virtual_machines.yaml", "Availability Zones", None),
    ],
)
def test_utc_contracts_and_long_names_export_valid_objects(tmp_path, contract, tier, objective):
    """OpenSLO's schema takes a calendar zone only as Area/Location and every implementation
    must take names of 63 characters: a UTC contract and a long contract name once broke both."""
    out = tmp_path / "slo.yaml"
    export_openslo(contract, out, tier=tier, objective=objective)
    documents = _documents(out)
    for document in documents:
        assert problems(document, SCHEMAS[document["kind"]]) == [], document["metadata"]["name"]
    original = load_contract(contract)
    zone = documents[-1]["spec"]["timeWindow"][0]["calendar"]["timeZone"]
    assert zone == ("Etc/UTC" if original.timezone == "UTC" else original.timezone)
    imported = tier_from_openslo(out)
    assert imported.timezone == original.timezone
    assert imported.tiers[0].target_pct == (objective or original.tier(tier).target_pct)
    scope = original.tier(tier).scope
    assert imported.tiers[0].scope.services == scope.services
    assert imported.tiers[0].scope.regions == scope.regions


def test_the_schema_check_catches_a_bare_zone_and_a_long_name(tmp_path):
    out = tmp_path / "slo.yaml"
    export_openslo(EC2, out)
    slo = _documents(out)[-1]
    slo["spec"]["timeWindow"][0]["calendar"]["timeZone"] = "UTC"
    slo["spec"]["indicatorRef"] = "x" * 64
    del slo["spec"]["timeWindow"][0]["isRolling"]
    assert problems(slo, SCHEMAS["SLO"]) == [
        f"/spec/indicatorRef: {'x' * 64!r} does not match {NAME['pattern']}",
        "/spec/timeWindow/0/isRolling: missing",
        "/spec/timeWindow/0: matches none of anyOf",
    ]


@pytest.mark.parametrize("objective", ["99.99", "99.995", "99.9", "95"])
def test_an_exported_slo_imports_to_the_same_target(tmp_path, objective):
    out, back = tmp_path / "slo.yaml", tmp_path / "contract.yaml"
    export_openslo(EC2, out, objective=Decimal(objective))
    imported = import_openslo(out, back)
    assert imported.tiers[0].target_pct == Decimal(objective)
    reread = load_contract(back)
    assert reread.tiers[0].target_pct == Decimal(objective)
    assert reread.tiers[0].name == "Region" and reread.timezone == "America/Los_Angeles"
    assert reread.tiers[0].credits.bands[0].below == Decimal(objective)
    # the SLI the export wrote carries the tier's scope back
    assert reread.tiers[0].scope.services == ["Amazon Elastic Compute Cloud"]
    assert reread.tiers[0].scope.regions == ["N. Virginia"]


def test_a_quarterly_contract_round_trips_its_period(tmp_path):
    out = tmp_path / "slo.yaml"
    contract = SAMPLES / "quarterly_collaboration.yaml"
    first = load_contract(contract).tiers[0]
    export_openslo(contract, out, tier=first.name)
    imported = tier_from_openslo(out)
    assert imported.measurement.period == "quarter"
    assert imported.tiers[0].target_pct == first.target_pct


def test_a_five_minute_slot_contract_round_trips_its_slot_and_target(tmp_path):
    contract, out, back = tmp_path / "c.yaml", tmp_path / "slo.yaml", tmp_path / "back.yaml"
    text = EC2.read_text(encoding="utf-8").replace("slot_minutes: 1", "slot_minutes: 5")
    contract.write_text(text, encoding="utf-8")
    export_openslo(contract, out, objective=Decimal("99.95"))
    import_openslo(out, back)
    reread = load_contract(back)
    assert reread.measurement.slot_minutes == 5
    assert reread.tiers[0].target_pct == Decimal("99.95")


@pytest.mark.parametrize(("window", "slot"), [("1m", 1), ("15m", 15), (None, 1)])
def test_the_time_slice_window_is_the_slot(tmp_path, window, slot):
    objective = {"target": 0.995, "timeSliceTarget": 1}
    if window is not None:
        objective["timeSliceWindow"] = window
    found = tier_from_openslo(_slo(tmp_path, budgetingMethod="Timeslices", objectives=[objective]))
    assert found.measurement.slot_minutes == slot


def _slo(tmp_path, **spec):
    body = {
        "apiVersion": "openslo/v1",
        "kind": "SLO",
        "metadata": {"name": "api"},
        "spec": {"objectives": [{"target": 0.995}], **spec},
    }
    path = tmp_path / "in.yaml"
    path.write_text(yaml.safe_dump(body), encoding="utf-8")
    return path


def test_target_percent_and_no_window_give_a_monthly_tier(tmp_path):
    found = tier_from_openslo(_slo(tmp_path, objectives=[{"targetPercent": 99.5}]))
    assert found.tiers[0].target_pct == Decimal("99.5")
    assert found.measurement.period == "month" and found.tiers[0].name == "api"
    assert found.tiers[0].scope.services == []  # no SLI of ours: every incident counts


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ({"timeWindow": [{"duration": "28d", "isRolling": True}]}, "28d rolling"),
        ({"objectives": [{"target": 1.5}]}, "spec.objectives[0].target"),
        ({"objectives": []}, "spec.objectives"),
        ({"objectives": [{"op": "lte"}]}, "targetPercent"),
        (
            {"timeWindow": [{"duration": "1M", "calendar": {"timeZone": "Mars/Base"}}]},
            "timeZone",
        ),
        ({"budgetingMethod": "Occurrences"}, "spec.budgetingMethod"),
        ({"budgetingMethod": "RatioTimeslices"}, "Timeslices"),
        (
            {"objectives": [{"target": 0.99, "timeSliceTarget": 0.95}]},
            "spec.objectives[0].timeSliceTarget",
        ),
        ({"objectives": [{"target": 0.99, "timeSliceWindow": "10m"}]}, "1m, 5m or 15m"),
        ({"objectives": [{"target": 0.99, "timeSliceWindow": "5 mins"}]}, "timeSliceWindow"),
        ({"objectives": [{"target": 0.99, "timeSliceWindow": "1h"}]}, "timeSliceWindow"),
        (
            {"timeWindow": [{"duration": "1M", "calendar": {"startTime": "next monday"}}]},
            "calendar.startTime",
        ),
    ],
)
def test_what_a_contract_cannot_start_from_is_refused_naming_the_field(tmp_path, spec, words):
    with pytest.raises(InputError, match=r"in\.yaml") as found:
        tier_from_openslo(_slo(tmp_path, **spec))
    assert words in str(found.value)
