"""Form fields bound to one term of the contract document: a line edit, a drop-down, a date or a
few lines of text that show the term, commit what the user enters as one undoable edit, and show
the domain's message for that term under it (the field tinted), as the tables do for their cells."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from slamodeler.gui.editor.document import ContractDocument, Path
from slamodeler.services.contract_edits import Place, place_of

ERROR_STYLE = "color: #b03a2e;"
INVALID_BORDER = "border: 1px solid #c0392b;"
PathOf = Path | Callable[[], Path]


def as_text(value: Any) -> str:
    return "" if value is None else str(value)


def optional_text(text: str) -> str | None:
    """An empty field means the term is absent (no cap, no limit)."""
    return text or None


def whole_number(text: str) -> int | str:
    """ "12" -> 12; anything else is kept as typed, for the domain to say what is wrong with it."""
    return int(text) if text.isdecimal() else text


def word_list(text: str) -> list[str]:
    """ "Compute, Storage" -> ["Compute", "Storage"]; empty -> []."""
    return [word.strip() for word in text.split(",") if word.strip()]


def listed(value: Any) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else as_text(value)


def note(text: str) -> QLabel:
    """A sentence under a form saying what its terms mean."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def form_group(
    title: str, rows: Sequence[tuple[str | QWidget, QWidget]], explanation: str
) -> QGroupBox:
    """A titled form of (label, field) rows, with a sentence under it saying what they mean."""
    group = QGroupBox(title)
    form = QFormLayout(group)
    for label, field in rows:
        form.addRow(label, field)
    form.addRow(note(explanation))
    return group


class _Bound(QWidget):
    """The message line under a field, and where the field's term is. ``named`` (the widget a
    user types or picks in) is named after the term: ``term_claim_rate``. ``write`` stores what
    the user entered: by default one undoable edit of the term (:meth:`write_term`)."""

    write: Callable[[Any, str], None]

    def __init__(
        self,
        document: ContractDocument,
        path: PathOf,
        label: str,
        field: QWidget,
        named: QWidget,
        write: Callable[[Any, str], None] | None = None,
    ):
        super().__init__()
        self.document, self._path, self.label = document, path, label
        self.write = write or self.write_term
        named.setObjectName(f"term_{self.path.parts[-1]}")
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(1)
        box.addWidget(field)
        box.addWidget(self.message)
        self.tinted = field
        document.changed.connect(self.refresh)

    @property
    def path(self) -> Place:
        return place_of(self._path() if callable(self._path) else self._path)

    def value(self) -> Any:
        return self.document.get(self.path)

    def write_term(self, value: Any, shown: str) -> None:
        self.document.set_value(self.path, value, f"{self.label} = {shown or 'none'}")

    def refresh(self) -> None:
        problems = self.document.problems_at(self.path)
        self.message.setText("\n".join(problems))
        self.message.setVisible(bool(problems))
        self.tinted.setStyleSheet(INVALID_BORDER if problems else "")
        self.tinted.setToolTip("\n".join(problems))


class TermField(_Bound):
    """A line edit; ``parse`` turns its text into the value stored, ``show`` the reverse. Give
    ``widget`` to bind a line edit that lives inside another widget (an editable drop-down)."""

    def __init__(
        self,
        document: ContractDocument,
        path: PathOf,
        label: str,
        *,
        placeholder: str = "",
        parse: Callable[[str], Any] = str,
        show: Callable[[Any], str] = as_text,
        write: Callable[[Any, str], None] | None = None,
        edit: QLineEdit | None = None,
        widget: QWidget | None = None,
    ):
        self.edit = edit or QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        super().__init__(document, path, label, widget or self.edit, self.edit, write)
        # not ``self.show``, which would hide QWidget.show
        self.parse, self.display = parse, show
        self.edit.editingFinished.connect(self.commit)
        self.refresh()

    def commit(self) -> None:
        text = self.edit.text().strip()
        if text != self.display(self.value()):  # not a focus change over a term shown as it is
            self.write(self.parse(text), text)

    def refresh(self) -> None:
        text = self.display(self.value())
        if self.edit.text() != text:
            self.edit.setText(text)
        super().refresh()


class TermChoice(_Bound):
    """A drop-down of the values the term may take, each with the words a user reads."""

    def __init__(
        self,
        document: ContractDocument,
        path: PathOf,
        label: str,
        choices: Sequence[tuple[Any, str]],
        *,
        write: Callable[[Any, str], None] | None = None,
    ):
        self.combo = QComboBox()
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(12)
        for value, words in choices:
            self.combo.addItem(words, value)
        super().__init__(document, path, label, self.combo, self.combo, write)
        self.combo.activated.connect(self.commit)
        self.refresh()

    def commit(self, _index: int = 0) -> None:
        self.write(self.combo.currentData(), self.combo.currentText())

    def refresh(self) -> None:
        index = self.combo.findData(self.value())
        if self.combo.currentIndex() != index:
            self.combo.setCurrentIndex(index)
        super().refresh()


class TermDate(_Bound):
    """A date, typed (YYYY-MM-DD, the arrow keys step the part under the cursor) or picked from
    the calendar; committed on Enter, on leaving the field, or when a day is picked."""

    def __init__(self, document: ContractDocument, path: PathOf, label: str):
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        super().__init__(document, path, label, self.date, self.date)
        self.date.editingFinished.connect(self.commit)
        calendar = self.date.calendarWidget()
        calendar.clicked.connect(self.commit)  # a day clicked
        calendar.activated.connect(self.commit)  # or chosen with the keys and Enter
        self.refresh()

    def commit(self, *_: Any) -> None:
        text = self.date.date().toString(Qt.DateFormat.ISODate)
        if text != as_text(self.value()):
            self.write(text, text)

    def refresh(self) -> None:
        day = QDate.fromString(as_text(self.value()), Qt.DateFormat.ISODate)
        if day.isValid() and self.date.date() != day:
            self.date.setDate(day)
        super().refresh()


class _PlainText(QPlainTextEdit):
    """Lines of text that say when the user leaves them (Tab moves on, as in a form)."""

    editing_finished = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setTabChangesFocus(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editing_finished.emit()


class TermText(_Bound):
    """A few lines of free text (``lines_shown`` of them without scrolling), committed when the
    user leaves the field."""

    def __init__(
        self,
        document: ContractDocument,
        path: PathOf,
        label: str,
        *,
        placeholder: str = "",
        lines_shown: int = 3,
    ):
        self.text = _PlainText()
        self.text.setPlaceholderText(placeholder)
        lines = self.text.fontMetrics().lineSpacing()
        self.text.setFixedHeight(lines_shown * lines + 12)
        super().__init__(document, path, label, self.text, self.text)
        self.text.editing_finished.connect(self.commit)
        self.refresh()

    def commit(self) -> None:
        text = self.text.toPlainText().strip()
        if text != as_text(self.value()):
            self.write(text, textwrap.shorten(text, 40, placeholder="…"))

    def refresh(self) -> None:
        text = as_text(self.value())
        if self.text.toPlainText().strip() != text:
            self.text.setPlainText(text)
        super().refresh()
