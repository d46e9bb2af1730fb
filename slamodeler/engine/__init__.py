"""The measurement pipeline and its statistics: pure functions over domain objects (numpy)."""
