"""What can we afford: the value of one contract term (a credit %, a band's threshold, a cap, a
fee) at which a statistic of the credits paid per year (mean, P95, P99) or the margin per year
reaches a budget (docs/user-guide.md, "What can we afford?").

Every candidate value is priced on one drawing of the scenario (``same_draws``: re-priced when
only credit terms change, measured again on the same draws otherwise), so the statistic moves
only with the term, never with fresh draws, and a search over the term is a search over a
deterministic function. The term is searched in its own steps (a percentage in steps of
10^-PCT_DECIMALS, money in the currency's minor unit, a count in ones) by false position with a
halving every third step (``last_at_or_below``, as profitability's fee solver), after a grid
over the range has shown which way the statistic moves; every value priced is checked to move
the same way, and a statistic that does not (it rises and falls over the range) is reported as
such, never solved.

The answer's uncertainty is the range of the term over which the statistic's 95% confidence
interval holds the budget: mean and margin from the standard error, P95 and P99 from order
statistics (``tail_intervals``): roughly, fresh draws put the answer inside it 95% of the time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from slamodeler.domain.contract import Contract
from slamodeler.domain.errors import ContractError, InputError
from slamodeler.domain.limits import MAX_MONEY, PCT_DECIMALS
from slamodeler.domain.money import minor_unit
from slamodeler.domain.simulation_request import FINDER_STATISTICS as STATISTICS
from slamodeler.domain.term_paths import Number, term_value, with_term
from slamodeler.engine.exposure import Exposure, exposures
from slamodeler.engine.monotone_search import last_at_or_below
from slamodeler.engine.profitability import with_fee
from slamodeler.engine.redline import SameDraws
from slamodeler.engine.simulation import CancelToken, SimulationRun

Z95 = 1.959963984540054  # the normal's 97.5% point: a two-sided 95% interval
GRID = 9  # values priced evenly over the range first: the direction, and a first bracket
MONEY_KEYS = ("monthly_fee", "cost_to_serve_monthly", "amount", "min_credit", "credit_amount")
FEE_PATH = re.compile(r"tiers\[(?P<tier>[^\]]+)\]\.monthly_fee")
DEFAULT_MULTIPLE = 4  # a term that is not a percentage is searched from 0 to this x its value


@dataclass(frozen=True)
class Point:
    """The statistic at one value of the term, with its 95% confidence interval."""

    value: Decimal
    statistic: float
    low: float
    high: float


@dataclass(frozen=True)
class Finding:
    """The value of ``path`` that brings ``statistic`` to ``budget`` over ``within``."""

    contract: Contract
    path: str
    statistic: str
    budget: float
    tier: str | None  # None: the portfolio
    within: tuple[Decimal, Decimal]
    step: Decimal
    rises: bool  # the statistic rises with the term
    answer: Decimal
    extreme: str  # "highest" or "lowest": the answer is that value meeting the budget
    # None: too few trials for the statistic's interval, or (``whole_range``) no value of the
    # range has an interval that holds the budget: it is reached beyond the range
    interval: tuple[Decimal, Decimal] | None
    at_answer: Point
    points: list[Point] = field(repr=False)  # every value priced, in the term's order
    whole_range: bool  # every value of the range meets the budget: the answer is its end
    trials: int = 0
    seed: int = 0
    years: int = 1
    simulations: int = 1
    notes: list[str] = field(default_factory=list)
    run: SimulationRun | None = field(default=None, repr=False)  # the contract at the answer

    @property
    def current(self) -> Number:
        return term_value(self.contract, self.path)


def variant_of(contract: Contract, path: str, value: Decimal) -> Contract:
    """``contract`` with the term at ``path`` set to ``value``; a tier's monthly fee as
    profitability sets it (``with_fee``: the fees of single months scale with it, so a usage
    profile keeps its shape)."""
    fee = FEE_PATH.fullmatch(path)
    if fee and fee["tier"] in {t.name for t in contract.tiers}:
        return with_fee(contract, fee["tier"], value)
    return with_term(contract, path, value)


def meets(statistic: str, value: float, budget: float) -> bool:
    """Credits are within a budget at or below it; a margin at or above it."""
    return value >= budget if statistic == "margin" else value <= budget


def term_step(contract: Contract, path: str) -> Decimal:
    """The smallest change of the term the finder makes: money in the currency's minor unit,
    a whole number in ones, any other number (percentages, shares) in 10^-PCT_DECIMALS."""
    value = term_value(contract, path)
    last = path.rsplit(".", 1)[-1]
    if isinstance(value, int):
        return Decimal(1)
    if last in MONEY_KEYS or last.endswith("_amount") or ".monthly_fees[" in path:
        return minor_unit(contract.currency)
    return Decimal(1).scaleb(-PCT_DECIMALS)


def default_range(contract: Contract, path: str) -> tuple[Decimal, Decimal]:
    """0 to 100 for a percentage (or to its value, if above); 0 to DEFAULT_MULTIPLE x the value
    otherwise. InputError when that is empty (a term of 0 that is not a percentage)."""
    value = Decimal(str(term_value(contract, path)))
    last = path.rsplit(".", 1)[-1]
    if "pct" in last or last == "below":
        return Decimal(0), max(Decimal(100), value)
    if value <= 0:
        raise InputError(
            f"{path} is 0, so there is no range around it to search: give one with "
            "--within LOW:HIGH"
        )
    return Decimal(0), value * DEFAULT_MULTIPLE


class _Search:
    """The statistic at the term's steps, each value priced once on the shared draws."""

    def __init__(
        self,
        contract: Contract,
        runs: SameDraws,
        path: str,
        statistic: str,
        tier: str | None,
        years: int,
        within: tuple[Decimal, Decimal],
        step: Decimal,
        cancel: CancelToken | None,
    ) -> None:
        self.contract, self.runs, self.path = contract, runs, path
        self.statistic, self.years, self.step, self.cancel = statistic, years, step, cancel
        names = [t.name for t in contract.tiers]
        self.index = len(names) if tier is None else names.index(tier)
        lo = (within[0] / step).to_integral_value(rounding="ROUND_CEILING")
        hi = (within[1] / step).to_integral_value(rounding="ROUND_FLOOR")
        self.first, self.last = int(lo), int(hi)
        self.points: dict[int, Point] = {}
        self.trials = self.seed = 0

    def value(self, k: int) -> Decimal:
        found = (self.step * k).normalize()
        return found.quantize(Decimal(1)) if found == found.to_integral_value() else found

    def accepts(self, k: int) -> bool:
        """Whether the contract is valid with the term at step ``k`` (no pricing)."""
        try:
            with_term(self.contract, self.path, self.value(k))
        except ContractError:
            return False
        return True

    def narrow(self) -> str:
        """Narrow the range to the values the contract accepts around the term's own value
        (bands must stay in order, a target above 0): a note saying so, or ""."""
        asked = self.value(self.first), self.value(self.last)
        own = Decimal(str(term_value(self.contract, self.path))) / self.step
        k0 = min(self.last, max(self.first, int(own.to_integral_value())))
        if not self.accepts(k0):
            try:
                with_term(self.contract, self.path, self.value(k0))
            except ContractError as exc:
                raise InputError(
                    f"--within {asked[0]}:{asked[1]}: the contract does not accept "
                    f"{self.value(k0)} there ({exc}); give a range around values it accepts"
                ) from None
        if not self.accepts(self.first):
            self.first = _last(lambda k: not self.accepts(k), self.first, k0) + 1
        if not self.accepts(self.last):
            self.last = _last(self.accepts, k0, self.last)
        if (self.value(self.first), self.value(self.last)) == asked:
            return ""
        return (
            f"the range {asked[0]}:{asked[1]} was narrowed to {self.value(self.first)}:"
            f"{self.value(self.last)}, the values of {self.path} the contract accepts with its "
            "other terms as they are"
        )

    def at(self, k: int) -> Point:
        if k not in self.points:
            if self.cancel is not None and self.cancel.cancelled:
                raise InputError("the search was cancelled")
            variant = variant_of(self.contract, self.path, self.value(k))
            run = self.runs.of(variant)
            self.trials, self.seed = run.trials, run.seed
            e = exposures(run)[self.index]
            self.points[k] = _point(self.value(k), e, self.statistic, self.years)
        return self.points[k]


def _point(value: Decimal, e: Exposure, statistic: str, years: int) -> Point:
    """The statistic per year and its 95% interval (NaN bounds: too few trials for one)."""
    if statistic in ("mean", "margin"):
        centre = e.margin_mean if statistic == "margin" else e.mean
        half = Z95 * e.stderr
        return Point(value, centre / years, (centre - half) / years, (centre + half) / years)
    low, high = e.percentile_intervals[statistic]
    return Point(value, e.quantiles[statistic] / years, low / years, high / years)


def find(
    contract: Contract,
    runs: SameDraws,
    path: str,
    statistic: str,
    budget: float,
    *,
    years: int,
    tier: str | None = None,
    within: tuple[Decimal, Decimal] | None = None,
    cancel: CancelToken | None = None,
) -> Finding:
    """The highest (or lowest) value of the term at ``path`` over ``within`` whose statistic
    meets ``budget``, and the range of values whose 95% interval holds the budget. InputError,
    saying why, when no value meets it, when the term does not move the statistic, or when the
    statistic does not move one way over the range."""
    if statistic not in STATISTICS:
        raise InputError(f"statistic {statistic!r}: choose one of {', '.join(STATISTICS)}")
    if not math.isfinite(budget):
        raise InputError(f"budget {budget}: give a finite amount")
    if tier is not None and tier not in {t.name for t in contract.tiers}:
        names = ", ".join(t.name for t in contract.tiers)
        raise InputError(f"tier {tier!r}: the contract has no such tier; it has {names}")
    step = term_step(contract, path)
    span = within or default_range(contract, path)
    if not span[0] < span[1]:
        raise InputError(f"--within {span[0]}:{span[1]}: give LOW:HIGH with LOW below HIGH")
    if max(abs(span[0]), abs(span[1])) > MAX_MONEY:
        raise InputError(
            f"--within {span[0]}:{span[1]}: no term of a contract reaches beyond "
            f"{MAX_MONEY:,}; give a range inside -{MAX_MONEY:,}:{MAX_MONEY:,}"
        )
    s = _Search(contract, runs, path, statistic, tier, years, span, step, cancel)
    if s.first >= s.last:
        raise InputError(
            f"--within {span[0]}:{span[1]}: the range holds fewer than two steps of {step}; widen it"
        )
    narrowed = s.narrow()
    if s.first >= s.last:
        raise InputError(f"{path}: {narrowed}, which leaves no range to search")
    grid = sorted({s.first + (s.last - s.first) * i // (GRID - 1) for i in range(GRID)})
    ends = s.at(s.first), s.at(s.last)
    rises = ends[1].statistic > ends[0].statistic
    if ends[1].statistic == ends[0].statistic:
        raise InputError(
            f"{path}: {STATISTICS[statistic]} is {ends[0].statistic:,.2f} at both {ends[0].value} "
            f"and {ends[1].value}, so this term does not move it over the range; choose another "
            "term or range"
        )
    for k in grid:
        s.at(k)
    _check_monotone(s, rises)
    finding = _solve(s, rises, budget)
    _check_monotone(s, rises)  # the bisection's values too
    run = runs.of(variant_of(contract, path, finding.answer))
    return replace(finding, notes=[narrowed] if narrowed else [], run=run)


def _oriented(s: _Search, rises: bool) -> Callable[[int], int]:
    """Step j of the search (0 .. n) as the term's step k, so the statistic rises with j."""
    return (lambda j: s.first + j) if rises else (lambda j: s.last - j)


def _solve(s: _Search, rises: bool, budget: float) -> Finding:
    n = s.last - s.first
    k_of = _oriented(s, rises)

    def stat(j: int) -> Point:
        return s.at(k_of(j))

    margin = s.statistic == "margin"
    ok_end = stat(n) if margin else stat(0)  # the end where the budget is easiest to meet
    if not meets(s.statistic, ok_end.statistic, budget):
        raise InputError(_none_meets(s, ok_end, budget))
    whole = meets(s.statistic, (stat(0) if margin else stat(n)).statistic, budget)

    def gap(j: int) -> float:
        return stat(j).statistic - budget

    if margin:  # the first j whose margin reaches the budget
        answer = 0 if whole else last_at_or_below(gap, 0, n, strict=True) + 1
    else:  # the last j whose credits stay within it
        answer = n if whole else last_at_or_below(gap, 0, n)
    hard = stat(0) if margin else stat(n)  # the end where the budget is hardest to meet
    beyond = whole and not hard.low <= budget <= hard.high  # the budget is reached outside
    interval = None if beyond else _interval(s, stat, n, answer, budget, k_of)
    extreme = "lowest" if (rises == margin) else "highest"
    return Finding(
        contract=s.contract,
        path=s.path,
        statistic=s.statistic,
        budget=budget,
        tier=None if s.index == len(s.contract.tiers) else s.contract.tiers[s.index].name,
        within=(s.value(s.first), s.value(s.last)),
        step=s.step,
        rises=rises,
        answer=s.value(k_of(answer)),
        extreme=extreme,
        interval=interval,
        at_answer=stat(answer),
        points=[s.points[k] for k in sorted(s.points)],
        whole_range=whole,
        trials=s.trials,
        seed=s.seed,
        years=s.years,
        simulations=len(s.runs.simulated),
    )


def _interval(
    s: _Search,
    stat: Callable[[int], Point],
    n: int,
    answer: int,
    budget: float,
    k_of: Callable[[int], int],
) -> tuple[Decimal, Decimal] | None:
    """The term's values whose 95% interval holds the budget: from the first step whose
    interval's top reaches it to the last whose bottom does not pass it (with the answer)."""
    if math.isnan(stat(answer).low) or math.isnan(stat(answer).high):
        return None

    def top(j: int) -> float:
        return stat(j).high - budget

    def bottom(j: int) -> float:
        return stat(j).low - budget

    first = 0 if top(0) >= 0 else last_at_or_below(top, 0, n, strict=True) + 1
    last = n if bottom(n) <= 0 else last_at_or_below(bottom, 0, n)
    ends = sorted(s.value(k_of(j)) for j in (first, last, answer))
    return ends[0], ends[-1]


def _last(holds: Callable[[int], bool], lo: int, hi: int) -> int:
    """The last j in [lo, hi) where ``holds``, given it holds at lo and not at hi and changes
    once: bisection, for a yes or no (a value the contract accepts) with nothing to interpolate."""
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if holds(mid):
            lo = mid
        else:
            hi = mid
    return lo


def _check_monotone(s: _Search, rises: bool) -> None:
    """Every value priced moves the statistic the way the ends do, else InputError naming
    where it turns."""
    keys = sorted(s.points)
    values = [s.points[k].statistic for k in keys]
    for a, b, ka, kb in zip(values, values[1:], keys, keys[1:], strict=False):
        if (b < a) if rises else (b > a):
            way = "rises" if rises else "falls"
            raise InputError(
                f"{s.path}: {STATISTICS[s.statistic]} {way} from one end of the range to the other "
                f"but turns between "
                f"{s.value(ka)} ({a:,.2f}) and {s.value(kb)} ({b:,.2f}), so one value cannot "
                "mark where the budget is met; narrow --within to where it moves one way"
            )


def _none_meets(s: _Search, best: Point, budget: float) -> str:
    within = f"{s.value(s.first)}:{s.value(s.last)}"
    return (
        f"{s.path}: no value in {within} meets the budget {budget:,.2f}: "
        f"{STATISTICS[s.statistic]} is {best.statistic:,.2f} even at {best.value}, the most "
        f"favourable value of the range; "
        + ("lower the budget" if s.statistic == "margin" else "raise the budget")
        + " or widen --within"
    )
