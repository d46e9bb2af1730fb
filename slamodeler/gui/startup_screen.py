"""The start-up screen: the application's name on screen a moment after launch, while the rest
loads (numpy, pyqtgraph, SQLAlchemy, the views: about a second) and the workspace opens.

This module imports Qt and gui/widgets/icons.py only: anything heavier would delay the screen it shows
(benchmarks/startup.py measures it). The launcher shows it, then imports the application.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget

from slamodeler import __version__
from slamodeler.gui.widgets.icons import app_icon

WIDTH, HEIGHT, ICON, MARGIN = 420, 220, 96, 24
RETRY_MS = 10  # how often the screen looks whether the main window is on screen yet


class StartupScreen(QWidget):
    """A frameless window with the icon, the name, the version and what is happening. Not a
    QSplashScreen: its show() waits up to a second for the window system before it returns.

    Shown by :meth:`show_now` before the application is imported; closes itself once the main
    window is on screen (:meth:`until_window`)."""

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("startupScreen")
        self.setWindowTitle("SLA Modeler")
        self.setFixedSize(WIDTH, HEIGHT)
        self.message = ""

    @classmethod
    def show_now(cls) -> StartupScreen:
        """The QApplication (the application's own setup reuses it) and this screen, painted."""
        app = QApplication.instance() or QApplication(sys.argv[:1])
        screen = cls()
        screen.message = "Loading…"
        area = QApplication.primaryScreen().availableGeometry()
        screen.move(area.center() - screen.rect().center())
        screen.show()
        app.processEvents()
        return screen

    def say(self, text: str) -> None:
        self.message = text
        self.repaint()

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        painter = QPainter(self)
        painter.fillRect(self.rect(), palette.window())
        painter.setPen(palette.mid().color())
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        app_icon().paint(painter, QRect(MARGIN, 40, ICON, ICON))
        painter.setPen(palette.windowText().color())
        text = QRect(MARGIN + ICON + 20, 40, WIDTH - ICON - 2 * MARGIN - 20, ICON)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(text, Qt.AlignmentFlag.AlignVCenter, "SLA Modeler")
        painter.setFont(self.font())
        painter.drawText(text, Qt.AlignmentFlag.AlignBottom, f"version {__version__}")
        bottom = QRect(MARGIN, HEIGHT - 44, WIDTH - 2 * MARGIN, 28)
        painter.drawText(bottom, Qt.AlignmentFlag.AlignCenter, self.message)
        painter.end()

    def until_window(self) -> None:
        """Says the workspace is opening; once the event loop runs (the main window shown by
        then), closes as soon as the main window is on screen."""
        self.say("Opening the workspace…")
        QTimer.singleShot(0, self, self._hand_over)

    def _hand_over(self) -> None:
        if not self.isVisible():
            return
        for window in QApplication.topLevelWidgets():
            if window.objectName() != "mainWindow" or not window.isVisible():
                continue
            handle = window.windowHandle()
            if handle is not None and handle.isExposed():
                self.close()
                return
            QTimer.singleShot(RETRY_MS, self, self._hand_over)
            return
        self.close()  # no main window: the application stopped before it showed one
