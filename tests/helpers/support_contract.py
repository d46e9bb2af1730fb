"""The sample three_tier_cloud with response targets on Bronze (P1 15 minutes 5% capped at 10%,
P2 60 minutes 2%), as contract "support_cloud", for replays with tickets_sample.csv: Bronze's
2024-03 misses three responses (12% of the fee, 180.00 of 1,500), 360.00 with a fee of 3,000."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.paths import SAMPLES

SUPPORT = """    caps: {per_period_pct: 50}
    support:
      targets:
        - {priority: p1, respond_within_minutes: 15, credit_pct: 5, max_pct_per_period: 10}
        - {priority: p2, respond_within_minutes: 60, credit_pct: 2}
"""
TICKETS = SAMPLES / "tickets_sample.csv"
MARCH_FEES = "tier,month,fee\nBronze,2024-03,3000\n"


def support_contract(folder: Path) -> Path:
    text = (SAMPLES / "three_tier_cloud.yaml").read_text(encoding="utf-8")
    text = text.replace("    caps: {per_period_pct: 50}\n", SUPPORT, 1)
    path = folder / "support_cloud.yaml"
    path.write_text(
        text.replace("name: Example Cloud Compute - Standard terms", "name: Support cloud")
    )
    return path


def march_fees(folder: Path) -> Path:
    path = folder / "fees.csv"
    path.write_text(MARCH_FEES, encoding="utf-8")
    return path
