"""Every path the tests read, computed here once, so a test's depth in tests/ does not matter."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "slamodeler"
DOCS = REPO / "docs"
SAMPLES = REPO / "sample_contracts"
MAPPINGS = SAMPLES / "mappings"
TEST_DATA = REPO / "tests" / "data"
# The real incident histories live beside the repository, not in it (../shared/data).
SHARED = REPO.parent / "shared"
SHARED_DATA = SHARED / "data"
