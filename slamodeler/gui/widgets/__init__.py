"""What every view shares: the theme, icons, error dialogs, the worker thread, and table and
splitter helpers."""
