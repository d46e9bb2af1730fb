"""Per-incident credits and support misses under a rolling window, counted by hand
(docs/measurement.md, section 1b): the window measures the availability credit only; each
incident's credit and each ticket's miss goes to the row of the billing period it starts or is
opened in, before the tier's per-period cap."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import yaml

from slamodeler.domain.contract import Contract
from slamodeler.domain.support import Ticket
from slamodeler.engine.replay import replay
from slamodeler.services.period_explanation import explain_period
from tests.helpers.agreement import replay_agrees_with_reference
from tests.helpers.builders import incident, ts
from tests.helpers.window_credit_terms import TERMS


def _p1(ident: str, opened: str, minutes: int) -> Ticket:
    return Ticket(ident, "p1", ts(opened), ts(opened) + minutes * 60)


def test_the_window_measures_availability_and_the_billing_period_takes_the_credits():
    terms = Contract.model_validate(yaml.safe_load(TERMS))
    history = [
        replace(incident("2024-02-29T23:00", "2024-03-01T01:00"), id="A"),  # 120 min, February
        replace(incident("2024-03-31T22:00", "2024-04-01T02:00"), id="C"),  # 240 min, March
    ]
    # opened on 1 March: March's billing period, though not in March's window (from 2 March)
    tickets = [_p1(f"T{n}", "2024-03-01T10:00", 40) for n in range(3)]
    feb, mar, apr = replay(terms, history, "2024-02", "2024-04", tickets=tickets).tiers[0].periods

    # February's window is 31 January to 1 March (43,200 min): A's first 60 min, 99.86% -> 10%,
    # and A itself (120 min > 30) started in February: +5%. 15% of 1,000.
    assert feb.start.startswith("2024-01-31") and feb.downtime_minutes == 60
    assert feb.availability_pct == Fraction(100 * (43200 - 60), 43200)
    assert feb.incident_credit_percent == 5 and feb.credit_pct == 15
    assert feb.credit_after_caps == Decimal("150.00")
    # March's window (2 March to 1 April) holds C's first 120 min, not A's last 60: 10%; C
    # started in March: +5%; three P1 tickets opened 1 March answered in 40 min: +15%. 30%,
    # cut to the 25% cap: 250.
    assert mar.start.startswith("2024-03-02") and mar.downtime_minutes == 120
    assert mar.incident_credit_percent == 5 and mar.support is not None
    assert mar.support.credit_pct == 15 and mar.credit_pct == 30
    assert (mar.credit_after_caps, mar.capped_by_period) == (Decimal("250.00"), Decimal("50.00"))
    # April's window (1 April to 1 May) holds C's last 120 min: 10%, and C was March's.
    assert apr.downtime_minutes == 120 and apr.incident_credit_percent == 0
    assert apr.credit_pct == 10 and apr.credit_after_caps == Decimal("100.00")

    said = explain_period(mar).rules
    assert (
        "per-incident and support credits: those of the billing period 2024-03 "
        "(2024-03-01 to 2024-04-01), added to the window's credit" in said
    )
    assert any(line.startswith("per-incident credits") and "C 240 min" in line for line in said)


def test_a_claim_takes_the_credits_of_the_incidents_and_tickets_since_the_previous_claim():
    terms = Contract.model_validate(
        yaml.safe_load(TERMS.replace("{kind: rolling, days: 30}", "{kind: claim, days: 30}"))
    )
    history = [
        replace(incident("2024-03-10T10:00", "2024-03-10T11:00"), id="A"),  # 60 min: a claim
        replace(incident("2024-03-20T00:00", "2024-03-20T00:20"), id="B"),  # 20 min: a claim
    ]
    tickets = [
        _p1("T1", "2024-03-05T09:00", 30),  # before A's claim: A's
        _p1("T2", "2024-03-15T09:00", 30),  # between the claims: B's
        _p1("T3", "2024-03-25T09:00", 30),  # after the last claim: no claim takes it
    ]
    result = replay(terms, history, "2024-03", "2024-03", tickets=tickets)
    first, second = result.tiers[0].periods
    assert (first.period, second.period) == ("claim 2024-03-10 11:00", "claim 2024-03-20 00:20")

    # The first claim's 30 days (9 February 11:00 to 10 March 11:00) hold A's 60 minutes: 99.86%,
    # 10%; A (60 > 30 min) and T1 since the range start: +5% +5%. Fees of those days: 493 of
    # February's 696 hours and 227 of March's 744.
    fees = 1000 * (Fraction(493, 696) + Fraction(227, 744))
    assert first.downtime_minutes == 60 and first.credit_pct == 20
    assert first.credit_after_caps == round(Decimal(fees.numerator) / fees.denominator / 5, 2)
    # The second claim's days hold A and B, 80 minutes: 10%; B (20 min) earns nothing, T2 +5%.
    assert second.downtime_minutes == 80 and second.credit_pct == 15
    assert second.incident_credit_percent == 0 and second.support is not None
    assert [m.ticket.id for m in second.support.misses] == ["T2"]
    assert "T3" not in str([p.support for p in (first, second)])
    assert any("1 ticket(s) opened after the last claim" in note for note in result.notes)
    said = explain_period(second).rules
    assert (
        "per-incident and support credits: those since the previous claim (2024-03-10 11:00 to "
        "2024-03-20 00:20), added to the window's credit" in said
    )


def test_an_incident_whose_later_row_comes_after_the_last_claim_goes_to_its_first_rows_claim():
    # Two export rows of one incident X: 5-6 March (a claim at its end) and from 31 March 23:00
    # past the range's end (no claim). X is credited once, at its earliest row: the first claim.
    terms = Contract.model_validate(
        yaml.safe_load(TERMS.replace("{kind: rolling, days: 30}", "{kind: claim, days: 30}"))
    )
    history = [
        replace(incident("2024-03-05T10:00", "2024-03-05T11:00"), id="X"),
        replace(incident("2024-03-31T23:00", "2024-04-01T01:00"), id="X"),
    ]
    replay_agrees_with_reference(terms, history, "2024-03", "2024-03")
    [claim] = replay(terms, history, "2024-03", "2024-03").tiers[0].periods
    assert claim.incident_credit_percent == 5  # X's longer row: 120 min


def test_tickets_without_a_claim_after_them_are_said_not_counted():
    terms = Contract.model_validate(
        yaml.safe_load(TERMS.replace("{kind: rolling, days: 30}", "{kind: claim, days: 30}"))
    )
    result = replay(terms, [], "2024-03", "2024-03", tickets=[_p1("T1", "2024-03-05T09:00", 30)])
    assert result.tiers[0].periods == ()  # no incident, no claim
    assert any("1 ticket(s) opened after the last claim" in note for note in result.notes)


def test_an_incident_ending_after_the_last_claim_in_the_range_is_said_not_credited():
    # A (60 min) files its claim on 10 March; Y begins on 31 March 23:00 and ends in April, past
    # the range: no claim in the range follows it, so no row can credit its 5%, and a note says so.
    terms = Contract.model_validate(
        yaml.safe_load(TERMS.replace("{kind: rolling, days: 30}", "{kind: claim, days: 30}"))
    )
    history = [
        replace(incident("2024-03-10T10:00", "2024-03-10T11:00"), id="A"),
        replace(incident("2024-03-31T23:00", "2024-04-01T01:00"), id="Y"),
    ]
    result = replay(terms, history, "2024-03", "2024-03")
    assert [p.incident_credit_percent for p in result.tiers[0].periods] == [5]  # A's alone
    [note] = [n for n in result.notes if "per-incident credit" in n]
    assert "1 incident(s) with a per-incident credit end after the last claim" in note
    assert "(first: Y)" in note
    rolling = Contract.model_validate(yaml.safe_load(TERMS))  # the range's periods: no note
    assert not [n for n in replay(rolling, history, "2024-03", "2024-03").notes if "claim" in n]
