"""Bad input to `slamodeler profitability`: rates out of range, a second version that cannot be
compared, outputs that would replace an input, and stored versions that do not exist."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

SAMPLE = SAMPLES / "three_tier_cloud.yaml"
BASELINE = SAMPLES / "scenarios" / "baseline.yaml"
ARGS = ("profitability", SAMPLE, "--scenario", BASELINE, "--trials", 50)


@pytest.mark.parametrize("rate", ["-0.1", "11", "nan", "inf"])
def test_a_tail_charge_out_of_range_is_refused(capsys, rate):
    code, _, err = hostile(capsys, *ARGS, "--tail-charge", rate, names="--tail-charge")
    assert code == 2 and "0.10 charges 10%" in err


@pytest.mark.parametrize("share", ["1", "30", "-1", "nan"])
def test_a_target_margin_not_a_share_below_one_is_refused(capsys, share):
    code, _, err = hostile(capsys, *ARGS, "--target-margin", share, names="--target-margin")
    assert code == 2 and "0.3 for a 30% margin" in err


def test_a_rate_that_is_not_a_number_is_refused(capsys):
    with pytest.raises(SystemExit) as exc:  # argparse: exit 2 with the option named
        hostile(capsys, *ARGS, "--tail-charge", "ten%")
    assert exc.value.code == 2
    assert "--tail-charge: invalid float value: 'ten%'" in capsys.readouterr().err


def test_a_version_in_another_currency_is_refused(tmp_path, capsys):
    other = tmp_path / "euro.yaml"
    other.write_text(SAMPLE.read_text().replace("currency: USD", "currency: EUR"))
    code, _, err = hostile(capsys, *ARGS, "--against", other, names=[other.name, "EUR"])
    assert code == 2 and "one currency" in err


def test_a_version_that_would_see_other_incidents_is_refused(tmp_path, capsys):
    """Another time zone moves the simulated incidents against the periods: the two would not
    share draws, so a paired difference would claim what it is not."""
    other = tmp_path / "tokyo.yaml"
    other.write_text(
        SAMPLE.read_text().replace("timezone: America/New_York", "timezone: Asia/Tokyo")
    )
    code, _, err = hostile(capsys, *ARGS, "--against", other, names=[other.name, "timezone"])
    assert code == 2 and "cannot be priced on" in err


def test_a_missing_or_broken_other_version_is_refused(tmp_path, capsys):
    code, _, _ = hostile(
        capsys, *ARGS, "--against", tmp_path / "nowhere.yaml", names="nowhere.yaml"
    )
    assert code == 2
    broken = tmp_path / "broken.yaml"
    broken.write_text(SAMPLE.read_text().replace("monthly_fee: 1500", "monthly_fee: -1"))
    code, _, _ = hostile(capsys, *ARGS, "--against", broken, names=[broken.name, "monthly_fee"])
    assert code == 2


def test_tiers_in_only_one_version_are_named_not_dropped(tmp_path, capsys):
    other = tmp_path / "renamed.yaml"
    other.write_text(SAMPLE.read_text().replace("name: Gold", "name: Platinum"))
    code, out, err = hostile(capsys, *ARGS, "--against", other)
    assert code == 0
    assert "note: tier(s) Gold, Platinum in only one of" in err and "rename one" in err
    assert "Platinum" in out  # its own figures are still shown


def test_a_workbook_over_an_input_is_refused_before_any_work(capsys, tmp_path):
    book = tmp_path / "contract.xlsx"
    book.write_bytes(b"not a workbook")
    code, _, _ = hostile(
        capsys, *ARGS, "--against", book, "--xlsx", book, names=["--xlsx", book.name]
    )
    assert code == 2 and book.read_bytes() == b"not a workbook"


def test_zero_trials_are_refused(capsys):
    code, _, _ = hostile(
        capsys, "profitability", SAMPLE, "--scenario", BASELINE, "--trials", 0, names="--trials"
    )
    assert code == 2


def test_a_free_tier_has_no_margin_percent_and_still_a_fee_to_break_even(tmp_path, capsys):
    free = tmp_path / "free.yaml"
    free.write_text(SAMPLE.read_text().replace("monthly_fee: 1500", "monthly_fee: 0"))
    code, out, _ = hostile(capsys, "profitability", free, "--scenario", BASELINE, "--trials", 50)
    bronze = next(line for line in out.splitlines() if line.startswith("Bronze"))
    cells = bronze.split()
    assert code == 0 and cells[1] == "0" and cells[7] == "-"  # no revenue: no margin %
    assert cells[10] == "0" and 700 < float(cells[11].replace(",", "")) < 720  # break-even fee


def test_stored_versions_that_do_not_exist_are_refused(ws, capsys):
    stored = ("profitability", "--ws", ws, "three_tier_cloud@1", "--trials", 50)
    code, _, _ = hostile(
        capsys, "profitability", "--ws", ws, "three_tier_cloud@9", "--scenario", "baseline",
        names="9",
    )  # fmt: skip
    assert code == 2
    code, _, _ = hostile(capsys, *stored, "--scenario", "nope", names="nope")
    assert code == 2
    code, _, _ = hostile(
        capsys,
        *stored,
        "--scenario",
        "baseline",
        "--fees",
        SAMPLE,
        names=[SAMPLE.name, "row 1: the header must be tier,month,fee"],
    )
    assert code == 2


def test_a_version_without_a_tier_is_simulated_again_and_the_tier_named(tmp_path, capsys):
    other = tmp_path / "two.yaml"
    text = SAMPLE.read_text()
    other.write_text(text[: text.index("  - name: Gold")] + text[text.index("liability_cap:") :])
    code, out, err = hostile(capsys, *ARGS, "--against", other)
    assert code == 0 and "note: tier(s) Gold in only one of" in err
    assert "simulated again on the same draws (seed 1)" in out
    bronze = next(line for line in out.splitlines()[-6:] if line.startswith("Bronze"))
    assert bronze.split()[1:4] == ["+0", "+0", "+0"]  # the same incidents: the same credits


def test_a_workbook_over_the_workspace_is_refused(ws, capsys):
    book = ws.with_suffix(".xlsx")
    ws.rename(book)
    before = book.read_bytes()
    code, _, _ = hostile(
        capsys, "profitability", "--ws", book, "three_tier_cloud@1", "--scenario", "baseline",
        "--xlsx", book, names=["--xlsx", book.name],
    )  # fmt: skip
    assert code == 2 and book.read_bytes() == before
