"""Where the user left the dividers between a view's panes, kept from one session to the next.

A splitter is known by the class of the view it belongs to and its place among that view's
splitters (the order they were made in), so no pane needs a name of its own; a layout saved by
another version of a view with other panes is simply not restored (``restoreState`` refuses it).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QSplitter, QWidget


def _splitters(view: QWidget) -> dict[str, QSplitter]:
    name = type(view).__name__
    return {f"splitters/{name}/{i}": s for i, s in enumerate(view.findChildren(QSplitter))}


def save_splitters(settings: QSettings, view: QWidget) -> None:
    for key, splitter in _splitters(view).items():
        settings.setValue(key, splitter.saveState())


def restore_splitters(settings: QSettings, view: QWidget) -> None:
    for key, splitter in _splitters(view).items():
        state = settings.value(key)
        if isinstance(state, QByteArray | bytes):
            splitter.restoreState(QByteArray(state))
