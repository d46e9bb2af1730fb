"""A contract with support response targets, as docs/contract-format.md shows it, for the
simulation's ticket tests."""

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
