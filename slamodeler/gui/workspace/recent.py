"""File > Open Recent: the workspaces opened last, most recent first, kept in QSettings.

At most :data:`LIMIT` entries. A workspace that no longer exists is dropped when the menu is
shown (the status bar says which), or, if it vanished since, when it is chosen (the window says
so); Clear empties the list.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

KEY = "workspace/recent"
LIMIT = 8


class RecentWorkspaces:
    """The list in QSettings, as absolute paths."""

    def __init__(self, settings: QSettings):
        self.settings = settings

    def paths(self) -> list[Path]:
        stored = self.settings.value(KEY, [], type=list)
        # the stubs say object; type=list makes PySide6 return a list, [] for a missing key
        assert isinstance(stored, list)
        return [Path(str(p)) for p in stored if str(p)]

    def _store(self, paths: list[Path]) -> None:
        self.settings.setValue(KEY, [str(p) for p in paths[:LIMIT]])

    def add(self, path: Path) -> None:
        path = path.resolve()
        self._store([path, *(p for p in self.paths() if p != path)])

    def remove(self, path: Path) -> None:
        self._store([p for p in self.paths() if p != path])

    def clear(self) -> None:
        self._store([])

    def drop_missing(self) -> list[Path]:
        """Forget the workspaces that no longer exist; return them."""
        paths = self.paths()
        missing = [p for p in paths if not p.exists()]
        if missing:
            self._store([p for p in paths if p not in missing])
        return missing


def _label(number: int, path: Path) -> str:
    folder = str(path.parent)
    home = str(Path.home())
    if folder == home or folder.startswith(home + "/"):
        folder = "~" + folder[len(home) :]
    text = f"{path.name}  ({folder})".replace("&", "&&")  # a literal & in a menu is &&
    return f"&{number} {text}"


class RecentMenu(QMenu):
    """Emits ``chosen(path)`` for an entry and ``dropped(paths)`` for the missing ones it left
    out; rebuilt each time it is shown."""

    chosen = Signal(Path)
    dropped = Signal(list)

    def __init__(self, recent: RecentWorkspaces, parent: QWidget | None = None):
        super().__init__("Open &Recent", parent)
        self.setObjectName("recentMenu")
        self.recent = recent
        self._entries: list[QAction] = []
        self.clear_action = self.addAction("&Clear Recent")  # kept across rebuilds
        self.clear_action.setObjectName("clearRecent")
        self.clear_action.triggered.connect(self._clear)
        self.aboutToShow.connect(self.rebuild)  # and by the window, once it listens to dropped

    def entries(self) -> list[QAction]:
        """The recent workspaces' actions, in the menu's order (their data is the path)."""
        return list(self._entries)

    def rebuild(self) -> None:
        missing = self.recent.drop_missing()
        for action in self._entries:
            self.removeAction(action)
            action.deleteLater()
        self._entries = []
        for action in self.actions():
            if action.isSeparator():
                self.removeAction(action)
        paths = self.recent.paths()
        first = self.clear_action
        for number, path in enumerate(paths, 1):
            action = QAction(_label(number, path), self)
            action.setData(str(path))
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.chosen.emit(p))
            self.insertAction(first, action)
            self._entries.append(action)
        if paths:
            self.insertSeparator(first)
        self.clear_action.setEnabled(bool(paths))
        if missing:
            self.dropped.emit(missing)

    def _clear(self) -> None:
        self.recent.clear()
        self.rebuild()
