"""Credit memos reconcile to the replay's totals to the cent, on the sample and on real
contracts with the real incident histories, and carry each period's rules, deadline and hash."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from slamodeler.io.contract_file import load_contract
from slamodeler.services.credit_memos import memos_csv, memos_files, memos_total
from slamodeler.services.replay import replay_json
from tests.helpers.paths import MAPPINGS, SAMPLES, SHARED_DATA

CLOUD = SHARED_DATA / "cloud_provider_status_incidents_2018_2020.csv"
CLOUD_MAPPING = MAPPINGS / "cloud_status_2018_2020.yaml"


def _json_total(result) -> Decimal:
    """The replay's credits after caps for all customers, as its JSON totals state them."""
    tiers = replay_json(result)["tiers"]
    return sum(
        (Decimal(t["totals"]["all_customers"]["credit_after_caps"]) for t in tiers), Decimal(0)
    )


def _csv_total(memos) -> Decimal:
    rows = list(csv.DictReader(io.StringIO(memos_csv(memos))))
    assert len(rows) == len(memos)
    assert all(len(r["credit"].split(".")[1]) == 2 for r in rows)  # to the cent
    return sum((Decimal(r["credit"]) for r in rows), Decimal(0))


def test_the_sample_memos_reconcile_to_the_replay_to_the_cent():
    run, memos = memos_files(SAMPLES / "three_tier_cloud.yaml", SAMPLES / "incidents_sample.csv")
    assert memos_total(memos) == _csv_total(memos) == _json_total(run.result)
    assert _json_total(run.result) == Decimal("426000.00")
    # Bronze missed only 2024-04 (10% of 1,500.00): a memo for each of its 120 customers
    bronze = [m for m in memos if m.tier == "Bronze"]
    assert len(bronze) == 120 and {m.period for m in bronze} == {"2024-04"}
    assert {m.credit for m in bronze} == {Decimal("150.00")}
    assert bronze[0].customer == "Bronze #1" and bronze[-1].customer == "Bronze #120"
    assert bronze[0].rules == "band 1: availability < 99.5% -> 10%"
    terms = load_contract(SAMPLES / "three_tier_cloud.yaml")
    assert {m.contract_hash for m in memos} == {terms.content_hash()}
    assert {m.contract_version for m in memos} == {"three_tier_cloud.yaml"}
    assert len({m.memo for m in memos}) == len(memos)


def test_a_real_contract_with_a_liability_cap_names_the_cap_in_the_rules():
    run, memos = memos_files(
        SAMPLES / "real" / "cloudflare_business.yaml", CLOUD, mapping=CLOUD_MAPPING
    )
    assert memos_total(memos) == _csv_total(memos) == _json_total(run.result)
    assert memos_total(memos) == Decimal("600.00")  # the 200.00 cap in each of 3 contract years
    capped = [m for m in memos if "liability cap removed" in m.rules]
    assert [m.period for m in capped] == ["2018-09", "2019-06", "2020-11"]
    assert capped[0].rules.startswith("1x the fee for 15566 minutes of downtime")


def test_a_real_contract_with_a_claim_deadline_gives_each_memo_its_deadline():
    run, memos = memos_files(
        SAMPLES / "real" / "google_cloud_interconnect.yaml", CLOUD, mapping=CLOUD_MAPPING
    )
    assert memos_total(memos) == _csv_total(memos) == _json_total(run.result)
    periods = {p.period: p for t in run.result.tiers for p in t.periods}
    first = memos[0]
    assert first.period == "2018-01" and first.claim_by == "2018-03-02"  # 30 days after Jan
    assert all(m.claim_by == periods[m.period].claim_by for m in memos)
    assert "claims in time" not in first.rules  # the deadline has its own column


@pytest.mark.parametrize("first", ["2022-Q1", "2024-Q1"])
def test_the_github_history_on_githubs_own_sla_reconciles(first):
    run, memos = memos_files(
        SAMPLES / "real" / "github_enterprise_cloud.yaml",
        SHARED_DATA / "github_status_incidents_2022_2026.csv",
        mapping=MAPPINGS / "github_status_2022_2026.yaml",
        first=first,
        last="2024-Q4",
    )
    assert memos and memos_total(memos) == _json_total(run.result)
