"""A supervisor revokes a valid card (permit revoked at FER, fraud, death of the holder) with a
note; whether it may be revoked (four eyes, already revoked) is the service's decision."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from issuance.services import card_lifecycle
from ui.widgets import named


class RevokeCardDialog(QDialog):
    """Asks for the reason (one of the service's) and an optional note."""

    def __init__(self, document_number: str, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("revoke-dialog")
        self.document_number = document_number
        self.setWindowTitle(self.tr("Revoke card {number}").format(number=document_number))
        self.reason = named(QComboBox(), "revoke-reason")
        self.reason.addItem(self.tr("— choose the reason —"), None)
        for code in card_lifecycle.REVOCATION_REASONS:
            self.reason.addItem(card_lifecycle.reason_name(code, language), code)
        self.note = named(QPlainTextEdit(), "revoke-note")
        self.note.setPlaceholderText(self.tr("e.g. the FER decision's number"))
        self.note.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("&Revoke card"))
        self.ok.setObjectName("revoke-confirm")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.currentIndexChanged.connect(self._update)

        form = QFormLayout()
        reason_label = QLabel(self.tr("R&eason"))
        reason_label.setBuddy(self.reason)
        note_label = QLabel(self.tr("&Note"))
        note_label.setBuddy(self.note)
        form.addRow(reason_label, self.reason)
        form.addRow(note_label, self.note)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "Card {number} will no longer be valid. The civil registry and FER are told, and "
            "the holder is notified. This cannot be undone."
        ).format(number=document_number), wordWrap=True))  # fmt: skip
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update()
        self.reason.setFocus()

    def choose_reason(self, code: str) -> None:
        self.reason.setCurrentIndex(self.reason.findData(code))

    def reason_code(self) -> str | None:
        data = self.reason.currentData()
        return str(data) if data else None

    def note_text(self) -> str:
        return self.note.toPlainText().strip()

    def _update(self, _index: int = 0) -> None:
        self.ok.setEnabled(self.reason_code() is not None)
