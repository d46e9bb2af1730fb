"""Scopes held over their shared base (``Rows.base``), in runs priced chunk by chunk and in
kept runs: every tier's totals equal, field for field, those of the same run with every scope's
rows measured whole (each trial's), under terms whose pricing reads each trial's row alone; what
reads a kept run's rows gets every trial's; terms that read across a trial's rows (per-incident
credits, a customer cap) are measured whole; and the base is coded once, each scope only the
rows it changes. Band tiers alike but for name and scope are priced once on the rows they share
(``simulation._unlike``), and each pays what it pays priced on its own, under caps, a customer
cap and a claim window with support tickets."""

from __future__ import annotations

import dataclasses
import pickle
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.domain.scenario import Scenario
from slamodeler.engine import band_pricing, exposure, simulation
from slamodeler.engine.simulation import simulate
from slamodeler.engine.trial_columns import Packed
from tests.helpers.at_once import run_at_once
from tests.helpers.builders import BASE, contract, scenario
from tests.helpers.scope_cases import REGIONS, tiers_in_distinct_regions
from tests.helpers.strategies import contracts, scenarios

TRIALS = 5_000  # three blocks of a year's scenario (five of two years'), over chunks of two
LINEAR = {
    "kind": "linear",
    "points": [
        {"availability_pct": "99.9", "credit_pct": "0"},
        {"availability_pct": "99.0", "credit_pct": "20"},
        {"availability_pct": "95.0", "credit_pct": "60"},
    ],
}
TICKETS = [{"priority": "P1", "per_month": 2, "miss_probability": 0.3}]
SUPPORT = {"targets": [{"priority": "P1", "respond_within_minutes": 15, "credit_pct": 10}]}


def _no_allowance(data: dict, scen: dict) -> None:
    data["exclusions"]["maintenance_allowance_minutes_per_year"] = None
    scen["years"] = 2


def _runs_across_months(data: dict, scen: dict) -> None:
    data["exclusions"]["maintenance_allowance_minutes_per_year"] = None
    data["measurement"] |= {"min_downtime_minutes": 10, "slot_minutes": 5}


def _rolling(data: dict, scen: dict) -> None:
    data["measurement"]["window"] = {"kind": "rolling", "days": 30}


def _caps_and_curves(data: dict, scen: dict) -> None:
    data["tiers"][1]["credits"] = LINEAR
    data["tiers"][2]["caps"] = {"per_period_pct": "30", "per_year_pct_of_annual_fees": "2"}
    data["liability_cap"] = {"pct_of_annual_fees": "3"}
    scen["years"] = 2


def _chronic(data: dict, scen: dict) -> None:
    data["tiers"][0]["chronic_failure"] = {"missed": 2, "of": 3}


def _support(data: dict, scen: dict) -> None:
    for tier in data["tiers"]:
        tier["support"] = SUPPORT
    scen["tickets"] = TICKETS


VARIANTS = {
    "as the sample": lambda data, scen: None,
    "no allowance, two years": _no_allowance,
    "minimum downtime across months": _runs_across_months,
    "rolling 30 days": _rolling,
    "curves and caps": _caps_and_curves,
    "chronic failure": _chronic,
    "support tickets": _support,
}


def _terms(variant: str) -> tuple[Contract, Scenario]:
    terms, scen = tiers_in_distinct_regions()
    data, drawn = terms.model_dump(mode="json"), scen.model_dump(mode="json")
    VARIANTS[variant](data, drawn)
    return Contract.model_validate(data), Scenario.model_validate(drawn)


def _assert_same_totals(found: simulation.SimulationRun, whole: simulation.SimulationRun) -> None:
    assert found.pricing.keys() == whole.pricing.keys()
    for name, totals in whole.pricing.items():
        for column in dataclasses.fields(totals):
            mine, theirs = getattr(found.pricing[name], column.name), getattr(totals, column.name)
            assert (mine is None) == (theirs is None), (name, column.name)
            if theirs is not None:
                assert np.array_equal(mine, theirs), (name, column.name)


def _rows_seen(monkeypatch) -> list[dict]:
    """Every block's units as measured, from here on."""
    seen: list[dict] = []
    measure = simulation.measure_drawn

    def spy(*args, **kwargs):
        found = measure(*args, **kwargs)
        seen.append(found)
        return found

    monkeypatch.setattr(simulation, "measure_drawn", spy)
    return seen


def _codings(monkeypatch) -> list[int]:
    """The rows of every coding of measured periods (``band_pricing.CodedPeriods``), from
    here on."""
    coded: list[int] = []
    init = band_pricing.CodedPeriods.__init__

    def counted(self, downtime, *args, **kwargs):
        coded.append(len(downtime))
        init(self, downtime, *args, **kwargs)

    monkeypatch.setattr(band_pricing.CodedPeriods, "__init__", counted)
    return coded


def _dense(terms: Contract, scen: Scenario, **run: object) -> simulation.SimulationRun:
    """The run with every scope's rows measured whole, every trial's (kept)."""
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(simulation, "_priced_row_by_row", lambda contract: False)
        found = simulate(terms, scen, TRIALS, 11, blocks_per_chunk=2, **run)
    assert all(rows.base is None for rows in found.measured.units.values())
    return found


@pytest.mark.parametrize("keep", [False, True], ids=["priced chunk by chunk", "kept"])
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_scopes_priced_over_their_base_pay_what_the_whole_rows_pay(monkeypatch, variant, keep):
    terms, scen = _terms(variant)
    whole = _dense(terms, scen)
    seen = _rows_seen(monkeypatch)
    found = simulate(terms, scen, TRIALS, 11, blocks_per_chunk=2, keep_periods=keep)
    blocks = -(-TRIALS // simulation.trials_per_block(scen))
    assert len(seen) == blocks and all(
        rows.base is not None for units in seen for rows in units.values()
    )  # else this compares a path with itself
    _assert_same_totals(found, whole)
    assert any(totals.owed.any() for totals in found.pricing.values())


def test_a_kept_run_over_its_base_gives_every_trials_rows_and_reprices_alike():
    """What reads a kept run's rows (a trial's credits per period, one customer's credits)
    gets every trial's, and re-pricing under new percentages pays what the whole rows pay."""
    terms, scen = _terms("as the sample")
    whole = _dense(terms, scen)
    found = simulate(terms, scen, TRIALS, 11, blocks_per_chunk=2)
    assert all(rows.base is not None for rows in found.measured.units.values())
    for key, rows in whole.measured.units.items():
        mine = found.measured.whole_rows(key)
        assert np.array_equal(mine.downtime, rows.downtime), key
        assert np.array_equal(mine.excluded, rows.excluded), key
    trials = [0, 17, TRIALS - 1]
    for tier in terms.tiers:
        mine = simulation.period_credits(found, tier.name, trials)
        assert np.array_equal(mine, simulation.period_credits(whole, tier.name, trials))
        paid = simulation.customer_paid(found, tier.name)
        assert np.array_equal(paid, simulation.customer_paid(whole, tier.name))
    data = terms.model_dump(mode="json")
    data["tiers"][0]["credits"]["bands"][0]["credit_pct"] = "12.5"
    data["tiers"][3]["credits"] = LINEAR
    changed = Contract.model_validate(data)
    again = simulation.reprice(found, changed)
    _assert_same_totals(again, simulation.reprice(whole, changed))
    assert not np.array_equal(again.pricing["Bronze"].owed, found.pricing["Bronze"].owed)


@pytest.mark.parametrize("how", ["on a worker", "more trials than pricing takes at once"])
def test_a_kept_run_priced_chunk_by_chunk_keeps_its_scopes_over_their_base(monkeypatch, how):
    """A kept run whose chunks are priced where they are measured (on workers, or in this
    process above ``CHUNK_TRIALS``) keeps each chunk's base and changed rows as they come back."""
    terms, scen = _terms("no allowance, two years")
    whole = _dense(terms, scen)
    if how == "on a worker":
        with ProcessPoolExecutor(1) as pool:
            found = simulate(terms, scen, TRIALS, 11, executor=pool, blocks_per_chunk=2)
    else:
        monkeypatch.setattr(simulation, "CHUNK_TRIALS", 1_000)
        found = simulate(terms, scen, TRIALS, 11, blocks_per_chunk=2)
    assert found.measured.kept
    assert all(rows.base is not None for rows in found.measured.units.values())
    _assert_same_totals(found, whole)
    for key, rows in whole.measured.units.items():
        mine = found.measured.whole_rows(key)
        assert np.array_equal(mine.downtime, rows.downtime), key
        assert np.array_equal(mine.excluded, rows.excluded), key


def test_blocks_whose_scopes_share_no_incident_are_held_over_a_base_too(monkeypatch):
    """Scopes that share only a rare catastrophe: some blocks draw one, others none; every
    block is held over a base (of no incident where none is shared), in a kept run, one priced
    chunk by chunk, and one measured again for a trial's credits."""
    terms, scen = tiers_in_distinct_regions()
    drawn = scen.model_dump(mode="json")
    drawn["processes"] = drawn["processes"][1:]  # the regional process alone
    drawn["catastrophes"][0]["rate_per_year"] = 0.0004
    scen = Scenario.model_validate(drawn)
    whole = _dense(terms, scen)
    seen = _rows_seen(monkeypatch)
    for keep in (True, False):
        found = simulate(terms, scen, TRIALS, 11, blocks_per_chunk=2, keep_periods=keep)
        _assert_same_totals(found, whole)
    run = simulate(terms, scen, TRIALS, 11, blocks_per_chunk=1, keep_periods=False)
    _assert_same_totals(run, whole)
    trials = [0, 2500, TRIALS - 1]
    for tier in terms.tiers:
        mine = simulation.period_credits(run, tier.name, trials)
        assert np.array_equal(mine, simulation.period_credits(whole, tier.name, trials))
    bases = [next(iter(units.values())).base for units in seen]
    assert all(base is not None for base in bases)
    shared = [bool(base.downtime.any()) for base in bases if base is not None]
    assert any(shared) and not all(shared), shared


def test_a_kept_run_over_its_base_reprices_under_a_customer_cap():
    """A customer cap reads across a trial's rows: re-pricing a run held over its base under one
    prices every trial's rows, as the run measured whole does."""
    terms, scen = tiers_in_distinct_regions()
    whole = _dense(terms, scen)
    found = simulate(terms, scen, TRIALS, 11, blocks_per_chunk=2)
    assert all(rows.base is not None for rows in found.measured.units.values())
    data = terms.model_dump(mode="json")
    data["customer_cap"] = {"amount": 300, "tiers": ["Bronze", "Both"]}
    capped = Contract.model_validate(data)
    assert simulation.why_not_repriced(found, capped) == ""
    again = simulation.reprice(found, capped)
    _assert_same_totals(again, simulation.reprice(whole, capped))
    assert again.pricing["Bronze"].cut_by_customer_cap is not None


@pytest.mark.parametrize(
    "clause",
    [
        {"tiers": {"incident_credits": {"longer_than_minutes": 30, "credit_pct": "5"}}},
        {"customer_cap": {"amount": 300, "tiers": ["Bronze", "Both"]}},
    ],
    ids=["per-incident credits", "customer cap"],
)
def test_terms_read_across_a_trials_rows_are_priced_on_whole_rows(monkeypatch, clause):
    """Never held over a base (the run is then the dense one, which it pays alike)."""
    terms, scen = tiers_in_distinct_regions()
    data = terms.model_dump(mode="json")
    if "tiers" in clause:
        data["tiers"][0] |= clause["tiers"]
    else:
        data |= clause
    terms = Contract.model_validate(data)
    whole = _dense(terms, scen)
    seen = _rows_seen(monkeypatch)
    found = simulate(terms, scen, TRIALS, 11, blocks_per_chunk=2, keep_periods=False)
    assert seen and all(rows.base is None for units in seen for rows in units.values())
    _assert_same_totals(found, whole)


@pytest.mark.parametrize("keep", [False, True], ids=["priced by chunk", "kept"])
def test_the_base_is_coded_once_and_each_scope_only_where_it_changes(monkeypatch, keep):
    """The base's every trial once (per chunk), then the scopes' changed rows, fewer than the
    trials (the regional process reaches a trial's scope now and then): Silver's and Gold's
    each, and Bronze's and Both's (alike but for name and scope) together, once."""
    terms, scen = tiers_in_distinct_regions()
    per_block = simulation.trials_per_block(scen)
    run = simulate(terms, scen, 2 * per_block, 11, blocks_per_chunk=2)
    changed = {
        tier.name: len(run.measured.units[simulation.measured_scope(tier)].trial)
        for tier in terms.tiers
    }
    assert all(0 < n < 2 * per_block for n in changed.values()), changed
    coded = _codings(monkeypatch)
    simulate(terms, scen, 2 * per_block, 11, blocks_per_chunk=2, keep_periods=keep)
    together = changed["Bronze"] + changed["Both"]
    assert coded == [2 * per_block, together, changed["Silver"], changed["Gold"]]


def test_a_chunks_scopes_over_their_base_travel_packed_and_come_back_alike():
    """A kept run's chunk priced on a worker sends its base once and each scope's changed rows,
    packed as every trial's rows are (a fraction of the bytes); they come back as measured, and
    are joined without each block's own copy of the base."""
    terms, scen = tiers_in_distinct_regions()
    per_block = simulation.trials_per_block(scen)
    args = ((terms.model_dump_json(),), scen.model_dump_json(), 11, [(0, per_block), (1, 700)])
    sent = simulation.price_chunk(*args, rows=True, pack=True)
    here = simulation.price_chunk(*args, rows=True, pack=False)
    assert isinstance(sent.over_base[0][("base", "downtime")], Packed)
    assert len(pickle.dumps(sent.over_base)) < len(pickle.dumps(here.over_base)) / 2
    mine, theirs = (simulation.held_rows(chunk.over_base[0]) for chunk in (sent, here))
    assert mine.keys() == theirs.keys() and len(theirs) == 4
    for key, rows in theirs.items():
        for name in ("downtime", "excluded", "trial"):
            assert np.array_equal(getattr(mine[key], name), getattr(rows, name)), (key, name)
        assert mine[key].base is next(iter(mine.values())).base
        assert np.array_equal(mine[key].base.downtime, rows.base.downtime)
    joined = simulation.JoinedRows(per_block + 700, per_block, True)
    joined.add_block(0, mine)
    assert all(rows.base is None for parts in joined.changes.values() for _, rows in parts)


def _a_tier_per_region(caps: bool) -> tuple[Contract, Scenario]:
    """Bronze in each region (alike but for name and scope), a second copy of Bronze over the
    second region (alike but for name), and Silver over the first (unlike); with ``caps``,
    the Bronzes capped per period and year, every tier under a liability cap."""
    terms, scen = tiers_in_distinct_regions()
    data = terms.model_dump(mode="json")
    bronze, silver = data["tiers"][0], data["tiers"][1]
    if caps:
        bronze["caps"] = {"per_period_pct": "20", "per_year_pct_of_annual_fees": "3"}
        data["liability_cap"] = {"pct_of_annual_fees": "4"}
    regions = [[r] for r in REGIONS]
    data["tiers"] = [
        *(bronze | {"name": f"Bronze {k}", "scope": {"regions": r}} for k, r in enumerate(regions)),
        bronze | {"name": "Bronze again", "scope": {"regions": regions[1]}},
        silver | {"scope": {"regions": regions[0]}},
    ]
    return Contract.model_validate(data), scen


@pytest.mark.parametrize("caps", [False, True], ids=["bands", "bands under caps"])
def test_tiers_alike_but_for_name_and_scope_price_the_base_once_and_pay_their_own(
    monkeypatch, caps
):
    """Each tier pays what it pays measured whole, alone: in a kept run, one priced chunk by
    chunk and a re-price of every tier; the alike tiers' base is priced once per pass."""
    terms, scen = _a_tier_per_region(caps)
    whole = _dense(terms, scen)
    left: list[tuple[int, int]] = []  # per scope, band tiers given to ``_unlike``, and left
    unlike = simulation._unlike

    def spy(bands, *args):
        found = unlike(bands, *args)
        left.append((len(bands), len(found)))
        return found

    monkeypatch.setattr(simulation, "_unlike", spy)
    for keep in (False, True):
        found = simulate(terms, scen, TRIALS, 11, blocks_per_chunk=2, keep_periods=keep)
        _assert_same_totals(found, whole)
    assert found.measured.kept and (1, 0) in left  # Bronze 2 priced on the base as Bronze 0 is
    left.clear()
    data = terms.model_dump(mode="json")
    for tier in data["tiers"]:
        tier["monthly_fee"] = str(float(tier["monthly_fee"]) * 1.5)
    dearer = Contract.model_validate(data)
    again = simulation.reprice(found, dearer)
    with pytest.MonkeyPatch.context() as patched:  # each tier priced on its own
        patched.setattr(simulation, "_priced_row_by_row", lambda contract: False)
        _assert_same_totals(again, simulation.reprice(whole, dearer))
    # on the base: the first scope's Bronze and Silver, none of the other scopes' Bronzes; then
    # on each scope's own rows: the first scope's two; the second's Bronze (not its copy) on
    # the second's and third's rows together, whose tiers are all alike (``_alike_units``);
    # none on the third's alone
    assert left == [(2, 2), (2, 0), (1, 0), (2, 2), (1, 1)]
    paid = {name: totals.paid for name, totals in again.pricing.items()}
    assert not np.array_equal(paid["Bronze 0"], paid["Bronze 1"])  # each its own trials
    assert np.array_equal(paid["Bronze 1"], paid["Bronze again"])
    assert paid["Bronze 1"].any()


def test_tiers_alike_under_a_claim_window_with_support_keep_their_own_draws():
    """Under a claim window each tier's claim events hold its own drawn support misses (a
    stream per tier): two tiers alike but for name pay each their own, as measured whole."""
    terms, scen = _a_tier_per_region(caps=False)
    data, drawn = terms.model_dump(mode="json"), scen.model_dump(mode="json")
    data["measurement"]["window"] = {"kind": "claim", "days": 30}
    data["tiers"] = [tier | {"support": SUPPORT} for tier in data["tiers"][1:4:2]]  # Bronze 1s
    drawn["tickets"] = TICKETS
    terms, scen = Contract.model_validate(data), Scenario.model_validate(drawn)
    whole = _dense(terms, scen)
    found = simulate(terms, scen, TRIALS, 11, blocks_per_chunk=2)
    _assert_same_totals(found, whole)
    assert not np.array_equal(found.pricing["Bronze 1"].paid, found.pricing["Bronze again"].paid)


def test_tiers_alike_under_a_customer_cap_are_cut_each_with_its_own_credits(monkeypatch):
    """A customer cap cuts a trial's credits across the tiers it holds: two tiers alike but for
    name under one are each priced, not one for both (the cap would then see one tier's
    credits), and pay what they pay with no tier priced as another (``_unlike`` bypassed)."""
    terms, scen = _a_tier_per_region(caps=False)
    data = terms.model_dump(mode="json")
    data["customer_cap"] = {"pct_of_annual_fees": "1.5", "tiers": ["Bronze 1", "Bronze again"]}
    terms = Contract.model_validate(data)
    data["customer_cap"]["pct_of_annual_fees"] = "1"
    tighter = Contract.model_validate(data)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(simulation, "_unlike", lambda bands, *args: bands)
        each = simulate(terms, scen, TRIALS, 11, blocks_per_chunk=2)
        each_tighter = simulation.reprice(each, tighter)
    for keep in (False, True):
        found = simulate(terms, scen, TRIALS, 11, blocks_per_chunk=2, keep_periods=keep)
        _assert_same_totals(found, each)
    cut = found.pricing["Bronze again"].cut_by_customer_cap
    assert cut is not None and cut.any()
    _assert_same_totals(simulation.reprice(found, tighter), each_tighter)


def test_tiers_alike_in_one_scope_get_their_own_totals_and_summaries(monkeypatch):
    """Priced once, each alike tier still holds its own totals (of the same arrays): the
    exposure summary kept per tier's totals is found again for each, not recomputed."""
    data = contract().model_dump(mode="json")
    data["tiers"] += [data["tiers"][0] | {"name": f"U{k}"} for k in range(2)]
    run = simulate(Contract.model_validate(data), scenario(), 2_000, 3)
    assert run.pricing["T"] is not run.pricing["U0"]
    assert np.array_equal(run.pricing["T"].paid, run.pricing["U1"].paid)
    exposure.exposures(run)
    summarised: list[str] = []
    summary = exposure._summary
    monkeypatch.setattr(
        exposure, "_summary", lambda name, *a: summarised.append(name) or summary(name, *a)
    )
    exposure.exposures(run)
    assert summarised == ["portfolio"]


SCOPES = [{}, {"services": ["A"]}, {"regions": ["r1", "r2"]}, {"regions": ["r1"]}]
R2 = {  # seen by some scopes only, so that a tier in another scope pays otherwise
    "name": "r2",
    "frequency": {"dist": "poisson", "rate_per_month": 2.0},
    "duration_minutes": {"dist": "exponential", "mean": 300},
    "scope": {"region": "r2"},
}


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    contracts(slot_rules=True),
    scenarios(),
    st.permutations(SCOPES),
    st.booleans(),
)
def test_random_terms_with_alike_tiers_pay_what_each_priced_alone_pays(terms, scen, scopes, keep):
    """A random contract's tier (its credits in bands), a copy of it in the same scope and a copy
    in another, under a random scenario and a process of one region: every tier pays, field for
    field, what it pays with no tier priced as another, kept or priced chunk by chunk, and
    re-priced under dearer fees."""
    data = terms.model_dump(mode="json")
    first = data["tiers"][0] | {"scope": scopes[0]}
    if first["credits"]["kind"] != "bands":  # only band tiers are priced as another
        first["credits"] = BASE["tiers"][0]["credits"]
    data["tiers"] = [first, first | {"name": "U"}, first | {"name": "V", "scope": scopes[1]}]
    terms = Contract.model_validate(data)
    for tier in data["tiers"]:
        tier["monthly_fee"] = str(Decimal(tier["monthly_fee"]) * 2 + 1)
    dearer = Contract.model_validate(data)
    drawn = scen.model_dump(mode="json")
    drawn["processes"].append(R2)
    scen = Scenario.model_validate(drawn)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(simulation, "_unlike", lambda bands, *args: bands)
        each = simulate(terms, scen, 300, 5, blocks_per_chunk=1, keep_periods=keep)
        each_dearer = simulation.reprice(each, dearer)
    found = simulate(terms, scen, 300, 5, blocks_per_chunk=1, keep_periods=keep)
    _assert_same_totals(found, each)
    _assert_same_totals(simulation.reprice(found, dearer), each_dearer)


def test_rows_that_lie_one_after_another_are_joined_without_a_copy():
    """Consecutive rows of one array are joined as a view of it (the sweep's rows of every
    scope, a kept run's); rows out of order, apart, or of another array are copied. Both ways
    give the rows in order."""
    owner = np.arange(3 * 10 * 4, dtype=np.int64).reshape(3, 10, 4)
    together = [
        [owner[1][0:3], owner[1][3:3], owner[1][3:7]],
        [owner[0][8:10], owner[1][0:2]],  # consecutive in memory across the first axis
    ]
    apart = [
        [owner[1][3:7], owner[1][0:3]],
        [owner[1][0:3], owner[1][4:7]],
        [owner[1][0:3], owner[1][3:7].copy()],
        [owner[1][0:3, :2], owner[1][3:7, :2]],
    ]
    for parts, view in [*((p, True) for p in together), *((p, False) for p in apart)]:
        joined = simulation.one_after_another(parts)
        assert np.array_equal(joined, np.concatenate(parts))
        assert np.shares_memory(joined, owner) == view


def test_a_kept_runs_alike_scopes_are_joined_as_they_lie_and_coded_once(monkeypatch):
    """A kept run holds every scope's changed rows one after another in one array: the alike
    scopes priced together are joined without a copy, and kept so with their codings. A
    re-pricing that leaves them alike codes nothing again; one that sets a scope's tier apart
    codes each of the two scopes' rows alone, and pays what the whole rows pay."""
    terms, scen = _a_tier_per_region(caps=False)
    run = simulate(terms, scen, TRIALS, 11, blocks_per_chunk=2)
    whole = _dense(terms, scen)
    alone = run.measured.over_base()[1]
    scopes = [simulation.measured_scope(t) for t in terms.tiers[1:3]]  # Bronze 1, Bronze 2
    joined = alone.joined((tuple(scopes),))
    first, second = (alone.units[key].downtime for key in scopes)
    assert np.shares_memory(joined.units[scopes[0]].downtime, second)
    assert np.array_equal(joined.units[scopes[0]].downtime, np.concatenate((first, second)))
    coded = _codings(monkeypatch)
    data = terms.model_dump(mode="json")
    for tier in data["tiers"]:
        tier["monthly_fee"] = str(float(tier["monthly_fee"]) * 1.5)
    dearer = Contract.model_validate(data)
    _assert_same_totals(simulation.reprice(run, dearer), simulation.reprice(whole, dearer))
    assert coded == []
    data["tiers"][2]["monthly_fee"] = "1234"  # Bronze 2 apart
    apart = Contract.model_validate(data)
    _assert_same_totals(simulation.reprice(run, apart), simulation.reprice(whole, apart))
    assert coded == [len(first), len(second)]
    assert _codings_kept(alone) <= {id(rows) for rows in alone.units.values()}


def _codings_kept(measured: simulation.Measured) -> set[int]:
    """The rows whose codings ``measured`` keeps (by id)."""
    return {id(rows) for rows, _ in measured._coded.values()}


def test_re_pricings_at_once_that_group_the_scopes_otherwise_each_pay_their_own():
    """The desktop's views re-price one run on threads of their own, at once, each maybe
    grouping the scopes otherwise (``Measured.joined``): each pays what the whole rows pay,
    and the run keeps codings of its own rows only, never of rows joined for a grouping."""
    terms, scen = _a_tier_per_region(caps=False)
    run = simulate(terms, scen, TRIALS, 11, blocks_per_chunk=2)
    whole = _dense(terms, scen)
    variants = []
    for scale, apart in [(1.5, None), (1.5, 2), (2.0, None), (2.0, 1)]:
        data = terms.model_dump(mode="json")
        for tier in data["tiers"]:
            tier["monthly_fee"] = str(float(tier["monthly_fee"]) * scale)
        if apart is not None:  # one region's Bronze priced otherwise: no scopes joined
            data["tiers"][apart]["monthly_fee"] = "1234"
        variants.append(Contract.model_validate(data))
    expected = [simulation.reprice(whole, terms) for terms in variants]
    found: list[list[simulation.SimulationRun]] = [[] for _ in variants]

    def reprice_often(k: int) -> None:
        for _ in range(5):
            found[k].append(simulation.reprice(run, variants[k]))

    run_at_once(reprice_often, 4)
    for runs, wanted in zip(found, expected, strict=True):
        assert len(runs) == 5
        for again in runs:
            _assert_same_totals(again, wanted)
    alone = run.measured.over_base()[1]
    assert _codings_kept(alone) <= {id(rows) for rows in alone.units.values()}
