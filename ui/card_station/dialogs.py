"""The card station's dialog for a blank that did not become a card: which reason, in words."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ui.widgets import named


class SpoilDialog(QDialog):
    """Asks why the blank is spoiled (a usual reason, or the operator's own words); whether
    the reason is good enough is the service's decision."""

    def __init__(self, document_number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spoil-dialog")
        self.setWindowTitle(
            self.tr("Record card {number} as spoiled").format(number=document_number)
        )
        self.reason = named(QComboBox(), "spoil-reason")
        self.reason.setEditable(True)
        self.reason.addItems([
            "",
            self.tr("The production run was interrupted"),
            self.tr("Misprinted card face"),
            self.tr("The card was pulled out of the reader"),
            self.tr("The card is physically damaged"),
        ])  # fmt: skip
        self.reason.setCurrentIndex(0)
        line = self.reason.lineEdit()
        assert line is not None
        line.setPlaceholderText(self.tr("What happened to this blank?"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Record as &spoiled"))
        ok.setObjectName("spoil-confirm")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "Card {number} will never be used: its chip and print are of unknown state. Its "
            "application returns to the queue for a new blank."
        ).format(number=document_number), wordWrap=True))  # fmt: skip
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self.reason.setFocus()

    def text(self) -> str:
        return self.reason.currentText()
