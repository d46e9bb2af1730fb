"""Contract and scenario files whose values YAML 1.1 reads otherwise than they look: a number
with a leading zero (octal: `monthly_fee: 0100` was 64), one with colons (base 60: `1:00` was
60), `true` where a number belongs (`months: true` was one month), a number where a date belongs
(seconds since 1970), and merge keys (`<<: *defaults`), which were refused as an unknown tag.
Each is now read as it looks or refused at its line and field; each once passed with the value
changed, without a word."""

from __future__ import annotations

import pytest
import yaml

from slamodeler.io.contract_file import contract_from_text
from slamodeler.io.scenario_file import load_scenario
from tests.helpers.hostile_inputs import hostile
from tests.helpers.one_tier import one_tier
from tests.helpers.paths import SAMPLES

CONTRACT = one_tier(fee="FEE", name="Fee demo")
INCIDENT = "id,start,end,impact\nI1,2024-04-02T10:00:00Z,2024-04-02T12:00:00Z,full\n"


def _files(tmp_path, text: str):
    contract = tmp_path / "contract.yaml"
    contract.write_text(text, encoding="utf-8")
    incidents = tmp_path / "incidents.csv"
    incidents.write_text(INCIDENT, encoding="utf-8")
    return contract, incidents


@pytest.mark.parametrize(("fee", "credit"), [("0100", "10.00"), ("00100.50", "10.05")])
def test_a_fee_with_a_leading_zero_is_the_number_it_looks_like(capsys, tmp_path, fee, credit):
    """YAML 1.1 read 0100 as octal 64 (a credit of 6.40)."""
    contract, incidents = _files(tmp_path, CONTRACT.replace("FEE", fee))
    code, out, _ = hostile(capsys, "replay", contract, incidents)
    assert code == 0
    assert f"owed {credit}," in out


@pytest.mark.parametrize("fee", ["1:00", "1:30.5", "1,500"])
def test_a_fee_with_colons_or_commas_is_refused(capsys, tmp_path, fee):
    """YAML 1.1 read 1:00 as 60 (base 60)."""
    contract, incidents = _files(tmp_path, CONTRACT.replace("FEE", fee))
    code, _, err = hostile(
        capsys, "replay", contract, incidents, names=[contract.name, "line 9", "monthly fee"]
    )
    assert code == 2
    assert f"{fee!r} is not a number; write it in digits, e.g. 1500 or 99.95" in err


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("months: 12}", "months: true}", "Term months"),
        ("target_pct: 99.9", "target_pct: 99.9\n    customers: true", "customers"),
        ("target_pct: 99.9", "target_pct: 99.9\n    customers: false", "customers"),
    ],
)
def test_yes_or_no_where_a_number_belongs_is_refused(capsys, tmp_path, old, new, field):
    contract, _ = _files(tmp_path, CONTRACT.replace("FEE", "1000").replace(old, new))
    code, _, err = hostile(capsys, "validate", contract, names=[contract.name, field])
    assert code == 2
    assert "is a yes/no value, not a number; write the number" in err


@pytest.mark.parametrize("start", ["20240101", "1704067200", "1.5"])
def test_a_number_where_a_date_belongs_is_refused(capsys, tmp_path, start):
    """pydantic reads a number as seconds since 1970: 1704067200 was 2024-01-01 unseen, and
    20240101 failed on its time of day."""
    text = CONTRACT.replace("FEE", "1000").replace("start: 2024-01-01", f"start: {start}")
    contract, _ = _files(tmp_path, text)
    code, _, err = hostile(capsys, "validate", contract, names=[contract.name, "line 5"])
    assert code == 2
    assert "is a number, not a date; write the date as YYYY-MM-DD" in err


def test_a_scenario_rate_of_true_is_refused(capsys, tmp_path):
    data = yaml.safe_load((SAMPLES / "scenarios" / "baseline.yaml").read_text(encoding="utf-8"))
    data["processes"][0]["frequency"]["rate_per_month"] = True
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, _, err = hostile(
        capsys,
        "simulate",
        SAMPLES / "three_tier_cloud.yaml",
        "--scenario",
        path,
        "--trials",
        "10",
        names=[path.name, "processes[0].frequency.rate_per_month"],
    )
    assert code == 2
    assert "true is a yes/no value, not a number" in err


ANCHORED = CONTRACT.replace("FEE", "1000").replace(
    "  - name: Standard\n", "  - &standard\n    name: Standard\n"
)


def test_merge_keys_share_terms_between_tiers(capsys, tmp_path):
    """`<<: *standard` merges the anchored tier's keys, which the tier's own override."""
    text = ANCHORED + "  - <<: *standard\n    name: Premium\n    monthly_fee: 2000\n"
    contract, incidents = _files(tmp_path, text)
    code, out, _ = hostile(capsys, "replay", contract, incidents)
    assert code == 0
    assert "Premium: target 99.9%" in out
    assert "owed 200.00," in out  # 10% of Premium's own fee, not the merged one


def test_a_key_written_twice_beside_a_merge_is_still_refused(capsys, tmp_path):
    text = ANCHORED + "  - <<: *standard\n    name: Premium\n    name: Other\n"
    contract, _ = _files(tmp_path, text)
    code, _, err = hostile(capsys, "validate", contract, names=[contract.name, "line 14"])
    assert code == 2
    assert "key 'name' appears twice" in err


def test_a_count_with_a_leading_zero_is_decimal(capsys, tmp_path):
    """YAML 1.1 read 010 as octal 8 (and 09 as text): digits are decimal here."""
    text = CONTRACT.replace("FEE", "1000").replace(
        "target_pct: 99.9", "target_pct: 99.9\n    customers: 010"
    )
    contract, incidents = _files(tmp_path, text)
    code, out, _ = hostile(capsys, "replay", contract, incidents)
    assert code == 0
    assert "10 customer(s)" in out


def test_a_monthly_window_day_and_a_slot_length_with_leading_zeros():
    """Fields that take a number only as a number (a day of the month, one of 1, 5 or 15
    minutes), where a leading zero once made text: read as the number."""
    sample = (SAMPLES / "three_tier_cloud.yaml").read_text(encoding="utf-8")
    window = '{every: week, day: sunday, start: "02:00", minutes: 240}'
    assert window in sample and "slot_minutes: 1\n" in sample
    text = sample.replace(window, '{every: month, day: 07, start: "02:00", minutes: 240}')
    text = text.replace("slot_minutes: 1\n", "slot_minutes: 05\n")
    contract = contract_from_text(text, "leading zeros.yaml")
    assert contract.exclusions.maintenance_windows[0].day == 7
    assert contract.measurement.slot_minutes == 5


def test_scenario_years_with_a_leading_zero(tmp_path):
    text = (SAMPLES / "scenarios" / "baseline.yaml").read_text(encoding="utf-8")
    assert "\nyears: 1\n" in text
    path = tmp_path / "scenario.yaml"
    path.write_text(text.replace("\nyears: 1\n", "\nyears: 02\n"), encoding="utf-8")
    assert load_scenario(path).years == 2
