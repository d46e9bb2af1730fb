"""The late tickets of dumped trials (``simulate --dump-trials``), beside their incident files:
replayed together with ``--tickets``, they give the credits the simulation counted."""

from __future__ import annotations

import functools
from pathlib import Path

from slamodeler.engine.simulation import SimulationRun, trial_support_tickets
from slamodeler.engine.ticket_draws import drawn_priorities
from slamodeler.io.output_files import write_file_atomic
from slamodeler.io.ticket_export import write_tickets_csv


def ticket_path(folder: Path, trial: int, tier_number: int | None) -> Path:
    """Trial ``trial``'s late tickets; ``tier_number`` (1, 2, ...) when several tiers draw."""
    suffix = "" if tier_number is None else f"-tier{tier_number}"
    return folder / f"trial-{trial:06d}-tickets{suffix}.csv"


def dump_tickets(run: SimulationRun, count: int, folder: Path) -> str:
    """Write the first ``count`` trials' late tickets of each tier that draws them; what to add
    to the replay command ("" when no tier draws tickets). Each file is written whole or not at
    all, and a read-only one is not replaced."""
    drawing = [
        (n, tier)
        for n, tier in enumerate(run.contract.tiers, 1)
        if drawn_priorities(tier, run.scenario)
    ]
    trials = range(min(count, run.trials))
    for n, tier in drawing:
        found = trial_support_tickets(run.contract, run.scenario, run.seed, trials, tier.name)
        for trial, tickets in found.items():
            path = ticket_path(folder, trial, None if len(drawing) == 1 else n)
            write = functools.partial(write_tickets_csv, tickets=tickets)
            write_file_atomic(path, write, "--dump-dir", "trial's tickets")
    if not drawing:
        return ""
    if len(drawing) == 1:
        return f" --tickets {ticket_path(folder, 0, None)}"
    return (
        f" --tier NAME --tickets {folder / 'trial-000000-tickets-tierN.csv'} (each tier with "
        "support targets draws its own tickets; N: the tier's place in the contract)"
    )
