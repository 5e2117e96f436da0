"""The supervisor's delivery alerts: messages to a register that failed for good (a refused
API key, a civil-registry read-back that differs from what was sent), their reason, and for a
read-back the differing fields side by side; "Send again" once the cause is fixed, or
"Resolve…" with a note (the application then moves on).

Every service call runs in a worker; the services decide (who may, the note is required) and
this screen shows their answer.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from issuance.services import alerts
from issuance.services.alerts import Alert, Resolution
from issuance.wall_clock import local_time
from ui.context import DeskContext
from ui.tables import RowsModel, TextModel, set_up_view, table_view
from ui.widgets import named


class AlertModel(RowsModel[Alert]):
    def __init__(self, language: str, parent: QObject | None = None) -> None:
        super().__init__((), parent)
        self._language = language
        self._headers = [
            self.tr("When"), self.tr("Application"), self.tr("Message"), self.tr("Reason"),
        ]  # fmt: skip

    def text(self, row: Alert, column: int) -> str:
        if column == 0:
            return f"{local_time(row.at):%d.%m.%Y %H:%M}"
        if column == 1:
            return row.application_number or "—"
        if column == 2:
            return row.topic_name(self._language)
        return " ".join(row.reason(self._language).split())


class ResolveDialog(QDialog):
    """Asks how the alert was settled; whether the note is good enough is the service's
    decision (an empty one is refused there, and said here)."""

    def __init__(self, alert: Alert, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resolve-dialog")
        self.setWindowTitle(self.tr("Resolve alert {id}").format(id=alert.id))
        self.note = named(QPlainTextEdit(), "note")
        self.note.setPlaceholderText(self.tr("How was it settled? (kept in the audit trail)"))
        self.note.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("&Resolve"))
        ok.setObjectName("resolve-confirm")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(alert.topic_name(language), wordWrap=True))
        layout.addWidget(QLabel(self.tr(
            "The message will not be sent again. For a person the civil registry holds "
            "otherwise, resolve only once you confirmed the identity with the registry: the "
            "application then becomes e-Albania ready."
        ), wordWrap=True))  # fmt: skip
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.note.setFocus()

    def text(self) -> str:
        return self.note.toPlainText()


class AlertsPanel(QWidget):
    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.jobs = desk.jobs
        self._busy = False
        self.resolve_dialog: ResolveDialog | None = None

        self.model = AlertModel(desk.language, self)
        self.table = named(QTableView(), "alerts")
        self.table.setModel(self.model)
        set_up_view(self.table)
        self.table.selectionModel().currentRowChanged.connect(self._chosen)
        self.differences_model = TextModel(
            (self.tr("Field"), self.tr("We sent"), self.tr("The registry holds")), self
        )
        self.differences = table_view("differences", self.differences_model, stretch=True)
        self.topic = named(QLabel(wordWrap=True), "alert-topic")
        self.reason = named(QLabel(wordWrap=True), "alert-reason")
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refresh_button = named(QPushButton(self.tr("Re&fresh")), "refresh-alerts")
        self.retry_button = named(QPushButton(self.tr("&Send again")), "retry")
        self.resolve_button = named(QPushButton(self.tr("Resol&ve…")), "resolve")
        self.status = named(QLabel(wordWrap=True), "alerts-status")  # what the list holds
        self.message = named(QLabel(wordWrap=True), "alerts-message")  # the last action's outcome
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refresh_button.clicked.connect(self.refresh)
        self.retry_button.clicked.connect(self.retry_current)
        self.resolve_button.clicked.connect(self.ask_note)
        QShortcut(QKeySequence("F5"), self, self.refresh)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.topic)
        detail_layout.addWidget(self.reason)
        detail_layout.addWidget(QLabel(self.tr("Fields that differ (read back from the registry)")))
        detail_layout.addWidget(self.differences, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(detail)
        buttons = QHBoxLayout()
        for button in (self.retry_button, self.resolve_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "Messages to the registers that failed for good. Send one again once its cause is "
            "fixed (an API key, a register's data), or resolve it with a note."
        ), wordWrap=True))  # fmt: skip
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        for first, second in (
            (self.table, self.retry_button), (self.retry_button, self.resolve_button),
            (self.resolve_button, self.refresh_button),
        ):  # fmt: skip
            QWidget.setTabOrder(first, second)
        self._show(None)
        QTimer.singleShot(0, self.refresh)

    # -- the list -----------------------------------------------------------------------

    def refresh(self) -> None:
        ctx, actor = self.desk.ctx, self.desk.actor
        assert actor is not None
        self.model.begin_loading()
        self.jobs.run(lambda: alerts.list_alerts(ctx, actor), self._loaded, self._failed)

    def _loaded(self, found: list[Alert]) -> None:
        current = self.current()
        self.model.set_rows(found)
        if not found:
            self._show(None)
            self.status.setText(self.tr("There are no delivery alerts."))
            return
        self.status.setText(self.tr("%n alert(s) to settle.", "", len(found)))
        row = next((n for n, a in enumerate(found) if current and a.id == current.id), 0)
        self.table.selectRow(row)
        self._show(self.model.row(row))

    def current(self) -> Alert | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def _chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show(self.model.row(current.row()) if current.isValid() else None)

    def _show(self, alert: Alert | None) -> None:
        language = self.desk.language
        if alert is None:
            self.topic.clear()
            self.reason.clear()
            self.differences_model.set_texts([])
        else:
            number = alert.application_number or "—"
            self.topic.setText(self.tr("{topic}, application {number}").format(
                topic=alert.topic_name(language), number=number
            ))  # fmt: skip
            self.reason.setText(alert.reason(language))
            self.differences_model.set_texts([
                (d.name(language), d.sent, d.registry) for d in alert.differences
            ])  # fmt: skip
        self.differences.setVisible(alert is not None and bool(alert.differences))
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.current() is not None
        self.retry_button.setEnabled(chosen and not self._busy)
        self.resolve_button.setEnabled(chosen and not self._busy)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    # -- acting on one ------------------------------------------------------------------

    def retry_current(self) -> None:
        alert = self.current()
        if alert is None or self._busy:
            return
        ctx, actor, alert_id = self.desk.ctx, self.desk.actor, alert.id
        assert actor is not None
        self._set_busy(True)

        def retry() -> int:
            alerts.retry_alert(ctx, actor, alert_id)
            return alert_id

        self.jobs.run(retry, self._retried, self._action_failed)

    def _retried(self, alert_id: int) -> None:
        self._set_busy(False)
        self.message.setText(self.tr(
            "Alert {id} will be sent again on the next delivery round."
        ).format(id=alert_id))  # fmt: skip
        self.refresh()

    def ask_note(self) -> None:
        alert = self.current()
        if alert is None or self._busy:
            return
        dialog = ResolveDialog(alert, self.desk.language, self)
        dialog.setProperty("alert_id", alert.id)
        dialog.accepted.connect(self._resolve_confirmed)
        self.resolve_dialog = dialog
        dialog.open()

    def _resolve_confirmed(self) -> None:
        dialog = self.resolve_dialog
        if dialog is None:
            return
        alert_id, note = int(dialog.property("alert_id")), dialog.text()
        self.resolve_dialog = None
        dialog.deleteLater()
        ctx, actor = self.desk.ctx, self.desk.actor
        assert actor is not None
        self._set_busy(True)
        self.jobs.run(
            lambda: alerts.resolve_alert(ctx, actor, alert_id, note),
            self._resolved,
            self._action_failed,
        )

    def _resolved(self, done: Resolution) -> None:
        self._set_busy(False)
        if done.registered:
            text = self.tr("Alert {id} resolved: application {number} is e-Albania ready.")
        else:
            text = self.tr("Alert {id} resolved.")
        self.message.setText(text.format(id=done.id, number=done.application_number or "—"))
        self.refresh()

    def _action_failed(self, error: Exception) -> None:
        self._set_busy(False)
        self.message.setText(self.desk.message(error))

    def _failed(self, error: Exception) -> None:
        self.model.end_loading()
        self.message.setText(self.desk.message(error))
