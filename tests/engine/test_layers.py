"""Layers L xs R of credits: against hand-computed answers, a known distribution, and the
simulated distribution computed directly, trial by trial, in plain Python."""

from __future__ import annotations

import math

import numpy as np
import pytest

from slamodeler.domain.layers import Layer
from slamodeler.engine.exact import exact, paid_distribution
from slamodeler.engine.exposure import exposures
from slamodeler.engine.layers import distribution_layer, layer_figures, layers_of
from slamodeler.engine.simulation import simulate
from slamodeler.io.contract_file import load_contract
from slamodeler.io.scenario_file import load_scenario
from tests.helpers.paths import SAMPLES


def test_a_hand_computed_layer_over_five_trials():
    # 10 xs 5 pays 0, 0, 5, 10, 10 on trials of 0, 5, 10, 20, 30: mean 5.
    found = layer_figures(np.array([0.0, 5.0, 10.0, 20.0, 30.0]), Layer(5, 10))
    assert found.expected == 5.0
    # sample sd of (0, 0, 5, 10, 10): squares 25+25+0+25+25 = 100 over 4 -> 5; / sqrt(5)
    assert found.expected_se == pytest.approx(5 / math.sqrt(5))
    assert found.p_attach == pytest.approx(0.6)  # 10, 20, 30 are above 5 (5 itself is not)
    assert found.p_exhaust == pytest.approx(0.4)  # 20 and 30 reach 15
    # a share's standard error: sqrt(p (1 - p) / (n - 1)), the sample sd over sqrt(n)
    assert found.p_attach_se == pytest.approx(math.sqrt(0.6 * 0.4 / 4))
    assert found.rate_on_line == pytest.approx(0.5)


def test_credits_exactly_at_the_retention_do_not_attach_and_at_the_top_exhaust():
    found = layer_figures(np.array([100.0, 300.0]), Layer(100, 200))
    assert (found.p_attach, found.p_exhaust, found.expected) == (0.5, 0.5, 100.0)


def test_an_unlimited_layer_pays_everything_above_the_retention_and_never_exhausts():
    found = layer_figures(np.array([0.0, 50.0, 250.0]), Layer(100, math.inf))
    assert found.expected == pytest.approx(50.0)  # 150 / 3
    assert found.p_exhaust == 0.0 and found.rate_on_line == 0.0


def test_a_hand_computed_distribution_is_exact():
    # 0 w.p. 0.5, 100 w.p. 0.3, 300 w.p. 0.2; 150 xs 50 pays 0, 50, 150.
    values, probs = np.array([0.0, 100.0, 300.0]), np.array([0.5, 0.3, 0.2])
    found = distribution_layer(values, probs, Layer(50, 150))
    assert found.expected == pytest.approx(0.3 * 50 + 0.2 * 150)
    assert (found.p_attach, found.p_exhaust) == (pytest.approx(0.5), pytest.approx(0.2))
    assert found.expected_se == found.p_attach_se == 0.0


def test_trials_drawn_from_a_known_distribution_agree_within_their_standard_errors():
    values, probs = np.array([0.0, 100.0, 300.0, 1000.0]), np.array([0.6, 0.25, 0.1, 0.05])
    drawn = np.random.default_rng(7).choice(values, size=40_000, p=probs)
    for layer in (Layer(50, 150), Layer(250, 500), Layer(0, math.inf)):
        exact, sampled = distribution_layer(values, probs, layer), layer_figures(drawn, layer)
        assert abs(sampled.expected - exact.expected) < 4 * sampled.expected_se
        assert abs(sampled.p_attach - exact.p_attach) < 4 * sampled.p_attach_se
        assert abs(sampled.p_exhaust - exact.p_exhaust) <= 4 * sampled.p_exhaust_se


@pytest.fixture(scope="module")
def simulated():
    contract = load_contract(SAMPLES / "three_tier_cloud.yaml")
    scenario = load_scenario(SAMPLES / "scenarios" / "baseline.yaml")
    return simulate(contract, scenario, 1_000, 5)


@pytest.mark.parametrize("series", ["Gold", "portfolio"])
def test_layers_agree_with_the_simulated_distribution_computed_directly(simulated, series):
    paid = next(e for e in exposures(simulated) if e.name == series).paid
    trials = [float(x) for x in paid]
    low, high = sorted(trials)[len(trials) // 4], sorted(trials)[3 * len(trials) // 4]
    wanted = [Layer(low, high - low), Layer(high, math.inf), Layer(0, low)]
    for layer, found in zip(wanted, layers_of(paid, wanted), strict=True):
        in_layer = [min(max(x - layer.retention, 0.0), layer.limit) for x in trials]
        assert found.trials == len(trials)
        assert found.expected == pytest.approx(sum(in_layer) / len(trials), rel=1e-12)
        attach = sum(x > layer.retention for x in trials) / len(trials)
        exhaust = sum(x >= layer.retention + layer.limit for x in trials) / len(trials)
        assert (found.p_attach, found.p_exhaust) == (pytest.approx(attach), pytest.approx(exhaust))
    # the layers stacked from 0 add up to the mean credits
    stack = layers_of(paid, [Layer(0, low), Layer(low, high - low), Layer(high, math.inf)])
    assert sum(f.expected for f in stack) == pytest.approx(sum(trials) / len(trials))


def test_simulated_layers_agree_with_the_exact_methods_distribution():
    """Where the exact method applies, a layer of its computed distribution is the answer the
    simulation's layer estimates: they agree within four standard errors."""
    terms = load_contract(SAMPLES / "ec2_region_sla.yaml")
    scen = load_scenario(SAMPLES / "exact" / "platform_only.yaml")
    assert exact(terms, scen).differ_bound < 0.5  # the engine's rule and the compound sum agree
    values, probs = paid_distribution(terms, scen, "portfolio")
    paid = exposures(simulate(terms, scen, 20_000, 20261206))[-1].paid
    mean = float(values @ probs)
    for layer in (Layer(0.5 * mean, mean), Layer(1.5 * mean, math.inf), Layer(0, 0.5 * mean)):
        want, got = distribution_layer(values, probs, layer), layer_figures(paid, layer)
        assert 0 < want.p_attach < 1
        assert abs(got.expected - want.expected) < 4 * got.expected_se, layer
        assert abs(got.p_attach - want.p_attach) < 4 * got.p_attach_se + 1e-3, layer
        assert abs(got.p_exhaust - want.p_exhaust) < 4 * got.p_exhaust_se + 1e-3, layer
