"""Fitting an outage scenario to incident history: parameters recovered from synthetic samples,
the right family picked, censoring handled, the dispersion test, the scenario written and read
back, the two real histories, and the `fit` command through its parser."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from decimal import Decimal

import numpy as np
import pytest
from scipy import stats

from slamodeler.domain.errors import InputError
from slamodeler.domain.incidents import Incident
from slamodeler.domain.scenario import Lognormal, NegativeBinomial, Place, Scenario, Scope
from slamodeler.engine.fitted_scenario import report_to_scenario
from slamodeler.engine.fitting import (
    MIN_DURATIONS,
    MIN_INCIDENTS,
    fit_durations,
    fit_frequency,
    fit_incidents,
    fit_mix,
    impact_key,
    monthly_counts,
)
from slamodeler.engine.horizon import build_horizon
from slamodeler.engine.outage_model import OutageModel
from slamodeler.io.scenario_file import load_scenario, scenario_to_yaml
from slamodeler.services.fit import fit_incident_file
from tests.helpers.builders import contract, history
from tests.helpers.paths import MAPPINGS, SHARED_DATA

GITHUB = SHARED_DATA / "github_status_incidents_2022_2026.csv"
GITHUB_MAPPING = MAPPINGS / "github_status_2022_2026.yaml"
CLOUD = SHARED_DATA / "cloud_provider_status_incidents_2018_2020.csv"
CLOUD_MAPPING = MAPPINGS / "cloud_status_2018_2020.yaml"


def close(value: float, target: float, rel: float) -> bool:
    return abs(value - target) <= rel * abs(target)


def negbin_counts(rng: np.random.Generator, mean: float, k: float, n: int) -> np.ndarray:
    """Gamma-mixed Poisson counts, as the outage model draws them: variance mean + mean^2/k."""
    return rng.poisson(rng.gamma(k, mean / k, size=n))


# --------------------------------------------------------------------------- durations


def test_lognormal_parameters_are_recovered_and_lognormal_is_chosen():
    rng = np.random.default_rng(20240501)
    sample = np.exp(np.log(45) + 1.1 * rng.standard_normal(5000))
    report = fit_durations(sample)
    assert report.chosen.family == "lognormal"
    params = report.fit("lognormal").params
    # The maximum-likelihood median is the geometric mean of the sample; its standard error is
    # about sigma / sqrt(n) = 1.6% here, and this seed's sample is 4.5% below the true 45.
    assert params["median"] == pytest.approx(np.exp(np.log(sample).mean()), rel=1e-12)
    assert close(params["median"], 45, 0.05)
    assert close(params["sigma"], 1.1, 0.03)
    assert report.used == 5000 and report.censored == 0 and report.zero_excluded == 0
    # ranked by AIC, delta relative to the best, KS on every family
    aics = [f.aic for f in report.fits]
    assert aics == sorted(aics) and report.fits[0].delta_aic == 0
    assert {f.family for f in report.fits} == {"exponential", "lognormal", "weibull", "gamma"}
    assert report.fit("lognormal").ks_p_value > 0.01
    assert report.fit("exponential").ks_p_value < 1e-6


@pytest.mark.parametrize(
    ("family", "draw", "seed", "shape", "scale", "tolerance"),
    [
        # a Weibull shape below one: many short and a few very long, which the exponential misses
        ("weibull", lambda rng: 120 * rng.weibull(0.6, size=3000), 7, 0.6, 120, (0.05, 0.08)),
        ("gamma", lambda rng: rng.gamma(3.0, 20.0, size=3000), 11, 3.0, 20.0, (0.08, 0.08)),
    ],
    ids=["weibull shape below one beats the exponential", "gamma shape three"],
)
def test_a_two_parameter_family_is_chosen_and_recovered(
    family, draw, seed, shape, scale, tolerance
):
    report = fit_durations(draw(np.random.default_rng(seed)))
    assert report.chosen.family == family
    assert close(report.chosen.params["shape"], shape, tolerance[0])
    assert close(report.chosen.params["scale"], scale, tolerance[1])
    assert report.fit("exponential").delta_aic > 100


def test_exponential_is_chosen_for_exponential_durations():
    rng = np.random.default_rng(3)
    sample = rng.exponential(30.0, size=3000)
    report = fit_durations(sample)
    # The two-parameter families contain the exponential; AIC's penalty keeps the simpler one
    # or the extra parameter lands on its exponential value.
    assert close(report.fit("exponential").params["mean"], 30.0, 0.05)
    assert report.chosen.family in ("exponential", "weibull", "gamma")
    if report.chosen.family != "exponential":
        assert close(report.chosen.params["shape"], 1.0, 0.05)
        assert report.fit("exponential").delta_aic < 2


def test_heavy_censoring_censored_fit_recovers_the_mean_and_the_naive_fit_is_biased():
    rng = np.random.default_rng(42)
    true_mean = 60.0
    durations = rng.exponential(true_mean, size=4000)
    export_at = rng.exponential(40.0, size=4000)  # still open when the export was taken
    seen = np.minimum(durations, export_at)
    censored = durations > export_at
    assert censored.mean() > 0.55  # heavy censoring

    report = fit_durations(seen, censored)
    assert report.censored == int(censored.sum()) and report.observed == int((~censored).sum())
    assert close(report.fit("exponential").params["mean"], true_mean, 0.05)
    # Weibull and gamma contain the exponential: their censored fits find shape about 1 too.
    assert close(report.fit("weibull").params["shape"], 1.0, 0.05)
    assert close(report.fit("gamma").params["shape"], 1.0, 0.08)

    naive = fit_durations(seen[~censored])  # dropping the open incidents
    assert naive.fit("exponential").params["mean"] < 0.6 * true_mean


def test_censored_likelihood_agrees_with_scipy_censored_fit():
    rng = np.random.default_rng(5)
    durations = 90 * rng.weibull(0.8, size=1500)
    cutoff = rng.uniform(0, 300, size=1500)
    seen, censored = np.minimum(durations, cutoff), durations > cutoff
    ours = fit_durations(seen, censored)
    data = stats.CensoredData(uncensored=seen[~censored], right=seen[censored])
    for family, dist, names in (
        ("weibull", stats.weibull_min, ("shape", "scale")),
        ("gamma", stats.gamma, ("shape", "scale")),
    ):
        shape, _, scale = dist.fit(data, floc=0)
        params = ours.fit(family).params
        assert close(params[names[0]], shape, 0.01), family
        assert close(params[names[1]], scale, 0.01), family
        assert ours.fit(family).converged
    sigma, _, median = stats.lognorm.fit(data, floc=0)
    assert close(ours.fit("lognormal").params["median"], median, 0.01)
    assert close(ours.fit("lognormal").params["sigma"], sigma, 0.01)


def test_zero_durations_are_left_out_and_counted():
    rng = np.random.default_rng(1)
    sample = np.concatenate([rng.exponential(50, size=200), np.zeros(7)])
    report = fit_durations(sample)
    assert report.zero_excluded == 7 and report.used == 200


def test_all_zero_durations_are_refused():
    with pytest.raises(InputError, match="all 12 durations are zero"):
        fit_durations(np.zeros(12))


def test_too_few_durations_says_how_many_are_needed_and_how_many_there_are():
    with pytest.raises(InputError) as err:
        fit_durations([5.0, 10.0, 0.0, 20.0])
    message = str(err.value)
    assert f"at least {MIN_DURATIONS}" in message
    assert "3 incident(s) have a positive duration" in message
    assert "1 of zero duration left out" in message


def test_negative_durations_and_all_censored_are_refused():
    with pytest.raises(InputError, match="negative"):
        fit_durations([-1.0] + [10.0] * 20)
    with pytest.raises(InputError, match="observed"):
        fit_durations(np.arange(1, 21, dtype=float), np.ones(20, dtype=bool))
    with pytest.raises(InputError, match="every observed duration is 30"):
        fit_durations([30.0] * 15)


# --------------------------------------------------------------------------- frequency


def test_poisson_rate_is_recovered_and_poisson_is_not_rejected():
    rng = np.random.default_rng(2024)
    counts = rng.poisson(4.0, size=600)
    report = fit_frequency(counts)
    assert close(report.fit("poisson").params["rate_per_month"], 4.0, 0.05)
    assert report.chosen.family == "poisson"
    assert report.dispersion_test.p_value > 0.05
    assert not report.dispersion_test.rejects_poisson()
    assert report.dispersion_test.df == 599


def test_negative_binomial_dispersion_is_recovered_and_poisson_is_rejected():
    rng = np.random.default_rng(99)
    counts = negbin_counts(rng, mean=5.0, k=2.0, n=3000)
    report = fit_frequency(counts)
    assert report.chosen.family == "negbin"
    negbin = report.fit("negbin")
    assert negbin.method == "maximum likelihood"
    assert close(negbin.params["mean_per_month"] or 0, 5.0, 0.05)
    assert close(negbin.params["dispersion"] or 0, 2.0, 0.12)
    assert report.fit("poisson").aic - negbin.aic > 100
    assert report.dispersion_test.rejects_poisson(0.001)
    assert report.dispersion_test.index > 2


def test_dispersion_test_statistic_is_the_index_of_dispersion():
    counts = np.array([0, 3, 1, 8, 2, 0, 5, 1])
    test = fit_frequency(counts).dispersion_test
    mean = counts.mean()
    assert test.statistic == pytest.approx(((counts - mean) ** 2).sum() / mean)
    assert test.p_value == pytest.approx(stats.chi2.sf(test.statistic, len(counts) - 1))


def test_underdispersed_counts_give_the_poisson_limit():
    report = fit_frequency([3, 3, 4, 3, 3, 4, 3, 3])
    negbin = report.fit("negbin")
    assert negbin.params["dispersion"] is None and negbin.method == "Poisson limit"
    assert report.chosen.family == "poisson"
    assert negbin.aic == pytest.approx(report.fit("poisson").aic + 2)


def test_frequency_needs_two_months_and_some_incidents():
    with pytest.raises(InputError, match="at least 2"):
        fit_frequency([5])
    with pytest.raises(InputError, match="no incidents"):
        fit_frequency([0, 0, 0])


def test_monthly_counts_are_calendar_months_in_utc_with_empty_months():
    def ts(text: str) -> int:
        return int(datetime.fromisoformat(text).timestamp())

    starts = [ts("2024-01-31T23:30:00+00:00"), ts("2024-02-01T00:30:00+01:00"),
              ts("2024-04-10T00:00:00+00:00")]  # fmt: skip
    first, last, counts = monthly_counts(starts)
    # 2024-02-01T00:30+01:00 is 2024-01-31T23:30Z: January in UTC
    assert (first, last, counts.tolist()) == ("2024-01", "2024-04", [2, 0, 0, 1])
    assert monthly_counts(starts, "2023-12", "2024-05")[2].tolist() == [0, 2, 0, 0, 1, 0]
    with pytest.raises(InputError, match="outside the span"):
        monthly_counts(starts, "2024-02", "2024-04")


# --------------------------------------------------------------------------- mixes, incidents


def test_mixes_sum_to_one_and_numeric_impacts_are_their_own_keys():
    mix = fit_mix([impact_key(x) for x in ["full", Decimal("0.50"), Decimal("0.5"), "partial"]])
    assert mix.counts == {"0.5": 2, "full": 1, "partial": 1}
    assert sum(mix.shares.values()) == pytest.approx(1)
    assert impact_key(Decimal("1.00")) == "1" and impact_key(Decimal("0.25")) == "0.25"


def test_fit_incidents_report_and_scenario_round_trip(tmp_path):
    incidents = history(240, seed=8)
    report = fit_incidents(incidents, source="synthetic.csv")
    assert report.incidents == 240 and report.rows == 240
    assert sum(report.frequency.counts) == 240
    assert report.frequency.first_month == "2024-01"
    assert set(report.impact.shares) == {"full", "partial"}
    assert report.cause.counts == {"": 192, "third_party": 48}
    assert report.durations.chosen.family == "lognormal"

    scenario = report_to_scenario(report)
    assert isinstance(scenario, Scenario)
    assert scenario.start == _month_after(report.frequency.last_month)
    assert scenario.years == 1 and len(scenario.processes) == 1
    process = scenario.processes[0]
    services = [x.service for x in incidents]
    assert process.scope == Scope(
        mix=[  # the places of the history, with their shares
            Place(services=[name], share=services.count(name) / 240)
            for name in sorted(set(services), key=lambda n: (-services.count(n), n))
        ]
    )
    assert isinstance(process.duration_minutes, Lognormal)
    assert sum(process.impact.values()) == pytest.approx(1, abs=1e-12)
    assert sum(process.cause.values()) == pytest.approx(1, abs=1e-12)

    path = tmp_path / "fitted.yaml"
    path.write_text(scenario_to_yaml(scenario), encoding="utf-8")
    assert load_scenario(path) == scenario

    json.dumps(report.to_dict())  # JSON-ready


def _month_after(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:])
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


def test_scenario_start_and_families_can_be_chosen():
    report = fit_incidents(history(120, seed=2))
    scenario = report_to_scenario(report, start="2030-07", duration="gamma", frequency="poisson")
    assert scenario.start == "2030-07"
    assert scenario.processes[0].duration_minutes.dist == "gamma"
    assert scenario.processes[0].frequency.dist == "poisson"
    with pytest.raises(InputError, match="YYYY-MM"):
        report_to_scenario(report, start="July 2030")
    with pytest.raises(InputError, match="one of"):
        report_to_scenario(report, duration="pareto")


def test_service_filter_scopes_the_process_and_keeps_the_whole_span():
    incidents = history(200, seed=4)
    report = fit_incidents(incidents, service="API")
    assert report.service == "api" and report.incidents == 100
    assert report.frequency.months == fit_incidents(incidents).frequency.months
    scenario = report_to_scenario(report)
    assert scenario.processes[0].scope == Scope(service="api")
    with pytest.raises(InputError, match=r"no incident of service 'db'.*'api' \(100\)"):
        fit_incidents(incidents, service="db")


def test_rows_sharing_an_incident_id_count_once():
    base = history(30, seed=6)
    rows = []
    for i, x in enumerate(base):
        first = Incident(f"INC{i}", x.start, x.end, x.impact, x.cause, "web", "", "", 2 * i + 2)
        rows += [first, Incident(f"INC{i}", x.start, x.end, x.impact, x.cause, "api", "", "",
                                 2 * i + 3)]  # fmt: skip
    report = fit_incidents(rows)
    assert report.rows == 60 and report.incidents == 30
    assert sum(report.frequency.counts) == 30
    assert any("60 rows are 30 incidents" in n for n in report.notes)
    assert fit_incidents(rows, merge_ids=False).incidents == 60


def test_too_few_incidents_says_how_many_are_needed_and_how_many_there_are():
    with pytest.raises(InputError) as err:
        fit_incidents(history(MIN_INCIDENTS - 3), source="small.csv")
    assert f"small.csv: {MIN_INCIDENTS - 3} incident(s)" in str(err.value)
    assert f"at least {MIN_INCIDENTS}" in str(err.value)


def test_all_zero_durations_in_incidents_are_refused():
    zero = [
        Incident(f"row {i}", 1_700_000_000 + i * 86400 * 7, 1_700_000_000 + i * 86400 * 7,
                 "full", row=i)
        for i in range(2, 22)
    ]  # fmt: skip
    with pytest.raises(InputError, match="all 20 durations are zero"):
        fit_incidents(zero, source="zero.csv")


def test_one_month_of_history_is_refused():
    t0 = int(datetime(2024, 3, 1, tzinfo=UTC).timestamp())
    same_month = [
        Incident(f"row {i}", t0 + i * 3600, t0 + i * 3600 + 60 * (i + 1), "full", row=i)
        for i in range(2, 20)
    ]
    with pytest.raises(InputError, match="covers only 2024-03"):
        fit_incidents(same_month)


def test_censored_incidents_are_kept():
    incidents = history(150, seed=9)
    flags = [i % 4 == 0 for i in range(150)]
    report = fit_incidents(incidents, censored=flags)
    assert report.durations.censored == sum(flags)
    assert any("censored" in n for n in report.notes)


# --------------------------------------------------------------------------- real files


@pytest.fixture(scope="module")
def github_fit():
    return fit_incident_file(GITHUB, GITHUB_MAPPING)


@pytest.fixture(scope="module")
def cloud_fit():
    return fit_incident_file(CLOUD, CLOUD_MAPPING)


def test_github_history_gives_a_report_and_a_scenario(github_fit, tmp_path):
    report, scenario = github_fit
    assert report.rows == 1248 and report.incidents == 819  # one row per component
    assert report.durations.zero_excluded == 22
    assert (report.frequency.first_month, report.frequency.last_month) == ("2022-03", "2026-08")
    assert report.frequency.chosen.family == "negbin"
    assert report.frequency.dispersion_test.rejects_poisson(0.001)
    assert report.durations.chosen.family == "lognormal"
    assert set(report.impact.counts) == {"full", "partial", "degraded", "none"}
    assert set(report.cause.counts) == {"", "third_party", "maintenance"}
    assert scenario.start == "2026-09"
    assert isinstance(scenario.processes[0].frequency, NegativeBinomial)
    path = tmp_path / "github.yaml"
    path.write_text(scenario_to_yaml(scenario), encoding="utf-8")
    assert load_scenario(path) == scenario


def test_cloud_history_gives_a_report_and_a_scenario(cloud_fit):
    report, scenario = cloud_fit
    assert report.incidents == 1031 and report.durations.zero_excluded == 3
    assert report.frequency.months == 36
    assert report.impact.counts == {"full": 1031}
    assert report.cause.counts == {"": 1031}
    assert scenario.start == "2021-01"
    assert scenario.processes[0].impact == {"full": 1.0}
    assert report.import_summary[0].endswith("1031 row(s) read, 1031 incident(s) used")


def test_github_history_notes_the_changing_rate(github_fit):
    report, _ = github_fit
    assert any(n.startswith("the last 12 months average") for n in report.notes)


def test_the_fitted_scenario_draws_histories_like_the_fit(github_fit):
    """The outage model, given the fitted scenario, draws the fitted rate, median and mix."""
    _, scenario = github_fit
    terms = contract(term={"start": f"{scenario.start}-01", "months": 12})
    first = int(scenario.start[:4]) * 12 + int(scenario.start[5:]) - 1
    model = OutageModel(scenario, terms, build_horizon(terms, first, first + 11))
    drawn = model.draw(np.random.default_rng(1), 400)
    process = scenario.processes[0]
    assert close(len(drawn.trial) / 400 / 12, process.frequency.mean_per_month, 0.03)
    minutes = (drawn.end - drawn.start) / 60
    assert close(float(np.median(minutes)), process.duration_minutes.median, 0.05)
    degraded = model.impacts.index("degraded")
    assert close(float(np.mean(drawn.impact == degraded)), process.impact["degraded"], 0.03)


def test_real_file_for_one_service(cloud_fit):
    report, scenario = fit_incident_file(
        CLOUD, CLOUD_MAPPING, service="amazon elastic compute cloud"
    )
    assert report.service == "Amazon Elastic Compute Cloud" and report.incidents == 68
    assert report.frequency.months == cloud_fit[0].frequency.months
    places = report.to_dict()["places"]
    assert sum(x["incidents"] for x in places) == 68
    scope = scenario.processes[0].scope
    assert isinstance(scope, Scope) and scope.mix is not None
    assert [(p.services, p.regions, p.share) for p in scope.mix] == [  # the regions seen
        (
            ["Amazon Elastic Compute Cloud"],
            x["regions"],
            pytest.approx(x["incidents"] / 68, abs=1e-5),
        )
        for x in places
    ]
    assert len(places) > 1 and all(len(x["regions"]) == 1 for x in places)


# --------------------------------------------------------------------------- the command


def parser() -> argparse.ArgumentParser:
    from slamodeler.cli.fit_command import add_fit_parser

    top = argparse.ArgumentParser(prog="slamodeler")
    add_fit_parser(top.add_subparsers(dest="command"))
    return top


def run_fit_cli(capsys, *argv: str) -> tuple[int, str, str]:
    from slamodeler.cli.fit_command import run_fit

    code = run_fit(parser().parse_args(["fit", *map(str, argv)]))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_table_and_scenario_file(capsys, tmp_path):
    out_file = tmp_path / "fitted.yaml"
    code, out, err = run_fit_cli(
        capsys, GITHUB, "--mapping", GITHUB_MAPPING, "--out", out_file, "--start", "2027-01"
    )
    assert code == 0
    assert "1248 row(s) read" in err and f"scenario written to {out_file}" in err
    assert "Fitted github_status_incidents_2022_2026.csv: 819 incidents (1,248 rows)" in out
    assert "negbin *" in out and "lognormal *" in out
    assert "Dispersion test (Poisson?): variance/mean" in out
    for family in ("exponential", "weibull", "gamma", "poisson"):
        assert family in out
    assert "KS p is approximate" in out

    text = out_file.read_text(encoding="utf-8")
    assert text.startswith("# Outage scenario fitted by `slamodeler fit`")
    assert str(GITHUB) in text.splitlines()[0]
    assert "edit it" in text
    assert 'start: "2027-01"' in text and "'': 0.895" in text
    scenario = load_scenario(out_file)
    assert scenario.start == "2027-01"
    assert scenario.processes[0].duration_minutes.dist == "lognormal"


def test_cli_json_is_stable(capsys):
    code, out, _ = run_fit_cli(capsys, CLOUD, "--mapping", CLOUD_MAPPING, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == [
        "source", "service", "rows", "incidents", "frequency", "durations", "impact", "cause",
        "places", "notes", "scenario_file", "scenario",
    ]  # fmt: skip
    assert data["scenario_file"] is None
    assert [f["family"] for f in data["frequency"]["fits"]] == ["negbin", "poisson"]
    assert data["durations"]["chosen"] == data["durations"]["fits"][0]["family"]
    assert set(data["durations"]["fits"][0]) == {
        "family", "params", "log_likelihood", "aic", "delta_aic", "ks_statistic", "ks_p_value",
        "converged",
    }  # fmt: skip
    assert data["frequency"]["dispersion_test"]["df"] == 35
    assert Scenario.model_validate(data["scenario"]).processes[0].impact == {"full": 1.0}
    code, again, _ = run_fit_cli(capsys, CLOUD, "--mapping", CLOUD_MAPPING, "--format", "json")
    assert again == out


def test_cli_bad_input_raises_input_error(capsys, tmp_path):
    with pytest.raises(InputError, match="no incident of service 'nope'"):
        run_fit_cli(capsys, CLOUD, "--mapping", CLOUD_MAPPING, "--service", "nope")
    with pytest.raises(InputError, match="YYYY-MM"):
        run_fit_cli(capsys, CLOUD, "--mapping", CLOUD_MAPPING, "--start", "2027-13")
    with pytest.raises(InputError, match="no such file"):
        run_fit_cli(capsys, tmp_path / "missing.csv")
    small = tmp_path / "small.csv"
    small.write_text(
        "start,end,impact\n2024-01-01T00:00Z,2024-01-01T01:00Z,full\n"
        "2024-02-01T00:00Z,2024-02-01T00:30Z,full\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=f"small.csv: 2 incident\\(s\\).*at least {MIN_INCIDENTS}"):
        run_fit_cli(capsys, small)
    with pytest.raises(InputError, match="cannot write"):
        run_fit_cli(capsys, CLOUD, "--mapping", CLOUD_MAPPING, "--out", tmp_path / "no" / "x.yaml")


def test_cli_fits_incidents_still_open_as_right_censored(capsys, tmp_path):
    """Rows without an end are open at --as-of; the exponential's censored maximum-likelihood
    mean is exact: all the time observed (open ones up to --as-of) over the incidents that
    ended."""
    ended = [30, 45, 60, 90, 120, 150, 200, 240]  # minutes
    lines = ["id,start,end,impact"]
    for i, minutes in enumerate(ended):
        start = datetime(2024, 1 + i % 6, 3, 8, tzinfo=UTC)
        end = datetime.fromtimestamp(start.timestamp() + minutes * 60, UTC)
        lines.append(f"E{i},{start:%Y-%m-%dT%H:%MZ},{end:%Y-%m-%dT%H:%MZ},full")
    opened = ["2024-06-30T20:00Z", "2024-06-30T22:30Z", "2024-06-30T23:00Z"]
    lines += [f"O{i},{start},,full" for i, start in enumerate(opened)]
    export = tmp_path / "open.csv"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")

    as_of = "2024-07-01T00:00Z"
    code, out, err = run_fit_cli(capsys, export, "--as-of", as_of, "--format", "json")
    assert code == 0
    assert "3 row(s) used, note: end: still open: counted until --as-of 2024-07-01T00:00Z" in err
    durations = json.loads(out)["durations"]
    assert (durations["observed"], durations["censored"]) == (8, 3)
    so_far = [240, 90, 60]  # minutes from each open start to --as-of
    (exponential,) = [f for f in durations["fits"] if f["family"] == "exponential"]
    assert exponential["params"]["mean"] == pytest.approx((sum(ended) + sum(so_far)) / 8, 1e-6)

    # by default open until the latest time in the file: the last start, so the incident that
    # opened then has lasted nothing yet and is left out with the zero durations
    code, out, err = run_fit_cli(capsys, export, "--format", "json")
    durations = json.loads(out)["durations"]
    assert (durations["censored"], durations["zero_excluded"]) == (2, 1)
    assert "counted until the latest time in the file (2024-06-30T23:00Z)" in err
