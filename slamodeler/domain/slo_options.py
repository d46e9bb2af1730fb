"""The choices `slamodeler slo` offers, kept here so that the command's parser loads no engine."""

from __future__ import annotations

SLO_METHODS = ("exact", "monte-carlo")  # how the internal objective's breach odds are found
DEFAULT_BREACH = "0.05"  # the breach probability a period may have, unless asked otherwise
DEFAULT_OBJECTIVE_TRIALS = 20_000
