"""Temporary: the names that gui/simulation_view.py, gui/replay_view.py and gui/fit_view.py import
from here, where they lived before this module was split by job (``workspaces``, ``versions``,
``incident_sets``, ``runs``, ``export``). Those views are being moved behind the services by
issue 15's simulation and fitting work; this module goes when they import from the new modules.
Import from those modules, never from here."""

from slamodeler.services.incident_sets import read_incident_set
from slamodeler.services.runs import (
    Recomputed,
    ReplayMade,
    SimulationMade,
    replay_version,
    simulate_version,
)
from slamodeler.services.workspaces import Workspace, author_name

__all__ = [
    "Recomputed",
    "ReplayMade",
    "SimulationMade",
    "Workspace",
    "author_name",
    "read_incident_set",
    "replay_version",
    "simulate_version",
]
