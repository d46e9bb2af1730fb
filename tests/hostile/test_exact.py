"""Hostile inputs to `simulate --method exact`: each term that makes a period's credit depend on
more than that period's downtime from one process is refused with exit 2, naming the term and
the way out (--method monte-carlo); options that only mean something for drawn trials too."""

from __future__ import annotations

import pytest
import yaml

from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

EC2 = SAMPLES / "ec2_region_sla.yaml"
ONE = SAMPLES / "exact" / "platform_only.yaml"


def _write(tmp_path, name, source, change):
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


CONTRACT_TERMS = {
    "liability_cap": lambda d: d.update(liability_cap={"amount": 100000}),
    "customer_cap": lambda d: d.update(customer_cap={"amount": 1000}),
    "chronic_failure": lambda d: d.update(chronic_failure={"missed": 3, "of": 6}),
    "claims.claim_rate_sd": lambda d: d["claims"].update(claim_rate_sd=0.1),
    "measurement.window": lambda d: d["measurement"].update(window={"kind": "rolling", "days": 90}),
    "measurement.service_hours": lambda d: d["measurement"].update(
        service_hours={"days": ["monday"], "start": "08:00", "end": "18:00"}
    ),
    "exclusions.maintenance_windows": lambda d: d["exclusions"].update(
        maintenance_windows=[{"every": "week", "day": "sunday", "start": "02:00", "minutes": 60}]
    ),
    "exclusions.maintenance_allowance_minutes_per_year": lambda d: d["exclusions"].update(
        maintenance_allowance_minutes_per_year=600
    ),
    "tiers[0].caps.per_year_pct_of_annual_fees": lambda d: d["tiers"][0]["caps"].update(
        per_year_pct_of_annual_fees=50
    ),
}


@pytest.mark.parametrize("term", CONTRACT_TERMS)
def test_a_term_across_periods_is_refused_by_name(capsys, tmp_path, term):
    bad = _write(tmp_path, "terms.yaml", EC2, CONTRACT_TERMS[term])
    code, _, err = hostile(
        capsys, "simulate", bad, "--scenario", ONE, "--method", "exact", names=[term]
    )
    assert code == 2 and "--method monte-carlo" in err


SCENARIO_TERMS = {
    "catastrophes": lambda d: d.update(
        catastrophes=[
            {"name": "loss", "rate_per_year": 0.1, "minutes": {"dist": "exponential", "mean": 60}}
        ]
    ),
    "processes": lambda d: d["processes"].append({**d["processes"][0], "name": "second"}),
    "start_profile": lambda d: d["processes"][0].update(
        start_profile={"hour_of_week": [1.0] * 168}
    ),
    "scope": lambda d: d["processes"][0].update(scope={"region": "N. Virginia"}),
    "impact with different weights": lambda d: d["processes"][0].update(
        impact={"full": 0.5, "partial": 0.5}
    ),
    "cause 'customer'": lambda d: d["processes"][0].update(cause={"customer": 1.0}),
}


@pytest.mark.parametrize("term", SCENARIO_TERMS)
def test_a_scenario_the_compound_sum_cannot_say_is_refused_by_name(capsys, tmp_path, term):
    bad = _write(tmp_path, "scenario.yaml", ONE, SCENARIO_TERMS[term])
    code, _, err = hostile(
        capsys, "simulate", EC2, "--scenario", bad, "--method", "exact", names=[term]
    )
    assert code == 2 and "--method monte-carlo" in err


@pytest.mark.parametrize(
    ("option", "value"),
    [("--dump-trials", "1"), ("--workers", "2")],
)
def test_options_for_drawn_trials_are_refused(capsys, option, value):
    code, _, err = hostile(
        capsys,
        "simulate",
        EC2,
        "--scenario",
        ONE,
        "--method",
        "exact",
        option,
        value,
        names=[option],
    )
    assert code == 2 and "--method monte-carlo" in err
