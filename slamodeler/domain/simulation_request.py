"""What a simulation is asked to draw besides the contract and the scenario: how many trials, the
seed, and a horizon (years, start) replacing the scenario's own. Its limits are checked here, once,
for the command line, the desktop and the services alike; a refusal names the setting
(``SettingError.field``) so that each front end can point to its own control (`--trials`, the
Trials box)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from slamodeler.domain.errors import InputError
from slamodeler.domain.limits import DEFAULT_TRIALS, MAX_SCENARIO_YEARS
from slamodeler.domain.validation import changed

if TYPE_CHECKING:  # the scenario's models load with a scenario, not with the command line's options
    from slamodeler.domain.scenario import Scenario

METHODS = ("monte-carlo", "exact")  # how a run's distributions are found: drawn, or computed
SENSITIVITY_ORDERS = ("mean", "p99")  # what a tornado's bars are ordered by
FINDER_STATISTICS = {  # what a finder keeps within a budget (engine/finders.py), in words
    "mean": "mean credits paid per year",
    "p95": "P95 of credits paid per year",
    "p99": "P99 of credits paid per year",
    "margin": "expected margin per year",
}


class SettingError(InputError):
    """A setting out of its limits: ``field`` (trials, years, start) must be ``need``."""

    def __init__(self, field: str, value: object, need: str):
        self.field, self.value, self.need = field, value, need
        super().__init__(f"{field} {value!r}: must be {need}")


def check_trials(trials: int) -> None:
    """A simulation draws at least one trial (what a run may hold is checked with its
    scenario: ``contract_limits.run_too_large``)."""
    if trials < 1:
        raise SettingError("trials", trials, "at least 1")


@dataclass(frozen=True)
class SimulationRequest:
    """Trials, seed, and the horizon when it replaces the scenario's (None: the scenario's)."""

    trials: int = DEFAULT_TRIALS
    seed: int = 1
    years: int | None = None
    start: str | None = None  # YYYY-MM

    def __post_init__(self) -> None:
        check_trials(self.trials)
        if self.years is not None and not 1 <= self.years <= MAX_SCENARIO_YEARS:
            raise SettingError("years", self.years, f"between 1 and {MAX_SCENARIO_YEARS}")
        if self.start is not None:
            from slamodeler.domain.scenario import is_month

            if not is_month(self.start):
                raise SettingError("start", self.start, "a month YYYY-MM, e.g. 2027-01")

    def horizon_of(self, scenario: Scenario) -> Scenario:
        """``scenario`` over this request's horizon, validated again as a scenario. A simulation
        then moves the start to the first month of a contract period, with a note."""
        update = {
            name: value
            for name, value in (("years", self.years), ("start", self.start))
            if value is not None
        }
        return changed(scenario, f"scenario {scenario.name!r}", **update) if update else scenario
