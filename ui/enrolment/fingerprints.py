"""Step 4: ten fingers. A hand diagram shows each finger's state; slaps are captured through
the configured scanner on a device worker; exceptions and a supervisor override are recorded
by ``issuance.biometrics.fingerprints.FingerprintEnrolment``, which makes every decision."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from issuance.biometrics.fingerprints import (
    ExceptionKind,
    FingerprintEnrolment,
    FingerprintSession,
    StepOutcome,
    StepState,
    exception_kind_name,
)
from issuance.ports.fingerprint import FingerprintScanner
from issuance.ports.fingerprint_model import CaptureResult, Finger
from issuance.queries.enrolment import ApplicationSummary
from issuance.security.permissions import Actor
from issuance.services import capture
from ui.context import DeskContext
from ui.enrolment.base import StepPage
from ui.enrolment.supervisor import SupervisorDialog
from ui.widgets import named
from ui.workers import Lane

if TYPE_CHECKING:
    from ui.enrolment.wizard import EnrolmentWizard

# Box colours: the diagram is read at a glance, the text in the box says the same in words.
COLOURS = {
    "waiting": "#e0e0e0", "accepted": "#81c784", "low": "#ffb74d", "unseen": "#e57373",
    "exception": "#90caf9", "override": "#ce93d8",
}  # fmt: skip
HANDS = (
    ("left", (Finger.LEFT_LITTLE, Finger.LEFT_RING, Finger.LEFT_MIDDLE, Finger.LEFT_INDEX,
              Finger.LEFT_THUMB)),
    ("right", (Finger.RIGHT_THUMB, Finger.RIGHT_INDEX, Finger.RIGHT_MIDDLE, Finger.RIGHT_RING,
               Finger.RIGHT_LITTLE)),
)  # fmt: skip
CAPTURE_TIMEOUT_S = 15.0


class FingerprintsPage(StepPage):
    step = "fingerprints"

    def __init__(self, desk: DeskContext, wizard: EnrolmentWizard) -> None:
        super().__init__(desk, wizard)
        self._lane = Lane(1, "fingerprint-scanner")  # the scanner takes one call at a time
        self.session: FingerprintSession | None = None
        self.enrolment = FingerprintEnrolment()
        self._opening = False
        self._capturing = False
        self._stored = False
        self._supervisor: Actor | None = None
        self._shown: dict[Finger, tuple[str, str]] = {}
        self._best: dict[Finger, float] = {}

        self.short_names = {
            "THUMB": self.tr("Thumb"), "INDEX": self.tr("Index"), "MIDDLE": self.tr("Middle"),
            "RING": self.tr("Ring"), "LITTLE": self.tr("Little"),
        }  # fmt: skip
        self.exception_names = {
            kind: exception_kind_name(kind, desk.language) for kind in ExceptionKind
        }

        self.boxes: dict[Finger, QPushButton] = {}
        diagram = QHBoxLayout()
        for hand, fingers in HANDS:
            group = QGroupBox(self.tr("Left hand") if hand == "left" else self.tr("Right hand"))
            grid = QGridLayout(group)
            for column, finger in enumerate(fingers):
                box = named(QPushButton(), f"finger-{capture.FINGER_POSITION[finger]}")
                box.setMinimumSize(86, 110 if finger.slap.name != "THUMBS" else 80)
                box.setAutoDefault(False)
                box.clicked.connect(lambda _c=False, f=finger: self._select(f))
                # Thumbs sit lower, as on a hand.
                grid.addWidget(box, 1 if finger.slap.name == "THUMBS" else 0, column)
                self.boxes[finger] = box
            diagram.addWidget(group)

        self.capture_button = named(
            QPushButton(self.tr("Capture next &placement")), "capture_fingers"
        )
        # Capturing is this page's Enter until the ten fingers are done (then Next is): the
        # button holds the focus between placements and is the default while it does.
        self.capture_button.setAutoDefault(True)
        self._refocus = False
        self.override_button = named(QPushButton(self.tr("Supervisor &override…")), "override")
        self.override_button.setAutoDefault(False)
        self.override_button.setEnabled(False)
        self.status = named(QLabel(wordWrap=True), "fingers_status")

        self.exception_finger = named(QComboBox(), "exception_finger")
        for finger in capture.FINGER_POSITION:
            self.exception_finger.addItem(self.finger_name(finger), finger)
        self.exception_kind = named(QComboBox(), "exception_kind")
        for kind, label in self.exception_names.items():
            self.exception_kind.addItem(label, kind)
        self.exception_reason = named(QLineEdit(), "exception_reason")
        self.exception_reason.setPlaceholderText(self.tr("reason (required)"))
        self.mark_button = named(QPushButton(self.tr("Mark as e&xception")), "mark_exception")
        self.mark_button.setAutoDefault(False)
        self.clear_button = named(QPushButton(self.tr("C&lear exception")), "clear_exception")
        self.clear_button.setAutoDefault(False)
        exceptions = QGroupBox(self.tr("Finger that cannot be captured"))
        row = QHBoxLayout(exceptions)
        for widget in (self.exception_finger, self.exception_kind, self.exception_reason,
                       self.mark_button, self.clear_button):  # fmt: skip
            row.addWidget(widget)

        actions = QHBoxLayout()
        actions.addWidget(self.capture_button)
        actions.addWidget(self.override_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(diagram)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(exceptions)
        layout.addStretch(1)
        order = [
            self.capture_button,
            self.override_button,
            self.exception_finger,
            self.exception_kind,
            self.exception_reason,
            self.mark_button,
            self.clear_button,
        ]
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)

        self.capture_button.clicked.connect(self.capture_next)
        self.override_button.clicked.connect(self._ask_override)
        self.mark_button.clicked.connect(self._mark_exception)
        self.exception_reason.returnPressed.connect(self._mark_exception)
        self.clear_button.clicked.connect(self._clear_exception)
        self._refresh()

    def title(self) -> str:
        return self.tr("Fingerprints")

    def finger_name(self, finger: Finger) -> str:
        return {
            Finger.RIGHT_THUMB: self.tr("Right thumb"), Finger.RIGHT_INDEX: self.tr("Right index"),
            Finger.RIGHT_MIDDLE: self.tr("Right middle"), Finger.RIGHT_RING: self.tr("Right ring"),
            Finger.RIGHT_LITTLE: self.tr("Right little"), Finger.LEFT_THUMB: self.tr("Left thumb"),
            Finger.LEFT_INDEX: self.tr("Left index"), Finger.LEFT_MIDDLE: self.tr("Left middle"),
            Finger.LEFT_RING: self.tr("Left ring"), Finger.LEFT_LITTLE: self.tr("Left little"),
        }[finger]  # fmt: skip

    def is_complete(self) -> bool:
        return self._stored or self.enrolment.complete

    def load(self, summary: ApplicationSummary) -> None:
        if len(summary.fingers) == len(capture.FINGER_POSITION) and summary.step not in (
            "photo",
            "fingerprints",
        ):
            by_position = {p: f for f, p in capture.FINGER_POSITION.items()}
            for row in summary.fingers:
                finger = by_position[row.position]
                if row.exception:
                    self._shown[finger] = ("exception", row.exception)
                else:
                    self._shown[finger] = ("override" if row.overridden else "accepted",
                                           str(row.quality))  # fmt: skip
            self._stored = True
            self.capture_button.setEnabled(False)
            self._refresh()

    def enter(self) -> None:
        if not self._stored and self.session is None and not self._opening:
            self._open_scanner()
        self.capture_button.setFocus()

    def shutdown(self) -> None:
        session, self.session = self.session, None
        if session is not None:
            # Closing a scanner may stop a simulator or talk to a device: not on the GUI thread.
            self.jobs.run(session.scanner.close, self._closed, self._closed)

    def _closed(self, _result: object) -> None:
        pass

    # -- scanner ---------------------------------------------------------------------------

    def _open_scanner(self) -> None:
        self._opening = True
        self.capture_button.setEnabled(False)
        self.show_busy(self.status, self.tr("Connecting to the fingerprint scanner…"))
        spec, devices = self.desk.settings.fingerprint_scanner, self.desk.devices
        self.jobs.run(lambda: devices.fingerprint_scanner(spec), self._scanner_ready,
                      self._scanner_failed, lane=self._lane)  # fmt: skip

    def _scanner_ready(self, scanner: FingerprintScanner) -> None:
        self._opening = False
        self.session = FingerprintSession(scanner, self.enrolment, CAPTURE_TIMEOUT_S)
        self._refresh()
        self.show_busy(self.status, self._next_instruction())
        if self.wizard.current is self:
            self._focus_capture()

    def _focus_capture(self) -> None:
        if self.capture_button.isEnabled():
            self.capture_button.setFocus()

    def _scanner_failed(self, error: Exception) -> None:
        self._opening = False
        self.show_error(self.status, error)
        self.capture_button.setEnabled(True)  # pressing it again retries the connection

    def capture_next(self) -> None:
        if self._capturing or self._stored:
            return
        if self.session is None:
            if not self._opening:
                self._open_scanner()
            return
        step = self.enrolment.next_step()
        if step is None:
            self._refresh()
            return
        session = self.session
        request = self.enrolment.request_for(step, session.timeout_s)

        def scan() -> tuple[CaptureResult, StepOutcome]:
            result = session.scanner.capture(request).result(timeout=session.timeout_s + 5)
            return result, session.enrolment.record(step, result)

        self._capturing = True
        # Disabling the focused button hands the focus on; it comes back for the next placement.
        self._refocus = self.capture_button.hasFocus()
        self.capture_button.setEnabled(False)
        self.show_busy(self.status, self.tr("Capturing… keep the fingers on the scanner."))
        self.jobs.run(scan, self._captured, self._capture_failed, lane=self._lane)

    def _captured(self, answer: tuple[CaptureResult, StepOutcome]) -> None:
        self._capturing = False
        result, outcome = answer
        for shot in result.fingers:
            if shot.detected:
                self._best[shot.finger] = max(self._best.get(shot.finger, 0.0), shot.quality)
        for finger in outcome.accepted:
            self._shown[finger] = ("accepted", f"{self._best.get(finger, 0):.0f}")
        for finger in outcome.below_threshold:
            self._shown[finger] = ("low", f"{self._best.get(finger, 0):.0f}")
        for finger in outcome.not_detected:
            self._shown[finger] = ("unseen", self.tr("not seen"))
        if outcome.state is StepState.PENDING and (outcome.below_threshold or outcome.not_detected):
            text = self.tr("Some fingers are below the quality threshold: capture again "
                           "({n} retries left).").format(n=outcome.retries_left)  # fmt: skip
            self.show_error_text(text)
        elif outcome.state is StepState.NEEDS_OVERRIDE:
            self.show_error_text(self.tr("No retries left: a supervisor override is needed, or "
                                         "mark the finger as an exception."))  # fmt: skip
        else:
            self.show_busy(self.status, self._next_instruction())
        self._refresh()
        self.completeChanged.emit()
        if self.enrolment.complete:
            self.wizard.focus_next()
        elif self._refocus:
            self._focus_capture()

    def _capture_failed(self, error: Exception) -> None:
        self._capturing = False
        self.show_error(self.status, error)
        self._refresh()
        if self._refocus:
            self._focus_capture()

    def _next_instruction(self) -> str:
        step = self.enrolment.next_step()
        if step is None:
            if self.enrolment.complete:
                return self.tr("All ten fingers are done. Press Next.")
            return self.tr("A supervisor override is needed.")
        names = {"LEFT": self.tr("the four fingers of the left hand"),
                 "RIGHT": self.tr("the four fingers of the right hand"),
                 "THUMBS": self.tr("both thumbs")}  # fmt: skip
        return self.tr("Place {what} on the scanner and press Capture.").format(
            what=names[step.slap.name])  # fmt: skip

    def show_error_text(self, text: str) -> None:
        self.status.setStyleSheet("color: #c62828; font-weight: bold")
        self.status.setText(text)

    # -- exceptions and overrides ------------------------------------------------------------

    def _select(self, finger: Finger) -> None:
        self.exception_finger.setCurrentIndex(self.exception_finger.findData(finger))
        self.exception_reason.setFocus()

    def _mark_exception(self) -> None:
        finger: Finger = self.exception_finger.currentData()
        kind: ExceptionKind = self.exception_kind.currentData()
        reason = self.exception_reason.text().strip() or self.exception_names[kind]
        try:
            self.enrolment.mark_exception(finger, kind, reason)
        except Exception as error:  # noqa: BLE001 - a refusal, shown in words
            self.show_error(self.status, error)
            return
        self._shown[finger] = ("exception", self.exception_names[kind])
        self._best.pop(finger, None)
        self.exception_reason.clear()
        self.show_busy(self.status, self._next_instruction())
        self._refresh()
        self.completeChanged.emit()

    def _clear_exception(self) -> None:
        finger: Finger = self.exception_finger.currentData()
        self.enrolment.clear_exception(finger)
        self._shown.pop(finger, None)
        self.show_busy(self.status, self._next_instruction())
        self._refresh()
        self.completeChanged.emit()

    def _ask_override(self) -> None:
        dialog = SupervisorDialog(self.desk, self)
        dialog.setObjectName("supervisor_dialog")
        dialog.approved.connect(self._override)
        self.supervisor_dialog = dialog
        dialog.open()

    def _override(self, supervisor: Actor, reason: str) -> None:
        try:
            for step in self.enrolment.steps_needing_override():
                for finger in self.enrolment.override(step, supervisor.username, reason):
                    self._shown[finger] = ("override", f"{self._best.get(finger, 0):.0f}")
        except Exception as error:  # noqa: BLE001 - a refusal, shown in words
            self.show_error(self.status, error)
            return
        self._supervisor = supervisor
        self.show_busy(self.status, self._next_instruction())
        self._refresh()
        self.completeChanged.emit()

    def _refresh(self) -> None:
        for finger, box in self.boxes.items():
            kind, detail = self._shown.get(finger, ("waiting", ""))
            name = self.short_names[finger.name.split("_")[1]]
            box.setText(f"{name}\n{detail}" if detail else name)
            box.setToolTip(self.finger_name(finger))
            box.setProperty("state", kind)
            box.setStyleSheet(f"background: {COLOURS[kind]}; color: black")
        ready = self.session is not None and not self._stored
        self.capture_button.setEnabled(
            ready and not self._capturing and self.enrolment.next_step() is not None
        )
        self.override_button.setEnabled(
            not self._stored and bool(self.enrolment.steps_needing_override())
        )
        for widget in (self.mark_button, self.clear_button, self.exception_finger,
                       self.exception_kind, self.exception_reason):  # fmt: skip
            widget.setEnabled(not self._stored)

    # -- storing ----------------------------------------------------------------------------

    def commit(self) -> None:
        if self._stored:
            self.committed.emit(self.draft_data())
            return
        ctx, actor, app_id = self.desk.ctx, self.desk.actor, self.application_id
        assert actor is not None and app_id is not None
        enrolment, supervisor = self.enrolment, self._supervisor
        self.show_busy(self.status, self.tr("Storing the fingerprints…"))
        self.jobs.run(
            lambda: capture.store_fingerprints(
                ctx, actor, app_id, enrolment.result(), supervisor=supervisor
            ),
            self._stored_ok, self._store_failed,
        )  # fmt: skip

    def _stored_ok(self, _result: object) -> None:
        self._stored = True
        self.show_ok(self.status, self.tr("The fingerprints are stored."))
        self._refresh()
        self.committed.emit(self.draft_data())

    def _store_failed(self, error: Exception) -> None:
        self.show_error(self.status, error)
        self.commit_failed.emit(self.desk.message(error))

    def draft_data(self) -> dict[str, Any]:
        exceptions = {
            capture.FINGER_POSITION[f]: detail
            for f, (kind, detail) in self._shown.items()
            if kind == "exception"
        }
        return {
            "exceptions": exceptions,
            "overridden_by": self._supervisor.username if self._supervisor else None,
        }
