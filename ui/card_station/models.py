"""Table models of the card station: the queue of approved applications (with a progress bar
per card while it is produced), the spoiled blanks, and the cards ready for handover."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    Qt,
)
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
)

from issuance.queries.cards import HandoverCard, SpoiledCard, WaitingCard
from issuance.wall_clock import local_time
from ui.tables import Index, RowsModel

PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 1

# produce_card reports its steps in English words; the bar and the operator's text come from
# them. Writing the chip's files fills the span between "encoding" and "locking".
_STEP_PERCENT = {
    "checking the card in the reader": 5,
    "printing the card face": 10,
    "encoding the chip": 30,
    "locking the card": 75,
    "reading the chip back through BAC": 85,
    "card produced": 100,
}
_WRITING = re.compile(r"writing file (?P<file>[0-9A-F]{4}) \((?P<size>\d+) bytes\)")
_WRITE_STEP, _WRITE_CEILING = 8, 70


def step_percent(step: str, previous: int) -> int:
    """How far a card is, given the step the service just announced (never goes back)."""
    if step in _STEP_PERCENT:
        return max(previous, _STEP_PERCENT[step])
    if _WRITING.fullmatch(step):
        return max(previous, min(previous + _WRITE_STEP, _WRITE_CEILING))
    return previous


def step_text(step: str) -> str:
    """The step in the operator's language (the service's words are English)."""

    known = {
        "checking the card in the reader": QCoreApplication.translate(
            "CardStation", "Checking the card in the reader is blank…"
        ),
        "printing the card face": QCoreApplication.translate(
            "CardStation", "Printing the card face…"
        ),
        "encoding the chip": QCoreApplication.translate("CardStation", "Encoding the chip…"),
        "locking the card": QCoreApplication.translate("CardStation", "Locking the chip…"),
        "reading the chip back through BAC": QCoreApplication.translate(
            "CardStation", "Reading the chip back and verifying…"
        ),
        "card produced": QCoreApplication.translate("CardStation", "Card produced"),
    }
    if step in known:
        return known[step]
    writing = _WRITING.fullmatch(step)
    if writing:
        return QCoreApplication.translate(
            "CardStation", "Writing chip file {file} ({size} bytes)…"
        ).format(file=writing["file"], size=writing["size"])
    return step


class QueueModel(RowsModel[WaitingCard]):
    """Approved applications waiting for a card. The last column is the card's progress."""

    PROGRESS_COLUMN = 6

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                self.tr("Application"), self.tr("Surname"), self.tr("Given names"),
                self.tr("Nationality"), self.tr("Born"), self.tr("Personal number"),
                self.tr("Card"),
            ],
            parent,
        )  # fmt: skip
        # application id -> (percent, operator's text) while its card is being produced
        self._progress: dict[int, tuple[int, str]] = {}

    def row_of(self, application_id: int) -> int | None:
        return next(
            (n for n, r in enumerate(self.rows) if r.application_id == application_id), None
        )

    def progress_of(self, application_id: int) -> int | None:
        entry = self._progress.get(application_id)
        return entry[0] if entry else None

    def set_progress(self, application_id: int, percent: int, text: str) -> None:
        self._progress[application_id] = (percent, text)
        self._changed(application_id)

    def clear_progress(self, application_id: int) -> None:
        if self._progress.pop(application_id, None) is not None:
            self._changed(application_id)

    def _changed(self, application_id: int) -> None:
        n = self.row_of(application_id)
        if n is not None:
            cell = self.index(n, self.PROGRESS_COLUMN)
            self.dataChanged.emit(cell, cell)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == self.PROGRESS_COLUMN and role == PROGRESS_ROLE:
            return self.progress_of(self.rows[index.row()].application_id)
        return super().data(index, role)

    def text(self, row: WaitingCard, column: int) -> str:
        if column < self.PROGRESS_COLUMN:
            return (row.number, row.surname, row.given_names, row.nationality,
                    f"{row.birth_date:%d.%m.%Y}", row.nid or "")[column]  # fmt: skip
        if row.application_id in self._progress:
            return self._progress[row.application_id][1]
        if row.left_in_production:
            return self.tr("Blank {number} left in production").format(
                number=row.left_in_production
            )
        if row.spoiled:
            return self.tr("Reprint ({count} spoiled)").format(count=row.spoiled)
        return self.tr("Waiting")


class SpoiledModel(RowsModel[SpoiledCard]):
    """The spoiled blanks, each with its reason in words in the desk's language."""

    def __init__(self, parent: QObject | None = None, language: str = "en") -> None:
        super().__init__(
            [
                self.tr("Card"), self.tr("Application"), self.tr("Name"), self.tr("Reason"),
                self.tr("When"),
            ],
            parent,
        )  # fmt: skip
        self.language = language

    def text(self, row: SpoiledCard, column: int) -> str:
        when = f"{local_time(row.at):%d.%m.%Y %H:%M}" if row.at else ""
        return (row.document_number, row.application_number,
                f"{row.surname}, {row.given_names}", row.reason_in(self.language),
                when)[column]  # fmt: skip


class HandoverModel(RowsModel[HandoverCard]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                self.tr("Application"), self.tr("Surname"), self.tr("Given names"),
                self.tr("Personal number"), self.tr("Valid until"),
            ],
            parent,
        )  # fmt: skip

    def row_of(self, application_id: int) -> int | None:
        return next(
            (n for n, r in enumerate(self.rows) if r.application_id == application_id), None
        )

    def text(self, row: HandoverCard, column: int) -> str:
        return (row.number, row.surname, row.given_names, row.nid or "",
                f"{row.expires_on:%d.%m.%Y}")[column]  # fmt: skip


class ProgressDelegate(QStyledItemDelegate):
    """Paints a progress bar in the cell of a card being produced; plain text otherwise."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        percent = index.data(PROGRESS_ROLE)
        if percent is None:
            super().paint(painter, option, index)
            return
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 2, -2, -2)
        bar.minimum, bar.maximum, bar.progress = 0, 100, int(percent)
        bar.text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        bar.textVisible = True
        bar.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Horizontal
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter)
