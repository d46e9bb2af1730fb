"""A period explained once for both front ends: the lines, hand-checked on the sample history
under Silver's terms with a tighter yearly cap, a claim deadline and a chronic-failure clause."""

from __future__ import annotations

import pytest

from slamodeler.domain.results import PeriodResult
from slamodeler.services.period_explanation import explain_period
from tests.helpers.replay_results import silver_explained


@pytest.fixture(scope="module")
def periods(tmp_path_factory: pytest.TempPathFactory) -> dict[str, PeriodResult]:
    tier = silver_explained(tmp_path_factory.mktemp("explained"))
    return {p.period: p for p in tier.periods}


def test_a_missed_period_names_its_incidents_claim_deadline_and_termination_right(periods):
    said = explain_period(periods["2024-02"])
    assert said.rules == () and said.sums == ()
    # 22:40-03:55 at 30% weight is 94.5 minutes, but 45 of them overlap a full outage: the worse
    # counts, so 270 x 0.3 = 81 and 45 minutes.
    assert said.incidents == (
        "INC-1003 (row 4) Elevated API error rates: 81 min counted",
        "INC-1004 (row 5) Control plane unavailable: 45 min counted",
    )
    # 400 owed; 60% claim, a tenth of them after 29 February + 30 days: 24 forfeited, 216 paid
    assert said.remedies == (
        "claims in time up to 2024-03-30; claimed later (expected): 24.00 forfeited, "
        "expected paid 216.00",
        "termination right: target missed in 2024-01, 2024-02",
    )


def test_the_yearly_cap_is_said_where_it_bites_and_no_deadline_for_nothing_issued(periods):
    # Year 1 credits 400 in January, February, April and May: 1,600 of the 1,920 cap, so
    # November keeps 320 and December nothing.
    november = explain_period(periods["2024-11"]).remedies
    assert november[0] == "yearly cap removed 80.00"
    assert november[1].startswith("claims in time up to 2024-12-30;")
    assert explain_period(periods["2024-12"]).remedies == (
        "yearly cap removed 400.00",
        "termination right: target missed in 2024-11, 2024-12",
    )


def test_excluded_minutes_are_said_on_the_incident_that_was_excluded(periods):
    said = explain_period(periods["2024-07"])
    assert said.incidents == (
        "INC-1010 (row 11) Regional power grid failure: 0 min counted, 720 min excluded "
        "(cause: force_majeure)",
    )
    assert said.remedies == ()  # nothing owed, no right: nothing to say about money
