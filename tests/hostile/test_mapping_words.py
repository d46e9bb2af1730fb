"""A mapping's word lists (impact_labels, cause_labels, a ticket mapping's priority_labels) are
matched without regard to case or surrounding spaces, so two keys that differ only so are one
word: refused naming both if they map to different values (the last once won without a word:
Sev1 full and SEV1 none made a 100% credit 0), accepted if they agree."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile
from tests.helpers.one_tier import one_tier

CONTRACT = one_tier(maintenance=True, support=True, name="Import demo")


@pytest.fixture
def files(tmp_path):
    contract = tmp_path / "contract.yaml"
    contract.write_text(CONTRACT, encoding="utf-8")
    incidents = tmp_path / "incidents.csv"
    incidents.write_text(
        "id,start,end,impact,cause\nM1,2024-04-02T10:00:00Z,2024-04-02T12:00:00Z,Sev1,Planned\n"
    )
    return contract, incidents


def _mapping(tmp_path, text: str, name: str = "mapping.yaml"):
    mapping = tmp_path / name
    mapping.write_text(text, encoding="utf-8")
    return mapping


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "impact_labels: {Sev1: full, SEV1: none}\n",
            ["line 1, impact_labels", "'Sev1' and 'SEV1'", "'full' and 'none'", "keep one"],
        ),
        (
            "impact_labels:\n  sev1: 0.5\n  ' Sev1 ': 0.25\n",
            ["line 1, impact_labels", "'sev1' and 'Sev1'", "0.5 and 0.25"],
        ),
        (
            "cause_labels: {Planned: maintenance, PLANNED: customer}\n",
            ["line 1, cause_labels", "'Planned' and 'PLANNED'", "'maintenance' and 'customer'"],
        ),
    ],
)
def test_mapping_words_equal_but_for_case_with_different_values_are_refused(
    tmp_path, capsys, files, text, names
):
    contract, incidents = files
    mapping = _mapping(tmp_path, text)
    code, _, _ = hostile(
        capsys, "replay", contract, incidents, "--mapping", mapping, names=["mapping.yaml", *names]
    )
    assert code == 2


def test_mapping_words_equal_but_for_case_with_the_same_value_are_one(tmp_path, capsys, files):
    contract, incidents = files
    mapping = _mapping(
        tmp_path,
        "impact_labels: {Sev1: full, SEV1: FULL}\ncause_labels: {Planned: x, planned: x}\n",
    )
    code, out, _ = hostile(capsys, "replay", contract, incidents, "--mapping", mapping)
    assert code == 0 and "Total per customer: owed 100.00," in out


def test_ticket_priority_words_equal_but_for_case_are_refused(tmp_path, capsys, files):
    contract, incidents = files
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "id,priority,opened,first_response\nT-1,Urgent,2024-04-02T10:00:00Z,2024-04-02T10:05:00Z\n"
    )
    mapping = _mapping(tmp_path, "priority_labels: {Urgent: P1, URGENT: P2}\n")
    code, _, _ = hostile(
        capsys, "replay", contract, incidents, "--mapping", _mapping(tmp_path, "impact_labels: {sev1: full}\n", "incidents.yaml"),
        "--tickets", tickets, "--tickets-mapping", mapping,
        names=["mapping.yaml", "priority_labels", "'Urgent' and 'URGENT'", "'P1' and 'P2'"],
    )  # fmt: skip
    assert code == 2
