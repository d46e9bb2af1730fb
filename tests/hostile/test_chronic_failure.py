"""Hostile chronic-failure clauses: a window the misses cannot fit in, counts out of range, a
misspelt key. Each is refused with exit 2 and a message naming the field."""

from __future__ import annotations

import pytest

from tests.helpers.hostile_inputs import hostile
from tests.helpers.paths import SAMPLES

BASE = (SAMPLES / "three_tier_cloud.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("clause", "names"),
    [
        ("{missed: 4, of: 3}", ["chronic_failure.missed", "at most `of`"]),
        ("{missed: 0, of: 3}", ["chronic_failure.missed"]),
        ("{missed: 2, of: 100}", ["chronic_failure.of"]),
        ("{missed: 2, out_of: 3}", ["chronic_failure.out_of"]),
        ("three strikes", ["chronic_failure"]),
    ],
)
def test_a_bad_clause_is_refused_naming_the_field(tmp_path, capsys, clause, names):
    path = tmp_path / "chronic.yaml"
    path.write_text(BASE + f"chronic_failure: {clause}\n", encoding="utf-8")
    code, _, _ = hostile(capsys, "validate", path, names=names)
    assert code == 2
