"""GitHub Enterprise Cloud's SLA (sample_contracts/real/github_enterprise_cloud.yaml), replayed
on hand-computed quarters: its bands as written ("at or below 99.9% but above 99.0%", then
"below 99.0%") pay nothing at exactly 99.0%, and validate says so before anyone signs.

The first quarter of 2025 has 90 days: 129,600 minutes; 1% of it is 1,296 minutes. The fee is
2,100 USD a month, 6,300 USD a quarter."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from slamodeler.cli.main import main
from slamodeler.domain.band_coverage import contract_band_warnings
from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from tests.helpers.builders import incident
from tests.helpers.paths import SAMPLES
from tests.helpers.reference_replay import reference_replay
from tests.helpers.replay_results import only

GITHUB = SAMPLES / "real" / "github_enterprise_cloud.yaml"


def quarter(*incidents):
    """The quarter replayed, after checking that the reference replay credits it alike."""
    terms = load_contract(GITHUB)
    period = only(replay(terms, list(incidents), first="2025-Q1", last="2025-Q1"))
    (row,) = reference_replay(terms, list(incidents), "2025-Q1", "2025-Q1")["Enterprise Cloud"]
    assert (row["band"], row["credit_after_caps"]) == (period.band, period.credit_after_caps)
    return period


def test_exactly_99_0_earns_no_credit():
    # 1,296 minutes down (21 h 36 min): (129,600 - 1,296) / 129,600 = 99.0% exactly, which is
    # neither "above 99.0%" (band 1) nor "below 99.0%" (band 2)
    period = quarter(incident("2025-02-10T00:00", "2025-02-10T21:36"))
    assert period.period_minutes == Decimal(129_600)
    assert period.downtime_minutes == Decimal(1296)
    assert period.availability_pct == Fraction(99)
    assert period.band is None
    assert period.credit_pct == 0
    assert period.credit_after_caps == Decimal("0.00")
    assert not period.met_target
    assert period.rule == "no band hit, though the target is missed (a gap)"


def test_98_99_earns_25_percent():
    # 1,308 full minutes and one minute at 0.96: 1,308.96 minutes, 1.01% of the quarter, so
    # 98.99%: below 99.0%, band 2, 25% of 6,300 = 1,575.00
    period = quarter(
        incident("2025-02-10T00:00", "2025-02-10T21:48"),
        incident("2025-02-11T00:00", "2025-02-11T00:01", impact=0.96),
    )
    assert period.downtime_minutes == Decimal("1308.96")
    assert period.availability_pct == Fraction(9899, 100)
    assert period.band == 1
    assert period.credit_after_caps == Decimal("1575.00")
    assert period.rule == "band 2: availability < 99.0% -> 25%"


def test_99_5_earns_10_percent_with_both_ends_in_the_explanation():
    # 648 minutes down: 0.5% of the quarter, 99.5%: band 1, 10% of 6,300 = 630.00
    period = quarter(incident("2025-02-10T00:00", "2025-02-10T10:48"))
    assert period.availability_pct == Fraction(995, 10)
    assert period.credit_after_caps == Decimal("630.00")
    assert period.rule == "band 1: 99.0% < availability <= 99.9% -> 10%"


def test_validate_warns_about_the_gap_and_still_accepts_the_contract(capsys):
    assert main(["validate", str(GITHUB)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == [
        f"warning: {GITHUB}: Enterprise Cloud, bands: exactly 99.0% misses the target but "
        "falls in no band: it earns no credit (tiers[0].credits.bands)"
    ]
    assert contract_band_warnings(load_contract(GITHUB)) == [out[1].split(": ", 2)[2]]
