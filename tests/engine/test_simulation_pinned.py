"""The sample contract's simulation, pinned to the cent: every tier's paid credits and breached
periods per trial for a fixed seed, as the engine gave them before the measurement was made
faster (commit 03a9edf), in every sample scenario and with the tiers in distinct scopes. A
speed-up that changes one cent of one trial fails here."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from slamodeler.engine.simulation import simulate
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from tests.helpers.paths import SAMPLES
from tests.helpers.scope_cases import tiers_in_distinct_regions

TRIALS, SEED = 25_000, 20261206

# scenario -> tier -> (sum of paid cents, sum of their squares, breached periods, digests of
# the paid and breached arrays as int64 bytes)
PINNED = {
    "baseline": {
        "Bronze": (71305380000, 327587230800000000, 44653, "d3616c68b54ff971", "3d817d94ff5b0cfd"),
        "Silver": (
            269414640000,
            3171590380800000000,
            165423,
            "1766262e45405d58",
            "f5f3402ae9173352",
        ),
        "Gold": (
            501858000000,
            10432748160000000000,
            250096,
            "a0562302d4fb9f3e",
            "8eeb1ebe24e3e3f3",
        ),
    },
    "bad_year": {
        "Bronze": (
            278060040000,
            3505363840800000000,
            141263,
            "2172c960d82e675b",
            "7d0b345d16d25af0",
        ),
        "Silver": (
            542630880000,
            12528524275200000000,
            250317,
            "428f0b5e75ebad0b",
            "6b3a608ef886e0bb",
        ),
        "Gold": (
            800884800000,
            26975494800000000000,
            282442,
            "61bf0d0af478cddd",
            "097634dc2880d9d3",
        ),
    },
    "regional_catastrophe": {
        "Bronze": (59223420000, 276174651600000000, 33105, "be9cd4d35ad18a2f", "7e852c7d77a9e479"),
        "Silver": (
            258241680000,
            3209249030400000000,
            149408,
            "07a7020d068d969c",
            "c5cef3a6f43e92a8",
        ),
        "Gold": (
            499309200000,
            10720706400000000000,
            242409,
            "a07a1ad6b3bc7cc1",
            "a1981975bc32ec78",
        ),
    },
    "zone_outages": {
        "Bronze": (
            284488200000,
            3610355004000000000,
            152945,
            "ebdf366969f04236",
            "8bdc1825ecbb1ed2",
        ),
        "Silver": (
            539481600000,
            12154193856000000000,
            260415,
            "2d115ff27cf5d6b2",
            "16f0fb969a4e4fc6",
        ),
        "Gold": (
            782766000000,
            25505130960000000000,
            284823,
            "2bc95762417dd886",
            "feae73fa75fafce0",
        ),
    },
}


def _digest(values: np.ndarray) -> str:
    return hashlib.sha256(np.asarray(values).astype(np.int64).tobytes()).hexdigest()[:16]


@pytest.mark.parametrize("name", sorted(PINNED))
def test_the_sample_contract_simulates_to_the_pinned_cents(name):
    terms = load_contract(SAMPLES / "three_tier_cloud.yaml")
    scen = load_scenario(SAMPLES / "scenarios" / f"{name}.yaml")
    run = simulate(terms, scen, TRIALS, SEED)
    found = {}
    for tier, totals in run.pricing.items():
        paid = np.asarray(totals.paid, dtype=np.int64)
        found[tier] = (
            int(paid.sum()),
            int((paid.astype(object) ** 2).sum()),
            int(np.asarray(totals.breach_periods).sum()),
            _digest(paid),
            _digest(totals.breach_periods),
        )
    assert found == PINNED[name]


# (allowance minutes a year, years) -> tier -> (sum of paid cents, breached periods, digests of
# the paid and breached arrays); the sample's allowance over one year (one group of periods
# measured together), none over two (each period apart) and the sample's over two (a group a
# contract year), the last two as the code before groups of periods (ca20cb2) gave them
PINNED_SCOPES = {
    (600, 1): {
        "Bronze": (13563720000, 8592, "c4422155ee0cb818", "fd3551bbc2bb5500"),
        "Silver": (54332640000, 34617, "fb75203841aee4c5", "2a0cbfea622b7335"),
        "Gold": (122248800000, 64315, "b08af8b67e2e52a5", "2d0098fbb4efec24"),
        "Both": (17815140000, 11056, "d18a43a22c9959f9", "f4b55aab111dc447"),
    },
    (None, 2): {
        "Bronze": (13537800000, 8574, "191a7a348d864e38", "03180886d326b3ea"),
        "Silver": (54255600000, 34544, "3e5d440001a75a3e", "d725d13025858ee5"),
        "Gold": (122286600000, 64329, "0b8dbc2017b23791", "803abcf644e3627a"),
        "Both": (17783280000, 11023, "74cd299cda032c26", "305ac0ccdea88f15"),
    },
    (600, 2): {
        "Bronze": (13577760000, 8599, "d8f6b3cb9d747ce8", "1c635942ef70f6e3"),
        "Silver": (54320400000, 34577, "fe86b0e1e9a4ac1f", "9b70a57a5812813c"),
        "Gold": (122371200000, 64358, "84d97ac754b4b85a", "79d2cf635c84069f"),
        "Both": (17824320000, 11049, "0180396c5f06c9d1", "e11acb1b0f14ac45"),
    },
}


@pytest.mark.parametrize("case", sorted(PINNED_SCOPES, key=str))
def test_tiers_in_distinct_scopes_simulate_to_the_pinned_cents(case):
    allowance, years = case
    terms, scen = tiers_in_distinct_regions()
    scen = scen.model_copy(update={"years": years})
    data = terms.model_dump(mode="json")
    data["exclusions"]["maintenance_allowance_minutes_per_year"] = allowance
    terms = terms.model_validate(data)
    run = simulate(terms, scen, 9000 // years, 424242)
    found = {
        tier: (
            int(np.asarray(totals.paid).sum()),
            int(np.asarray(totals.breach_periods).sum()),
            _digest(totals.paid),
            _digest(totals.breach_periods),
        )
        for tier, totals in run.pricing.items()
    }
    assert found == PINNED_SCOPES[case]
