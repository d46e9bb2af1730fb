"""What more than one test module uses: builders, Hypothesis strategies, ways of driving the
window, the reference replay, the hostile-input bookkeeping, and the paths to the repository's
files. Test modules import from here, never from each other (tests/test_test_layout.py)."""
