"""Errors reach the user as a dialog, never as a traceback: bad input (``InputError``) as its
message, anything else as a short sentence with the traceback folded away under "Show Details"
and written to a log file."""

from __future__ import annotations

import io
import logging
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from slamodeler.domain.errors import InputError
from slamodeler.services.error_log import log_folder, open_private

log = logging.getLogger("slamodeler.gui")
F = TypeVar("F", bound=Callable[..., Any])


def log_path() -> Path:
    """``slamodeler-gui.log`` in the per-user log folder (e.g. ~/.local/state/SLA Modeler/log)."""
    return log_folder() / "slamodeler-gui.log"


class _PrivateFileHandler(logging.FileHandler):
    """A FileHandler that opens its file with :func:`open_private` (no symlink, user only)."""

    def _open(self) -> io.TextIOWrapper:
        return open_private(Path(self.baseFilename), new=False)


def setup_logging(path: Path | None = None) -> Path:
    """Log to ``path``, appending; a symlink in its place is refused (nothing is logged then),
    so that a planted link cannot make the GUI write into another file."""
    path = path or log_path()
    try:
        handler: logging.Handler = _PrivateFileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    for old in log.handlers:
        old.close()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(logging.INFO)
    log.propagate = False
    return path


class ErrorReporter:
    """Shows errors in a (non-blocking, window-modal) message box over ``parent``."""

    def __init__(self, parent: QWidget | None = None):
        self.parent = parent
        self.last: QMessageBox | None = None  # the dialog on screen, for tests and screenshots

    def report(self, exc: BaseException, doing: str = "") -> QMessageBox:
        box = QMessageBox(self.parent)
        box.setObjectName("errorDialog")
        prefix = f"Could not {doing}: " if doing else ""
        if isinstance(exc, InputError):
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("Please check")
            first, _, rest = str(exc).partition("\n")
            box.setText(prefix + first)
            if rest:
                box.setInformativeText(rest)
            log.info("input error: %s%s", prefix, exc)
        else:
            box.setIcon(QMessageBox.Icon.Critical)
            box.setWindowTitle("Something went wrong")
            box.setText(f"{prefix}an internal error occurred ({type(exc).__name__}: {exc}).")
            logged = [h for h in log.handlers if isinstance(h, logging.FileHandler)]
            written = (
                f"The details were written to {logged[0].baseFilename}"
                if logged
                else f"The details could not be written to {log_path()} (see Show Details)"
            )
            box.setInformativeText(
                f"Nothing saved was lost. {written}; please report them with the files that "
                "caused it."
            )
            details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
            box.setDetailedText(details)
            log.error(
                "internal error%s:\n%s", f" while trying to {doing}" if doing else "", details
            )
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        self.last = box
        box.open()  # window-modal, does not block the event loop
        return box

    def excepthook(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        exc.__traceback__ = tb
        self.report(exc)


def guarded(doing: str) -> Callable[[F], F]:
    """Decorate a method of an object with ``errors: ErrorReporter``: any exception it raises is
    reported (as ``Could not <doing>: ...``) instead of escaping into Qt."""

    def wrap(method: F) -> F:
        @wraps(method)
        def run(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except Exception as exc:
                self.errors.report(exc, doing)
                return None

        return run  # type: ignore[return-value]

    return wrap
