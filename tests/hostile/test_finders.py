"""Hostile input to `slamodeler find`: a term that is not there or not a number, a statistic,
tier or budget that is not one, a range that is empty, upside down or outside what the
contract accepts, a budget no value meets, a term that does not move the statistic; each refused with exit 2 and one message naming the option or field."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

CONTRACT = SAMPLES / "three_tier_cloud.yaml"
BASELINE = SAMPLES / "scenarios" / "baseline.yaml"
CREDIT = "tiers[Gold].credits.bands[0].credit_pct"


def find(capsys, *more: object, names):
    return hostile(
        capsys, "find", CONTRACT, "--scenario", BASELINE, "--trials", "200", *more, names=names
    )


@pytest.mark.parametrize(
    ("term", "names"),
    [
        ("tiers[Gold].nothing", ["tiers[Gold].nothing", "no numeric term", "tiers[Gold]."]),
        ("tiers[Platinum].target_pct", ["tiers[Platinum].target_pct", "no numeric term"]),
        ("name", ["name", "no numeric term"]),
        ("", ["no numeric term"]),
    ],
)
def test_a_term_that_is_not_a_number_of_the_contract_is_named(capsys, term, names):
    code, _, _ = find(capsys, "--term", term, "--statistic", "mean", "--budget", "1",
                      names=names)  # fmt: skip
    assert code == 2


def test_a_tier_the_contract_lacks_is_named_with_those_it_has(capsys):
    code, _, _ = find(capsys, "--term", CREDIT, "--statistic", "mean", "--budget", "1",
                      "--tier", "Platinum", names=["Platinum", "Bronze, Silver, Gold"])  # fmt: skip
    assert code == 2


@pytest.mark.parametrize("budget", ["nan", "inf", "-inf"])
def test_a_budget_that_is_not_an_amount_is_refused(capsys, budget):
    code, _, _ = find(capsys, "--term", CREDIT, "--statistic", "mean", f"--budget={budget}",
                      names=["budget", budget.lstrip("-")])  # fmt: skip
    assert code == 2


@pytest.mark.parametrize(
    ("within", "names"),
    [
        ("5", ["--within", "LOW:HIGH"]),
        ("a:b", ["--within", "LOW:HIGH"]),
        ("5:nan", ["--within", "LOW:HIGH"]),
        ("20:10", ["--within 20:10", "LOW must be below HIGH"]),
        ("3:3", ["--within 3:3", "LOW must be below HIGH"]),
        ("1.00001:1.00009", ["--within", "fewer than two steps of 0.0001"]),
        ("200:300", ["--within 200:300", "does not accept", "credit_pct"]),
        ("0:1e30", ["--within 0:1E+30", "no term of a contract reaches beyond"]),
        ("1e400:1e401", ["--within 1E+400:1E+401", "no term of a contract reaches beyond"]),
        ("-1e13:0", ["--within -1E+13:0", "no term of a contract reaches beyond"]),
    ],
)
def test_a_range_that_is_not_one_names_within(capsys, within, names):
    code, _, _ = find(capsys, "--term", CREDIT, "--statistic", "mean", "--budget", "1e9",
                      f"--within={within}", names=names)  # fmt: skip
    assert code == 2


def test_a_budget_no_value_meets_says_what_the_best_value_gives(capsys):
    code, _, err = find(capsys, "--term", CREDIT, "--statistic", "p99", "--budget", "0",
                        names=[CREDIT, "no value in 0:30 meets the budget 0.00", "even at 0"])  # fmt: skip
    assert code == 2 and err.count("\n") == 1


def test_a_negative_margin_budget_is_a_budget_like_any_other(capsys):
    """A margin may be asked to stay above a loss: accepted, not refused."""
    code, out, _ = find(capsys, "--term", "tiers[Gold].monthly_fee", "--statistic", "margin",
                        "--budget", "-100000", "--tier", "Gold", names=[])  # fmt: skip
    assert code == 0 and "the lowest value" in out


def test_a_term_that_does_not_move_the_statistic_is_refused(capsys):
    code, _, _ = find(capsys, "--term", "tiers[Gold].target_pct", "--statistic", "mean",
                      "--budget", "1000", names=["tiers[Gold].target_pct", "does not move it"])  # fmt: skip
    assert code == 2


def test_a_term_of_zero_without_a_range_asks_for_one(capsys, tmp_path):
    terms = tmp_path / "free.yaml"
    terms.write_text(CONTRACT.read_text().replace("min_credit: 1.00", "min_credit: 0"))
    code, _, _ = hostile(
        capsys, "find", terms, "--scenario", BASELINE, "--trials", "200", "--term",
        "claims.min_credit", "--statistic", "mean", "--budget", "1",
        names=["claims.min_credit is 0", "--within LOW:HIGH"],
    )  # fmt: skip
    assert code == 2


def test_an_unknown_statistic_is_refused_by_the_options(capsys):
    with pytest.raises(SystemExit) as exited:
        find(capsys, "--term", CREDIT, "--statistic", "median", "--budget", "1", names=[])
    assert exited.value.code == 2


def test_a_range_reaching_below_what_the_contract_accepts_is_narrowed_with_a_note(capsys):
    code, out, err = find(capsys, "--term", CREDIT, "--statistic", "mean", "--budget", "1e9",
                          "--within=-5:10", names=[])  # fmt: skip
    assert code == 0 and "narrowed to 0:10" in err and "is 10 (now 10)" in out
