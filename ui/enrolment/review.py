"""Steps 6 and 7: optional PDF scans, then the summary, submission and the receipt."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from issuance.domain import privacy_notice
from issuance.domain.workflow import State
from issuance.labels import in_lek
from issuance.ports import limits
from issuance.queries import enrolment as enrolment_queries
from issuance.queries.enrolment import ApplicationSummary
from issuance.services import attachments, capture, card_lifecycle, enrolment, receipts
from ui.context import DeskContext
from ui.enrolment.base import StepPage
from ui.file_dialogs import choose_file
from ui.pdf_view import PdfWindow, open_pdf
from ui.widgets import named

if TYPE_CHECKING:
    from ui.enrolment.wizard import EnrolmentWizard


class DocumentsPage(StepPage):
    """Optional PDF scans; for a REPLACEMENT application also why the card is replaced (lost,
    stolen with the police report attached here, damaged, data changed), recorded with
    ``card_lifecycle.record_replacement`` before the wizard goes on."""

    step = "documents"

    def __init__(self, desk: DeskContext, wizard: EnrolmentWizard) -> None:
        super().__init__(desk, wizard)
        self.add_button = named(QPushButton(self.tr("&Add PDF scan…")), "add_document")
        self.add_button.setAutoDefault(False)
        self.files = named(QListWidget(), "documents")
        self.remove_button = named(QPushButton(self.tr("Re&move the selected scan")),
                                   "remove_document")  # fmt: skip
        self.remove_button.setAutoDefault(False)
        self.remove_button.setEnabled(False)
        self.message = named(QLabel(wordWrap=True), "documents_message")
        self._card_type: str | None = None
        self._recorded: str | None = None  # the replacement reason the service recorded
        self._police_report: tuple[str, int] | None = None  # (file name, document id)

        self.replacement = named(QGroupBox(self.tr("Why is the card replaced?")),
                                 "replacement")  # fmt: skip
        self.reason = named(QComboBox(), "replacement_reason")
        self.reason.addItem(self.tr("— choose the reason —"), None)
        for code in card_lifecycle.REPLACEMENT_REASONS:
            self.reason.addItem(card_lifecycle.reason_name(code, desk.language), code)
        self.police_button = named(
            QPushButton(self.tr("Attach the &police report (PDF)…")), "attach_police_report"
        )
        self.police_button.setAutoDefault(False)
        self.police_report = named(QLabel(wordWrap=True), "police_report")
        self.record_button = named(QPushButton(self.tr("&Record the reason")),
                                   "record_replacement")  # fmt: skip
        self.record_button.setAutoDefault(False)
        self.replacement_message = named(QLabel(wordWrap=True), "replacement_message")
        box = QFormLayout(self.replacement)
        reason_label = QLabel(self.tr("R&eason"))
        reason_label.setBuddy(self.reason)
        box.addRow(reason_label, self.reason)
        police_row = QHBoxLayout()
        police_row.addWidget(self.police_button)
        police_row.addWidget(self.police_report, 1)
        box.addRow(police_row)
        box.addRow(self.record_button)
        box.addRow(self.replacement_message)
        self.replacement.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.replacement)
        layout.addWidget(QLabel(self.tr("Optional: scans of supporting documents (PDF only, at "
                                        "most 5 MB each).")))  # fmt: skip
        scans = QHBoxLayout()
        scans.addWidget(self.add_button)
        scans.addWidget(self.remove_button)
        scans.addStretch(1)
        layout.addLayout(scans)
        layout.addWidget(self.files)
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self._choose)
        self.remove_button.clicked.connect(self.remove_selected)
        self.files.currentRowChanged.connect(
            lambda row: self.remove_button.setEnabled(row >= 0))
        self.reason.currentIndexChanged.connect(self._reason_changed)
        self.police_button.clicked.connect(self._choose_police_report)
        self.record_button.clicked.connect(self.record_reason)
        self._reason_changed()

    def title(self) -> str:
        return self.tr("Documents")

    # -- replacement reason ------------------------------------------------------------------

    @property
    def is_replacement(self) -> bool:
        return self._card_type == card_lifecycle.REPLACEMENT

    def is_complete(self) -> bool:
        # A replacement goes on only once the reason chosen is the one recorded.
        return not self.is_replacement or (
            self._recorded is not None and self._recorded == self.reason.currentData()
        )

    def enter(self) -> None:
        coupon = self.wizard.page("coupon")
        card_type = getattr(coupon, "verified_card_type", None)
        if card_type is not None:
            self._card_type = card_type
        self.replacement.setVisible(self.is_replacement)
        self.completeChanged.emit()

    def choose_reason(self, code: str) -> None:
        """Select a reason by its code (lost, stolen, damaged, data_changed)."""
        self.reason.setCurrentIndex(self.reason.findData(code))

    def _reason_changed(self, _index: int = 0) -> None:
        reason = self.reason.currentData()
        stolen = reason == "stolen"
        self.police_button.setEnabled(stolen)
        self.police_report.setVisible(stolen)
        self.record_button.setEnabled(reason is not None and reason != self._recorded)
        if reason != self._recorded:
            self.replacement_message.clear()
        self.completeChanged.emit()

    def _choose_police_report(self) -> None:
        path = choose_file(
            self, self.tr("Choose the police report"), str(Path.home()),
            self.tr("PDF documents (*.pdf);;All files (*)"),
        )  # fmt: skip
        if path:
            self.attach_police_report(Path(path))

    def attach_police_report(self, path: Path) -> None:
        """The police report is attached as any scan (PDF, at most 5 MB) and kept by its id."""
        self.police_button.setEnabled(False)
        self.record_button.setEnabled(False)
        self.show_busy(self.replacement_message,
                       self.tr("Attaching {name}…").format(name=path.name))  # fmt: skip
        self._attach(path, self._police_report_attached, self._police_report_refused)

    def _police_report_attached(self, answer: tuple[str, int]) -> None:
        self._police_report = answer
        self._add_item(*answer)
        self.police_report.setText(answer[0])
        if self._recorded == "stolen":  # a new report: the reason is recorded again with it
            self._recorded = None
        self._reason_changed()
        self.show_ok(self.replacement_message,
                     self.tr("{name} is attached.").format(name=answer[0]))  # fmt: skip

    def _police_report_refused(self, error: Exception) -> None:
        self._reason_changed()
        self.show_error(self.replacement_message, error)

    def record_reason(self) -> None:
        reason = self.reason.currentData()
        ctx, actor, app_id = self.desk.ctx, self.desk.actor, self.application_id
        if reason is None or actor is None or app_id is None:
            return
        report = self._police_report[1] if self._police_report else None
        self.record_button.setEnabled(False)
        self.show_busy(self.replacement_message, self.tr("Recording the reason…"))
        self.jobs.run(
            lambda: card_lifecycle.record_replacement(
                ctx, actor, app_id, reason, police_report_id=report),
            self._reason_recorded, self._reason_refused,
        )  # fmt: skip

    def _reason_recorded(self, recorded: card_lifecycle.ReplacementRecorded) -> None:
        self._recorded = recorded.reason
        name = card_lifecycle.reason_name(recorded.reason, self.desk.language)
        if recorded.reason in ("lost", "stolen"):
            text = self.tr("Recorded: {reason}. Card {number} is revoked when the application "
                           "is submitted.")  # fmt: skip
        else:
            text = self.tr("Recorded: {reason}. Card {number} stays valid until the new card "
                           "is handed over.")  # fmt: skip
        self._reason_changed()
        self.show_ok(self.replacement_message, text.format(
            reason=name, number=recorded.replaced_document_number or "—"))  # fmt: skip
        self.wizard.focus_next()

    def _reason_refused(self, error: Exception) -> None:
        self._reason_changed()
        self.show_error(self.replacement_message, error)

    # -- scans -------------------------------------------------------------------------------

    def load(self, summary: ApplicationSummary) -> None:
        self.files.clear()
        for name, document_id in zip(summary.documents, summary.document_ids, strict=True):
            self._add_item(name, document_id)
        self._card_type = summary.card_type
        self._recorded = summary.replacement_reason
        if summary.replacement_reason is not None:
            self.choose_reason(summary.replacement_reason)
        self.replacement.setVisible(self.is_replacement)
        self._reason_changed()

    def _choose(self) -> None:
        # Every file type may be chosen so that a wrong file is refused in words.
        path = choose_file(
            self, self.tr("Choose a scanned document"), str(Path.home()),
            self.tr("PDF documents (*.pdf);;All files (*)"),
        )  # fmt: skip
        if path:
            self.attach_file(Path(path))

    def attach_file(self, path: Path) -> None:
        self.add_button.setEnabled(False)
        self.show_busy(self.message, self.tr("Attaching {name}…").format(name=path.name))
        self._attach(path, self._attached, self._refused)

    def _attach(self, path: Path, ok: Any, failed: Any) -> None:
        ctx, actor, app_id = self.desk.ctx, self.desk.actor, self.application_id
        assert actor is not None and app_id is not None
        self.jobs.run(
            lambda: (path.name, enrolment.attach_document(
                ctx, actor, app_id, path.name, limits.read_file(path, limits.PDF_MAX_BYTES))),
            ok, failed,
        )  # fmt: skip

    def _attached(self, answer: tuple[str, int]) -> None:
        self.add_button.setEnabled(True)
        self._add_item(*answer)
        self.show_ok(self.message, self.tr("{name} is attached.").format(name=answer[0]))

    def _refused(self, error: Exception) -> None:
        self.add_button.setEnabled(True)
        self.show_error(self.message, error)

    def _add_item(self, name: str, document_id: int) -> None:
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.UserRole, document_id)
        self.files.addItem(item)

    def remove_selected(self) -> None:
        item = self.files.currentItem()
        ctx, actor, app_id = self.desk.ctx, self.desk.actor, self.application_id
        if item is None or actor is None or app_id is None:
            return
        name, document_id = item.text(), int(item.data(Qt.ItemDataRole.UserRole))
        self.remove_button.setEnabled(False)
        self.show_busy(self.message, self.tr("Removing {name}…").format(name=name))
        self.jobs.run(
            lambda: attachments.remove_document(ctx, actor, app_id, document_id),
            lambda _: self._removed(name, document_id), self._remove_refused,
        )  # fmt: skip

    def _removed(self, name: str, document_id: int) -> None:
        for row in range(self.files.count()):
            if self.files.item(row).data(Qt.ItemDataRole.UserRole) == document_id:
                self.files.takeItem(row)
                break
        self.remove_button.setEnabled(self.files.currentRow() >= 0)
        self.show_ok(self.message, self.tr("{name} is removed.").format(name=name))

    def _remove_refused(self, error: Exception) -> None:
        self.remove_button.setEnabled(self.files.currentRow() >= 0)
        self.show_error(self.message, error)

    def draft_data(self) -> dict[str, Any]:
        return {"files": [self.files.item(i).text() for i in range(self.files.count())]}


class ReviewPage(StepPage):
    step = "review"
    submitted = Signal(int)

    def __init__(self, desk: DeskContext, wizard: EnrolmentWizard) -> None:
        super().__init__(desk, wizard)
        self.summary: ApplicationSummary | None = None
        self.receipt_path: Path | None = None
        self.pdf_window: PdfWindow | None = None  # the desk's own viewer, when it is used
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        rows = (
            ("number", self.tr("Application")), ("card_type", self.tr("Card type")),
            ("coupon", self.tr("Coupon")), ("surname", self.tr("Surname")),
            ("given_names", self.tr("Given names")), ("father_name", self.tr("Father's name")),
            ("birth", self.tr("Date and place of birth")),
            ("nationality", self.tr("Nationality")), ("passport", self.tr("Passport")),
            ("permit", self.tr("Permit")), ("contact", self.tr("Contact")),
            ("fingers", self.tr("Fingerprints")), ("signature", self.tr("Signature")),
            ("documents", self.tr("Documents")),
        )  # fmt: skip
        for key, label in rows:
            value = named(QLabel(wordWrap=True), f"review_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            form.addRow(label, value)
        self.photo = named(QLabel(), "review_photo")
        self.photo.setFixedSize(140, 180)
        self.signature = named(QLabel(), "review_signature_image")
        self.signature.setFixedSize(300, 60)
        # The privacy notice, read to (or by) the applicant; submitting records that they
        # accepted it (``enrolment.acknowledge_privacy_notice``) and is refused until then.
        self.privacy = named(QGroupBox(self.tr("Privacy notice")), "privacy_notice")
        self.privacy_text = named(
            QLabel(privacy_notice.notice_text(desk.language), wordWrap=True), "privacy_text"
        )
        self.privacy_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.privacy_accepted = named(
            QCheckBox(self.tr("The applicant has read and &accepted the privacy notice")),
            "privacy_accepted",
        )
        privacy_box = QVBoxLayout(self.privacy)
        privacy_box.addWidget(self.privacy_text)
        privacy_box.addWidget(self.privacy_accepted)
        self.submit_button = named(QPushButton(self.tr("&Submit application")), "submit")
        # Submitting is this page's Enter while Next waits for the receipt: with the focus
        # (given when the summary is shown) the button is the window's default for as long as
        # it has it, and Enter on any other widget still goes to Next as everywhere else.
        self.submit_button.setAutoDefault(True)
        self.submit_button.setEnabled(False)
        self.message = named(QLabel(wordWrap=True), "review_message")
        self.receipt = named(QLabel(wordWrap=True), "receipt_path")
        self.receipt.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = named(QPushButton(self.tr("&Open receipt")), "open_receipt")
        self.open_button.setAutoDefault(False)
        self.open_button.setEnabled(False)
        self.print_button = named(QPushButton(self.tr("&Print again")), "print_receipt")
        self.print_button.setAutoDefault(False)
        self.print_button.setEnabled(False)
        self.printed = named(QLabel(wordWrap=True), "receipt_printed")
        self.print_outcome: object | None = None

        images = QVBoxLayout()
        images.addWidget(self.photo)
        images.addWidget(self.signature)
        images.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(form, 1)
        top.addLayout(images)
        receipt_row = QHBoxLayout()
        receipt_row.addWidget(self.receipt, 1)
        receipt_row.addWidget(self.open_button)
        receipt_row.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.privacy)
        layout.addWidget(self.submit_button)
        layout.addWidget(self.message)
        layout.addLayout(receipt_row)
        layout.addWidget(self.printed)
        self.submit_button.clicked.connect(self._submit)
        self.open_button.clicked.connect(self._open)
        self.print_button.clicked.connect(self.print_receipt)

    def title(self) -> str:
        return self.tr("Review and submit")

    def is_complete(self) -> bool:
        return self.receipt_path is not None

    def enter(self) -> None:
        ctx, actor, app_id = self.desk.ctx, self.desk.actor, self.application_id
        assert actor is not None and app_id is not None
        self.show_busy(self.message, self.tr("Loading the summary…"))
        self.jobs.run(
            lambda: enrolment_queries.application_summary(ctx, actor, app_id),
            self._show, self._failed,
        )  # fmt: skip

    def _show(self, summary: ApplicationSummary) -> None:
        self.summary = summary
        p = summary.permit
        v = self.values
        v["number"].setText(summary.number)
        v["card_type"].setText(enrolment.card_type_name(summary.card_type, self.desk.language))
        v["coupon"].setText(
            f"{summary.coupon_code or '—'} "
            f"({in_lek(summary.coupon_amount_lek or 0, self.desk.language)})"
        )
        v["surname"].setText(p.get("surname") or "")
        v["given_names"].setText(p.get("given_names") or "")
        v["father_name"].setText(p.get("father_name") or "—")
        v["birth"].setText(f"{p.get('birth_date', '')}, {p.get('place_of_birth') or '—'}")
        v["nationality"].setText(p.get("nationality") or "")
        v["passport"].setText(p.get("passport_number") or "—")
        v["permit"].setText(self.tr("{number}, valid until {until}").format(
            number=p.get("permit_number", ""), until=p.get("valid_until", "")))  # fmt: skip
        v["contact"].setText(", ".join(x for x in (summary.mobile, summary.email) if x) or "—")
        language = self.desk.language
        exceptions = "; ".join(
            f"{enrolment.position_name(f.position, language)}: "
            f"{capture.exception_description(f.exception or '', language)}"
            for f in summary.finger_exceptions
        )
        text = self.tr("{n} captured").format(n=summary.finger_count)
        if exceptions:
            text += " — " + self.tr("exceptions: {list}").format(list=exceptions)
        v["fingers"].setText(text)
        if summary.child_exemption is not None:
            child = self.tr("none: child under {below}").format(
                below=summary.child_exemption["below"]
            )
            v["fingers"].setText(child)
            v["signature"].setText(child)
        elif summary.cannot_sign_reason:
            v["signature"].setText(self.tr("cannot sign: {reason}").format(
                reason=summary.cannot_sign_reason))  # fmt: skip
        else:
            v["signature"].setText(self.tr("signed") if summary.signed else "—")
        v["documents"].setText(", ".join(summary.documents) or "—")
        self._picture(self.photo, summary.photo_jpeg)
        self._picture(self.signature, summary.signature_png)
        if summary.state == State.SUBMITTED.value:
            self.privacy_accepted.setEnabled(False)
            self.message.setText(self.tr("This application is already submitted."))
        else:
            self.message.clear()
            self.submit_button.setEnabled(True)
            self.submit_button.setFocus()

    def _picture(self, label: QLabel, data: bytes | None) -> None:
        if not data:
            label.clear()
            return
        pixmap = QPixmap()
        pixmap.loadFromData(data)
        label.setPixmap(pixmap.scaled(label.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                      Qt.TransformationMode.SmoothTransformation))  # fmt: skip

    def _failed(self, error: Exception) -> None:
        self.submit_button.setEnabled(self.summary is not None and self.receipt_path is None)
        self.show_error(self.message, error)

    def _submit(self) -> None:
        if self.summary is None or self.receipt_path is not None:
            return
        if not self.privacy_accepted.isChecked():
            self.show_error(
                self.message, enrolment.PrivacyNoticeNotAcknowledged(self.summary.number)
            )
            self.privacy_accepted.setFocus()
            return
        ctx, actor, summary = self.desk.ctx, self.desk.actor, self.summary
        folder = self.desk.settings.data_dir / "receipts"
        assert actor is not None

        def submit() -> Path:
            app_id = summary.application_id
            # After a crash between the two calls the state already says "captured".
            state = enrolment_queries.application_summary(
                ctx, actor, app_id, with_images=False
            ).state
            if state != State.BIOMETRICS_CAPTURED.value:
                enrolment.mark_biometrics_captured(ctx, actor, app_id)
            enrolment.acknowledge_privacy_notice(ctx, actor, app_id, privacy_notice.VERSION)
            enrolment.submit(ctx, actor, app_id)
            pdf = receipts.application_receipt_pdf(ctx, actor, app_id)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{summary.number}.pdf"
            path.write_bytes(pdf)
            return path

        self.submit_button.setEnabled(False)
        self.show_busy(self.message, self.tr("Submitting…"))
        self.jobs.run(submit, self._submitted, self._failed)

    def _submitted(self, path: Path) -> None:
        self.receipt_path = path
        self.privacy_accepted.setEnabled(False)
        self.show_ok(self.message, self.tr("The application is submitted; the coupon is used."))
        self.receipt.setText(self.tr("Receipt saved to {path}").format(path=path))
        self.open_button.setEnabled(True)
        self.open_button.setFocus()
        assert self.summary is not None
        self.submitted.emit(self.summary.application_id)
        self.completeChanged.emit()
        self.print_receipt()

    def print_receipt(self) -> None:
        """On the desk's receipt printer; a printer problem is shown, the saved PDF stays."""
        if self.receipt_path is None or self.summary is None:
            return
        settings, number, path = self.desk.settings, self.summary.number, self.receipt_path
        devices = self.desk.devices
        self.print_button.setEnabled(False)
        self.show_busy(self.printed, self.tr("Printing the receipt…"))
        self.jobs.run(
            lambda: receipts.print_receipt(devices, settings, number, path.read_bytes()),
            self._printed,
            self._print_failed,
        )

    def _printed(self, outcome: object) -> None:
        self.print_outcome = outcome
        self.print_button.setEnabled(True)
        self.show_ok(self.printed, self.tr("Receipt printed; hand it to the applicant."))

    def _print_failed(self, error: Exception) -> None:
        self.print_button.setEnabled(True)
        self.show_error(self.printed, error)

    def _open(self) -> None:
        if self.receipt_path is not None:
            self.pdf_window = open_pdf(self.receipt_path, self)
