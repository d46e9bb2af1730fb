"""The question for the reason a version is saved or approved: the audit log keeps it, so OK
stays off (and a hint says why) until a reason is typed; blanks do not count."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

HINT = "Type a reason to go on: it is kept in the audit log with your name."


class ReasonDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, label: str):
        super().__init__(parent)
        self.setObjectName("reasonDialog")
        self.setWindowTitle(title)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("e.g. the customer asked for a 15% first band")
        self.hint = QLabel(HINT)
        self.hint.setEnabled(False)  # drawn greyed: a hint, not an error
        policy = self.hint.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the buttons stay put when it goes
        self.hint.setSizePolicy(policy)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(label))
        layout.addWidget(self.edit)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.edit.textChanged.connect(self._check)
        self._check()
        self.setMinimumWidth(420)

    def reason(self) -> str:
        return self.edit.text().strip()

    def _check(self) -> None:
        given = bool(self.reason())
        self.ok.setEnabled(given)
        self.hint.setVisible(not given)

    def accept(self) -> None:
        if self.reason():  # Enter in the field with no reason does not close the dialog
            super().accept()
