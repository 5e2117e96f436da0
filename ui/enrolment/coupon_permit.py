"""Steps 1 and 2: the post-office coupon and the residence permit from FER."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from issuance.delivery.clients import PermitRecord, fer
from issuance.labels import format_date, in_lek
from issuance.queries import enrolment as enrolment_queries
from issuance.queries.enrolment import ApplicationSummary
from issuance.services import coupons, enrolment, permits, receipts
from ui.context import DeskContext
from ui.enrolment.base import StepPage
from ui.widgets import named

if TYPE_CHECKING:
    from ui.enrolment.wizard import EnrolmentWizard



class CouponPage(StepPage):
    """The coupon comes first and alone: nothing is stored until the post office verified it;
    then the application opens (its number allocated) with the card type the coupon paid for."""

    step = "coupon"

    def __init__(self, desk: DeskContext, wizard: EnrolmentWizard) -> None:
        super().__init__(desk, wizard)
        self._verified: str | None = None
        self._card_type: str | None = None
        self._busy = False
        # Shown, never chosen: the card type follows the coupon.
        self.card_type = named(QLabel("—"), "card_type")
        self.code = named(QLineEdit(), "coupon_code")
        self.code.setPlaceholderText(self.tr("scan the barcode or type the code"))
        self.verify = named(QPushButton(self.tr("&Verify coupon")), "verify_coupon")
        self.verify.setAutoDefault(False)
        self.verdict = named(QLabel(wordWrap=True), "coupon_verdict")

        form = QFormLayout()
        code_label = QLabel(self.tr("C&oupon"))
        code_label.setBuddy(self.code)
        row = QHBoxLayout()
        row.addWidget(self.code, 1)
        row.addWidget(self.verify)
        form.addRow(code_label, row)
        form.addRow(self.tr("Card type (from the coupon)"), self.card_type)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.verdict)
        layout.addStretch(1)
        self.setTabOrder(self.code, self.verify)

        # A keyboard-wedge scanner types the code and presses Enter, exactly like a person.
        self.code.returnPressed.connect(self._verify)
        self.verify.clicked.connect(self._verify)

    def title(self) -> str:
        return self.tr("Coupon")

    @property
    def verified_card_type(self) -> str | None:
        """The card type the verified coupon paid for (None before it is verified)."""
        return self._card_type

    def is_complete(self) -> bool:
        return self._verified is not None

    def enter(self) -> None:
        if self._verified is None:
            self.code.setFocus()

    def load(self, summary: ApplicationSummary) -> None:
        if summary.coupon_code:
            self._mark_verified(
                summary.coupon_code, summary.coupon_amount_lek or 0, summary.card_type
            )

    def draft_data(self) -> dict[str, Any]:
        return {"code": self._verified, "card_type": self._card_type}

    def _verify(self) -> None:
        code = self.code.text().strip().upper()
        if self._busy or code == self._verified:
            return  # Enter on a verified coupon is for the wizard's Next
        if not code:
            self.show_error_text(self.tr("Scan or type the coupon code."))
            return
        self._busy = True
        self.verify.setEnabled(False)
        self.show_busy(self.verdict, self.tr("Checking coupon {code}…").format(code=code))
        ctx, actor, app_id = self.desk.ctx, self.desk.actor, self.application_id
        vouchers = self.desk.registers.vouchers
        assert actor is not None
        # No application (and no number) before the post office verified the coupon; a draft
        # reopened without a bound coupon takes this one (and its card type).
        self.jobs.run(
            lambda: coupons.open_with_coupon(ctx, actor, code, vouchers, application_id=app_id),
            self._opened, self._failed,
        )  # fmt: skip

    def _opened(self, opened: coupons.CouponOpened) -> None:
        # The application row exists from now on: a crash keeps the draft.
        self._busy = False
        self.wizard.set_application(opened.id, opened.number)
        self._mark_verified(opened.coupon.code, opened.coupon.amount_lek, opened.card_type)
        self.completeChanged.emit()

    def _mark_verified(self, code: str, amount: int, card_type: str) -> None:
        self._verified, self._card_type = code, card_type
        self.code.setText(code)
        self.code.setReadOnly(True)
        self.verify.setEnabled(False)
        self.card_type.setText(enrolment.card_type_name(card_type, self.desk.language))
        self.show_ok(
            self.verdict,
            self.tr("Coupon {code} is valid: {amount} paid; it is reserved for this "
                    "application.").format(code=code, amount=in_lek(amount, self.desk.language)),
        )  # fmt: skip

    def _failed(self, error: Exception) -> None:
        self._busy = False
        self.verify.setEnabled(True)
        self.show_error(self.verdict, error)
        self.code.selectAll()
        self.code.setFocus()

    def show_error_text(self, text: str) -> None:
        self.verdict.setStyleSheet("color: #c62828; font-weight: bold")
        self.verdict.setText(text)


PERMIT_FIELDS = (
    "surname", "given_names", "father_name", "mother_name", "sex", "birth_date",
    "place_of_birth", "nationality", "passport_number", "address", "permit_number",
    "permit_type", "valid_until", "nid",
)  # fmt: skip


class PermitPage(StepPage):
    step = "permit"

    def __init__(self, desk: DeskContext, wizard: EnrolmentWizard) -> None:
        super().__init__(desk, wizard)
        self._linked: str | None = None
        self._busy = False
        self.permit_number = named(QLineEdit(), "permit_number")
        self.permit_number.setPlaceholderText(self.tr("e.g. RP20240001"))
        self.passport = named(QLineEdit(), "passport_number")
        self.nationality = named(QLineEdit(maxLength=3), "nationality")
        self.nationality.setPlaceholderText(self.tr("ICAO code, e.g. RKS"))
        self.lookup = named(QPushButton(self.tr("&Look up")), "lookup_permit")
        self.lookup.setAutoDefault(False)
        self.message = named(QLabel(wordWrap=True), "permit_message")

        search = QFormLayout()
        search.addRow(self._buddy(self.tr("&Permit number"), self.permit_number),
                      self.permit_number)  # fmt: skip
        search.addRow(self._buddy(self.tr("or p&assport number"), self.passport), self.passport)
        search.addRow(self._buddy(self.tr("and nationalit&y"), self.nationality), self.nationality)
        search.addRow("", self.lookup)

        labels = {
            "surname": self.tr("Surname"), "given_names": self.tr("Given names"),
            "father_name": self.tr("Father's name"), "mother_name": self.tr("Mother's name"),
            "sex": self.tr("Sex"), "birth_date": self.tr("Date of birth"),
            "place_of_birth": self.tr("Place of birth"), "nationality": self.tr("Nationality"),
            "passport_number": self.tr("Passport"), "address": self.tr("Address in Albania"),
            "permit_number": self.tr("Permit"), "permit_type": self.tr("Permit type"),
            "valid_until": self.tr("Valid until"), "nid": self.tr("Personal number (NID)"),
        }  # fmt: skip
        register = QGroupBox(self.tr("As written in the register"))
        shown = QFormLayout(register)
        self.fields: dict[str, QLineEdit] = {}
        for key in PERMIT_FIELDS:
            field = named(QLineEdit(readOnly=True), f"shown_{key}")
            self.fields[key] = field
            shown.addRow(labels[key], field)

        contact = QGroupBox(self.tr("Contact for the card-ready notice"))
        self.mobile = named(QLineEdit(), "mobile")
        self.mobile.setPlaceholderText("06XXXXXXXX")
        self.email = named(QLineEdit(), "email")
        contact_form = QFormLayout(contact)
        contact_form.addRow(self._buddy(self.tr("&Mobile"), self.mobile), self.mobile)
        contact_form.addRow(self._buddy(self.tr("&E-mail"), self.email), self.email)

        layout = QVBoxLayout(self)
        layout.addLayout(search)
        layout.addWidget(self.message)
        layout.addWidget(register)
        layout.addWidget(contact)
        layout.addStretch(1)
        order = [self.permit_number, self.passport, self.nationality, self.lookup, self.mobile,
                 self.email]  # fmt: skip
        for first, second in zip(order, order[1:], strict=False):
            self.setTabOrder(first, second)
        for field in (self.permit_number, self.passport, self.nationality):
            field.returnPressed.connect(self._lookup)
        self.lookup.clicked.connect(self._lookup)

    def _buddy(self, text: str, widget: QLineEdit) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        return label

    def title(self) -> str:
        return self.tr("Residence permit")

    def is_complete(self) -> bool:
        return self._linked is not None

    def enter(self) -> None:
        if self._linked is None:
            self.permit_number.setFocus()
        else:
            self.mobile.setFocus()

    def load(self, summary: ApplicationSummary) -> None:
        if summary.permit:
            self._show(summary.permit)
            self.mobile.setText(summary.mobile or "")
            self.email.setText(summary.email or "")

    def _show(self, data: dict[str, Any]) -> None:
        for key, field in self.fields.items():
            field.setText(self._shown(key, data.get(key)))
            field.setCursorPosition(0)
        self._linked = str(data.get("permit_number") or "")
        self.permit_number.setText(self._linked)
        for widget in (self.permit_number, self.passport, self.nationality):
            widget.setReadOnly(True)
        self.lookup.setEnabled(False)

    def _shown(self, key: str, value: Any) -> str:
        """A register value in words: dates dd.mm.yyyy, codes by their names."""
        language = self.desk.language
        if value is None or value == "":
            return ""
        if key in ("birth_date", "valid_until"):
            day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
            return format_date(day)
        if key == "permit_type":
            return fer.permit_type_name(str(value), language)
        if key == "nationality":
            code = str(value).upper()
            return f"{receipts.nationality_in(code, language)} ({code})"
        return str(value)

    def _lookup(self) -> None:
        if self._busy or self._linked is not None:
            return
        number = self.permit_number.text().strip()
        passport, nation = self.passport.text().strip(), self.nationality.text().strip()
        if not number and not (passport and nation):
            self.message.setStyleSheet("color: #c62828; font-weight: bold")
            self.message.setText(
                self.tr("Enter the permit number, or the passport number and nationality.")
            )
            return
        ctx, actor, app_id, fer = (
            self.desk.ctx, self.desk.actor, self.application_id, self.desk.registers.fer
        )  # fmt: skip
        assert actor is not None and app_id is not None
        self._busy = True
        self.lookup.setEnabled(False)
        self.show_busy(self.message, self.tr("Asking the foreigners' register…"))

        def pull() -> tuple[PermitRecord, dict[str, Any] | None]:
            record = permits.pull_permit(
                ctx, actor, app_id, fer, permit_number=number or None,
                passport_number=passport or None, nationality=nation or None,
            )  # fmt: skip
            summary = enrolment_queries.application_summary(ctx, actor, app_id, with_images=False)
            return record, summary.child_exemption

        self.jobs.run(pull, self._pulled, self._failed)

    def _pulled(self, answer: tuple[PermitRecord, dict[str, Any] | None]) -> None:
        record, exemption = answer
        self._busy = False
        self._show({**asdict(record), "address": record.address_in_albania})
        self.wizard.set_child_exemption(exemption)
        text = self.tr("Permit found and linked to the application.")
        if exemption is not None:
            text += " " + self.child_text(exemption)
        self.show_ok(self.message, text)
        self.mobile.setFocus()
        self.completeChanged.emit()

    def _failed(self, error: Exception) -> None:
        self._busy = False
        self.lookup.setEnabled(True)
        self.show_error(self.message, error)

    def child_text(self, exemption: dict[str, Any]) -> str:
        return self.tr(
            "The applicant is {age} (under {below}): no fingerprints are taken and no signature "
            "is asked."
        ).format(age=exemption["age"], below=exemption["below"])

    def draft_data(self) -> dict[str, Any]:
        return {"permit_number": self._linked, "mobile": self.mobile.text().strip(),
                "email": self.email.text().strip()}  # fmt: skip

    def commit(self) -> None:
        mobile, email = self.mobile.text().strip() or None, self.email.text().strip() or None
        ctx, actor, app_id = self.desk.ctx, self.desk.actor, self.application_id
        assert actor is not None and app_id is not None
        self.jobs.run(
            lambda: enrolment.set_contact(ctx, actor, app_id, mobile=mobile, email=email),
            self._contact_saved, self._contact_refused,
        )  # fmt: skip

    def _contact_saved(self, _result: object) -> None:
        self.message.clear()
        self.committed.emit(self.draft_data())

    def _contact_refused(self, error: Exception) -> None:
        self.show_error(self.message, error)
        self.commit_failed.emit(self.desk.message(error))
