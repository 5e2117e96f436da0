"""The detail pane of one application (photo, ten fingers, signature, permit data exactly as
the register wrote it, quality flags, possible duplicates) and the reject dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from issuance.delivery.clients.fer import permit_status_name, permit_type_name
from issuance.domain import workflow
from issuance.queries.batches import ApplicationMedia, BatchRow, Duplicate, QualityFlag
from issuance.services.capture import exception_description
from issuance.services.enrolment import FINGER_POSITIONS
from ui.context import DeskContext
from ui.supervisor.models import state_name
from ui.widgets import named

PHOTO_SIZE = (180, 230)
FINGER_SIZE = (72, 90)
SIGNATURE_SIZE = (260, 80)

_FIELDS = (
    "surname", "given_names", "father_name", "mother_name", "sex", "birth_date",
    "place_of_birth", "nationality", "passport_number", "nid", "address", "permit_number",
    "permit_type", "permit_status", "permit_validity", "clerk", "state",
)  # fmt: skip


def _pixmap(data: bytes | None, width: int, height: int) -> QPixmap | None:
    if not data:
        return None
    pixmap = QPixmap()
    if not pixmap.loadFromData(data):
        return None
    return pixmap.scaled(
        width,
        height,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


class DetailPane(QScrollArea):
    def __init__(self, desk: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.application_id: int | None = None
        self.setWidgetResizable(True)
        body = QWidget()
        self.setWidget(body)
        layout = QVBoxLayout(body)

        pictures = QHBoxLayout()
        self.photo = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "detail-photo")
        self.photo.setFixedSize(*PHOTO_SIZE)
        self.photo.setFrameShape(QLabel.Shape.Box)
        pictures.addWidget(self.photo)
        data_box = QGroupBox(self.tr("Permit data (as written in the register)"))
        form = QFormLayout(data_box)
        self.fields: dict[str, QLabel] = {}
        labels = {
            "surname": self.tr("Surname"), "given_names": self.tr("Given names"),
            "father_name": self.tr("Father's name"), "mother_name": self.tr("Mother's name"),
            "sex": self.tr("Sex"), "birth_date": self.tr("Date of birth"),
            "place_of_birth": self.tr("Place of birth"), "nationality": self.tr("Nationality"),
            "passport_number": self.tr("Passport"), "nid": self.tr("Personal number (NID)"),
            "address": self.tr("Address in Albania"), "permit_number": self.tr("Permit number"),
            "permit_type": self.tr("Permit type"), "permit_status": self.tr("Permit status"),
            "permit_validity": self.tr("Permit valid"), "clerk": self.tr("Enrolled by"),
            "state": self.tr("State"),
        }  # fmt: skip
        for name in _FIELDS:
            value = named(QLabel(wordWrap=True), f"field-{name}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[name] = value
            form.addRow(labels[name], value)
        pictures.addWidget(data_box, 1)
        layout.addLayout(pictures)

        # A child below the age limit gives no fingerprints and no signature: said in words.
        self.child = named(QLabel(wordWrap=True), "detail-child", visible=False)
        self.child.setStyleSheet("font-weight: bold")
        layout.addWidget(self.child)
        self._child_below: int | None = None

        fingers_box = QGroupBox(self.tr("Fingerprints"))
        grid = QGridLayout(fingers_box)
        self.fingers: dict[str, QLabel] = {}
        for n, position in enumerate(FINGER_POSITIONS):
            cell = named(QLabel(wordWrap=True), f"finger-{position}")
            cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cell.setFixedSize(*FINGER_SIZE)
            cell.setFrameShape(QLabel.Shape.Box)
            cell.setToolTip(self.finger_name(position))
            caption = QLabel(self.finger_name(position), alignment=Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(cell, (n // 5) * 2, n % 5)
            grid.addWidget(caption, (n // 5) * 2 + 1, n % 5)
            self.fingers[position] = cell
        layout.addWidget(fingers_box)

        signature_box = QGroupBox(self.tr("Signature"))
        signature_layout = QVBoxLayout(signature_box)
        self.signature = named(QLabel(wordWrap=True), "detail-signature")
        self.signature.setMinimumSize(*SIGNATURE_SIZE)
        signature_layout.addWidget(self.signature)
        layout.addWidget(signature_box)

        flags_box = QGroupBox(self.tr("Quality flags"))
        self.flags = named(QLabel(wordWrap=True), "detail-flags")
        QVBoxLayout(flags_box).addWidget(self.flags)
        layout.addWidget(flags_box)
        duplicates_box = QGroupBox(self.tr("Possible duplicates"))
        self.duplicates = named(QLabel(wordWrap=True), "detail-duplicates")
        QVBoxLayout(duplicates_box).addWidget(self.duplicates)
        layout.addWidget(duplicates_box)
        # Biometric matches with the supervisor's decisions (built on this module's dialog).
        from ui.supervisor.duplicates import FaceMatches

        self.face_matches = named(FaceMatches(desk), "detail-face-matches")
        layout.addWidget(self.face_matches)
        layout.addStretch(1)
        self.clear()

    # -- words --------------------------------------------------------------------------

    def finger_name(self, position: str) -> str:
        names = {
            "right_thumb": self.tr("Right thumb"), "right_index": self.tr("Right index"),
            "right_middle": self.tr("Right middle"), "right_ring": self.tr("Right ring"),
            "right_little": self.tr("Right little"), "left_thumb": self.tr("Left thumb"),
            "left_index": self.tr("Left index"), "left_middle": self.tr("Left middle"),
            "left_ring": self.tr("Left ring"), "left_little": self.tr("Left little"),
            "face": self.tr("Photo"),
        }  # fmt: skip
        return names.get(position, position)

    def flag_text(self, flag: QualityFlag) -> str:
        what = self.finger_name(flag.position)
        if flag.what == "exception":
            reason = exception_description(flag.reason or "", self._desk.language)
            return self.tr("{what}: exception — {reason}").format(what=what, reason=reason)
        if flag.what == "override":
            return self.tr("{what}: quality {quality} accepted by override — {reason}").format(
                what=what, quality=flag.quality, reason=flag.reason or ""
            )
        return self.tr("{what}: low quality ({quality})").format(what=what, quality=flag.quality)

    def duplicate_text(self, duplicate: Duplicate) -> str:
        state = state_name(duplicate.state, self._desk.language)
        if duplicate.what == "permit":
            text = self.tr("Same permit number as application {number} ({state})")
        elif duplicate.what == "passport":
            text = self.tr("Same passport and nationality as application {number} ({state})")
        elif duplicate.what == "valid_card":
            return self.tr("Already holds valid card {document} (application {number})").format(
                document=duplicate.document_number, number=duplicate.application_number
            )
        else:
            text = self.tr("Same person has another open application {number} ({state})")
        return text.format(number=duplicate.application_number, state=state)

    # -- content ------------------------------------------------------------------------

    def clear(self) -> None:
        self.application_id = None
        self._child_below = None
        self.child.clear()
        self.child.setVisible(False)
        for label in (self.photo, self.signature, self.flags, self.duplicates):
            label.clear()
        self.face_matches.clear()
        for label in (*self.fields.values(), *self.fingers.values()):
            label.clear()

    def show_row(self, row: BatchRow) -> None:
        """Text at once; the pictures follow when ``show_media`` gets them from the worker."""
        changed = row.application_id != self.application_id
        self.application_id = row.application_id
        values = {
            "surname": row.surname, "given_names": row.given_names,
            "father_name": row.father_name, "mother_name": row.mother_name, "sex": row.sex,
            "birth_date": row.birth_date.strftime("%d.%m.%Y"),
            "place_of_birth": row.place_of_birth, "nationality": row.nationality,
            "passport_number": row.passport_number, "nid": row.nid, "address": row.address,
            "permit_number": row.permit_number,
            "permit_type": permit_type_name(row.permit_type, self._desk.language),
            "permit_status": permit_status_name(row.permit_status, self._desk.language),
            "permit_validity": f"{row.permit_valid_from:%d.%m.%Y} – "
            f"{row.permit_valid_until:%d.%m.%Y}",
            "clerk": row.clerk, "state": state_name(row.state, self._desk.language)
            + (f" — {row.decision_reason}" if row.decision_reason else ""),
        }  # fmt: skip
        self._child_below = row.child_exemption
        self.child.setVisible(row.child_exemption is not None)
        self.child.setText(
            self.tr("No fingerprints or signature: child under {below}.").format(
                below=row.child_exemption
            )
            if row.child_exemption is not None
            else ""
        )
        for name, value in values.items():
            # Plain text: a name is shown exactly as the register spells it, never as markup.
            self.fields[name].setTextFormat(Qt.TextFormat.PlainText)
            self.fields[name].setText(value or "—")
        self.flags.setText(
            "\n".join(self.flag_text(f) for f in row.flags) or self.tr("No quality flags.")
        )
        self.duplicates.setText(
            "\n".join(self.duplicate_text(d) for d in row.duplicates)
            or self.tr("No possible duplicates found.")
        )
        if changed:
            for label in (self.photo, self.signature, *self.fingers.values()):
                label.setText(self.tr("Loading…"))
            self.face_matches.load(row.application_id, row.number)

    def show_media(self, application_id: int, media: ApplicationMedia) -> None:
        if application_id != self.application_id:
            return  # the supervisor has moved on to another row
        photo = _pixmap(media.face_jpeg, *PHOTO_SIZE)
        if photo is None:
            self.photo.setText(self.tr("No photo"))
        else:
            self.photo.setPixmap(photo)
        for finger in media.fingers:
            cell = self.fingers[finger.position]
            image = _pixmap(finger.image, *FINGER_SIZE)
            if image is not None:
                cell.setPixmap(image)
                cell.setToolTip(
                    self.tr("{finger}: quality {quality}").format(
                        finger=self.finger_name(finger.position), quality=finger.quality
                    )
                )
            elif finger.exception_reason:
                reason = exception_description(finger.exception_reason, self._desk.language)
                cell.setText(self.tr("Exception: {reason}").format(reason=reason))
            elif self._child_below is not None:
                cell.setText(self.tr("Not taken (child)"))
            else:
                cell.setText(self.tr("Missing"))
        signature = _pixmap(media.signature_png, *SIGNATURE_SIZE)
        if signature is not None:
            self.signature.setPixmap(signature)
        elif media.cannot_sign_reason:
            self.signature.setText(
                self.tr("Cannot sign: {reason}").format(reason=media.cannot_sign_reason)
            )
        elif self._child_below is not None:
            self.signature.setText(
                self.tr("Not asked: child under {below}").format(below=self._child_below)
            )
        else:
            self.signature.setText(self.tr("No signature"))

    def show_media_error(self, application_id: int, message: str) -> None:
        if application_id == self.application_id:
            self.photo.setText(message)
            self.signature.clear()
            for cell in self.fingers.values():
                cell.clear()


class ReasonDialog(QDialog):
    """Asks for a reason, which is mandatory: the dialog says so, and its confirm button stays
    off while the reason is blank (the service applies the same rule, workflow.reason_given)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.required = named(QLabel(self.tr("A reason is required: it is kept in the "
                                             "application's history and sent to the applicant.")),
                              "reason-required")  # fmt: skip
        self.required.setWordWrap(True)
        self.required.setStyleSheet("color: #555")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.confirm = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.confirm.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _lay_out(self, title: str, question: str, confirm: str, reason: QLineEdit) -> None:
        self.setWindowTitle(title)
        self.question.setText(question)
        self.confirm.setText(confirm)
        self.reason = reason
        self.question.setBuddy(reason)
        reason.textChanged.connect(self._reason_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(reason)
        layout.addWidget(self.required)
        layout.addWidget(self.buttons)
        reason.setFocus()

    def _reason_changed(self, text: str) -> None:
        self.confirm.setEnabled(workflow.reason_given(text))

    def accept(self) -> None:
        if workflow.reason_given(self.reason.text()):  # Enter on a blank reason does nothing
            super().accept()

    def text(self) -> str:
        return self.reason.text()


class RejectDialog(ReasonDialog):
    def __init__(self, application_number: str, parent: QWidget | None = None) -> None:
        super().__init__("reject-dialog", parent)
        self.confirm.setObjectName("reject-confirm")
        reason = named(QLineEdit(), "reason")
        reason.setPlaceholderText(self.tr("Reason (shown to the applicant)"))
        self._lay_out(
            self.tr("Reject application {number}").format(number=application_number),
            self.tr("&Why is this application rejected? (required)"),
            self.tr("&Reject"),
            reason,
        )


class CancelDialog(ReasonDialog):
    """Asks why the application is cancelled; its coupon goes back to the post office."""

    def __init__(self, application_number: str, parent: QWidget | None = None) -> None:
        super().__init__("cancel-dialog", parent)
        self.confirm.setObjectName("cancel-confirm")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("&Keep it"))
        reason = named(QLineEdit(), "cancel-reason")
        reason.setPlaceholderText(self.tr("Reason (required)"))
        self._lay_out(
            self.tr("Cancel application {number}").format(number=application_number),
            self.tr("&Why is this application cancelled? Its coupon is given back to the post "
                    "office. (required)"),
            self.tr("Cancel the &application"),
            reason,
        )  # fmt: skip
