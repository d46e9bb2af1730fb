"""Layers of simulated credits (docs/simulation-output.md, Layers): for ``L xs R``, the expected
credits in the layer, E[min(max(X - R, 0), L)], the probability of attaching, P(X > R), and of
exhausting, P(X >= R + L), where X is a trial's credits over the horizon.

From trials each figure is a sample mean, with its standard error (the sample standard deviation
over sqrt(n); for a probability p, sqrt(p (1 - p) / (n - 1))). From a computed distribution
(values and their probabilities) the same figures are exact and their standard errors 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from slamodeler.domain.layers import Layer

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class LayerFigures:
    layer: Layer
    trials: int  # 0 for a computed distribution
    expected: float  # mean credits in the layer
    expected_se: float
    p_attach: float
    p_attach_se: float
    p_exhaust: float
    p_exhaust_se: float

    @property
    def rate_on_line(self) -> float:
        """Expected credits in the layer over its limit: the pure premium's share of the cover
        (0 for an unlimited layer)."""
        return 0.0 if math.isinf(self.layer.limit) else self.expected / self.layer.limit


def in_layer(values: F64, layer: Layer) -> F64:
    """What the layer pays on each value: min(max(x - R, 0), L)."""
    return np.minimum(np.maximum(values - layer.retention, 0.0), layer.limit)


def _mean_se(values: F64) -> tuple[float, float]:
    n = len(values)
    mean = float(values.mean())
    return mean, float(values.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan


def layer_figures(credits: F64, layer: Layer) -> LayerFigures:
    """The layer's figures over trials (``credits``: one total per trial). No trials: NaN."""
    if not len(credits):
        nan = math.nan
        return LayerFigures(layer, 0, nan, nan, nan, nan, nan, nan)
    paid = in_layer(credits, layer)
    attach = (credits > layer.retention).astype(np.float64)
    exhaust = (credits >= layer.exhaust).astype(np.float64)
    return LayerFigures(layer, len(credits), *_mean_se(paid), *_mean_se(attach), *_mean_se(exhaust))


def distribution_layer(values: F64, probs: F64, layer: Layer) -> LayerFigures:
    """The layer's figures for a computed distribution: ``values`` with probabilities ``probs``
    (summing to 1). Exact, so with standard errors 0."""
    paid = float(np.dot(in_layer(values, layer), probs))
    attach = float(probs[values > layer.retention].sum())
    exhaust = float(probs[values >= layer.exhaust].sum())
    return LayerFigures(layer, 0, paid, 0.0, attach, 0.0, exhaust, 0.0)


def layers_of(credits: F64, layers: list[Layer]) -> list[LayerFigures]:
    """Several layers over the same trials, in the order given."""
    return [layer_figures(credits, layer) for layer in layers]


@dataclass(frozen=True)
class LayerSet:
    """Layers of one series of a simulation (a tier, or the portfolio) over its horizon."""

    series: str
    years: int  # the horizon the credits are summed over: 1 for annual credits
    currency: str
    credits: F64  # one total per trial; none for a computed distribution (the exact method)
    figures: list[LayerFigures]
    mean: float  # the series' mean credits over the horizon

    @property
    def trials(self) -> int:
        return len(self.credits)
