"""The ceilings on what a contract or a scenario may hold, chosen so that every value accepted
can be simulated, replayed and exported exactly (docs/contract-format.md and
docs/scenario-format.md, "Limits"): refused at validation, naming the field, rather than failing
half-way through a run.

Where each comes from:
- money is priced in integers of minor units, a period's credit as an exact fraction whose
  numerator (fee x scaled percentage) must stay below 2**62, and each trial's total for all of a
  tier's customers is added up in float64, exact to the minor unit only below 2**53;
- a period's band is coded in one byte: how many of the sorted thresholds it misses, 0 to 255;
- a replay measures its range slot by slot in memory, so it spans at most MAX_REPLAY_YEARS; a
  simulation's horizon (a scenario's years) is drawn block by block and may span more;
- a block of 2,000 simulated trial-years is drawn at once, so the incident rate bounds its
  memory; a run keeps its periods only up to a budget and is priced chunk by chunk above it, so
  its memory grows with the trials' totals alone (about 1 GB at the 20 million trial-years of 1M
  trials over 20 years, benchmarks/simulation_memory.py); trials x years bounds its time.

The defaults at the end are the settings a front end offers before any work; they live here so
that the command line builds its options without loading the engine (issue 18, start-up).
"""

from __future__ import annotations

from decimal import Decimal

MAX_MONEY = Decimal(10) ** 12  # any amount, in currency units
MAX_PCT = Decimal(10_000)  # a credit, cap or liability percentage: 100 times the fee
MAX_PCT_PER_HOUR = Decimal(100)  # a per-hour credit: the whole fee per hour of downtime
MAX_FEE_MULTIPLE = Decimal(1_000)
PCT_DECIMALS = 4
MONEY_DECIMALS = 6
MAX_CUSTOMERS = 10**9  # customers of a tier; what a simulation may hold is checked per run
MAX_THRESHOLDS = 255  # distinct (threshold, boundary) tests a byte code counts
EXACT_MINOR_UNITS = 2**53  # float64 holds every integer below it
PRICED_NUMERATOR = 2**62  # fee numerator x scaled percentage, in int64 with room to add
LONGEST_PERIOD_HOURS = {  # with a DST hour
    "month": 31 * 24 + 1,
    "quarter": 92 * 24 + 1,
    "year": 366 * 24 + 1,
}
MAX_RATE_PER_MONTH = 1_000.0  # a process's incidents a month (a catastrophe's a year)
MAX_STRESS = 100.0
MAX_PLACES = 10_000  # service-region pairs a scenario's mixes name in all: each is matched to tiers
MAX_HOUR_WEIGHT = 1e12  # an hour of the week's relative weight: its running sums stay finite
MAX_INCIDENTS_PER_MONTH = 10_000.0  # all processes together, stressed, per customer drawn alone
MAX_TRIAL_YEARS = 2 * 10**7  # trials x the horizon's years: 1M trials over 20 years
MAX_YAML_DEPTH = 50  # nesting of lists and mappings in a contract, scenario or mapping file
MAX_REPLAY_YEARS = 20  # the range one replay measures, held in memory slot by slot
MAX_SCENARIO_YEARS = 50  # the horizon a scenario, or a simulation of it, spans
DEFAULT_TRIALS = 10_000  # the trials a simulation draws unless told otherwise (CLI and desktop)
DEFAULT_TARGETS = tuple(Decimal(t) for t in ("99.0", "99.5", "99.9", "99.95", "99.99"))  # baseline
DEFAULT_TAIL_CHARGE = 0.10  # profitability: the share of (TVaR99 - mean) charged against the margin
DEFAULT_TARGET_MARGIN = 0.30  # profitability: the margin % of revenue the target fee reaches
