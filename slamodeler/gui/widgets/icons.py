"""The window icon and the action icons, from ``resources/icons`` (made by scripts/build_icons.py).

Every size is added explicitly (``NAME-24.png``, ``NAME-24@2x.png``, ``NAME-48.png``...), so a
high-DPI screen gets the sharp file whatever the scale was when the icon was loaded. Action icons
come in a light-palette set (``actions/``) and a dark-palette one (``actions-dark/``);
:class:`ActionIcons` keeps the actions on the set that matches the palette, also when the system
switches between light and dark while the application runs. The few actions without a drawing of
their own take the desktop theme's icon, or the style's.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QStyle

PACKAGE = Path(__file__).resolve().parents[2]  # slamodeler/


def resources_dir() -> Path:
    """``resources/``: inside the package in an installed wheel (package data), beside it in a
    source checkout and in the PyInstaller bundle (``_internal/resources``)."""
    for candidate in (PACKAGE / "resources", PACKAGE.parent / "resources"):
        if (candidate / "icons").is_dir():
            return candidate
    return PACKAGE.parent / "resources"


def _from_files(files: list[Path]) -> QIcon:
    icon = QIcon()
    for path in files:
        icon.addFile(str(path))
    return icon


def app_icon() -> QIcon:
    """The application icon at every size that was rendered (16 to 1024 px)."""
    return _from_files(sorted((resources_dir() / "icons").glob("app-*.png")))


# Actions without a drawing in resources/: the desktop theme's icon, else the style's.
THEMED = {
    "quit": (QIcon.ThemeIcon.ApplicationExit, QStyle.StandardPixmap.SP_DialogCloseButton),
    "find": (QIcon.ThemeIcon.EditFind, QStyle.StandardPixmap.SP_FileDialogContentsView),
    "clear": (QIcon.ThemeIcon.EditClear, QStyle.StandardPixmap.SP_LineEditClearButton),
    "about": (QIcon.ThemeIcon.HelpAbout, QStyle.StandardPixmap.SP_MessageBoxInformation),
    "find-term": (QIcon.ThemeIcon.SystemSearch, QStyle.StandardPixmap.SP_FileDialogDetailedView),
    "dispute": (QIcon.ThemeIcon.DialogQuestion, QStyle.StandardPixmap.SP_MessageBoxQuestion),
    "report": (QIcon.ThemeIcon.DocumentPrint, QStyle.StandardPixmap.SP_FileIcon),
}


def action_icon(name: str, dark: bool = False) -> QIcon:
    """``resources/icons/actions[-dark]/NAME-*.png``, or the themed icon listed in ``THEMED``."""
    folder = resources_dir() / "icons" / ("actions-dark" if dark else "actions")
    files = sorted(folder.glob(f"{name}-*.png"))
    if files or name not in THEMED:
        return _from_files(files)
    theme, standard = THEMED[name]
    return QIcon.fromTheme(theme, QApplication.style().standardIcon(standard))


def palette_is_dark(palette: QPalette | None = None) -> bool:
    """The system's colour scheme when it says one, else the (application's) palette's window
    colour."""
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme != scheme.Unknown:
        return scheme == scheme.Dark
    window = (palette or QGuiApplication.palette()).color(QPalette.ColorRole.Window)
    return window.lightness() < 128


class ActionIcons(QObject):
    """Gives actions their icon and swaps the light and dark sets when the palette changes
    (``colorSchemeChanged``; the window calls :meth:`refresh` on a palette change too)."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.dark = palette_is_dark()
        self._named: list[tuple[QAction, str]] = []
        QGuiApplication.styleHints().colorSchemeChanged.connect(self.refresh)

    def set(self, action: QAction, name: str) -> QAction:
        self._named.append((action, name))
        action.setIcon(action_icon(name, self.dark))
        return action

    def refresh(self) -> None:
        dark = palette_is_dark()
        if dark == self.dark:
            return
        self.dark = dark
        for action, name in self._named:
            action.setIcon(action_icon(name, dark))
