"""Hostile input to `slamodeler vendor`: our own contract given as the vendor's, a vendor's
contract that reaches a tier we do not have or a tier twice, or names a tier of its own it does
not have, reaches without being received, contracts in other currencies or periods, a process
that hits customers one by one, a workspace key it does not hold, an incident row without an end; each
refused with exit 2 and one message naming the file or contract, the field and the fix."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.cli import run
from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

OURS = SAMPLES / "three_tier_cloud.yaml"
VENDOR = SAMPLES / "vendor" / "cloud_region_sla.yaml"
INCIDENTS = SAMPLES / "vendor" / "cloud_incidents.csv"
BASELINE = SAMPLES / "scenarios" / "baseline.yaml"


def edited(tmp_path: Path, source: Path, old: str, new: str, name: str = "vendor.yaml") -> Path:
    text = source.read_text()
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1))
    return path


def vendor(capsys, ours: Path, theirs: Path, *argv: object, names):
    return hostile(capsys, "vendor", ours, theirs, INCIDENTS, *argv, names=names)


def test_our_own_contract_as_the_vendors_is_refused_with_direction(capsys):
    code, _, _ = vendor(capsys, OURS, OURS, names=[str(OURS), "direction: received"])
    assert code == 2


def test_our_contract_received_is_refused(capsys):
    code, _, _ = vendor(capsys, VENDOR, VENDOR, names=[str(VENDOR), "direction is received"])
    assert code == 2


def test_a_reached_tier_we_do_not_have_is_refused_naming_it(capsys, tmp_path):
    theirs = edited(tmp_path, VENDOR, "our_tiers: [Bronze, Silver, Gold]", "our_tiers: [Platinum]")
    code, _, err = vendor(
        capsys, OURS, theirs, names=[str(theirs), "reaches[0].our_tiers[0]", "Platinum"]
    )
    assert code == 2 and "Bronze, Silver, Gold" in err


def test_a_tier_reached_twice_is_refused_in_the_file(capsys, tmp_path):
    theirs = edited(tmp_path, VENDOR, "[Bronze, Silver, Gold]", "[Bronze, Gold, gold]")
    code, _, _ = vendor(capsys, OURS, theirs, names=[str(theirs), "reaches", "reached twice"])
    assert code == 2


def test_an_unknown_vendor_tier_is_refused_in_the_file(capsys, tmp_path):
    theirs = edited(tmp_path, VENDOR, "vendor_tier: Region", "vendor_tier: Zone")
    code, _, _ = vendor(capsys, OURS, theirs, names=[str(theirs), "vendor_tier", "Zone"])
    assert code == 2


def test_reaches_without_received_is_refused_in_the_file(capsys, tmp_path):
    theirs = edited(tmp_path, VENDOR, "direction: received", "direction: given")
    code, _, _ = vendor(capsys, OURS, theirs, names=[str(theirs), "reaches", "direction: received"])
    assert code == 2


def test_an_unknown_direction_is_refused_in_the_file(capsys, tmp_path):
    theirs = edited(tmp_path, VENDOR, "direction: received", "direction: vendor")
    code, _, _ = vendor(capsys, OURS, theirs, names=[str(theirs), "direction"])
    assert code == 2


def test_a_vendor_billing_in_another_currency_is_refused(capsys, tmp_path):
    theirs = edited(tmp_path, VENDOR, "currency: USD", "currency: EUR")
    code, _, _ = vendor(capsys, OURS, theirs, names=[str(theirs), "currency", "EUR"])
    assert code == 2


def test_a_vendor_measured_by_quarter_against_our_months_is_refused(capsys, tmp_path):
    theirs = edited(tmp_path, VENDOR, "period: month", "period: quarter")
    code, _, _ = vendor(capsys, OURS, theirs, names=[str(theirs), "measurement.period"])
    assert code == 2


def test_a_process_that_hits_customers_one_by_one_is_refused(capsys, tmp_path):
    scenario = edited(
        tmp_path, BASELINE, "scope: {region: us-east-1}",
        "scope: {independent: 0.01}", "one_by_one.yaml",
    )  # fmt: skip
    code, _, _ = vendor(
        capsys, OURS, VENDOR, "--scenario", scenario, "--trials", "50",
        names=["regional", "one by one"],
    )  # fmt: skip
    assert code == 2


def test_a_workspace_key_it_does_not_hold_is_refused(capsys, tmp_path):
    ws = tmp_path / "book.slamws"
    assert run(capsys, "ws", "init", "--ws", ws, "--author", "a")[0] == 0
    assert run(capsys, "ws", "import-contract", OURS, "--ws", ws, "--author", "a")[0] == 0
    code, _, _ = hostile(
        capsys, "vendor", "three_tier_cloud", "cloud", "history", "--ws", ws,
        names=["cloud"],
    )  # fmt: skip
    assert code == 2


def test_an_incident_row_without_an_end_is_refused_naming_the_row(capsys, tmp_path):
    bad = tmp_path / "incidents.csv"
    lines = INCIDENTS.read_text().splitlines()
    lines[3] = lines[3].replace("2024-03-19T13:20:00Z", "")
    bad.write_text("\n".join(lines) + "\n")
    code, _, message = hostile(capsys, "vendor", OURS, VENDOR, bad, names=[str(bad), "rows 4"])
    assert code == 2 and "--skip-bad-rows" in message
    code, out, err = hostile(capsys, "vendor", OURS, VENDOR, bad, "--skip-bad-rows")
    assert code == 0 and "1 row(s) not used" in err and "2024-03" in out


def test_an_export_without_incidents_needs_the_periods_and_then_owes_nothing(capsys, tmp_path):
    empty = tmp_path / "none.csv"
    empty.write_text(INCIDENTS.read_text().splitlines()[0] + "\n")
    code, _, _ = hostile(capsys, "vendor", OURS, VENDOR, empty, names=["--from", "--to"])
    assert code == 2
    code, out, _ = hostile(
        capsys, "vendor", OURS, VENDOR, empty, "--from", "2024-01", "--to", "2024-03"
    )
    assert code == 0 and "Region          99.99  3 of 3" in out


def test_a_vendor_scope_no_incident_reaches_gives_a_note_and_no_credits(capsys, tmp_path):
    theirs = edited(tmp_path, VENDOR, "regions: [us-east-1]", "regions: [eu-central-1]")
    code, out, err = vendor(capsys, OURS, theirs, names=())
    assert code == 0 and "tier Region: no incident reaches its scope" in err
    assert [line.split() for line in out.splitlines() if line.startswith("Total")] == [
        ["Total", "0.00", "0.00", "0.00"]
    ]
