"""A deliberately plain reference implementation of docs/measurement.md, used as a test oracle
and as the slow baseline of the replay benchmark.

It walks time slot by slot with ordinary Python objects (no numpy), computes every boundary with
datetime/zoneinfo, keeps minutes as exact Fractions and money as Fractions rounded to Decimal at the
end. It is written from the rule book only and shares no code with slamodeler/engine.

Readings of docs/measurement.md
===============================
Where the rule book is silent or ambiguous, this oracle takes the most literal reading:

 1. Replay range is the whole world. Nothing before ``first`` or after ``last`` is looked at:
    the maintenance allowance, the yearly cap and the liability cap start unused at the first
    replayed period even if the replay starts in the middle of a contract year or term, and a
    downtime run touching the first or last replayed slot is cut there (slots outside the range
    are not computed, so "runs may cross period boundaries" only applies inside the range).
 2. All money (credit_owed ... expected_paid) is per customer; the tier's ``customers`` is not
    applied (section intro: tier totals are a customer's amounts times ``customers``). Caps are
    per customer too, each tier has its own yearly and liability counters.
 3. Period boundaries: "local midnight" is read with fold=0: a midnight that does not exist (DST
    gap at 00:00) uses the offset before the change, which is the first instant of that day; a
    midnight that occurs twice uses the first occurrence.
 4. Maintenance windows: a local start time that occurs twice (fall-back night) is read with
    fold=0, the first occurrence (the offset before the change, like the gap rule). ``minutes`` is
    elapsed real (UTC) time from the start, not wall-clock time. "Overlaps" means overlap by a
    positive amount (a window ending exactly at a slot's start does not mark it).
 5. Windows apply whether or not ``maintenance`` is in ``exclusions.causes``.
 6. Contract years and terms are anchored at local midnight of ``term.start`` / its anniversaries
    in the contract time zone; since every period starts at local midnight on the 1st, a period's
    contract year (and term) is the one whose start date is <= the period's first local date.
    Anniversaries / term blocks are computed by adding months and clamping the day to the month's
    length (29 Feb -> 28 Feb; 31 Jan + 1 month -> 29 Feb). The doc does not say which *term* a
    period belongs to; like contract years, the term in which it starts.
 7. Impact labels and causes compare after strip().lower() (the contract model already stores
    them that way); scope names likewise. An incident whose cause is empty is never excluded.
 8. Every incident passed in is weighed (and an unknown label raises) whether or not it is in
    scope or in the replay range. A str impact is always a label (a string "0.5" is a label, not a
    share); a numeric impact outside [0, 1] is an error. Weights are rounded to 1e-6 half-even.
 9. An incident with ``end <= start`` touches no slot (the doc only names ``end == start``).
10. Allowance: eligible weighted minutes are excused in slot order; the slot in which the
    allowance runs out is excused partly (only the remainder), so its counted weight is
    fractional. Allowance A is in weighted minutes, like everything else.
11. A slot is normally ``slot_minutes`` long. If a period's length were not a multiple of the
    slot (only historical offsets), its last slot is cut at the period end and its real length is
    used for its minutes; a run's length is still "slot count times slot_minutes", as written.
12. ``below_minimum_minutes`` is in weighted minutes (counted weight x slot length), attributed to
    the period of each slot of the short run. It is part of neither X nor T.
13. excluded_time: available: ``100 * (D - T) / D`` as written; X is reported but unused.
14. Bands: hit set is every band whose threshold is hit; the one with the lowest threshold (the
    last such index) gives the credit and ``band``. With ``at_or_below`` and a band at 100,
    availability 100 hits it (literal). ``band`` is None for other kinds. The band's escalation is
    not part of the returned dict (the brief's key list has no place for it).
14a. Band ends: a band is hit when availability is under its upper end (``below``, included when
    its ``upper_end`` is "included", or, without ``upper_end``, when the schedule says
    at_or_below) and, when it states ``above``, over that (included only with ``lower_end:
    included``). Between two bands whose ends leave a gap, no band is hit: no credit.
15. Linear: "above the first point" is strictly above; exactly at the first point the credit is
    that point's credit (even if non-zero). Exactly at any point: that point's credit.
16. per_hour: hours are of T (weighted downtime minutes after the minimum-downtime rule) / 60;
    "started" = ceiling, "whole" = floor. The miss test uses target_pct with the schedule's
    boundary. fee_multiple uses the same miss test. credit_pct is never clipped at 100.
17. Money: owed is exact; each cap's room is floor(limit - issued so far) to the minor unit and
    never below 0; the amount after each cap is min(previous, room). credit_owed and every stage
    are rounded half up; capped_by_period = r(owed) - r(after period cap), capped_by_year =
    r(after period cap) - r(after yearly cap), capped_by_liability likewise, so the three add up to
    credit_owed - credit_after_caps - below_min_credit.
18. Minimum credit is tested on the rounded amount after caps: 0 < amount < min_credit means
    below_min_credit = amount and credit_after_caps = 0 (it uses up no cap). A positive exact
    amount that rounds to 0 is simply 0. With ``min_credit_rule: more_than``, an amount equal
    to min_credit is below it too (only a greater one is issued).
19. A liability cap with both ``amount`` and ``pct_of_annual_fees`` uses the lower limit before
    rounding. "12 monthly fees" is the tier's monthly_fee x 12 for quarters too.
20. ``first`` must not be after ``last`` (ValueError); labels must match measurement.period.
21. Slot rules are judged per incident and per slot from the seconds the incident covers of the
    slot: ``any`` more than 0, ``more_than_half`` more than half the slot's length, ``whole`` all
    of it. Two incidents that each cover half a slot do not make it whole.
22. ``overlaps: add`` sums the weights (in millionths) of the incidents counting in the slot and
    takes at most a million; separately for w_all, w_m and w_nc, as "worst" does.
23. ``down_above`` is compared in millionths, as weights are (rounded half-even): a combined
    weight strictly above it becomes a million, anything else 0; again for each of the three.
24. Windows (measurement.window): the world reaches back to the earliest window's start, cut
    into the calendar periods it falls in (the first cut at that start) for contract years and
    the allowance; a row's contract year, term and fee are those of its period (rolling) or of
    its claim's local date and the days it covers (claim). A window's days are 24 hours each.
    A claim is an incident's end in (range start, range end], moved up to the end of its slot
    counted from the range start; equal claims are one.
24a. Per-incident credits and support misses under a window: a row bills a stretch [start, end),
    with its own fee: the calendar period of the range with its label (rolling), or the time
    since the previous claim, from the range start for the first (claim). The incident's credit
    (rule 30, at the start of its first counted slot) and the ticket's miss (rule 30, at its
    ``opened`` instant) go to the row whose stretch holds that instant; none holds it before
    the range, or after the last claim: not counted.
25. k of n zones (``scope.zones``): zone names compare like scope names; an incident on a zone
    not in a non-empty ``of`` does not reach the tier; each of w_all, w_m, w_nc is 1 when the
    incidents of its kind touching the slot with a positive weight name at least ``at_least``
    distinct zones, or one of them names none (the whole region), and 0 otherwise.
26. Claim deadline: a claim for a period is in time up to the end of the day before
    ``claim_deadline_days`` days after the period's end (the local first day of the next
    period; under a measured window, the local date its row ends on), so ``claim_by`` is that
    day. Of the expected claims ``issued x claim_rate``, the
    share ``late_share`` is late: expected_paid = round(issued x claim_rate x (1 - late_share))
    and late_forfeited = round(issued x claim_rate) - expected_paid, each rounded half up.
27. Customer cap across tiers: the tiers held together are those named in ``customer_cap.tiers``
    (all when empty). Its limit is the lower of ``amount`` and ``pct_of_annual_fees`` % of the sum
    of 12 monthly fees of those tiers, floored to the minor unit. Walking periods in time order
    and, within one, tiers in contract order, each tier's credit after its own caps and minimum
    credit is cut to max(limit - issued to the customer in the term so far, 0); a cut credit that
    no longer clears the minimum credit is issued as 0 and added to below_min_credit.
    capped_by_customer = credit before it - credit after it; expected_paid is recomputed.
28. Service hours: each listed weekday that is not a holiday (local dates) has the hours
    [start, end) read like window starts (fold=0; "24:00" is the next local midnight). A slot is
    in service hours when its start instant lies in one of them. Every other slot weighs 0 for
    w_all, w_m and w_nc alike (so it ends a downtime run, excludes nothing and spends no
    allowance), and D is the minutes of a period's service slots. A period without one (hours
    shorter than a slot, starting in none) has D = 0 and is 100% available.
30. Per-incident credits (``incident_credits``): an incident (rows sharing an id are one; its
    longest row with counted downtime counts) in the tier's scope and not excluded for its cause (nor for
    ``maintenance`` when that is excluded) counts, on its own, the slots it counts in by the slot
    rule that are in service hours (rule 28) and that no maintenance window overlaps, each
    slot_minutes long, times its weight after ``down_above``; it earns when that is longer than
    ``longer_than_minutes``: credit_pct + per_hour x hours (ceil, floor or exact), at most
    max_pct_per_incident, in the replayed period of its first counted slot in service hours
    (its earliest such row's), added to the schedule's percent.
30a. Under a k-of-n scope (``scope.zones``) an incident that weighs more than 0 counts, in
    full (a slot weighs 1 before ``down_above``), only those of these slots outside maintenance
    windows in which rule 25's w_nc is 1 (at least k zones down from the incidents in scope
    not excluded); its period is that of its first such slot.
29. ``share_of: scheduled`` on a fee multiple: the downtime is a share of D - X (whatever
    ``excluded_time`` says); with nothing to share (D - X = 0) the credit is 0.
30. Support response targets (section 11): a ticket belongs to the replayed period whose
    [start, end) holds its ``opened`` instant; its response time is the seconds from ``opened``
    to ``first_response`` (or, unanswered, to the end of the last replayed period) that lie in
    service hours (``clock: service_hours``, rule 28's hours) or all of them. More than
    ``respond_within_minutes`` x 60 seconds is a miss (exactly that is in time). Each miss
    credits ``credit_pct``, or ``credit_amount`` / period fee x 100; a priority's credits in a
    period are cut to ``max_pct_per_period``; the sum is added to the period's credit % before
    any cap.
31. Fees that vary: a calendar month costs its ``monthly_fees`` entry ("YYYY-MM"), else
    monthly_fee. A period's credit and per-period cap are a % of its months' fees x
    ``affected_share``; the yearly cap a % of the 12 months' fees of the contract year (from the
    month term.start falls in); the liability and customer caps a % of a term's months' fees x
    12 / term.months. (Rule 19's "12 monthly fees" is the case of one fee for every month.)
31a. A claim window's fee (rule 24's days before a claim): cut a local day at a time (and at
    month ends), each piece carries its month's fee (rule 31) / its month's days x the piece's
    seconds / its day's seconds (a day of 23 or 25 hours is still one day); the window's fee is
    the sum (with one fee for every month, monthly_fee x the window's months). A month's days
    are the local dates that exist in it: Apia skipped 30 December 2011, so that December had
    30 days, each 1/30 of its fee.
32. Service hours with a window (rules 24 and 28): a row's D is the minutes of the service
    slots in its window's days, wherever they lie (before the range too), and only those slots
    weigh, as for a calendar period.
"""

from __future__ import annotations

import bisect
import calendar
import itertools
import math
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from slamodeler.domain.contract import WEEKDAYS, Claims, Contract
from slamodeler.domain.incidents import Incident

MILLION = 1_000_000
UNITS_PER_MINUTE = 60 * MILLION  # a weighted minute in (millionths of weight) x seconds

ZERO_DECIMAL_CURRENCIES = {"JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF"}
THREE_DECIMAL_CURRENCIES = {"BHD", "KWD", "OMR", "JOD", "TND", "LYD", "IQD"}


# --- small helpers -----------------------------------------------------------------------------


def minor_digits(currency: str) -> int:
    if currency in ZERO_DECIMAL_CURRENCIES:
        return 0
    if currency in THREE_DECIMAL_CURRENCIES:
        return 3
    return 2


def add_months(d: date, n: int) -> date:
    y, m0 = divmod(d.month - 1 + n, 12)
    y += d.year
    m = m0 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def local_to_epoch(zone: ZoneInfo, day: date, minute_of_day: int = 0) -> int:
    """Epoch seconds of a local wall time, read with fold=0 (offset before a change)."""
    wall = datetime(day.year, day.month, day.day, minute_of_day // 60, minute_of_day % 60)
    offset = wall.replace(tzinfo=zone).utcoffset()
    assert offset is not None
    return calendar.timegm(wall.timetuple()) - (offset.days * 86400 + offset.seconds)


def norm(name: str) -> str:
    return name.strip().lower()


def weight_millionths(contract: Contract, impact: str | Decimal) -> int:
    if isinstance(impact, str):
        weights = contract.measurement.impact_weights
        label = norm(impact)
        if label in weights:
            w = Decimal(weights[label])
        elif label == "none":
            w = Decimal(0)
        else:
            raise ValueError(f"impact label {impact!r} is not weighed by the contract")
    else:
        w = Decimal(impact)
        if not Decimal(0) <= w <= Decimal(1):
            raise ValueError(f"numeric impact {impact} is outside [0, 1]")
    return int((w * MILLION).quantize(Decimal(1), rounding="ROUND_HALF_EVEN"))


def counts_in_slot(counting: str, inc: Incident, slot_start: int, slot_end: int) -> bool:
    """Does the incident count in the slot, by how much of it it covers?"""
    cover = min(inc.end, slot_end) - max(inc.start, slot_start)
    if counting == "whole":
        return cover >= slot_end - slot_start
    if counting == "more_than_half":
        return 2 * cover > slot_end - slot_start
    return cover > 0


def slot_weight(contract: Contract, weights: list[int]) -> int:
    """The weight of a slot from those of the incidents counting in it, in millionths."""
    m = contract.measurement
    total = min(sum(weights), MILLION) if m.overlaps == "add" else max(weights, default=0)
    if m.down_above is None:
        return total
    above = int((m.down_above * MILLION).quantize(Decimal(1), rounding="ROUND_HALF_EVEN"))
    return MILLION if total > above else 0


def round_half_up(x: Fraction, digits: int) -> Fraction:
    scale = 10**digits
    sign = -1 if x < 0 else 1
    return Fraction(sign * math.floor(abs(x) * scale + Fraction(1, 2)), scale)


def round_down(x: Fraction, digits: int) -> Fraction:
    scale = 10**digits
    return Fraction(math.floor(x * scale), scale)


def to_decimal(x: Fraction, digits: int) -> Decimal:
    n = x * 10**digits
    assert n.denominator == 1, x
    return Decimal(n.numerator).scaleb(-digits)


# --- periods -----------------------------------------------------------------------------------


MONTHS_PER = {"month": 1, "quarter": 3, "year": 12}


def year_start_month(contract: Contract) -> int:
    """1..12: the month quarters and years start in (months ignore it)."""
    names = [calendar.month_name[m].lower() for m in range(1, 13)]
    return names.index(contract.measurement.year_starts) + 1


def period_first_day(day: date, kind: str, start_month: int) -> date:
    """First day of the period of ``kind`` holding ``day``."""
    if kind == "month":
        return date(day.year, day.month, 1)
    first = date(day.year, start_month, 1)
    if first > day:
        first = date(day.year - 1, start_month, 1)
    while add_months(first, MONTHS_PER[kind]) <= day:
        first = add_months(first, MONTHS_PER[kind])
    return first


def parse_label(label: str, kind: str, start_month: int = 1) -> date:
    """First day of the period a label names (a fiscal year is named after the year it ends
    in: FY2025 of a February year starts on 1 February 2024)."""
    text = label.strip()
    month = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if month and 1 <= int(month.group(2)) <= 12:
        return period_first_day(
            date(int(month.group(1)), int(month.group(2)), 1), kind, start_month
        )
    prefix = "FY" if start_month != 1 else ""
    m = re.fullmatch(prefix + r"(\d{4})(?:-Q([1-4]))?", text)
    if kind == "month" or not m or bool(m.group(2)) != (kind == "quarter"):
        raise ValueError(f"{label!r} is not a {kind} label")
    year = int(m.group(1)) - (1 if prefix else 0)
    quarter = int(m.group(2) or 1)
    return add_months(date(year, start_month, 1), 3 * (quarter - 1))


def make_label(first_day: date, kind: str, start_month: int = 1) -> str:
    if kind == "month":
        return f"{first_day.year:04d}-{first_day.month:02d}"
    year_first = period_first_day(first_day, "year", start_month)
    fiscal = start_month != 1
    name = f"FY{year_first.year + 1}" if fiscal else f"{year_first.year:04d}"
    if kind == "year":
        return name
    months_in = (first_day.year - year_first.year) * 12 + first_day.month - year_first.month
    return f"{name}-Q{months_in // 3 + 1}"


def build_periods(contract: Contract, first: str, last: str) -> list[dict]:
    kind = contract.measurement.period
    step = MONTHS_PER[kind]
    start_month = year_start_month(contract)
    zone = ZoneInfo(contract.timezone)
    day = parse_label(first, kind, start_month)
    stop = parse_label(last, kind, start_month)
    if day > stop:
        raise ValueError(f"first period {first} is after last period {last}")
    periods = []
    while day <= stop:
        nxt = add_months(day, step)
        periods.append(
            {
                "label": make_label(day, kind, start_month),
                "first_day": day,
                "months": step,
                "start": local_to_epoch(zone, day),
                "end": local_to_epoch(zone, nxt),
            }
        )
        day = nxt
    return periods


# --- fees that vary (tiers' monthly_fees, affected_share) ---------------------------------------


def fee_of_month(tier, day: date) -> Fraction:
    """Rule 31: the fee of the calendar month holding ``day``: its monthly_fees entry, else
    monthly_fee."""
    return Fraction(tier.monthly_fees.get(day.strftime("%Y-%m"), tier.monthly_fee))


def row_fee(tier, row: dict) -> Fraction:
    """Rule 31: what a row's credit and per-period cap are a % of: the fees of the calendar
    months the period holds (a claim window's share of months at monthly_fee) x affected_share."""
    months = row["months"]
    if isinstance(months, int):
        first = row["first_day"].replace(day=1)
        fees = sum(fee_of_month(tier, add_months(first, k)) for k in range(months))
    else:  # rule 31a: each piece of a day carries its month's fee x its share of the month
        pieces = row["pieces"]
        fees = sum((fee_of_month(tier, month) * share for month, share in pieces), Fraction(0))
    return Fraction(fees) * Fraction(tier.affected_share)


def block_fees(tier, start: date, months: int, number: int) -> Fraction:
    """Rule 31: a year's worth of the fees of block ``number`` of ``months`` months (contract
    year: 12, term: term.months) counted from the month ``start`` falls in."""
    first = add_months(start.replace(day=1), months * number)
    fees = sum(fee_of_month(tier, add_months(first, k)) for k in range(months))
    return Fraction(fees) * 12 / months


# --- measured windows (measurement.window) -----------------------------------------------------


def day_pieces(zone: ZoneInfo, start: int, end: int) -> list[tuple[date, Fraction]]:
    """[start, end) a local day at a time: each piece's month (its first day) and the share of
    that month's fee the piece holds (its share of its day over the month's days)."""
    pieces = []
    cursor = start
    while cursor < end:
        local = datetime.fromtimestamp(cursor, zone)
        month_first = date(local.year, local.month, 1)
        month_days = local_month_days(zone, month_first)
        day_start = local_to_epoch(zone, local.date())
        next_day = local_to_epoch(zone, local.date() + timedelta(days=1))
        piece_end = min(end, next_day)
        share = Fraction(piece_end - cursor, next_day - day_start) / month_days
        pieces.append((month_first, share))
        cursor = piece_end
    return pieces


def local_month_days(zone: ZoneInfo, first: date) -> int:
    """The local dates that exist in the month of ``first``: a day whose midnight is the next
    day's (Apia's 30 December 2011, skipped) is none."""
    days = [
        first + timedelta(days=k) for k in range(calendar.monthrange(first.year, first.month)[1])
    ]
    return sum(
        local_to_epoch(zone, day + timedelta(days=1)) > local_to_epoch(zone, day) for day in days
    )


def fees_of_days(zone: ZoneInfo, start: int, end: int) -> Fraction:
    """Monthly fees carried by [start, end): each local day 1 / its month's days of a monthly
    fee, a part of a day its share of that day's seconds, summed a local day at a time."""
    return sum((share for _, share in day_pieces(zone, start, end)), Fraction(0))


def measured_rows(contract: Contract, periods: list[dict], incidents) -> list[dict]:
    """What each result row measures: the periods, or the window of days before each period
    end (rolling) or each claim (an incident's end, moved to the end of its slot)."""
    window = contract.measurement.window
    if window is None:
        return periods
    span = window.days * 24 * 3600
    if window.kind == "rolling":
        return [{**p, "start": p["end"] - span} for p in periods]
    zone = ZoneInfo(contract.timezone)
    slot = contract.measurement.slot_minutes * 60
    begin, finish = periods[0]["start"], periods[-1]["end"]
    claims = set()
    for inc in incidents:
        if begin < inc.end <= finish:
            claims.add(begin + math.ceil((inc.end - begin) / slot) * slot)
    rows = []
    for claim in sorted(claims):
        local = datetime.fromtimestamp(claim, zone)
        rows.append(
            {
                "label": "claim " + local.strftime("%Y-%m-%d %H:%M"),
                "first_day": local.date(),
                "months": fees_of_days(zone, claim - span, claim),
                "pieces": day_pieces(zone, claim - span, claim),
                "start": claim - span,
                "end": claim,
            }
        )
    return rows


def billing_stretches(periods: list[dict], rows: list[dict]) -> list[dict]:
    """Rule 24a: what each row bills, with the row's label and fee: the calendar period of the
    same label, or for a claim the time since the previous claim (from the range start)."""
    by_label = {p["label"]: p for p in periods}
    out, since = [], periods[0]["start"]
    for row in rows:
        out.append(by_label.get(row["label"]) or {**row, "start": since})
        since = row["end"]
    return out


def calendar_back_to(contract: Contract, periods: list[dict], instant: int) -> list[dict]:
    """``periods`` with the periods before them prepended until one starts at or before
    ``instant``; the first is cut to start at ``instant``."""
    kind = contract.measurement.period
    start_month = year_start_month(contract)
    zone = ZoneInfo(contract.timezone)
    out = list(periods)
    while out[0]["start"] > instant:
        day = add_months(out[0]["first_day"], -MONTHS_PER[kind])
        out.insert(
            0,
            {
                "label": make_label(day, kind, start_month),
                "first_day": day,
                "months": MONTHS_PER[kind],
                "start": local_to_epoch(zone, day),
                "end": out[0]["start"],
            },
        )
    out[0] = {**out[0], "start": max(out[0]["start"], instant)}
    return out


def block_index(anchor: date, months_per_block: int, day: date) -> int:
    """Index k of the block [anchor + k*n months, anchor + (k+1)*n months) holding ``day``."""
    months_apart = (day.year - anchor.year) * 12 + (day.month - anchor.month)
    k = months_apart // months_per_block
    while add_months(anchor, k * months_per_block) > day:
        k -= 1
    while add_months(anchor, (k + 1) * months_per_block) <= day:
        k += 1
    return k


# --- maintenance windows -----------------------------------------------------------------------


def window_occurrences(contract: Contract, range_start: int, range_end: int) -> list[tuple]:
    """Every occurrence [start, end) in UTC seconds of every window that may touch the range."""
    zone = ZoneInfo(contract.timezone)
    first_day = datetime.fromtimestamp(range_start, zone).date() - timedelta(days=10)
    last_day = datetime.fromtimestamp(range_end, zone).date() + timedelta(days=1)
    out = []
    day = first_day
    while day <= last_day:
        for window in contract.exclusions.maintenance_windows:
            if window.every == "week":
                applies = day.weekday() == WEEKDAYS.index(str(window.day).lower())
            elif window.every == "month":
                applies = day.day == window.day
            else:
                applies = True
            if applies:
                start = local_to_epoch(zone, day, window.start_minute)
                end = start + window.minutes * 60
                if start < range_end and end > range_start:
                    out.append((start, end))
        day += timedelta(days=1)
    return out


# --- service hours -----------------------------------------------------------------------------


def service_spans(contract: Contract, range_start: int, range_end: int) -> list[tuple[int, int]]:
    """Rule 28: the [start, end) UTC seconds of each day's service hours near the range."""
    hours = contract.measurement.service_hours
    assert hours is not None
    zone = ZoneInfo(contract.timezone)
    day = datetime.fromtimestamp(range_start, zone).date() - timedelta(days=2)
    last_day = datetime.fromtimestamp(range_end, zone).date() + timedelta(days=1)
    spans = []
    while day <= last_day:
        if WEEKDAYS[day.weekday()] in hours.days and day not in hours.holidays:
            h, mnt = (int(x) for x in hours.start.split(":"))
            start = local_to_epoch(zone, day, h * 60 + mnt)
            if hours.end == "24:00":
                end = local_to_epoch(zone, day + timedelta(days=1))
            else:
                h, mnt = (int(x) for x in hours.end.split(":"))
                end = local_to_epoch(zone, day, h * 60 + mnt)
            spans.append((start, end))
        day += timedelta(days=1)
    return spans


# --- the replay --------------------------------------------------------------------------------


def in_scope(tier, incident: Incident) -> bool:
    services = {norm(s) for s in tier.scope.services}
    regions = {norm(r) for r in tier.scope.regions}
    service = norm(incident.service)
    region = norm(incident.region)
    service_ok = not services or not service or service in services
    region_ok = not regions or not region or region in regions
    return service_ok and region_ok and zone_in_scope(tier.scope.zones, incident)


def zone_in_scope(rule, incident: Incident) -> bool:
    if rule is None:
        return True
    zone = norm(incident.zone)
    return not zone or not rule.of or zone in {norm(z) for z in rule.of}


def zone_quorum_weights(rule, touching: list[tuple[int, Incident]], excluded: set[str]):
    """(w_all, w_m, w_nc) of a slot under a k-of-n scope (reading 25), from the (weight,
    incident) pairs that touch it."""

    def weight(counts) -> int:
        zones: set[str] = set()
        for w, inc in touching:
            if w > 0 and counts(norm(inc.cause)):
                if not norm(inc.zone):
                    return MILLION
                zones.add(norm(inc.zone))
        return MILLION if len(zones) >= rule.at_least else 0

    return (
        weight(lambda cause: True),
        weight(lambda cause: cause not in excluded or cause == "maintenance"),
        weight(lambda cause: cause not in excluded),
    )


def within_band_ends(band, availability: Fraction, schedule_at_or_below: bool) -> bool:
    """Rule 14a, read off the band's keys: the upper end included when ``upper_end`` says so,
    else by the schedule's boundary; the stated lower end ``above`` excluded unless
    ``lower_end: included``."""
    upper = Fraction(band.below)
    upper_in = schedule_at_or_below if band.upper_end is None else band.upper_end == "included"
    if availability > upper or (availability == upper and not upper_in):
        return False
    if band.above is None:
        return True
    lower = Fraction(band.above)
    return availability > lower or (availability == lower and band.lower_end == "included")


def credit_percent(
    tier, availability: Fraction, downtime: Fraction, length: Fraction, excluded: Fraction
):
    """(credit_pct, band index or None)"""
    schedule = tier.credits
    at_or_below = getattr(schedule, "boundary", "below") == "at_or_below"

    def hit(threshold: Fraction) -> bool:
        return availability <= threshold if at_or_below else availability < threshold

    if schedule.kind == "bands":
        chosen = None
        for i, band in enumerate(schedule.bands):
            if within_band_ends(band, availability, at_or_below):
                chosen = i
        if chosen is None:
            return Fraction(0), None
        return Fraction(schedule.bands[chosen].credit_pct), chosen
    if schedule.kind == "linear":
        pts = [(Fraction(p.availability_pct), Fraction(p.credit_pct)) for p in schedule.points]
        if availability > pts[0][0]:
            return Fraction(0), None
        for (a_hi, c_hi), (a_lo, c_lo) in itertools.pairwise(pts):
            if a_lo <= availability <= a_hi:
                return c_hi + (a_hi - availability) / (a_hi - a_lo) * (c_lo - c_hi), None
        return pts[-1][1], None
    missed = hit(Fraction(tier.target_pct))
    if not missed:
        return Fraction(0), None
    if schedule.kind == "per_hour":
        hours = downtime / 60
        if schedule.hours == "started":
            hours = Fraction(math.ceil(hours))
        elif schedule.hours == "whole":
            hours = Fraction(math.floor(hours))
        return Fraction(schedule.credit_pct_per_hour) * hours, None
    if schedule.kind == "fee_multiple":
        share = length - excluded if schedule.share_of == "scheduled" else length
        if share == 0:
            return Fraction(0), None
        return Fraction(schedule.multiple) * 100 * downtime / share, None
    raise ValueError(f"unknown credit schedule kind {schedule.kind!r}")


def either_or_percent(tier, *measured):
    """The period's (credit_pct, band) with ``tiers[].either_or``: the other schedule is read
    like the tier's own, with its own ``target_pct`` or else the tier's. ``greater`` pays it only
    when strictly larger; ``first`` only when the tier's own is 0 and it is not. A band index is
    the tier's own schedule's only. ``measured``: availability, T, D, X as for credit_percent."""
    pct, band = credit_percent(tier, *measured)
    other = tier.either_or
    if other is None:
        return pct, band
    target = tier.target_pct if other.target_pct is None else other.target_pct
    alt, _ = credit_percent(SimpleNamespace(credits=other.credits, target_pct=target), *measured)
    wins = alt > pct if other.pick == "greater" else (pct == 0 and alt > 0)
    return (alt, None) if wins else (pct, band)


def reference_support_pct(contract: Contract, tier, period: dict, end: int, tickets) -> Fraction:
    """Rule 30: the period's support credit, % of its fee."""
    if tier.support is None:
        return Fraction(0)
    fee = row_fee(tier, period)  # the credit % is taken of it (rule 31)
    owed: dict[str, Fraction] = {}
    for ticket in tickets:
        target = next(
            (t for t in tier.support.targets if t.priority == ticket.priority.lower()), None
        )
        if target is None or not period["start"] <= ticket.opened < period["end"]:
            continue
        stop = end if ticket.first_response is None else ticket.first_response
        if tier.support.clock == "service_hours":
            spans = service_spans(contract, ticket.opened, stop)
            taken = sum(max(0, min(stop, b) - max(ticket.opened, a)) for a, b in spans)
        else:
            taken = stop - ticket.opened
        if taken > target.respond_within_minutes * 60:
            each = (
                Fraction(target.credit_pct)
                if target.credit_pct is not None
                else Fraction(target.credit_amount) / fee * 100
            )
            owed[target.priority] = owed.get(target.priority, Fraction(0)) + each
    total = Fraction(0)
    for target in tier.support.targets:
        got = owed.get(target.priority, Fraction(0))
        if target.max_pct_per_period is not None:
            got = min(got, Fraction(target.max_pct_per_period))
        total += got
    return total


def reference_replay(
    contract: Contract, incidents, first: str, last: str, tickets=()
) -> dict[str, list[dict]]:
    m = contract.measurement
    excl = contract.exclusions
    excluded_causes = {norm(c) for c in excl.causes}
    maintenance_excluded = "maintenance" in excluded_causes
    slot_seconds = m.slot_minutes * 60
    digits = minor_digits(contract.currency)

    # Weigh every incident first: an unknown label is an error wherever the incident is.
    incidents = list(incidents)
    weights = [weight_millionths(contract, inc.impact) for inc in incidents]

    measured = measured_rows(contract, build_periods(contract, first, last), incidents)
    billed_rows = billing_stretches(build_periods(contract, first, last), measured)
    # The world measured: the calendar periods back to the earliest window (see reading 24).
    periods = build_periods(contract, first, last)
    periods = calendar_back_to(
        contract, periods, min([periods[0]["start"]] + [r["start"] for r in measured])
    )

    # Slots of every period, aligned to the period start.
    slot_start: list[int] = []
    slot_end: list[int] = []
    slot_period: list[int] = []
    for p_index, period in enumerate(periods):
        s = period["start"]
        while s < period["end"]:
            slot_start.append(s)
            slot_end.append(min(s + slot_seconds, period["end"]))
            slot_period.append(p_index)
            s += slot_seconds
    n_slots = len(slot_start)

    def slots_overlapping(start: int, end: int):
        """Indices of the slots overlapping [start, end) by a positive amount."""
        if end <= start:
            return
        i = max(bisect.bisect_right(slot_start, start) - 1, 0)
        while i < n_slots and slot_start[i] < end:
            if slot_end[i] > start:
                yield i
            i += 1

    # Maintenance-window slots (same for every tier).
    in_window = bytearray(n_slots)
    if n_slots:
        for w_start, w_end in window_occurrences(contract, slot_start[0], slot_end[-1]):
            for i in slots_overlapping(w_start, w_end):
                in_window[i] = 1

    # Rule 28: which slots are in service hours (all of them without service hours).
    open_slot = [True] * n_slots
    if m.service_hours is not None and n_slots:
        spans = service_spans(contract, slot_start[0], slot_end[-1])
        opens = [a for a, _ in spans]  # one span a day: sorted and apart

        def is_open(t: int) -> bool:
            k = bisect.bisect_right(opens, t) - 1
            return k >= 0 and t < spans[k][1]

        open_slot = [is_open(t) for t in slot_start]

    # Contract year and term of every period.
    term_start = contract.term.start
    period_year = [block_index(term_start, 12, p["first_day"]) for p in periods]
    row_year = [block_index(term_start, 12, r["first_day"]) for r in measured]
    row_term = [block_index(term_start, contract.term.months, r["first_day"]) for r in measured]

    allowance = excl.maintenance_allowance_minutes_per_year
    allowance_units = None if allowance is None else Fraction(allowance) * UNITS_PER_MINUTE

    result: dict[str, list[dict]] = {}
    for tier in contract.tiers:
        # Index the tier's incidents by slot.
        by_slot: dict[int, list[int]] = {}
        for k, inc in enumerate(incidents):
            if in_scope(tier, inc):
                for i in slots_overlapping(inc.start, inc.end):
                    by_slot.setdefault(i, []).append(k)

        # Weighted minutes are kept in "units" (millionths of weight x seconds): ints, or
        # Fractions once a partly used allowance gets involved.
        # Per slot, then summed over each row's window.
        excluded: list[int | Fraction] = [0] * n_slots
        downtime: list[int | Fraction] = [0] * n_slots
        below_min: list[int | Fraction] = [0] * n_slots
        allowance_left: dict[int, Fraction] = {}
        run: list[tuple[int, int | Fraction]] = []  # (slot, counted units) of the current run

        def close_run(
            run: list[tuple[int, int | Fraction]], downtime=downtime, below_min=below_min
        ):
            if not run:
                return
            short = len(run) * m.slot_minutes < m.min_downtime_minutes
            for i, units in run:
                target = below_min if short else downtime
                target[i] += units

        for i in range(n_slots):
            if i not in by_slot:  # no incident touches the slot: it weighs nothing, ends a run
                close_run(run)
                run = []
                continue
            length = slot_end[i] - slot_start[i]
            all_w: list[int] = []
            m_w: list[int] = []
            nc_w: list[int] = []
            for k in by_slot.get(i, ()):
                inc = incidents[k]
                if not counts_in_slot(m.slot_counting, inc, slot_start[i], slot_end[i]):
                    continue
                w = weights[k]
                cause = norm(inc.cause)
                all_w.append(w)
                if cause not in excluded_causes or cause == "maintenance":
                    m_w.append(w)
                if cause not in excluded_causes:
                    nc_w.append(w)
            w_all, w_m, w_nc = (
                slot_weight(contract, ws) if open_slot[i] else 0 for ws in (all_w, m_w, nc_w)
            )
            if tier.scope.zones is not None and open_slot[i]:
                touching = [
                    (weights[k], incidents[k])
                    for k in by_slot.get(i, ())
                    if counts_in_slot(m.slot_counting, incidents[k], slot_start[i], slot_end[i])
                ]
                w_all, w_m, w_nc = zone_quorum_weights(tier.scope.zones, touching, excluded_causes)
            if not maintenance_excluded:
                assert w_nc == w_m
            p_index = slot_period[i]
            cause_units = (w_all - w_m) * length
            eligible_units = (w_m if in_window[i] else w_m - w_nc) * length
            if allowance_units is None:
                excused = eligible_units
            else:
                year = period_year[p_index]
                left = allowance_left.get(year, allowance_units)
                excused = min(eligible_units, left)
                allowance_left[year] = left - excused
            excluded[i] += cause_units + excused
            counted = w_m * length - excused
            if counted > 0:
                run.append((i, counted))
            else:
                close_run(run)
                run = []
        close_run(run)

        per_incident = incident_credit_percents(
            contract,
            tier,
            incidents,
            weights,
            slots_overlapping,
            slot_start,
            slot_end,
            in_window,
            open_slot,
        )
        # rule 24a: an incident's credit goes to the row whose stretch holds its first slot
        per_row: dict[int, Fraction] = {}
        for instant, pct in per_incident.items():
            for k, stretch in enumerate(billed_rows):
                if stretch["start"] <= instant < stretch["end"]:
                    per_row[k] = per_row.get(k, Fraction(0)) + pct

        # Per period: minutes, availability, credit, money.
        rows = []
        issued_in_year: dict[int, Fraction] = {}
        issued_in_term: dict[int, Fraction] = {}
        for p_index, period in enumerate(measured):
            inside = range(
                bisect.bisect_left(slot_start, period["start"]),
                bisect.bisect_left(slot_start, period["end"]),
            )
            length = Fraction(period["end"] - period["start"], 60)
            if m.service_hours is not None:  # the row's minutes in service hours (rule 28)
                length = Fraction(
                    sum(slot_end[i] - slot_start[i] for i in inside if open_slot[i]), 60
                )
            x = Fraction(sum(excluded[inside.start : inside.stop])) / UNITS_PER_MINUTE
            t = Fraction(sum(downtime[inside.start : inside.stop])) / UNITS_PER_MINUTE
            b = Fraction(sum(below_min[inside.start : inside.stop])) / UNITS_PER_MINUTE
            if excl.excluded_time == "remove":
                if length - x == 0:
                    availability = Fraction(100)
                else:
                    availability = 100 * (length - x - t) / (length - x)
            elif length == 0:  # rule 28: no service slot in the period
                availability = Fraction(100)
            else:
                availability = 100 * (length - t) / length
            pct, band = either_or_percent(tier, availability, t, length, x)
            billed = billed_rows[p_index]  # rule 24a
            pct += reference_support_pct(contract, tier, billed, measured[-1]["end"], tickets)
            pct += per_row.get(p_index, Fraction(0))

            fee = row_fee(tier, period)
            owed = pct / 100 * fee
            year = row_year[p_index]
            term = row_term[p_index]
            after_period = owed
            if tier.caps.per_period_pct is not None:
                room = round_down(Fraction(tier.caps.per_period_pct) / 100 * fee, digits)
                after_period = min(after_period, max(room, Fraction(0)))
            after_year = after_period
            if tier.caps.per_year_pct_of_annual_fees is not None:
                fees = block_fees(tier, contract.term.start, 12, year)
                limit = Fraction(tier.caps.per_year_pct_of_annual_fees) / 100 * fees
                room = round_down(limit - issued_in_year.get(year, Fraction(0)), digits)
                after_year = min(after_year, max(room, Fraction(0)))
            after_liability = after_year
            if contract.liability_cap is not None:
                limits = []
                if contract.liability_cap.amount is not None:
                    limits.append(Fraction(contract.liability_cap.amount))
                if contract.liability_cap.pct_of_annual_fees is not None:
                    limits.append(
                        Fraction(contract.liability_cap.pct_of_annual_fees)
                        / 100
                        * block_fees(tier, contract.term.start, contract.term.months, term)
                    )
                room = round_down(min(limits) - issued_in_term.get(term, Fraction(0)), digits)
                after_liability = min(after_liability, max(room, Fraction(0)))

            r_owed = round_half_up(owed, digits)
            r_period = round_half_up(after_period, digits)
            r_year = round_half_up(after_year, digits)
            r_liability = round_half_up(after_liability, digits)
            if r_liability > 0 and not clears_minimum(r_liability, contract.claims):
                below_min_credit = r_liability
                issued = Fraction(0)
            else:
                below_min_credit = Fraction(0)
                issued = r_liability
            issued_in_year[year] = issued_in_year.get(year, Fraction(0)) + issued
            issued_in_term[term] = issued_in_term.get(term, Fraction(0)) + issued
            expected, late = paid_and_late(issued, contract, digits)

            rows.append(
                {
                    "period": period["label"],
                    "start_utc": period["start"],
                    "end_utc": period["end"],
                    "period_minutes": length,
                    "excluded_minutes": x,
                    "below_minimum_minutes": b,
                    "downtime_minutes": t,
                    "availability_pct": availability,
                    "credit_pct": pct,
                    "band": band,
                    "credit_owed": to_decimal(r_owed, digits),
                    "credit_after_caps": to_decimal(issued, digits),
                    "capped_by_period": to_decimal(r_owed - r_period, digits),
                    "capped_by_year": to_decimal(r_period - r_year, digits),
                    "capped_by_liability": to_decimal(r_year - r_liability, digits),
                    "below_min_credit": to_decimal(below_min_credit, digits),
                    "capped_by_customer": Decimal(0),
                    "expected_paid": to_decimal(expected, digits),
                    "late_forfeited": to_decimal(late, digits),
                    "claim_by": last_claim_day(contract, period),
                }
            )
        result[tier.name] = rows
    if contract.customer_cap is not None:
        apply_customer_cap(contract, result, row_term, digits)
    return result


def paid_and_late(issued: Fraction, contract: Contract, digits: int) -> tuple[Fraction, Fraction]:
    """What is expected to be paid of an issued credit (claimed, in time), and what is claimed
    too late: each rounded half up, the late part as claimed minus paid."""
    claimed = issued * Fraction(contract.claims.claim_rate)
    expected = round_half_up(claimed * (1 - Fraction(contract.claims.late_share)), digits)
    return expected, round_half_up(claimed, digits) - expected


def incident_credit_percents(
    contract: Contract,
    tier,
    incidents,
    weights,
    slots_overlapping,
    slot_start,
    slot_end,
    in_window,
    open_slot,
) -> dict[int, Fraction]:
    """Reading 30: per instant of an incident's first counted slot, the sum of the per-incident
    credits (% of the fee) of the incidents starting to count then."""
    terms = tier.incident_credits
    if terms is None:
        return {}
    m = contract.measurement
    excluded = {norm(c) for c in contract.exclusions.causes}
    longest: dict[str, tuple[Fraction, int]] = {}
    for k, inc in enumerate(incidents):
        if not in_scope(tier, inc) or norm(inc.cause) in excluded:
            continue
        slots = [
            i
            for i in slots_overlapping(inc.start, inc.end)
            if counts_in_slot(m.slot_counting, inc, slot_start[i], slot_end[i]) and open_slot[i]
        ]
        if not slots:
            continue
        weight = slot_weight(contract, [weights[k]])
        if tier.scope.zones is not None:
            slots = quorum_slots(contract, tier, incidents, weights, slots, slot_start, slot_end)
            slots = [i for i in slots if not in_window[i]]
            weight = slot_weight(contract, [MILLION]) if weights[k] > 0 and slots else 0
        open_slots = sum(1 for i in slots if not in_window[i])
        minutes = Fraction(open_slots * m.slot_minutes * weight, MILLION)
        period = slot_start[slots[0]] if slots else 0  # the instant its credit is billed at
        if not minutes:
            continue
        if inc.id in longest:
            had, had_period = longest[inc.id]
            minutes, period = max(had, minutes), min(had_period, period)
        longest[inc.id] = (minutes, period)
    out: dict[int, Fraction] = {}
    for minutes, period in longest.values():
        if minutes <= terms.longer_than_minutes:
            continue
        hours = {
            "started": Fraction(math.ceil(minutes / 60)),
            "whole": Fraction(math.floor(minutes / 60)),
            "exact": minutes / 60,
        }[terms.hours]
        pct = Fraction(terms.credit_pct) + Fraction(terms.credit_pct_per_hour) * hours
        if terms.max_pct_per_incident is not None:
            pct = min(pct, Fraction(terms.max_pct_per_incident))
        out[period] = out.get(period, Fraction(0)) + pct
    return out


def quorum_slots(contract, tier, incidents, weights, slots, slot_start, slot_end) -> list[int]:
    """Reading 30a: of an incident's ``slots``, those in which at least k zones are down (rule
    25's w_nc: from the incidents in scope that weigh something and are not excluded)."""
    m = contract.measurement
    excluded = {norm(c) for c in contract.exclusions.causes}
    out = []
    for i in slots:
        touching = [
            (weights[k], inc)
            for k, inc in enumerate(incidents)
            if in_scope(tier, inc)
            and inc.start < slot_end[i]
            and inc.end > slot_start[i]
            and counts_in_slot(m.slot_counting, inc, slot_start[i], slot_end[i])
        ]
        if zone_quorum_weights(tier.scope.zones, touching, excluded)[2]:
            out.append(i)
    return out


def apply_customer_cap(contract: Contract, result: dict, period_term: list[int], digits: int):
    """Rule 27, on the finished rows (Decimals), in place."""
    cap = contract.customer_cap
    wanted = {norm(n) for n in cap.tiers}
    held = [t for t in contract.tiers if not wanted or norm(t.name) in wanted]

    def limit_of(term: int) -> Fraction:
        limits = []
        if cap.amount is not None:
            limits.append(Fraction(cap.amount))
        if cap.pct_of_annual_fees is not None:
            months = contract.term.months
            annual = sum(block_fees(t, contract.term.start, months, term) for t in held)
            limits.append(Fraction(cap.pct_of_annual_fees) / 100 * annual)
        return round_down(min(limits), digits)

    used: dict[int, Fraction] = {}
    for p_index, term in enumerate(period_term):
        limit = limit_of(term)
        for tier in held:
            row = result[tier.name][p_index]
            before = Fraction(row["credit_after_caps"])
            after = min(before, max(limit - used.get(term, Fraction(0)), Fraction(0)))
            issued = after
            if after > 0 and not clears_minimum(after, contract.claims):
                row["below_min_credit"] += to_decimal(after, digits)
                issued = Fraction(0)
            used[term] = used.get(term, Fraction(0)) + issued
            row["capped_by_customer"] = to_decimal(before - after, digits)
            row["credit_after_caps"] = to_decimal(issued, digits)
            expected, late = paid_and_late(issued, contract, digits)
            row["expected_paid"] = to_decimal(expected, digits)
            row["late_forfeited"] = to_decimal(late, digits)


# The fields of a replayed period that the reference computes, compared one by one with the
# engine's.
FIELDS = (
    "period_minutes",
    "excluded_minutes",
    "below_minimum_minutes",
    "downtime_minutes",
    "availability_pct",
    "credit_pct",
    "band",
    "credit_owed",
    "credit_after_caps",
    "capped_by_period",
    "capped_by_year",
    "capped_by_liability",
    "capped_by_customer",
    "below_min_credit",
    "expected_paid",
    "late_forfeited",
    "claim_by",
)


def last_claim_day(contract: Contract, period: dict) -> str:
    """Rule 26: the last day a claim for ``period`` is in time; "" without a deadline."""
    days = contract.claims.claim_deadline_days
    if days is None:
        return ""
    if contract.measurement.window is not None:  # a window closes at its end: a claim's instant
        closes = datetime.fromtimestamp(period["end"], ZoneInfo(contract.timezone)).date()
    else:  # a period closes at the local midnight starting the next one
        closes = add_months(period["first_day"], period["months"])
    return (closes + timedelta(days=days) - timedelta(days=1)).isoformat()


def clears_minimum(amount: Fraction, claims: Claims) -> bool:
    """Rule 18: at least the minimum credit, or (``more_than``) strictly more."""
    floor = Fraction(claims.min_credit)
    return amount > floor if claims.min_credit_rule == "more_than" else amount >= floor


# --- chronic failure (docs/measurement.md, section 10) ------------------------------------------


def reference_chronic(contract: Contract, tier_name: str, rows: list[dict], first: str, last: str):
    """Per period of one tier of ``reference_replay``'s rows: the missed periods behind a
    termination right at its end (() when none holds); then the first such period and the fees
    at risk then, per customer (the term's months starting on or after that period's end).
    Written from the rule book: a period misses when its availability is below the target (at
    or below with ``at_or_below``); the right holds when at least ``missed`` of the window of
    the last ``of`` replayed periods (this one included) missed."""
    tier = next(t for t in contract.tiers if t.name == tier_name)
    clause = tier.chronic_failure or contract.chronic_failure
    if clause is None:
        return [() for _ in rows], None, Decimal(0)
    at_or_below = getattr(tier.credits, "boundary", "below") == "at_or_below"
    target = Fraction(tier.target_pct)
    missed = [
        row["availability_pct"] <= target if at_or_below else row["availability_pct"] < target
        for row in rows
    ]
    triggers = []
    for i in range(len(rows)):
        window = range(max(0, i - clause.of + 1), i + 1)
        labels = tuple(rows[j]["period"] for j in window if missed[j])
        triggers.append(labels if len(labels) >= clause.missed else ())
    hit = next((i for i, t in enumerate(triggers) if t), None)
    if hit is None:
        return triggers, None, Decimal(0)
    periods = build_periods(contract, first, last)
    period_end = add_months(periods[hit]["first_day"], periods[hit]["months"])
    term = contract.term
    number = block_index(term.start, term.months, periods[hit]["first_day"])
    term_months = [add_months(term.start, number * term.months + k) for k in range(term.months)]
    at_risk = sum(fee_of_month(tier, day) for day in term_months if day >= period_end)
    exact = Fraction(at_risk)  # fees are decimals: a power of ten below
    return triggers, rows[hit]["period"], Decimal(exact.numerator) / Decimal(exact.denominator)
