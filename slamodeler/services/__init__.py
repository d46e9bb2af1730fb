"""Use cases shared by the GUI and the CLI, so that neither reimplements them."""
