"""Edits of a contract document as plain data: typed places say the domain's path text, every edit
is undone by its inverse, and a dragged point is checked against its neighbours only."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from slamodeler.domain.contract import Contract
from slamodeler.domain.field_names import describe, split_path
from slamodeler.domain.validation import build
from slamodeler.io.contract_file import load_contract
from slamodeler.services.contract_edits import (
    CAUSES,
    LIABILITY,
    BandField,
    Edit,
    MovePoint,
    Place,
    RenameLabel,
    ScheduleList,
    SetCause,
    SetValue,
    SwitchSchedule,
    Term,
    TierField,
    TierPath,
    WeightPath,
    WindowPath,
    add_band,
    add_label,
    add_tier,
    add_window,
    contract_data,
    remove_band,
    remove_label,
    remove_tier,
    remove_window,
)
from tests.helpers.paths import SAMPLES

SAMPLE = SAMPLES / "three_tier_cloud.yaml"
CONTRACT = load_contract(SAMPLE)
DATA = contract_data(CONTRACT)  # tiers Bronze, Silver, Gold; bands 99.5/10, 99/25, 95/50 ...
WINDOW = {"every": "week", "day": "sunday", "start": "02:00", "minutes": 240}


def test_places_say_the_domains_path_text():
    assert BandField(tier=1, band=2, field="below").text == "tiers[1].credits.bands[2].below"
    assert BandField(0, 1, "availability_pct", "points").text == (
        "tiers[0].credits.points[1].availability_pct"
    )
    assert TierField(2, "caps", "per_period_pct").text == "tiers[2].caps.per_period_pct"
    assert WindowPath(0, "day").text == "exclusions.maintenance_windows[0].day"
    assert WeightPath("partial").text == "measurement.impact_weights.partial"
    assert Term("name").text == "name" and CAUSES.text == "exclusions.causes"


words = st.text("abcdefghijklmnopqrstuvwxyz_ ", min_size=1, max_size=12).filter(str.strip)
rows = st.integers(0, 5)
places = st.one_of(
    st.builds(Term, st.sampled_from(["name", "currency", "measurement", "claims"])),
    st.builds(TierField, rows, st.sampled_from(["name", "target_pct", "caps", "credits"])),
    st.builds(
        BandField,
        rows,
        rows,
        st.sampled_from(["below", "credit_pct", "availability_pct"]),
        st.sampled_from(["bands", "points"]),
    ),
    st.builds(ScheduleList, rows, st.sampled_from(["bands", "points"])),
    st.builds(WindowPath, rows, st.sampled_from([None, "every", "day", "start", "minutes"])),
    st.builds(WeightPath, words),
    st.builds(TierPath, rows),
)


@given(places)
def test_a_places_text_names_the_same_place_as_its_parts(place: Place):
    assert split_path(place.text) == place.parts
    assert describe(place.text, DATA) == describe(place.parts, DATA)


def edits(data: dict[str, Any]) -> st.SearchStrategy[Edit]:
    """Every kind of edit the editor makes, on places of ``data``."""
    tiers = st.integers(0, len(data["tiers"]) - 1)
    bands = st.integers(0, 2)
    numbers = st.decimals(0, 100, places=2).map(str)
    labels = list(data["measurement"]["impact_weights"])
    # Add band is offered only where a tier's schedule has a list (bands, or a curve's points).
    lists = [
        ScheduleList(t, "points" if tier["credits"]["kind"] == "linear" else "bands")
        for t, tier in enumerate(data["tiers"])
        if tier["credits"]["kind"] in ("bands", "linear")
    ]
    adding = [st.builds(add_band, st.just(data), st.sampled_from(lists))] if lists else []
    return st.one_of(
        st.builds(SetValue, st.builds(TierField, tiers, st.just("target_pct")), numbers),
        st.builds(SetValue, st.just(TierField(0, "caps", "per_year_pct_of_annual_fees")), numbers),
        st.builds(SetValue, st.just(Term("liability_cap", "amount")), numbers),
        st.builds(SetValue, st.just(LIABILITY), st.none()),
        st.builds(SetValue, st.builds(WeightPath, words), numbers),
        st.builds(MovePoint, tiers, bands, numbers, numbers),
        st.builds(RenameLabel, st.sampled_from(labels), words),
        st.builds(SetCause, st.sampled_from(["maintenance", "customer", "other"]), st.booleans()),
        st.builds(
            SwitchSchedule,
            tiers,
            st.sampled_from(["bands", "linear", "per_hour", "fee_multiple"]),
            st.just("kind"),
        ),
        st.builds(add_tier, st.just(data), tiers),
        st.builds(remove_tier, st.just(data), tiers),
        *adding,
        st.builds(remove_band, st.builds(ScheduleList, tiers), bands),
        st.builds(add_label, st.just(data["measurement"]["impact_weights"])),
        st.builds(remove_label, st.sampled_from(labels)),
        st.just(add_window(data, WINDOW)),
        st.just(remove_window(0)),
    )


def said(data: dict[str, Any]) -> str:
    """The data as a file would write it: keys in their order (a renamed label keeps its row)."""
    return json.dumps(data)


@given(st.data())
def test_an_edit_then_its_inverse_gives_the_data_back(draw):
    edit = draw.draw(edits(DATA))
    before = said(DATA)
    after = edit.apply(DATA)
    assert said(DATA) == before  # apply leaves the data it is given alone
    assert said(edit.inverse(DATA).apply(after)) == before
    assert edit.text


@given(st.data())
def test_two_edits_undone_in_turn_give_the_data_back(draw):
    first = draw.draw(edits(DATA))
    middle = first.apply(DATA)
    second = draw.draw(edits(middle))
    try:
        last = second.apply(middle)
    except (KeyError, IndexError, TypeError):
        assume(False)  # drawn for a band or window the first edit took away: not one to make
    undone = first.inverse(DATA).apply(second.inverse(middle).apply(last))
    assert said(undone) == said(DATA)


def test_editing_a_term_under_an_absent_one_makes_it_and_undoing_takes_it_away():
    edit = SetValue(Term("liability_cap", "amount"), "5000")
    data = dict(DATA, liability_cap=None)
    after = edit.apply(data)
    assert after["liability_cap"] == {"amount": "5000"} and data["liability_cap"] is None
    assert edit.inverse(data).apply(after) == data
    assert edit.text == "Change liability_cap.amount"


def test_a_new_band_goes_a_point_lower_with_ten_points_more_credit():
    edit = add_band(DATA, ScheduleList(0))
    bands = edit.apply(DATA)["tiers"][0]["credits"]["bands"]
    assert bands[-1] == {"below": "94", "credit_pct": "60"}
    assert edit.text == "Add band"


def test_a_schedule_switched_to_a_curve_keeps_its_numbers():
    edit = SwitchSchedule(1, "linear", "Linear curve", "Silver")
    credits = edit.apply(DATA)["tiers"][1]["credits"]
    assert credits["points"][1] == {"availability_pct": "99.0", "credit_pct": "25"}
    assert edit.text == "Silver: schedule of linear curve"


def test_a_moved_point_previews_the_contract_the_document_would_hold():
    move = MovePoint(1, 1, "98.5", "30")
    preview = move.preview(CONTRACT)
    assert preview is not None
    assert preview == build(Contract, move.apply(DATA), "contract")
    assert CONTRACT.tiers[1].credits.bands[1].below == 99  # the contract given is left alone


def test_a_point_past_its_neighbour_or_off_the_grid_previews_nothing():
    assert MovePoint(1, 1, "99.95", "25").preview(CONTRACT) is None  # above band 1 (99.9)
    assert MovePoint(1, 1, "98.5", "5").preview(CONTRACT) is None  # less credit than band 1
    assert MovePoint(1, 1, "98.503", "25").preview(CONTRACT) is None  # between grid steps
    assert MovePoint(1, 7, "98.5", "25").preview(CONTRACT) is None  # no such band


def test_a_moved_point_making_too_many_thresholds_previews_nothing(monkeypatch):
    monkeypatch.setattr("slamodeler.services.contract_edits.too_many_thresholds", lambda c: "x")
    assert MovePoint(1, 1, "98.5", "30").preview(CONTRACT) is None
