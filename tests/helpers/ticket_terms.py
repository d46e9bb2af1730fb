"""A contract with support response targets, as docs/contract-format.md shows it, and a scenario
with tickets, for the simulation's ticket tests."""

from __future__ import annotations

SUPPORT_CONTRACT = """\
format: slamodeler/v1
name: Support desk example
currency: EUR
timezone: UTC
term: {start: 2027-01-01}
measurement:
  service_hours: {start: "08:00", end: "18:00"}
tiers:
  - name: Business
    target_pct: 99.9
    monthly_fee: 3000
    credits:
      kind: bands
      bands:
        - {below: 99.9, credit_pct: 10}
    caps: {per_period_pct: 15}
    support:
      clock: service_hours
      targets:
        - {priority: P1, respond_within_minutes: 15, credit_pct: 5, max_pct_per_period: 10}
        - {priority: P2, respond_within_minutes: 60, credit_amount: 100}
"""

TICKETS_SCENARIO = """format: slamodeler-scenario/v1
name: Incidents and tickets
start: "2027-01"
processes:
  - name: incidents
    frequency: {dist: poisson, rate_per_month: 0.5}
    duration_minutes: {dist: exponential, mean: 30}
tickets:
  - {priority: P1, per_month: 6, miss_probability: 0.3}
  - {priority: P2, per_month: 3, miss_probability: 0.4}
"""
