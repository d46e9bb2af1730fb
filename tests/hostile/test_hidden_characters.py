"""Names that would hide, reorder or rewrite what is printed after them (a NUL, a line break, a
terminal's escape, a right-to-left override) and an empty ``--timezone``. A contract's or a
scenario's name is printed in tables, CSV rows, sheet names and terminals as written, so such a
name is refused at its field, and the message names the tier by number rather than print the name
(each once passed validation and reached the terminal and CSV as written; an empty zone was taken
for no option and the rows were then refused asking for one)."""

from __future__ import annotations

import pytest
import yaml

from slamodeler.domain.model_base import hidden_character
from tests.helpers.cli import run
from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
INCIDENTS = SAMPLES / "incidents_sample.csv"
BASELINE = SAMPLES / "scenarios" / "baseline.yaml"

HIDING = {
    "NUL": ("\x00", "U+0000"),
    "escape": ("\x1b[31m", "U+001B"),
    "line break": ("\n", "U+000A"),
    "tab": ("\t", "U+0009"),
    "delete": ("\x7f", "U+007F"),
    "C1 next line": ("\x85", "U+0085"),
    "right-to-left override": ("\u202e", "U+202E (right-to-left override)"),
    "first strong isolate": ("\u2068", "U+2068 (first strong isolate)"),
}


def _written(tmp_path, name: str, data: dict) -> object:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _contract_with(tmp_path, place: str, name: str):
    data = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    if place == "tier":
        data["tiers"][1]["name"] = name
    elif place == "either-or":
        data["tiers"][1]["either_or"] = {"name": name, "credits": data["tiers"][0]["credits"]}
    else:
        data["name"] = name
    return _written(tmp_path, "contract.yaml", data)


@pytest.mark.parametrize("kind", HIDING)
@pytest.mark.parametrize(
    ("place", "field"),
    [
        ("tier", "tiers[1].name"),
        ("either-or", "tiers[1].either_or.name"),
        ("contract", "name"),
    ],
)
def test_a_contract_name_that_hides_text_is_refused_at_its_field(
    capsys, tmp_path, kind, place, field
):
    char, shown = HIDING[kind]
    path = _contract_with(tmp_path, place, f"Sil{char}ver")
    code, _, err = hostile(capsys, "validate", path, names=[path.name, field, shown])
    assert code == 2
    assert "character 4 is" in err and "type the name as one line of visible text" in err
    assert hidden_character(err.replace("\n", " ")) is None, "the message prints the name"
    assert "1 problem(s)" in err
    if place == "tier":
        assert "Tier 2" in err  # the tier by number: its name would print the character


@pytest.mark.parametrize("kind", ["NUL", "escape", "right-to-left override"])
@pytest.mark.parametrize(
    ("where", "field"),
    [("scenario", "name"), ("process", "processes[0].name"), ("catastrophe", "catastrophes[0]")],
)
def test_a_scenario_name_that_hides_text_is_refused_at_its_field(
    capsys, tmp_path, kind, where, field
):
    data = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))
    name = f"x{HIDING[kind][0]}y"
    if where == "scenario":
        data["name"] = name
    elif where == "process":
        data["processes"][0]["name"] = name
    else:
        minutes = {"dist": "exponential", "mean": 60}
        data["catastrophes"] = [{"name": name, "rate_per_year": 0.1, "minutes": minutes}]
    path = _written(tmp_path, "scenario.yaml", data)
    code, _, err = hostile(
        capsys, "simulate", CONTRACT, "--scenario", path, "--trials", "10", names=[path.name, field]
    )
    assert code == 2
    assert HIDING[kind][1] in err


def test_visible_names_in_any_script_are_taken(capsys, tmp_path):
    """Letters of any script, marks and spaces inside a name are visible text: taken."""
    path = _contract_with(tmp_path, "tier", "Sílver ذهبي 金")
    code, out, _ = hostile(capsys, "replay", path, INCIDENTS)
    assert code == 0
    assert "Sílver ذهبي 金: target" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["replay", CONTRACT, INCIDENTS],
        ["fit", INCIDENTS],
        ["report", CONTRACT, INCIDENTS, "-o", "out.html"],
    ],
    ids=["replay", "fit", "report"],
)
@pytest.mark.parametrize("zone", ["", "   "])
def test_an_empty_timezone_is_refused_as_the_option(capsys, tmp_path, monkeypatch, argv, zone):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *argv, "--timezone", zone)
    assert code == 2
    assert "argument --timezone: is empty; give an IANA zone name such as UTC" in err
    assert not (tmp_path / "out.html").exists()
