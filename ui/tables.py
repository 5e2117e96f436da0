"""The desk's read-only tables: one model base for rows of any type, and one way to set up a
view, so every list (queues, batches, search results, operators) behaves the same to the
keyboard and the eye."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView

from ui.widgets import named

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


class RowsModel(QAbstractTableModel, Generic[Row]):
    """Rows as the service returned them; subclasses say how a cell reads (``text``).

    The text is also the tooltip, so a cell cut short by its column can still be read; the row
    itself is there under ``UserRole``."""

    # True while the rows are on their way from a worker: the view says "Loading…".
    loading_changed = Signal(bool)

    def __init__(self, headers: Sequence[str] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self.rows: list[Row] = []
        self.loading = False

    def begin_loading(self) -> None:
        self._set_loading(True)

    def end_loading(self) -> None:
        """The load failed (the screen says why): the list stops saying it is loading."""
        self._set_loading(False)

    def _set_loading(self, loading: bool) -> None:
        # A screen's first refresh may be queued (QTimer.singleShot) and run after the screen,
        # and this model with it, was already closed: nothing is left to tell.
        if not shiboken6.isValid(self):
            return
        if loading != self.loading:
            self.loading = loading
            self.loading_changed.emit(loading)

    def headers(self) -> Sequence[str]:
        return self._headers

    def text(self, row: Row, column: int) -> str:
        raise NotImplementedError

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()
        self._set_loading(False)

    def row(self, n: int) -> Row | None:
        return self.rows[n] if 0 <= n < len(self.rows) else None

    def rowCount(self, parent: Index = ROOT) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.headers())

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(row, index.column())
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None


class TextModel(RowsModel[tuple[str, ...]]):
    """Rows already turned into text, one string per column."""

    @property
    def texts(self) -> list[tuple[str, ...]]:
        return self.rows

    def set_texts(self, texts: Sequence[tuple[str, ...]]) -> None:
        self.set_rows(texts)

    def text(self, row: tuple[str, ...], column: int) -> str:
        return row[column]


class LoadingNote(QLabel):
    """"Loading…" across the top of a list while its model waits for its rows."""

    def __init__(self, view: QAbstractItemView, model: RowsModel[Any]) -> None:
        super().__init__(view.viewport())
        self.setObjectName("loading")
        self.setText(self.tr("Loading…"))
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("color: #555; font-style: italic; padding: 6px")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._view = view
        view.viewport().installEventFilter(self)
        model.loading_changed.connect(self._show)
        self._show(model.loading)

    def _show(self, loading: bool) -> None:
        self._fit()
        self.setVisible(loading)

    def _fit(self) -> None:
        viewport = self._view.viewport()
        self.setGeometry(0, 0, viewport.width(), max(self.sizeHint().height(), 28))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize:
            self._fit()
        return False


def set_up_view(view: QTableView, *, stretch: bool = False) -> QTableView:
    """Whole rows, one at a time, never edited in place; columns fit their content (or share
    the width when ``stretch``) and the last one takes what is left. A list whose model loads
    its rows in a worker says so while they are on their way."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    mode = QHeaderView.ResizeMode.Stretch if stretch else QHeaderView.ResizeMode.ResizeToContents
    header.setSectionResizeMode(mode)
    header.setStretchLastSection(True)
    model = view.model()
    if isinstance(model, RowsModel) and view.findChild(LoadingNote) is None:
        LoadingNote(view, model)
    return view


def table_view(name: str, model: QAbstractTableModel, *, stretch: bool = False) -> QTableView:
    view = named(QTableView(), name)
    view.setModel(model)
    return set_up_view(view, stretch=stretch)
