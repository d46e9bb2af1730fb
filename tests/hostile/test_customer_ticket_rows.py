"""Support tickets drawn per customer (docs/scenario-format.md, "Tickets drawn per customer"):
a run whose customers would need more rows a block than memory holds is refused before drawing
(it was killed by the system at 23 GB with a million customers), naming the customers and the
number a block of its trials can hold."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile

SCENARIO = """format: slamodeler-scenario/v1
name: own tickets
start: "2027-01"
processes:
  - name: customer incidents
    frequency: {dist: poisson, rate_per_month: 0.01}
    duration_minutes: {dist: exponential, mean: 30}
    scope: {independent: 0.0001}
tickets:
  - {priority: P1, per_month: 3, miss_probability: 0.1}
"""

CONTRACT = """format: slamodeler/v1
name: Desk
currency: EUR
timezone: UTC
term: {start: 2027-01-01}
tiers:
  - name: Business
    target_pct: 99.9
    monthly_fee: 30
    customers: CUSTOMERS
    credits:
      kind: bands
      bands:
        - {below: 99.9, credit_pct: 10}
    support:
      targets:
        - {priority: P1, respond_within_minutes: 15, credit_pct: 5}
"""


@pytest.mark.parametrize(("customers", "trials"), [(1_000_000, 100), (100_000, 100), (600, 2000)])
def test_too_many_customers_drawing_their_own_tickets_are_refused(
    tmp_path, capsys, customers, trials
):
    contract, scenario = tmp_path / "desk.yaml", tmp_path / "own.yaml"
    contract.write_text(CONTRACT.replace("CUSTOMERS", str(customers)), encoding="utf-8")
    scenario.write_text(SCENARIO, encoding="utf-8")
    code, _, err = hostile(
        capsys, "simulate", contract, "--scenario", scenario, "--trials", trials,
        names=["tiers[*].customers", f"{customers:,} customer(s)", "at most 1,000,000"],
    )  # fmt: skip
    assert code == 2
    assert f"(e.g. {1_000_000 // trials:,} over all tiers)" in err


def test_as_many_as_a_block_holds_are_simulated(tmp_path, capsys):
    contract, scenario = tmp_path / "desk.yaml", tmp_path / "own.yaml"
    contract.write_text(CONTRACT.replace("CUSTOMERS", "500"), encoding="utf-8")
    scenario.write_text(SCENARIO, encoding="utf-8")
    code, _, _ = hostile(capsys, "simulate", contract, "--scenario", scenario, "--trials", 200)
    assert code == 0
