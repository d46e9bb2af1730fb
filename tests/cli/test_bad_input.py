"""Bad input at the command line: never a traceback, exit code 2, and a message naming the place.

Most runs call ``slamodeler.cli.main.main`` in-process (fast); a few run ``python -m slamodeler``
to show that the real entry point behaves the same. The fuzz tests at the end mutate a valid
contract and write random incident files, and require exit code 0 or 2 whatever they get.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slamodeler.cli.main import main
from slamodeler.domain.import_mapping import AUTO_ENCODING, ENCODINGS
from tests.helpers.hostile_inputs import ACCEPTED, INTERNAL, REFUSED, UNCLEAR, hostile, record
from tests.helpers.paths import SAMPLES

ENCODING_NAMES = [AUTO_ENCODING, *ENCODINGS]

SAMPLES = SAMPLES
CONTRACT = SAMPLES / "three_tier_cloud.yaml"
INCIDENTS = SAMPLES / "incidents_sample.csv"
BASE = CONTRACT.read_text(encoding="utf-8")


def run(capsys, *argv: object) -> tuple[int, str, str]:
    """Run the CLI on a (possibly) bad input: counted by the hostile-input suite, never a
    traceback or an internal error."""
    return hostile(capsys, *argv)


def rejected(capsys, *argv: object) -> str:
    """Run, expect exit 2 with a one-message stderr, and return that message."""
    code, _, err = run(capsys, *argv)
    assert code == 2, err
    assert err.startswith("slamodeler: "), err
    return err


def edited(tmp_path: Path, old: str, new: str, name: str = "contract.yaml") -> Path:
    """The sample contract with ``old`` replaced by ``new`` (which must be there)."""
    assert old in BASE, old
    path = tmp_path / name
    path.write_text(BASE.replace(old, new), encoding="utf-8")
    return path


def refused_edit(capsys, tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    """The sample contract edited (``edited``), and the message `validate` refuses it with."""
    path = edited(tmp_path, old, new)
    return path, rejected(capsys, "validate", path)


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line of ``path`` containing ``needle`` (the test's own oracle)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, start=1) if needle in text)


def csv_file(tmp_path: Path, text: str, name: str = "incidents.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# The sample files are fine: the errors below come from the edits alone.


def test_the_samples_validate_and_replay(capsys):
    code, out, _ = run(capsys, "validate", CONTRACT)
    assert code == 0
    assert "valid" in out
    code, out, err = run(capsys, "replay", CONTRACT, INCIDENTS)
    assert code == 0
    assert "14 row(s) read, 14 incident(s) used" in err


# ---------------------------------------------------------------------------------------------
# Contract files


def test_malformed_yaml(capsys, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("format: slamodeler/v1\nname: [Example\ncurrency: USD\n", encoding="utf-8")
    err = rejected(capsys, "validate", path)
    assert f"{path}: line " in err
    assert "not valid YAML" in err


def test_a_yaml_list_at_the_top(capsys, tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- format: slamodeler/v1\n- name: x\n", encoding="utf-8")
    err = rejected(capsys, "validate", path)
    assert str(path) in err
    assert "expected a mapping of keys to values at the top" in err


@pytest.mark.parametrize("text", ["", "just some words\n", "42\n", "null\n"])
def test_a_yaml_scalar_or_nothing(capsys, tmp_path, text):
    path = tmp_path / "scalar.yaml"
    path.write_text(text, encoding="utf-8")
    err = rejected(capsys, "validate", path)
    assert str(path) in err
    assert "expected a mapping" in err


def test_missing_format(capsys, tmp_path):
    path, err = refused_edit(capsys, tmp_path, "format: slamodeler/v1\n", "")
    assert f"{path}: not a contract file" in err
    assert "format: slamodeler/v1" in err


@pytest.mark.parametrize("value", ["slamodeler/v2", "'1'", "[slamodeler/v1]"])
def test_wrong_format(capsys, tmp_path, value):
    path, err = refused_edit(capsys, tmp_path, "format: slamodeler/v1", f"format: {value}")
    assert f"{path}: format is " in err
    assert "this version reads 'slamodeler/v1'" in err


def test_wrong_types(capsys, tmp_path):
    text = BASE.replace("monthly_fee: 1500", 'monthly_fee: "abc"')
    text = text.replace("target_pct: 99.9\n", "target_pct: 150\n")
    text = text.replace("customers: 25", "customers: -3")
    path = tmp_path / "types.yaml"
    path.write_text(text, encoding="utf-8")
    err = rejected(capsys, "validate", path)
    assert f"{path}: 3 problem(s)" in err
    assert (
        f"line {line_of(path, 'abc')}, Bronze, monthly fee: 'abc' is not a number; write it in "
        "digits, e.g. 1500 or 99.95 (tiers[0].monthly_fee)" in err
    )
    assert (
        f"line {line_of(path, 'target_pct: 150')}, Silver, target %: input should be less than or equal to 100 (tiers[1].target_pct)"
        in err
    )
    assert (
        f"line {line_of(path, 'customers: -3')}, Gold, customers: input should be greater than or equal to 1 (tiers[2].customers)"
        in err
    )


def test_unknown_top_level_and_nested_keys(capsys, tmp_path):
    text = BASE.replace("currency: USD\n", "currency: USD\ncolour: blue\n")
    text = text.replace("  slot_minutes: 1\n", "  slot_minutes: 1\n  slots: 5\n")
    path = tmp_path / "unknown.yaml"
    path.write_text(text, encoding="utf-8")
    err = rejected(capsys, "validate", path)
    assert f'line {line_of(path, "colour")}, "colour": unknown key' in err
    assert f'line {line_of(path, "slots: 5")}, Measurement, "slots": unknown key' in err


def test_an_unknown_key_in_a_band_names_its_path_and_line(capsys, tmp_path):
    path, err = refused_edit(
        capsys,
        tmp_path,
        "        - {below: 99.0, credit_pct: 25}\n        - {below: 95.0, credit_pct: 50}",
        "        - {below: 99.0, credit_pct: 25, foo: 1}\n        - {below: 95.0, credit_pct: 50}",
    )
    assert f'line {line_of(path, "foo: 1")}, Bronze, band 2, "foo": unknown key' in err
    assert "(tiers[0].credits.bands[1].foo)" in err


def test_band_thresholds_out_of_order(capsys, tmp_path):
    # Silver: 99.9, 99.0, then 99.5, which is not below 99.0.
    path, err = refused_edit(
        capsys,
        tmp_path,
        "        - {below: 95.0, credit_pct: 100}\n",
        "        - {below: 99.5, credit_pct: 100}\n",
    )
    line = line_of(path, "{below: 99.5, credit_pct: 100}")
    assert (
        f"line {line}, Silver, band 3, availability below %: must be lower than the band above"
        in err
    )


def test_band_credits_that_fall(capsys, tmp_path):
    # Gold: 10% below 99.99, then only 5% below 99.0.
    path, err = refused_edit(
        capsys, tmp_path, "{below: 99.0, credit_pct: 30,", "{below: 99.0, credit_pct: 5,"
    )
    line = line_of(path, "credit_pct: 5,")
    assert f"line {line}, Gold, band 2, credit %: a lower band must not give" in err


def test_a_bad_time_zone(capsys, tmp_path):
    _, err = refused_edit(
        capsys, tmp_path, "timezone: America/New_York", "timezone: Mars/Olympus_Mons"
    )
    assert "line 8, Time zone: unknown time zone 'Mars/Olympus_Mons'" in err


def test_a_time_zone_that_names_a_folder_of_the_zone_database(capsys, tmp_path):
    _, err = refused_edit(capsys, tmp_path, "timezone: America/New_York", "timezone: America")
    assert "line 8, Time zone: unknown time zone 'America'" in err


@pytest.mark.parametrize("start", ["22:30", "12:00", "02:00"])
def test_an_unquoted_window_start_is_read_as_the_time(capsys, tmp_path, start):
    # YAML 1.1 reads H:MM as a base-60 integer (22:30 is 1350); contracts read it as text
    assert yaml.safe_load(f"start: {start}") != {"start": start} or start == "02:00"
    path = edited(tmp_path, 'start: "02:00"', f"start: {start}")
    code, out, _ = run(capsys, "validate", path)
    assert code == 0
    assert "valid" in out


def test_a_window_start_with_a_one_digit_hour_is_refused(capsys, tmp_path):
    path, err = refused_edit(capsys, tmp_path, 'start: "02:00"', "start: 2:00")
    line = line_of(path, "start: 2:00")
    assert f"line {line}, Maintenance window 1, start (local time):" in err
    assert 'must be a local time "HH:MM" (two digits each), e.g. "02:00"' in err


def test_duplicate_keys(capsys, tmp_path):
    path, err = refused_edit(capsys, tmp_path, "currency: USD\n", "currency: USD\ncurrency: EUR\n")
    assert f"{path}: line 8, column 1: not valid YAML: key 'currency' appears twice" in err
    nested = edited(
        tmp_path,
        "    target_pct: 99.99\n",
        "    target_pct: 99.99\n    target_pct: 99.9\n",
        "n.yaml",
    )
    err = rejected(capsys, "validate", nested)
    assert f"line {line_of(nested, 'target_pct: 99.99') + 1}, column 5" in err  # the second one
    assert "key 'target_pct' appears twice" in err


def test_a_date_that_does_not_exist(capsys, tmp_path):
    path, err = refused_edit(
        capsys, tmp_path, "term: {start: 2024-01-01,", "term: {start: 2024-02-30,"
    )
    assert (
        f"{path}: line 9, column 15: not valid YAML: '2024-02-30' is not a valid timestamp" in err
    )


@pytest.mark.parametrize("value", ["!!int x", "!!float 1,5", "!!bool maybe", "!!timestamp soon"])
def test_an_explicit_tag_on_a_value_it_cannot_read(capsys, tmp_path, value):
    path, err = refused_edit(capsys, tmp_path, "monthly_fee: 1500", f"monthly_fee: {value}")
    column = len("    monthly_fee: ") + 1
    assert f"{path}: line {line_of(path, value)}, column {column}: not valid YAML: " in err
    assert "is not a valid" in err


@pytest.mark.parametrize("key", ["[a, b]", "{a: 1}"])
def test_a_key_that_is_a_list_or_a_mapping(capsys, tmp_path, key):
    path, err = refused_edit(capsys, tmp_path, "currency: USD\n", f"currency: USD\n? {key}\n: 1\n")
    assert f"{path}: line 8, column 3: not valid YAML: found unhashable key" in err


def test_an_unknown_key_with_brackets_in_its_name(capsys, tmp_path):
    _, err = refused_edit(capsys, tmp_path, "currency: USD\n", "currency: USD\nfoo[bar]: 1\n")
    assert '"foo[bar]": unknown key' in err


def test_a_contract_that_does_not_exist_or_is_a_folder_or_not_utf8(capsys, tmp_path):
    err = rejected(capsys, "validate", tmp_path / "nope.yaml")
    assert f"{tmp_path / 'nope.yaml'}: no such file" in err
    err = rejected(capsys, "validate", tmp_path)
    assert f"{tmp_path}: is a folder, not a file" in err
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(BASE.replace("Standard terms", "Zürich terms").encode("cp1252"))
    err = rejected(capsys, "validate", latin)
    assert f"{latin}: not UTF-8 text" in err


# ---------------------------------------------------------------------------------------------
# Replay: incident files and options


def test_broken_csv_rows(capsys, tmp_path):
    path = csv_file(
        tmp_path,
        "id,start,end,impact,service,region\n"
        "A,2024-01-09T14:05:00Z,2024-01-09T15:02:00Z,full,Compute,us-east-1\n"
        "B,2024-01-32T10:00:00Z,2024-02-01T11:00:00Z,full,Compute,us-east-1\n"
        "C,2024-01-20T10:00:00Z,2024-01-20T09:00:00Z,full,Compute,us-east-1\n",
    )
    err = rejected(capsys, "replay", CONTRACT, path)
    assert f"{path}: 3 row(s) read, 1 incident(s) used" in err
    assert "start: '2024-01-32T10:00:00Z' is not a date and time" in err
    assert "(rows 3)" in err
    assert "end: end is before start (rows 4)" in err
    assert "--skip-bad-rows" in err
    code, out, err = run(capsys, "replay", CONTRACT, path, "--skip-bad-rows")
    assert code == 0
    assert "1 row(s) not used: end: end is before start (rows 4)" in err
    assert "Bronze" in out


def test_an_incident_file_that_does_not_exist_or_cannot_be_read(capsys, tmp_path):
    err = rejected(capsys, "replay", CONTRACT, tmp_path / "none.csv")
    assert "none.csv: no such file" in err
    err = rejected(capsys, "replay", CONTRACT, CONTRACT)
    assert "three_tier_cloud.yaml: unsupported file type '.yaml'" in err
    fake = csv_file(tmp_path, "not a workbook", "fake.xlsx")
    err = rejected(capsys, "replay", CONTRACT, fake)
    assert f"{fake}: not a readable XLSX workbook" in err
    err = rejected(capsys, "replay", CONTRACT, csv_file(tmp_path, "", "empty.csv"))
    assert "empty.csv: the file is empty" in err


def test_a_mapping_that_does_not_exist_or_is_wrong(capsys, tmp_path):
    err = rejected(capsys, "replay", CONTRACT, INCIDENTS, "--mapping", tmp_path / "m.yaml")
    assert "m.yaml: no such file" in err
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  begin: start\n", encoding="utf-8")
    err = rejected(capsys, "replay", CONTRACT, INCIDENTS, "--mapping", mapping)
    assert f"{mapping}: " in err
    assert "line 1, columns: unknown field(s) ['begin']" in err


def test_from_after_to(capsys):
    err = rejected(capsys, "replay", CONTRACT, INCIDENTS, "--from", "2024-05", "--to", "2024-03")
    assert "--to 2024-03 is before --from 2024-05; give a --to on or after" in err


@pytest.mark.parametrize("period", ["May", "2024-13", "2024-5", "2024-Q5", "24-01"])
def test_a_malformed_period(capsys, period):
    err = rejected(capsys, "replay", CONTRACT, INCIDENTS, "--from", period, "--to", "2024-06")
    assert f"period {period!r} is not of the form YYYY-MM" in err


@pytest.mark.parametrize(
    "first_last", [("0000-01", "0000-02"), ("0001-01", "0001-01"), ("9999-12", "9999-12")]
)
def test_a_period_outside_the_calendar(capsys, first_last):
    first, last = first_last
    rejected(capsys, "replay", CONTRACT, INCIDENTS, "--from", first, "--to", last)


def test_an_incident_at_the_end_of_the_calendar(capsys, tmp_path):
    path = csv_file(tmp_path, "start,end,impact\n9999-12-31T20:00:00Z,9999-12-31T21:00:00Z,full\n")
    rejected(capsys, "replay", CONTRACT, path)


def test_an_unknown_tier(capsys):
    err = rejected(capsys, "replay", CONTRACT, INCIDENTS, "--tier", "Platinum")
    assert "no tier named 'Platinum'; this contract has: Bronze, Silver, Gold" in err


def test_impact_weights_without_a_label_the_incidents_use(capsys, tmp_path):
    path = edited(
        tmp_path,
        "impact_weights: {full: 1.0, partial: 0.3, degraded: 0.0}",
        "impact_weights: {full: 1.0}",
    )
    err = rejected(capsys, "replay", path, INCIDENTS)
    # INC-1003 (line 4 of the sample) is the first incident with impact "partial".
    assert "incident INC-1003 (row 4) has impact 'partial'" in err
    assert "add it to measurement.impact_weights" in err


def test_naive_times_and_a_bad_timezone_option(capsys, tmp_path):
    path = csv_file(tmp_path, "start,end,impact\n2024-01-05 10:00,2024-01-05 11:00,full\n")
    err = rejected(capsys, "replay", CONTRACT, path)
    assert "time has no zone or offset; give one with --timezone" in err
    assert "(rows 2)" in err
    code, _, _ = run(capsys, "replay", CONTRACT, path, "--timezone", "Europe/Berlin")
    assert code == 0
    err = rejected(capsys, "replay", CONTRACT, path, "--timezone", "Mars/Olympus_Mons")
    assert "--timezone 'Mars/Olympus_Mons': unknown time zone" in err


def cp1252_export(tmp_path: Path) -> Path:
    """The sample export as Excel saves "CSV (Comma delimited)" on a Western Windows, with an
    e acute (0xE9), an en dash (0x96) and a euro sign (0x80) in its titles."""
    text = INCIDENTS.read_text(encoding="utf-8")
    text = text.replace("Instance launches failing", "Caf\u00e9 \u2013 \u20ac launches failing")
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("cp1252"))
    return path


def test_a_windows_1252_export_is_detected_or_read_as_chosen(capsys, tmp_path):
    path = cp1252_export(tmp_path)
    code, out, err = run(capsys, "replay", CONTRACT, path)
    assert code == 0
    assert "text encoding: Windows-1252 (detected)" in err
    _, expected, _ = run(capsys, "replay", CONTRACT, INCIDENTS)
    assert out == expected
    code, _, err = run(capsys, "replay", CONTRACT, path, "--encoding", "Windows-1252")
    assert code == 0 and "text encoding: Windows-1252 (chosen)" in err
    code, _, err = run(capsys, "fit", path, "--encoding", "windows-1252")
    assert code == 0 and "text encoding: Windows-1252 (chosen)" in err
    out_file = tmp_path / "exposure.xlsx"
    code, _, err = run(
        capsys, "export", CONTRACT, path, "--encoding", "windows-1252", "--out", out_file
    )
    assert code == 0 and "text encoding: Windows-1252 (chosen)" in err and out_file.is_file()


def test_an_encoding_that_does_not_fit_exits_2_naming_the_byte(capsys, tmp_path):
    path = cp1252_export(tmp_path)
    first_line = len(INCIDENTS.read_bytes().split(b"\n")[0]) + 1
    at = first_line + len(
        "INC-1001,2024-01-09T14:05:00Z,2024-01-09T15:02:00Z,full,,Compute,us-east-1,Caf"
    )
    err = rejected(capsys, "replay", CONTRACT, path, "--encoding", "utf-8")
    assert f"{path}: not valid UTF-8: byte 0xE9 at offset {at}, line 2" in err
    assert "--encoding (utf-8, utf-8-sig, utf-16, windows-1252)" in err
    assert "save it again as 'CSV UTF-8'" in err
    broken = tmp_path / "broken.csv"
    broken.write_bytes(path.read_bytes().replace(b"\x80", b"\x81"))  # undefined in Windows-1252
    err = rejected(capsys, "fit", broken)
    assert f"{broken}: not readable as text" in err
    assert f"not Windows-1252 (byte 0x81 at offset {at + 4}, line 2)" in err
    with pytest.raises(SystemExit) as exited:
        main(["replay", str(CONTRACT), str(path), "--encoding", "latin-9"])
    assert exited.value.code == 2
    assert "--encoding: invalid choice: 'latin-9'" in capsys.readouterr().err


def test_no_incidents_and_no_range(capsys, tmp_path):
    path = csv_file(tmp_path, "start,end,impact\n")
    err = rejected(capsys, "replay", CONTRACT, path)
    assert "no incidents to replay; give the range with --from and --to" in err


# ---------------------------------------------------------------------------------------------
# The real entry point


def run_module(*argv: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "slamodeler", *map(str, argv)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_entry_point_malformed_yaml(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("format: slamodeler/v1\nname: [Example\n", encoding="utf-8")
    proc = run_module("validate", path, cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stderr.startswith(f"slamodeler: {path}: line ")


def test_entry_point_broken_rows_and_bad_option(tmp_path):
    path = csv_file(tmp_path, "start,end,impact\n2024-01-02T00:00:00Z,2024-01-01T00:00:00Z,full\n")
    proc = run_module("replay", CONTRACT, path, cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "end: end is before start (rows 2)" in proc.stderr
    proc = run_module("replay", CONTRACT, INCIDENTS, "--from", "May", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "period 'May' is not of the form YYYY-MM" in proc.stderr


def test_entry_point_band_order(tmp_path):
    path = edited(
        tmp_path,
        "        - {below: 95.0, credit_pct: 100}\n",
        "        - {below: 99.5, credit_pct: 100}\n",
    )
    proc = run_module("validate", path, cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "tiers[1].credits.bands[2].below" in proc.stderr


# ---------------------------------------------------------------------------------------------
# Fuzz: whatever the input, exit 0 or 2 and never a traceback


def call(argv: list[str]) -> tuple[int, str, str]:
    """Run the CLI on a generated input; counted by the hostile-input suite (a fuzzed refusal
    is counted as clear when it is one ``slamodeler:`` message)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    said = err.getvalue()
    if code == 1 or "Traceback" in out.getvalue() + said:
        record(INTERNAL)
    elif code == 2:
        record(REFUSED if said.startswith("slamodeler: ") else UNCLEAR)
    else:
        record(ACCEPTED)
    return code, out.getvalue(), said


def call_cleanly(argv: list[str]) -> tuple[int, str, str]:
    """``call``, and check that it ended as a fuzzed input must: read (0) or refused (2), never
    with a traceback."""
    code, out, err = call(argv)
    assert code in (0, 2), err
    assert "Traceback" not in out + err
    return code, out, err


def fuzzed(examples: int) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The fuzz tests' settings: the same examples on every run, however slow they are."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )


TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(),
    TEXT,
    st.dates(),
    st.sampled_from(["02:00", "2:00", "full", "bands", "month", "UTC", "below", "-1", "1e999"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
YAML_TOKENS = st.sampled_from(
    [
        "2024-02-30",
        "2024-13-01",
        "2024-01-01 25:00:00",
        "2:00",
        "[",
        "{",
        "]",
        "}",
        "&a ",
        "*a",
        "*b",
        "!!binary x",
        "!!python/name:os.system ",
        "!!int x",
        "!!float x",
        "!!timestamp x",
        "? ",
        "- ",
        "\t",
        ": ",
        "'",
        '"',
        "|",
        ">",
        "%YAML 1.1\n",
        "---\n",
        "...\n",
        "#",
        "\x00",
        "\ufeff",
        "<<: *a\n",
        ".nan",
        "-.inf",
        "0o777",
        "0x_",
        "1_0",
        "~",
        "=",
    ]
)
KEYS = st.one_of(
    TEXT,
    st.integers(),
    st.sampled_from(["foo", "kind", "bands", "below", "tiers", "format", "start", "day"]),
)


def _containers(node: object, path: tuple = ()) -> list[tuple]:
    found = [path]
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in children:
        if isinstance(value, dict | list):
            found += _containers(value, (*path, key))
    return found


def _at(root: object, path: tuple) -> object:
    for key in path:
        root = root[key]  # type: ignore[index]
    return root


@st.composite
def mutated_contracts(draw: st.DrawFn) -> str:
    data = copy.deepcopy(yaml.safe_load(BASE))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        target = _at(data, draw(st.sampled_from(_containers(data))))
        op = draw(st.sampled_from(["delete", "replace", "insert"]))
        keys = list(target.keys()) if isinstance(target, dict) else list(range(len(target)))
        if op == "insert" or not keys:
            if isinstance(target, dict):
                target[draw(KEYS)] = draw(VALUES)
            else:
                target.insert(draw(st.integers(0, len(target))), draw(VALUES))
        elif op == "delete":
            del target[draw(st.sampled_from(keys))]
        else:
            target[draw(st.sampled_from(keys))] = draw(VALUES)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        op = draw(st.sampled_from(["truncate", "flip", "token"]))
        at = draw(st.integers(min_value=0, max_value=max(len(text) - 1, 0)))
        if op == "truncate":
            text = text[:at]
        elif op == "flip":
            text = text[:at] + draw(st.characters(exclude_categories=("Cs",))) + text[at + 1 :]
        else:
            text = text[:at] + draw(YAML_TOKENS) + text[at:]
    return text


@fuzzed(150)
@given(text=mutated_contracts())
def test_fuzz_validate_mutated_contracts(tmp_path_factory, text):
    path = tmp_path_factory.getbasetemp() / "fuzz_contract.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = call_cleanly(["validate", str(path)])
    if code == 2:
        assert err.startswith("slamodeler: ")


HEADERS = [
    "id",
    "start",
    "end",
    "duration_minutes",
    "impact",
    "cause",
    "service",
    "region",
    "title",
]
JUNK = st.one_of(
    st.text(st.characters(exclude_categories=("Cs", "Nd")), max_size=15),
    st.sampled_from(
        [
            "NaN",
            "inf",
            "-1",
            "1e999999",
            "1e30",
            "1e-999999",
            "0x10",
            "1_000",
            "²",
            "٣",
            "%",
            "-0%",
            "50 %",
            "150%",
            "24:00",
            "2024-02-30T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T10:00:00+25:00",
            "20240105",
            "2024-W02-3",
            "full",
            "partial",
            "degraded",
            "none",
            "FULL",
            "maintenance",
            "Compute",
            "us-east-1",
            '"',
            "\n",
            "\r\n",
            ",",
            ";",
        ]
    ),
)
SMALL_NUMBERS = st.decimals(min_value=-10, max_value=3000, places=2).map(str)


ZONES = st.sampled_from(["Z", "Z", "Z", "+00:00", "-05:00", "+05:30", "", " "])


def stamp(minute: int, zone: str, sep: str = "T") -> str:
    """Minutes from 2024-01-01 00:00 as an ISO 8601 time with ``zone`` (Z, an offset or none)."""
    moment = datetime(2024, 1, 1) + timedelta(minutes=minute)
    return moment.strftime(f"%Y-%m-%d{sep}%H:%M:%S") + zone


@st.composite
def times(draw: st.DrawFn) -> str:
    minute = draw(st.integers(-20000, 150000))
    return stamp(minute, draw(ZONES), draw(st.sampled_from(["T", " "])))


PLAUSIBLE = {
    "duration_minutes": st.integers(0, 3000).map(str),
    "impact": st.sampled_from(["full", "partial", "degraded", "none", "0.5", "25%", "1", ""]),
    "cause": st.sampled_from(["", "maintenance", "customer", "force_majeure", "third_party"]),
    "service": st.sampled_from(["Compute", "compute ", "Object Storage", ""]),
    "region": st.sampled_from(["us-east-1", "eu-west-1", ""]),
}
CELLS = st.one_of(times(), JUNK, SMALL_NUMBERS, st.just(""))


@st.composite
def incident_rows(draw: st.DrawFn, header: list[str]) -> list[str]:
    """A row that would mostly import (start before end, in one zone), with cells turned to junk
    now and then, and one or two cells too few or too many."""
    start, zone = draw(st.integers(-20000, 150000)), draw(ZONES)
    good = {"start": stamp(start, zone), "end": stamp(start + draw(st.integers(-5, 3000)), zone)}
    row = []
    for name in header:
        junk = draw(st.integers(0, 5)) == 0
        if junk:
            row.append(draw(CELLS))
        elif name in good:
            row.append(good[name])
        else:
            row.append(draw(PLAUSIBLE.get(name, TEXT)))
    cut = draw(st.integers(-2, 2))
    return row[:cut] if cut < 0 else row + [draw(CELLS) for _ in range(cut)]


@st.composite
def incident_files(draw: st.DrawFn) -> str:
    """Mostly a plausible export (so that rows reach the engine) with junk cells and odd row
    lengths; now and then a header or a line that is junk altogether."""
    if draw(st.integers(0, 4)):
        columns = ["start", draw(st.sampled_from(["end", "duration_minutes"])), "impact"]
        columns += draw(st.lists(st.sampled_from(HEADERS), unique=True, max_size=5))
        header = draw(st.permutations(list(dict.fromkeys(columns))))
    else:
        header = draw(st.lists(st.sampled_from(HEADERS) | TEXT, max_size=10))
    rows = draw(st.lists(incident_rows(header), max_size=8))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=draw(st.sampled_from([",", ",", ";", "\t"])))
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    if not draw(st.integers(0, 4)):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:at] + draw(JUNK) + text[at:]
    return text


@fuzzed(150)
@given(
    text=incident_files(),
    options=st.lists(
        st.sampled_from(
            [
                ["--skip-bad-rows"],
                ["--timezone", "UTC"],
                ["--timezone", "America/New_York"],
                ["--timezone", "Mars/Olympus_Mons"],
                ["--format", "json"],
                ["--format", "csv"],
                ["--explain"],
                ["--tier", "Gold"],
            ]
        ),
        max_size=3,
    ),
)
def test_fuzz_replay_random_incident_files(tmp_path_factory, text, options):
    path = tmp_path_factory.getbasetemp() / "fuzz_incidents.csv"
    path.write_text(text, encoding="utf-8")
    # A fixed, short range: replay allocates slots for the whole range, so a range taken from
    # random dates could run for minutes (see the report on the engine's slot grid).
    argv = ["replay", str(CONTRACT), str(path), "--from", "2024-01", "--to", "2024-03"]
    call_cleanly(argv + [arg for option in options for arg in option])


@fuzzed(120)
@given(
    head=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]),
    body=st.binary(max_size=200),
    encoding=st.sampled_from([[], *(["--encoding", e] for e in ENCODING_NAMES)]),
    utf16=st.booleans(),
)
def test_fuzz_replay_random_bytes_in_any_encoding(tmp_path_factory, head, body, encoding, utf16):
    """Byte-order marks, bytes valid in no encoding, odd lengths, NULs: read or refused."""
    text = "start,end,impact\n2024-01-02T00:00:00Z,2024-01-02T01:00:00Z,full\n"
    path = tmp_path_factory.getbasetemp() / "fuzz_bytes.csv"
    path.write_bytes(head + text.encode("utf-16-le" if utf16 else "cp1252") + body)
    argv = ["replay", str(CONTRACT), str(path), "--from", "2024-01", "--to", "2024-01"]
    call_cleanly(argv + encoding)
