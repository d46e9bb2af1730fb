"""A contract with per-incident credits and support targets under a rolling window, for the
replay and workbook tests (docs/measurement.md, section 1b)."""

from __future__ import annotations

# A month-end trailing window of 30 days (as the 2008 EC2 SLA measured 365), a credit per
# incident longer than 30 minutes, and a P1 first response within 15 minutes.
TERMS = """
format: slamodeler/v1
name: Rolling window with per-incident and support credits
currency: USD
timezone: UTC
term: {start: 2024-01-01}
measurement: {window: {kind: rolling, days: 30}}
tiers:
  - name: Business
    target_pct: 99.9
    monthly_fee: 1000
    credits: {kind: bands, bands: [{below: 99.9, credit_pct: 10}]}
    caps: {per_period_pct: 25}
    incident_credits: {longer_than_minutes: 30, credit_pct: 5}
    support:
      targets: [{priority: P1, respond_within_minutes: 15, credit_pct: 5}]
"""

# The history the hand count uses, as files: A from February, C from March (ISO UTC times).
INCIDENTS_CSV = """id,start,end,impact
A,2024-02-29T23:00:00Z,2024-03-01T01:00:00Z,full
C,2024-03-31T22:00:00Z,2024-04-01T02:00:00Z,full
"""
TICKETS_CSV = """ticket,priority,opened,first_response
T0,P1,2024-03-01T10:00:00Z,2024-03-01T10:40:00Z
T1,P1,2024-03-01T10:00:00Z,2024-03-01T10:40:00Z
T2,P1,2024-03-01T10:00:00Z,2024-03-01T10:40:00Z
"""
