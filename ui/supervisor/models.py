"""Table models of the supervisor's screen: the open batches, and one batch's applications
with face thumbnails decrypted lazily (only rows the view asks for) in a worker, then cached."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QObject,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QImage, QPixmap

from issuance.domain.workflow import STATE_NAMES, State
from issuance.labels import in_language
from issuance.queries.batches import BatchRow, BatchSummary
from issuance.services import enrolment
from ui.context import DeskContext
from ui.tables import Index, RowsModel

# Compact rows: a face small enough for a row of text shows which row is whom; the detail
# pane below shows the selected applicant's photo at full size.
THUMB_WIDTH, THUMB_HEIGHT = 18, 22


def state_name(state: str, language: str) -> str:
    try:
        code = State(state)
    except ValueError:
        return state
    return in_language(STATE_NAMES, code, language, default=state)


class BatchListModel(RowsModel[BatchSummary]):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__((), parent)
        self._headers = [
            self.tr("Batch"), self.tr("Submitted"), self.tr("Approved"), self.tr("Rejected"),
            self.tr("Flagged"),
        ]  # fmt: skip

    @property
    def batches(self) -> list[BatchSummary]:
        return self.rows

    def set_batches(self, batches: list[BatchSummary]) -> None:
        self.set_rows(batches)

    def text(self, row: BatchSummary, column: int) -> str:
        values = (row.label, row.submitted, row.approved, row.rejected, row.flagged)
        return str(values[column])


class BatchTableModel(RowsModel[BatchRow]):
    """One row per application. Thumbnails: ``data`` only queues the ids the view paints; a
    single worker then unseals that handful, so scrolling 500 rows never decrypts 500 faces."""

    COLUMNS = ("photo", "number", "surname", "given_names", "nationality", "birth_date",
               "permit", "state", "flags", "duplicates")  # fmt: skip

    def __init__(self, desk: DeskContext, parent: QObject | None = None) -> None:
        super().__init__((), parent)
        self._desk = desk
        self._row_of: dict[int, int] = {}
        self._thumbs: dict[int, QPixmap | None] = {}
        self._wanted: set[int] = set()
        self._loading: set[int] = set()
        self.thumbnail_loads = 0  # worker runs, for tests and diagnostics
        self._flush = QTimer(self, singleShot=True, interval=0)
        self._flush.timeout.connect(self._load_wanted)
        self._headers = [
            self.tr("Photo"), self.tr("Application"), self.tr("Surname"), self.tr("Given names"),
            self.tr("Nationality"), self.tr("Born"), self.tr("Permit"), self.tr("State"),
            self.tr("Flags"), self.tr("Possible duplicates"),
        ]  # fmt: skip

    # -- content ------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[BatchRow]) -> None:
        self._row_of = {row.application_id: n for n, row in enumerate(rows)}
        self._wanted.clear()
        super().set_rows(rows)

    def row_of(self, application_id: int) -> int | None:
        return self._row_of.get(application_id)

    def replace(self, row: BatchRow) -> None:
        n = self._row_of.get(row.application_id)
        if n is None:
            return
        self.rows[n] = row
        self.dataChanged.emit(self.index(n, 0), self.index(n, len(self.COLUMNS) - 1))

    def thumbnail(self, application_id: int) -> QPixmap | None:
        return self._thumbs.get(application_id)

    # -- Qt model -----------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        if column == "photo":
            if role == Qt.ItemDataRole.DecorationRole:
                return self._thumbnail_for(row.application_id)
            if role == Qt.ItemDataRole.SizeHintRole:
                return QSize(THUMB_WIDTH + 8, THUMB_HEIGHT + 4)
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in ("flags", "duplicates"):
            return self._text(row, column)
        return None

    def _text(self, row: BatchRow, column: str) -> str:
        language = self._desk.language
        if column == "number":
            return row.number
        if column == "surname":
            return row.surname
        if column == "given_names":
            return row.given_names
        if column == "nationality":
            return row.nationality
        if column == "birth_date":
            return row.birth_date.strftime("%d.%m.%Y")
        if column == "permit":
            return row.permit_number
        if column == "state":
            return state_name(row.state, language)
        if column == "flags":
            return str(len(row.flags)) if row.flags else ""
        if column == "duplicates":
            return ", ".join(d.application_number for d in row.duplicates)
        return ""

    # -- lazy thumbnails ----------------------------------------------------------------

    def _thumbnail_for(self, application_id: int) -> QPixmap | None:
        if application_id in self._thumbs:
            return self._thumbs[application_id]
        if application_id not in self._loading:
            self._wanted.add(application_id)
            self._flush.start()
        return None

    def _load_wanted(self) -> None:
        ids = sorted(self._wanted - self._loading)
        self._wanted.clear()
        if not ids:
            return
        self._loading.update(ids)
        self.thumbnail_loads += 1
        ctx, actor = self._desk.ctx, self._desk.actor
        assert actor is not None

        def load() -> dict[int, QImage | None]:
            images: dict[int, QImage | None] = {}
            for application_id in ids:
                data = enrolment.read_capture(ctx, actor, application_id, "face", "face")
                image = QImage.fromData(data) if data else QImage()
                images[application_id] = (
                    None
                    if image.isNull()
                    else image.scaled(
                        THUMB_WIDTH,
                        THUMB_HEIGHT,
                        Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )  # fmt: skip
                )
            return images

        self._desk.jobs.run(load, self._thumbnails_loaded, self._load_failed)

    def _thumbnails_loaded(self, images: dict[int, QImage | None]) -> None:
        for application_id, image in images.items():
            self._loading.discard(application_id)
            # QPixmap only on the GUI thread; the worker hands over QImages.
            self._thumbs[application_id] = QPixmap.fromImage(image) if image else None
            n = self._row_of.get(application_id)
            if n is not None:
                self.dataChanged.emit(
                    self.index(n, 0), self.index(n, 0), [Qt.ItemDataRole.DecorationRole]
                )

    def _load_failed(self, error: Exception) -> None:
        # A missing thumbnail is not worth an error dialog; the detail pane shows the reason.
        self._loading.clear()
