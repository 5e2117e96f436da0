"""Step 5: the signature, drawn with a pen tablet or the mouse on a canvas widget that feeds
``issuance.biometrics.signature.SignatureCanvas``; or "cannot sign" with a reason."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QTabletEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from issuance.biometrics.signature import Point, SignatureCanvas, SignatureResult
from issuance.queries.enrolment import ApplicationSummary
from issuance.services import capture, signature_drafts
from ui.context import DeskContext
from ui.enrolment.base import StepPage
from ui.widgets import named

if TYPE_CHECKING:
    from ui.enrolment.wizard import EnrolmentWizard


class SignatureArea(QWidget):
    """Draws what the canvas holds; mouse and tablet events become pen events."""

    changed = Signal()

    def __init__(self, canvas: SignatureCanvas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.setObjectName("signature_canvas")
        self.setMinimumSize(520, 180)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setCursor(Qt.CursorShape.CrossCursor)
        # Tracked here rather than read from the move event: some sources (synthesised or
        # remote input) send moves without the button state.
        self._pressed = False

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setPen(QPen(QColor("#bbbbbb"), 1, Qt.PenStyle.DashLine))
        baseline = int(self.height() * 0.75)
        painter.drawLine(12, baseline, self.width() - 12, baseline)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for stroke in self.canvas.strokes:
            if len(stroke) == 1:
                painter.setPen(QPen(QColor("black"), 3))
                painter.drawPoint(QPointF(stroke[0].x, stroke[0].y))
                continue
            for a, b in zip(stroke, stroke[1:], strict=False):
                width = 1.5 + 2.5 * (b.pressure if b.pressure is not None else 0.5)
                painter.setPen(QPen(QColor("black"), width, Qt.PenStyle.SolidLine,
                                    Qt.PenCapStyle.RoundCap))  # fmt: skip
                painter.drawLine(QPointF(a.x, a.y), QPointF(b.x, b.y))
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            pos = event.position()
            self._pressed = True
            self.canvas.pen_down(pos.x(), pos.y(), time.monotonic())
            self._changed()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._pressed:
            pos = event.position()
            self.canvas.pen_move(pos.x(), pos.y(), time.monotonic())
            self._changed()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self._pressed:
            self._pressed = False
            self.canvas.pen_up()
            self._changed()

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802
        # A pen tablet brings pressure; accepting the event stops Qt's synthesised mouse events.
        pos, pressure, now = event.position(), event.pressure(), time.monotonic()
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self.canvas.pen_down(pos.x(), pos.y(), now, pressure)
        elif kind == QTabletEvent.Type.TabletMove and event.buttons():
            self.canvas.pen_move(pos.x(), pos.y(), now, pressure)
        elif kind == QTabletEvent.Type.TabletRelease:
            self.canvas.pen_up()
        event.accept()
        self._changed()

    def _changed(self) -> None:
        self.update()
        self.changed.emit()


class SignaturePage(StepPage):
    step = "signature"

    def __init__(self, desk: DeskContext, wizard: EnrolmentWizard) -> None:
        super().__init__(desk, wizard)
        self.canvas = SignatureCanvas()
        self._stored = False
        self.area = SignatureArea(self.canvas, self)
        self.clear_button = named(QPushButton(self.tr("C&lear")), "clear_signature")
        self.undo_button = named(QPushButton(self.tr("&Undo stroke")), "undo_signature")
        self.cannot_sign = named(QCheckBox(self.tr("The applicant cannot si&gn")), "cannot_sign")
        self.reason = named(QLineEdit(), "cannot_sign_reason")
        self.reason.setEnabled(False)
        self.reason.setPlaceholderText(self.tr("reason (required)"))
        self.status = named(QLabel(wordWrap=True), "signature_status")
        for button in (self.clear_button, self.undo_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        cannot = QHBoxLayout()
        cannot.addWidget(self.cannot_sign)
        cannot.addWidget(self.reason, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("The applicant signs in the box below.")))
        layout.addWidget(self.area)
        layout.addLayout(buttons)
        layout.addLayout(cannot)
        layout.addWidget(self.status)
        layout.addStretch(1)

        self.area.changed.connect(self._edited)
        self.clear_button.clicked.connect(self._clear)
        self.undo_button.clicked.connect(self._undo)
        self.cannot_sign.toggled.connect(self._cannot_sign_toggled)
        self.reason.textChanged.connect(self._edited)

    def title(self) -> str:
        return self.tr("Signature")

    def is_complete(self) -> bool:
        if self._stored:
            return True
        if self.cannot_sign.isChecked():
            return bool(self.reason.text().strip())
        return not self.canvas.is_empty

    def load(self, summary: ApplicationSummary) -> None:
        if summary.signed:
            self._stored = True
            if summary.cannot_sign_reason:
                self.cannot_sign.setChecked(True)
                self.reason.setText(summary.cannot_sign_reason)
            self.show_ok(self.status, self.tr("The signature is stored."))
            return
        ctx, actor, app_id = self.desk.ctx, self.desk.actor, summary.application_id
        assert actor is not None
        self.jobs.run(lambda: signature_drafts.kept(ctx, actor, app_id), self._restored,
                      lambda error: self.show_error(self.status, error))  # fmt: skip

    def _restored(self, strokes: list[list[Point]]) -> None:
        if not strokes or not self.canvas.is_empty:
            return
        for stroke in strokes:
            self.canvas.add_stroke(stroke)
        self.area.update()
        self._edited()
        self.show_ok(self.status, self.tr(
            "The signature begun before the draft was closed is back: finish it, or clear it."))

    def shutdown(self) -> None:
        """The wizard closes: strokes drawn but not stored stay with the draft (sealed)."""
        super().shutdown()
        app_id, strokes = self.application_id, self.canvas.strokes
        if self._stored or not strokes or app_id is None or self.desk.actor is None:
            return
        ctx, actor = self.desk.ctx, self.desk.actor
        self.jobs.run(lambda: signature_drafts.keep(ctx, actor, app_id, strokes),
                      lambda _: None, lambda _error: None)  # fmt: skip

    def _edited(self) -> None:
        self._stored = False
        self.completeChanged.emit()

    def _clear(self) -> None:
        self.canvas.clear()
        self.area.update()
        self._edited()

    def _undo(self) -> None:
        self.canvas.undo()
        self.area.update()
        self._edited()

    def _cannot_sign_toggled(self, checked: bool) -> None:
        self.reason.setEnabled(checked)
        self.area.setEnabled(not checked)
        if checked:
            self.reason.setFocus()
        self._edited()

    def draft_data(self) -> dict[str, Any]:
        return {"cannot_sign": self.cannot_sign.isChecked()}

    def commit(self) -> None:
        if self._stored:
            self.committed.emit(self.draft_data())
            return
        if self.cannot_sign.isChecked():
            try:
                self.canvas.mark_cannot_sign(self.reason.text())
            except Exception as error:  # noqa: BLE001 - a refusal, shown in words
                self.show_error(self.status, error)
                self.commit_failed.emit(self.desk.message(error))
                return
        else:
            self.canvas.unmark_cannot_sign()
        ctx, actor, app_id, canvas = (
            self.desk.ctx, self.desk.actor, self.application_id, self.canvas
        )  # fmt: skip
        assert actor is not None and app_id is not None

        def store() -> SignatureResult:
            result = canvas.finish()  # rendering the PNG is not the GUI thread's work
            capture.store_signature(ctx, actor, app_id, result)
            return result

        self.show_busy(self.status, self.tr("Storing the signature…"))
        self.jobs.run(store, self._stored_ok, self._store_failed)

    def _stored_ok(self, _result: SignatureResult) -> None:
        self._stored = True
        self.show_ok(self.status, self.tr("The signature is stored."))
        self.committed.emit(self.draft_data())

    def _store_failed(self, error: Exception) -> None:
        self.show_error(self.status, error)
        self.commit_failed.emit(self.desk.message(error))
