"""The contract: measurement rules, exclusions, tiers with their credit schedules, caps and claims.

Field names follow the contract file (docs/contract-format.md); validation happens here so that
every front end (file, GUI, workspace) gets the same rules and the same messages.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, cast, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from slamodeler.domain.chronic_failure import ChronicFailure
from slamodeler.domain.contract_limits import too_many_thresholds
from slamodeler.domain.credit_schedules import CreditSchedule, FieldProblem
from slamodeler.domain.either_or import EitherOr
from slamodeler.domain.fees import fee_months
from slamodeler.domain.incident_credits import IncidentCredits, incident_credits_problem
from slamodeler.domain.limits import MAX_CUSTOMERS
from slamodeler.domain.model_base import (
    CalendarDate,
    CreditPct,
    Model,
    Money,
    Name,
    NonNegative,
    NotYesOrNo,
    Share,
    empty_dict,
    empty_list,
)
from slamodeler.domain.support import SupportTerms, support_problem
from slamodeler.domain.vendor_terms import Direction, Reach, reach_problem

FORMAT = "slamodeler/v1"
PeriodKind = Literal["month", "quarter", "year"]
MonthName = Literal[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTH_NAMES: tuple[MonthName, ...] = get_args(MonthName)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
DEFAULT_IMPACT_WEIGHTS = {
    "full": Decimal("1"),
    "partial": Decimal("0.3"),
    "degraded": Decimal("0"),
    "none": Decimal("0"),
}
MINUTES_IN_A_YEAR = 366 * 24 * 60
SlotCounting = Literal["any", "whole", "more_than_half"]
Overlaps = Literal["worst", "add"]
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class Term(Model):
    """Contract years (yearly caps, maintenance allowance) and terms (liability cap) count from
    ``start``; a replay of older history extends the same calendar backwards."""

    start: CalendarDate
    months: Annotated[int, Field(ge=1, le=240), NotYesOrNo] = 12


class Window(Model):
    """Measure over a trailing stretch instead of the period itself: ``rolling`` measures the
    ``days`` before each period end (the 2008 EC2 SLA: 365); ``claim`` measures the ``days``
    before each claim, a claim being filed as each incident ends (Cloudflare R2: 30)."""

    kind: Literal["rolling", "claim"]
    days: Annotated[int, Field(ge=1, le=3660), NotYesOrNo] = Field(
        description="Length of the window in days of 24 hours."
    )


class ServiceHours(Model):
    """The hours the service is measured in (docs/measurement.md, section 4a): from ``start`` to
    ``end`` local time on each of ``days``, except on ``holidays`` (local dates). Downtime and
    the period's minutes count only these hours."""

    days: list[Weekday] = Field(
        default_factory=lambda: cast(list[Weekday], list(WEEKDAYS[:5])),
        min_length=1,
        description="Weekdays with service hours (default: monday to friday).",
    )
    start: str = Field(description='Local start time, "HH:MM".')
    end: str = Field(description='Local end time, "HH:MM", after start; "24:00" for midnight.')
    holidays: list[CalendarDate] = Field(
        default_factory=empty_list, description="Local dates with no service hours (YYYY-MM-DD)."
    )

    @field_validator("days", mode="before")
    @classmethod
    def _days(cls, value: object) -> object:
        if isinstance(value, list):
            return [d.strip().lower() if isinstance(d, str) else d for d in value]
        return value

    @field_validator("start", "end", mode="before")
    @classmethod
    def _time(cls, value: object) -> object:
        if not isinstance(value, str) or not (_HHMM.match(value) or value == "24:00"):
            raise ValueError(
                'must be a local time "HH:MM" (two digits each), e.g. "08:00" (end may be "24:00")'
            )
        return value

    @model_validator(mode="after")
    def _order(self) -> ServiceHours:
        if self.start == "24:00":
            raise FieldProblem("start", 'must be before "24:00"; "24:00" is only an end')
        if self.end_minute <= self.start_minute:
            raise FieldProblem(
                "end",
                f"must be after start ({self.start}); hours across midnight cannot be said "
                'yet: end them at "24:00"',
            )
        if len(set(self.days)) != len(self.days):
            raise FieldProblem("days", "a day is listed twice")
        return self

    @property
    def start_minute(self) -> int:
        return _minute_of_day(self.start)

    @property
    def end_minute(self) -> int:
        return _minute_of_day(self.end)


def _minute_of_day(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


class Measurement(Model):
    period: PeriodKind = "month"
    year_starts: MonthName = Field(
        default="january",
        description="First month of the (fiscal) year: quarters and years start from it "
        "(Slack: february). Months are calendar months whatever it says.",
    )
    window: Window | None = Field(
        default=None,
        description="Measure a trailing window of days at each period end or each claim "
        "instead of the period itself; left out, each period is measured on its own.",
    )
    impact_weights: dict[str, Share] = Field(
        default_factory=lambda: dict(DEFAULT_IMPACT_WEIGHTS),
        description="Weight of each impact label; numeric impacts count as given. "
        "`none` weighs 0 unless given.",
    )
    slot_minutes: Literal[1, 5, 15] = 1
    min_downtime_minutes: Annotated[int, Field(ge=0, le=1440), NotYesOrNo] = 0
    # Slot rules (docs/measurement.md, section 4): how an incident touches a slot, how the
    # incidents in a slot combine, and whether a slot is down in full above a threshold.
    slot_counting: SlotCounting = Field(
        default="any",
        description="An incident counts in a slot it overlaps by any amount (`any`), only in "
        "slots it covers whole (`whole`: partial minutes are not counted), or in slots it covers "
        "more than half of (`more_than_half`).",
    )
    overlaps: Overlaps = Field(
        default="worst",
        description="Incidents in the same slot: the worst weight counts (`worst`), or their "
        "weights add up, at most 1 (`add`: user-minutes, error sources that add).",
    )
    down_above: Annotated[Decimal, Field(ge=0, lt=1, allow_inf_nan=False)] | None = Field(
        default=None,
        description="Threshold minutes: a slot whose weight is above this share is down in full "
        "(weight 1), and not down at all otherwise (Atlassian, Okta: 0.05). Unset: weights count "
        "as they are.",
    )

    service_hours: ServiceHours | None = Field(
        default=None,
        description="Measure only these hours (downtime and the period's minutes alike); "
        "unset: around the clock.",
    )

    @field_validator("down_above", mode="before")
    @classmethod
    def _share(cls, value: object) -> object:
        """A threshold of 1 or more is a percentage written for a share: say so."""
        try:
            number = None if isinstance(value, bool) else Decimal(str(value))
        except InvalidOperation:
            number = None  # not a number: the type check says so
        if number is not None and number.is_finite() and number >= 1:
            raise ValueError(
                "must be less than 1: a share of the slot, not a percentage (write 5% as 0.05)"
            )
        return value

    @field_validator("year_starts", mode="before")
    @classmethod
    def _month_name(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @property
    def first_month(self) -> int:
        """0 for January ... 11 for December: where quarters and years start."""
        return MONTH_NAMES.index(self.year_starts)

    @field_validator("impact_weights")
    @classmethod
    def _labels(cls, weights: dict[str, Decimal]) -> dict[str, Decimal]:
        out = {label.strip().lower(): w for label, w in weights.items()}
        if any(not label for label in out):
            raise ValueError("impact labels must not be empty")
        out.setdefault("none", Decimal("0"))
        return out


RECURRENCES = ("week", "day", "month")
LAST_MONTH_DAY = 28  # the last day every month has
USUAL_DAY: dict[str, str | int] = {"week": "sunday", "month": 1}
DAY_NEEDED = {
    "week": f"a weekly window needs day: one of {', '.join(WEEKDAYS)}",
    "month": f"a monthly window needs day: a day of the month, 1 to {LAST_MONTH_DAY}",
    "day": "a daily window takes no day",
}


def day_fits(every: str, day: object) -> bool:
    """Whether ``day`` is a day a window recurring ``every`` week, month or day can have."""
    if every == "week":
        return isinstance(day, str) and day.lower() in WEEKDAYS
    if every == "month":
        return isinstance(day, int) and not isinstance(day, bool) and 1 <= day <= LAST_MONTH_DAY
    return day is None


def usual_day(every: str, day: object) -> str | int | None:
    """The day a window keeps when it comes to recur ``every``: its own when that fits, else the
    usual one (Sunday for a weekly window, the 1st for a monthly one, none for a daily one)."""
    if day_fits(every, day):
        return cast(str | int | None, day)
    return USUAL_DAY.get(every)


class MaintenanceWindow(Model):
    """A recurring window in the contract's time zone: weekly on ``day``, daily, or monthly on
    day-of-month ``day``; ``start`` is a local "HH:MM" (quote it in YAML)."""

    every: Literal["week", "day", "month"]
    day: str | Annotated[int, NotYesOrNo] | None = None
    start: str
    minutes: Annotated[int, Field(ge=1, le=10080), NotYesOrNo]

    @field_validator("start", mode="before")
    @classmethod
    def _start(cls, value: object) -> object:
        if not isinstance(value, str) or not _HHMM.match(value):
            raise ValueError('must be a local time "HH:MM" (two digits each), e.g. "02:00"')
        return value

    @model_validator(mode="after")
    def _day(self) -> MaintenanceWindow:
        if not day_fits(self.every, self.day):
            raise FieldProblem("day", DAY_NEEDED[self.every])
        return self

    @property
    def start_minute(self) -> int:
        hours, minutes = self.start.split(":")
        return int(hours) * 60 + int(minutes)


class Exclusions(Model):
    causes: list[str] = Field(default_factory=empty_list)
    maintenance_windows: list[MaintenanceWindow] = Field(default_factory=empty_list)
    maintenance_allowance_minutes_per_year: (
        Annotated[NonNegative, Field(le=MINUTES_IN_A_YEAR)] | None
    ) = Field(
        default=None,
        description="At most this many minutes of maintenance downtime (inside windows, or caused "
        "by `maintenance` when that cause is excluded) are excluded per contract year.",
    )
    excluded_time: Literal["remove", "available"] = "remove"

    @field_validator("causes")
    @classmethod
    def _causes(cls, causes: list[str]) -> list[str]:
        out = [c.strip().lower() for c in causes]
        if any(not c for c in out):
            raise ValueError("cause names must not be empty")
        return out


def zone_names(zones: list[str]) -> list[str]:
    """Zone names as incidents are matched to them (trimmed, lower case), each once: the rule of
    a contract's k-of-n zones and of a scenario's zones alike."""
    out = [z.strip().lower() for z in zones]
    if any(not z for z in out):
        raise ValueError("zone names must not be empty")
    twice = sorted({z for z in out if out.count(z) > 1})
    if twice:
        raise ValueError(f"zone {twice[0]!r} is listed twice")
    return out


class ZoneQuorum(Model):
    """k of n: the region is down only in slots where at least ``at_least`` distinct zones are
    (the EC2 region-level SLA: two or more Availability Zones). ``of`` lists the zones that
    count; empty means every zone the incidents name."""

    at_least: Annotated[int, Field(ge=1, le=100), NotYesOrNo]
    of: list[str] = Field(default_factory=empty_list)

    @field_validator("of")
    @classmethod
    def _zones(cls, zones: list[str]) -> list[str]:
        return zone_names(zones)

    @model_validator(mode="after")
    def _reachable(self) -> ZoneQuorum:
        if self.of and self.at_least > len(self.of):
            raise FieldProblem(
                "at_least",
                f"{self.at_least} of {len(self.of)} zones can never be down; lower at_least "
                f"or list more zones in of",
            )
        return self


class Scope(Model):
    """Services and regions the tier's customers depend on; empty means all of them."""

    services: list[str] = Field(default_factory=empty_list)
    regions: list[str] = Field(default_factory=empty_list)
    zones: ZoneQuorum | None = Field(
        default=None,
        description="Count a slot as down (weight 1) only where at least `at_least` distinct "
        "zones have an incident in it; leave out to count every incident as usual.",
    )

    @model_serializer(mode="wrap")
    def _without_absent_zones(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """A scope without a zone rule dumps as before the rule existed, so that its contract
        keeps its content hash (stored versions and runs name it)."""
        data: dict[str, Any] = handler(self)
        if self.zones is None:
            data.pop("zones", None)
        return data


class Caps(Model):
    per_period_pct: CreditPct | None = Field(
        default=None, description="Credit in one period at most this % of the period fee."
    )
    per_year_pct_of_annual_fees: CreditPct | None = Field(
        default=None, description="Credits in one contract year at most this % of 12 monthly fees."
    )


class Tier(Model):
    name: Name
    target_pct: Annotated[Decimal, Field(gt=0, le=100, allow_inf_nan=False)]
    monthly_fee: Money
    # Fees that vary (docs/measurement.md, section 9a): engine/fees.py gives the fee of a period.
    monthly_fees: dict[str, Money] = Field(
        default_factory=empty_dict,
        description='The fee of single calendar months, "YYYY-MM": amount (usage-based fees, '
        "Twilio); a month not listed costs `monthly_fee`.",
    )
    affected_share: Annotated[Decimal, Field(gt=0, le=1, allow_inf_nan=False)] = Field(
        default=Decimal("1"),
        description="The share of the fee that is the charges of the service this tier measures: "
        "a credit and the per-period cap are a % of the period's fee times this share (Twilio: "
        '"the fees ... for the affected Services APIs"); 1: the whole fee.',
    )
    cost_to_serve_monthly: Money = Decimal("0")
    customers: Annotated[int, Field(ge=1, le=MAX_CUSTOMERS), NotYesOrNo] = 1
    scope: Scope = Field(default_factory=Scope)
    credits: CreditSchedule
    caps: Caps = Field(default_factory=Caps)
    chronic_failure: ChronicFailure | None = Field(
        default=None,
        description="Termination right for repeated misses; overrides the contract's.",
    )
    either_or: EitherOr | None = Field(
        default=None,
        description="A second credit for the same periods, paid instead of `credits`, never "
        "with it (docs/measurement.md, section 11).",
    )

    def other_credit(self) -> Tier | None:
        """The tier as its ``either_or`` credit prices it (its schedule and target), for the
        rules that price one schedule; None without one."""
        other = self.either_or
        if other is None:
            return None
        return self.model_copy(
            update={
                "credits": other.credits,
                "target_pct": other.target_pct or self.target_pct,
                "either_or": None,
            }
        )

    support: SupportTerms | None = Field(
        default=None,
        description="Support response targets per priority, with a credit per missed ticket.",
    )

    @field_validator("monthly_fees", mode="before")
    @classmethod
    def _fee_months(cls, value: object) -> object:
        return fee_months(value)

    incident_credits: IncidentCredits | None = Field(
        default=None,
        description="A credit per incident (longer than some minutes, or per hour of it), "
        "added to the schedule's credit before the caps.",
    )


class LiabilityCap(Model):
    """The MSA's aggregate cap on credits per customer over one term; the lower of the two if both."""

    amount: Money | None = None
    pct_of_annual_fees: CreditPct | None = None

    @model_validator(mode="after")
    def _one(self) -> LiabilityCap:
        if self.amount is None and self.pct_of_annual_fees is None:
            raise ValueError("give amount or pct_of_annual_fees (or leave liability_cap out)")
        return self


class CustomerCap(Model):
    """A cap per customer across tiers: one customer holds one subscription of each tier in
    ``tiers`` (every tier when left out), and the credits issued to that customer across them in
    one term add up to at most the lower of ``amount`` and ``pct_of_annual_fees`` % of 12 monthly
    fees of all those tiers together (docs/measurement.md, section 9)."""

    tiers: list[str] = Field(
        default_factory=empty_list,
        description="The tiers one customer holds together; left out or empty: every tier. "
        "They must have the same `customers`: customer k of each is the same customer.",
    )
    amount: Money | None = None
    pct_of_annual_fees: CreditPct | None = None

    @model_validator(mode="after")
    def _one(self) -> CustomerCap:
        if self.amount is None and self.pct_of_annual_fees is None:
            raise ValueError("give amount or pct_of_annual_fees (or leave customer_cap out)")
        return self


MinCreditRule = Literal["at_least", "more_than"]


class Claims(Model):
    min_credit: Money = Decimal("0")
    min_credit_rule: MinCreditRule = Field(
        default="at_least",
        description="`at_least`: a credit of exactly `min_credit` is issued; `more_than`: only a "
        'credit above it is (AWS: "only if the credit amount ... is greater than one dollar").',
    )
    claim_rate: Share = Decimal("1")
    claim_rate_sd: (
        Annotated[Decimal, Field(gt=0, lt=Decimal("0.5"), allow_inf_nan=False)] | None
    ) = Field(
        default=None,
        description="In the simulation, the share of customers who claim varies from trial "
        "to trial: drawn from a beta distribution with mean `claim_rate` and this standard "
        "deviation (it must be below sqrt(claim_rate x (1 - claim_rate))). Replay's expected "
        "paid uses `claim_rate`.",
    )

    @model_validator(mode="after")
    def _spread(self) -> Claims:
        sd, mean = self.claim_rate_sd, self.claim_rate
        if sd is not None and not sd * sd < mean * (1 - mean):
            raise FieldProblem(
                "claim_rate_sd",
                f"a share with mean {mean} can spread by less than sqrt({mean} x (1 - {mean})) = "
                f"{(mean * (1 - mean)).sqrt():.4f}; lower claim_rate_sd or leave it out",
            )
        return self

    # The claim deadline (docs/measurement.md, section 9): claims made after it are forfeited.
    claim_deadline_days: Annotated[int, Field(ge=1, le=3650), NotYesOrNo] | None = Field(
        default=None,
        description="A credit must be claimed within this many days after the end of its "
        "period (Google Cloud: 30 days from the close of the month); unset: no deadline.",
    )
    late_share: Share = Field(
        default=Decimal("0"),
        description="The share of claims made after `claim_deadline_days`: forfeited, applied "
        "like `claim_rate` (expected paid = issued x claim_rate x (1 - late_share)), in replay "
        "and in every simulated trial.",
    )

    @model_validator(mode="after")
    def _late_needs_deadline(self) -> Claims:
        if self.late_share and self.claim_deadline_days is None:
            raise FieldProblem(
                "late_share",
                "a claim is late only after a deadline: set claim_deadline_days (the days after "
                "the period's end that a claim may be made) or set late_share to 0",
            )
        return self

    @property
    def paid_share(self) -> Decimal:
        """The share of an issued credit that is expected to be paid: claimed, and in time."""
        return self.claim_rate * (1 - self.late_share)


class Contract(Model):
    format: Literal["slamodeler/v1"] = Field(description="Always `slamodeler/v1`.")
    name: Name
    description: str = ""
    currency: str
    timezone: str
    term: Term
    measurement: Measurement = Field(default_factory=Measurement)
    exclusions: Exclusions = Field(default_factory=Exclusions)
    tiers: list[Tier] = Field(min_length=1)
    liability_cap: LiabilityCap | None = None
    customer_cap: CustomerCap | None = Field(
        default=None,
        description="A cap per customer across the tiers one customer holds together, per term.",
    )
    claims: Claims = Field(default_factory=Claims)
    chronic_failure: ChronicFailure | None = Field(
        default=None,
        description="Termination right for repeated misses, for every tier without its own.",
    )
    direction: Direction = Field(
        default="given",
        description="`given`: a contract we give our customers; `received`: a vendor's SLA we "
        'hold back to back (docs/user-guide.md, "Hold a vendor to its SLA").',
    )
    reaches: list[Reach] = Field(
        default_factory=empty_list,
        description="A received contract: which of our tiers each of its tiers' incidents reach.",
    )

    @model_validator(mode="after")
    def _reaches(self) -> Contract:
        problem = reach_problem(self.direction, self.reaches, [t.name for t in self.tiers])
        if problem:
            raise FieldProblem(*problem)
        return self

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{3}", value):
            raise ValueError("currency must be a three-letter ISO 4217 code such as USD or EUR")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(
                f"unknown time zone {value!r}; use an IANA name such as UTC or America/New_York"
            ) from None
        return value

    @model_validator(mode="after")
    def _unique_tiers(self) -> Contract:
        seen: set[str] = set()
        for i, tier in enumerate(self.tiers):
            if tier.name.lower() in seen:
                raise FieldProblem(f"tiers[{i}].name", f"tier name {tier.name!r} is used twice")
            seen.add(tier.name.lower())
        return self

    @model_validator(mode="after")
    def _within_limits(self) -> Contract:
        problem = too_many_thresholds(self)
        if problem:
            raise FieldProblem("tiers", problem)
        return self

    @model_validator(mode="after")
    def _incident_credits_measurable(self) -> Contract:
        problem = incident_credits_problem(
            [i for i, t in enumerate(self.tiers) if t.incident_credits is not None],
            {},
        )
        if problem:
            raise FieldProblem(*problem)
        return self

    @model_validator(mode="after")
    def _customer_cap_tiers(self) -> Contract:
        problem = customer_cap_problem(self)
        if problem:
            raise FieldProblem(*problem)
        return self

    @model_validator(mode="after")
    def _support_fits(self) -> Contract:
        m = self.measurement
        for i, tier in enumerate(self.tiers):
            if tier.support is not None:
                problem = support_problem(
                    tier.support, tier.monthly_fee, m.service_hours is not None
                )
                if problem:
                    raise FieldProblem(f"tiers[{i}].{problem[0]}", problem[1])
        return self

    def held_together(self) -> list[Tier]:
        """The tiers one customer holds together under ``customer_cap`` (none without one)."""
        cap = self.customer_cap
        if cap is None:
            return []
        names = {n.lower() for n in cap.tiers}
        return [t for t in self.tiers if not names or t.name.lower() in names]

    def tier(self, name: str) -> Tier:
        for tier in self.tiers:
            if tier.name.lower() == name.lower():
                return tier
        names = ", ".join(t.name for t in self.tiers)
        raise KeyError(f"no tier named {name!r}; this contract has: {names}")

    def canonical_dump(self) -> object:
        """The terms as plain canonical data: what the hash covers and a workspace stores."""
        return canonical_terms(without_later_defaults(self.model_dump(mode="python")))

    def chronic_failure_of(self, tier: Tier) -> ChronicFailure | None:
        """The tier's chronic-failure clause: its own, else the contract's, else none."""
        return tier.chronic_failure or self.chronic_failure

    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON form: the same terms give the same hash, whatever the file
        layout, comments or way of writing a number (1000 and 1000.00)."""
        canonical = json.dumps(self.canonical_dump(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


# Terms added to the format after contracts were hashed, with the default that keeps a contract's
# meaning: left out of the hash (and the workspace's stored body) at that default, so existing
# contracts keep their hashes. The place is a section of the terms, "" for the top level, or
# "tiers[]" for each tier.
LATER_DEFAULTS: dict[tuple[str, str], object] = {
    ("measurement", "slot_counting"): "any",
    ("measurement", "overlaps"): "worst",
    ("measurement", "down_above"): None,
    ("measurement", "service_hours"): None,
    ("claims", "min_credit_rule"): "at_least",
    ("claims", "claim_rate_sd"): None,
    ("", "chronic_failure"): None,
    ("", "customer_cap"): None,
    ("tiers[]", "chronic_failure"): None,
    ("tiers[]", "either_or"): None,
    ("measurement", "year_starts"): "january",
    ("measurement", "window"): None,
    ("claims", "claim_deadline_days"): None,
    ("claims", "late_share"): Decimal("0"),
    ("tiers[]", "support"): None,
    ("tiers[]", "monthly_fees"): {},
    ("tiers[]", "affected_share"): Decimal("1"),
    ("tiers[]", "incident_credits"): None,
    ("", "direction"): "given",
    ("", "reaches"): [],
}


def customer_cap_problem(contract: Contract) -> tuple[str, str] | None:
    """The field and the fix when ``customer_cap`` names an unknown tier, or tiers whose
    customer counts differ (customer k of each tier must be the same customer)."""
    cap = contract.customer_cap
    if cap is None:
        return None
    known = {t.name.lower() for t in contract.tiers}
    for i, name in enumerate(cap.tiers):
        if name.lower() not in known:
            names = ", ".join(t.name for t in contract.tiers)
            return f"customer_cap.tiers[{i}]", f"no tier named {name!r}; this contract has: {names}"
    held = contract.held_together()
    counts = {t.customers for t in held}
    if len(counts) > 1:
        listed = ", ".join(f"{t.name} {t.customers}" for t in held)
        return (
            "customer_cap.tiers",
            f"the tiers one customer holds together need the same customers ({listed}); "
            "give them equal counts or list only the tiers held together",
        )
    return None


def without_later_defaults(terms: dict[str, Any]) -> dict[str, Any]:
    """``terms`` (a model dump) without the later terms that are at their default."""

    def drop(part: object, key: str, default: object) -> object:
        if not isinstance(part, dict):
            return part
        return {k: v for k, v in part.items() if not (k == key and v == default)}

    out = dict(terms)
    for (section, key), default in LATER_DEFAULTS.items():
        if not section:
            out = cast(dict[str, Any], drop(out, key, default))
        elif section.endswith("[]") and isinstance(out.get(section[:-2]), list):
            out[section[:-2]] = [drop(item, key, default) for item in out[section[:-2]]]
        elif section in out:
            out[section] = drop(out[section], key, default)
    return out


def canonical_terms(value: object) -> object:
    """Plain JSON-ready data with decimals normalised: 1000 and 1000.00 become "1000"."""
    if isinstance(value, dict):
        return {str(k): canonical_terms(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical_terms(v) for v in value]
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return value
