"""Scenarios and run options at their extremes: a few lines of YAML aliases naming millions of
service-region pairs, a probability that is not a number, hour weights whose running sums
overflow, more worker processes than cores, a scheduler address whose host cannot be a name.
Each is refused with exit 2, naming the line and field or the option, before anything is drawn
(each once ran out of memory, failed inside the run, skewed every start silently, started a
process per worker asked for, or raised from the name lookup)."""

from __future__ import annotations

import os

import pytest
import yaml

from slamodeler.domain.limits import MAX_PLACES
from slamodeler.services.simulate import most_workers
from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
BASELINE = SAMPLES / "scenarios" / "baseline.yaml"


def _process(name: str, **extra: object) -> dict:
    return {
        "name": name,
        "frequency": {"dist": "poisson", "rate_per_month": 1},
        "duration_minutes": {"dist": "exponential", "mean": 30},
        **extra,
    }


def _scenario(tmp_path, processes: list[dict], text: str | None = None):
    path = tmp_path / "scenario.yaml"
    body = {"format": "slamodeler-scenario/v1", "name": "x", "start": "2027-01"}
    path.write_text(text or yaml.safe_dump({**body, "processes": processes}), encoding="utf-8")
    return path


def _places(services: int, regions: int) -> dict:
    return {
        "mix": [
            {
                "services": [f"s{k}" for k in range(services)],
                "regions": [f"r{k}" for k in range(regions)],
                "share": 1.0,
            }
        ]
    }


def _simulated(capsys, scenario, *names: str, option: str = "--scenario"):
    return hostile(capsys, "simulate", CONTRACT, option, scenario, "--trials", "20", names=[*names])


def test_a_mix_naming_too_many_pairs_is_refused_at_the_mix(capsys, tmp_path):
    path = _scenario(tmp_path, [_process("p", scope=_places(100, 101))])
    code, _, err = _simulated(capsys, path, path.name, "processes[0].scope.mix")
    assert code == 2
    assert f"10,100 service-region pairs in all; at most {MAX_PLACES:,}" in err


def test_mixes_naming_too_many_pairs_together_are_refused_at_the_processes(capsys, tmp_path):
    """Each process's mix is within the limit (100 x 100), the two together are not."""
    places = _places(100, 100)
    path = _scenario(tmp_path, [_process("p", scope=places), _process("q", scope=places)])
    code, _, err = _simulated(capsys, path, path.name, "processes")
    assert code == 2
    assert "20,000 service-region pairs in all" in err


def test_aliases_that_repeat_a_place_are_counted_as_written_out(capsys, tmp_path):
    """An anchored place repeated by alias names its pairs each time (the file is small, its
    expansion is not): 100 x 1 x 101 places of one pair each."""
    lines = [
        "format: slamodeler-scenario/v1",
        "name: aliases",
        'start: "2027-01"',
        "processes:",
        "  - name: p",
        "    frequency: {dist: poisson, rate_per_month: 1}",
        "    duration_minutes: {dist: exponential, mean: 30}",
        "    scope:",
        "      mix:",
        "        - &E {services: [" + ", ".join(f"s{k}" for k in range(100)) + "],"
        " regions: [r], share: 0.0099}",
        *["        - *E"] * 100,
        "        - {share: 0.0001}",
    ]
    path = _scenario(tmp_path, [], "\n".join(lines) + "\n")
    code, _, err = _simulated(capsys, path, path.name, "processes[0].scope.mix")
    assert code == 2
    assert "10,101 service-region pairs" in err


@pytest.mark.parametrize("field", ["impact", "cause"])
def test_a_probability_that_is_not_a_number_is_refused_and_never_stored(capsys, tmp_path, field):
    mix = {"full": ".nan", "partial": 0.6} if field == "impact" else {"internal": ".nan"}
    text = yaml.safe_dump(
        {
            "format": "slamodeler-scenario/v1",
            "name": "nan",
            "start": "2027-01",
            "processes": [_process("p", **{field: mix})],
        }
    ).replace("'.nan'", ".nan")
    path = _scenario(tmp_path, [], text)
    where = f"processes[0].{field}"
    code, _, err = _simulated(capsys, path, path.name, where)
    assert code == 2
    assert "input should be a finite number" in err
    ws = tmp_path / "w.slamws"
    assert hostile(capsys, "ws", "init", "--ws", ws)[0] == 0
    code, _, err = hostile(capsys, "ws", "import-scenario", path, "--ws", ws, names=[where])
    assert code == 2


def test_probabilities_a_rounding_away_from_one_say_their_sum(capsys, tmp_path):
    path = _scenario(tmp_path, [_process("p", impact={"full": 0.4, "partial": 0.6000001})])
    code, _, err = _simulated(capsys, path, path.name, "processes[0].impact")
    assert code == 2
    assert "add up to 1.0000001; they must add up to 1" in err


def test_hour_weights_whose_sums_would_overflow_are_refused(capsys, tmp_path):
    """Weights of 1e308 are finite, but their running sum over a month is not: every start
    fell in the month's first hour."""
    path = _scenario(tmp_path, [_process("p", start_profile={"hour_of_week": [1e308] * 168})])
    code, _, err = _simulated(capsys, path, path.name, "processes[0].start_profile.hour_of_week[0]")
    assert code == 2
    assert "less than or equal to 1000000000000" in err


def _baseline(capsys, option: str, value: str, names: list[str]):
    """The sample under the baseline scenario, 20 trials, with ``option`` set to ``value``."""
    args = ("simulate", CONTRACT, "--scenario", BASELINE, "--trials", "20", option, value)
    return hostile(capsys, *args, names=names)


def test_more_workers_than_cores_are_refused_before_anything_runs(capsys):
    most = most_workers()
    assert most >= max(2, len(os.sched_getaffinity(0)))
    wanted = [f"--workers {most + 1}: at most {most}"]
    code, out, _ = _baseline(capsys, "--workers", str(most + 1), wanted)
    assert code == 2
    assert out == ""


@pytest.mark.parametrize(
    "address",
    ["tcp://a..b:8786", "tcp://" + "a" * 64 + ".example.com:8786"],
    ids=["empty label", "label of 64"],
)
def test_a_scheduler_address_whose_host_cannot_be_a_name_is_refused(capsys, address):
    code, _, _ = _baseline(capsys, "--dask", address, ["--dask", "not a host name"])
    assert code == 2


def test_a_process_in_a_misspelt_region_is_noted_not_dropped_without_a_word(capsys, tmp_path):
    """Its incidents are drawn and reach no tier (the sample's are in us-east-1): the run goes
    on, and says so."""
    path = _scenario(tmp_path, [_process("regional", scope={"region": "us-east1"})])
    code, _, err = _simulated(capsys, path)
    assert code == 0
    assert (
        "note: process regional: its scope reaches no tier, so its incidents count nowhere; "
        "check the region and service names"
    ) in err


def test_an_empty_scheduler_address_is_refused_not_taken_for_none(capsys):
    code, _, _ = _baseline(capsys, "--dask", "", ["--dask ''", "not a scheduler address"])
    assert code == 2


def test_years_written_as_true_is_refused_not_read_as_one(capsys, tmp_path):
    text = (SAMPLES / "scenarios" / "baseline.yaml").read_text(encoding="utf-8")
    assert "\nyears: 1\n" in text
    path = _scenario(tmp_path, [], text.replace("\nyears: 1\n", "\nyears: true\n"))
    code, _, err = _simulated(capsys, path, path.name, "years")
    assert code == 2
    assert "input should be a valid integer" in err
