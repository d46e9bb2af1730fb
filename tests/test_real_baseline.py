"""Acceptance for the baseline from history (issue 17): on the two real incident histories
(../shared/data), the suggested target, applied back to the same history by a plain replay, is met
in at least the chosen share of periods, and one grid step higher it is not."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest

from slamodeler.domain.contract import Contract
from slamodeler.engine.baseline import GRID, baseline
from slamodeler.engine.replay import replay
from slamodeler.io.contract_file import load_contract
from slamodeler.services.baseline import default_template
from slamodeler.services.replay import load_incident_file
from tests.helpers.builders import contract
from tests.helpers.paths import MAPPINGS, SAMPLES, SHARED_DATA

FILES = {
    "github": ("github_status_incidents_2022_2026.csv", "github_status_2022_2026.yaml"),
    "cloud": ("cloud_provider_status_incidents_2018_2020.csv", "cloud_status_2018_2020.yaml"),
}
TEMPLATES = {
    "default": default_template,
    "quarterly": lambda: load_contract(SAMPLES / "quarterly_collaboration.yaml"),
    "at_or_below": lambda: contract(
        tier={
            "credits": {
                "kind": "bands",
                "boundary": "at_or_below",
                "bands": [{"below": 99.9, "credit_pct": 10}, {"below": 99.0, "credit_pct": 30}],
            },
        }
    ),
}


@pytest.fixture(scope="module", params=sorted(FILES))
def history(request):
    data, mapping = FILES[request.param]
    return load_incident_file(SHARED_DATA / data, MAPPINGS / mapping).incidents


def _met(terms: Contract, incidents, tier: str, target: Decimal) -> tuple[int, int]:
    """Periods met and periods, by a plain replay with only the tier's target changed."""
    tiers = [
        t.model_copy(update={"target_pct": target}) if t.name == tier else t for t in terms.tiers
    ]
    periods = replay(terms.model_copy(update={"tiers": tiers}), incidents, tiers=[tier])
    rows = periods.tiers[0].periods
    return sum(p.met_target for p in rows), len(rows)


@pytest.mark.parametrize("template", sorted(TEMPLATES))
@pytest.mark.parametrize("share", [Fraction(1, 2), Fraction(9, 10), Fraction(95, 100)])
def test_the_suggested_target_is_met_in_the_share_and_one_step_higher_is_not(
    history, template, share
):
    terms = TEMPLATES[template]()
    found = baseline(terms, history, share, ())
    for tier in found.tiers:
        met, n = _met(terms, history, tier.tier, tier.suggested_percent)
        assert n == len(tier.periods) and n > 10
        assert met == tier.met and Fraction(met, n) >= share
        assert tier.needed == math.ceil(share * n)
        higher, _ = _met(terms, history, tier.tier, tier.suggested_percent + GRID)
        assert higher < tier.needed, (tier.tier, tier.suggested_percent)
