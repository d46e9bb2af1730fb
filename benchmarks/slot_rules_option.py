"""``--slot-rules``, shared by the replay and simulation benchmarks: measure the sample contract
with the slot rules of docs/measurement.md, section 4, to see what each costs."""

from __future__ import annotations

import argparse

from slamodeler.domain.contract import Contract

RULES: dict[str, dict[str, object]] = {
    "usual": {},
    "whole": {"slot_counting": "whole"},
    "more_than_half": {"slot_counting": "more_than_half"},
    "add": {"overlaps": "add"},
    "threshold": {"down_above": "0.05"},
    "all": {"slot_counting": "whole", "overlaps": "add", "down_above": "0.05"},
    # section 4a: office hours with two holidays a year
    "service_hours": {
        "service_hours": {
            "start": "08:00",
            "end": "18:00",
            "holidays": ["2025-12-25", "2026-12-25"],
        }
    },
}


def add_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--slot-rules",
        choices=list(RULES),
        default="usual",
        help="slot rules to measure with (default: the contract's own, any/worst/no threshold)",
    )


def with_slot_rules(contract: Contract, name: str) -> Contract:
    rules = {**contract.measurement.model_dump(), **RULES[name]}
    return Contract.model_validate({**contract.model_dump(), "measurement": rules})
