"""Printed papers built from the database: the applicant's receipt and the batch manifest.

The layouts live in ``issuance.documents``; this module reads what they print, with the
permissions of the person asking. Times are printed in Albania's local time.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuance.db.models import (
    Applicant,
    Application,
    Batch,
    BiometricCapture,
    Card,
    Office,
    Operator,
    PermitSnapshot,
)
from issuance.db.models.cards import VALID_CARD_STATES
from issuance.delivery.clients import fer
from issuance.documents import (
    BatchManifest,
    Decision,
    ManifestRow,
    ReceiptData,
    render_batch_manifest,
    render_receipt,
)
from issuance.domain import workflow
from issuance.domain.workflow import State
from issuance.errors import IssuanceError
from issuance.ports.card_printer import A4_PAGE_SIZE
from issuance.ports.devices import DeviceFactory
from issuance.security.permissions import Actor, UseCase, authorize, require_office
from issuance.services import enrolment
from issuance.wall_clock import local_time

if TYPE_CHECKING:
    from issuance.bootstrap import Context
    from issuance.config import Settings
    from issuance.ports.card_printer import PrintOutcome

# What the receipt promises; calendar days after submission.
DECISION_DAYS = 7
CARD_READY_DAYS = 21

# Nationality as printed on the card and the receipt (Albanian, feminine: "Shtetësia: ...").
# Codes not listed print as their ICAO code; the register may also send a name of its own.
NATIONALITY_NAMES = {
    "AFG": "Afgane", "ARE": "Emirate", "AUT": "Austriake", "BEL": "Belge", "BGD": "Bangladeshe",
    "BGR": "Bullgare", "BIH": "Boshnjake", "BRA": "Braziliane", "CAN": "Kanadeze",
    "CHE": "Zvicerane", "CHN": "Kineze", "CZE": "Çeke", "D<<": "Gjermane", "DEU": "Gjermane",
    "DNK": "Daneze", "EGY": "Egjiptiane", "ESP": "Spanjolle", "FIN": "Finlandeze",
    "FRA": "Franceze", "GBR": "Britanike", "GRC": "Greke", "HRV": "Kroate", "HUN": "Hungareze",
    "IND": "Indiane", "IRL": "Irlandeze", "IRN": "Iraniane", "IRQ": "Irakiane", "ISR": "Izraelite",
    "ITA": "Italiane", "JPN": "Japoneze", "KOR": "Koreane", "MAR": "Marokene",
    "MKD": "Maqedonase", "MNE": "Malazeze", "NLD": "Holandeze", "NOR": "Norvegjeze",
    "PAK": "Pakistaneze", "PHL": "Filipinase", "POL": "Polake", "PRT": "Portugeze",
    "ROU": "Rumune", "RUS": "Ruse", "SRB": "Serbe", "SVK": "Sllovake", "SVN": "Sllovene",
    "SWE": "Suedeze", "SYR": "Siriane", "TUN": "Tunizine", "TUR": "Turke", "UKR": "Ukrainase",
    "USA": "Amerikane", "XKX": "Kosovare",
}  # fmt: skip
# The same in English, for the English desk.
NATIONALITY_NAMES_EN = {
    "AFG": "Afghan", "ARE": "Emirati", "AUT": "Austrian", "BEL": "Belgian", "BGD": "Bangladeshi",
    "BGR": "Bulgarian", "BIH": "Bosnian", "BRA": "Brazilian", "CAN": "Canadian",
    "CHE": "Swiss", "CHN": "Chinese", "CZE": "Czech", "D<<": "German", "DEU": "German",
    "DNK": "Danish", "EGY": "Egyptian", "ESP": "Spanish", "FIN": "Finnish",
    "FRA": "French", "GBR": "British", "GRC": "Greek", "HRV": "Croatian", "HUN": "Hungarian",
    "IND": "Indian", "IRL": "Irish", "IRN": "Iranian", "IRQ": "Iraqi", "ISR": "Israeli",
    "ITA": "Italian", "JPN": "Japanese", "KOR": "Korean", "MAR": "Moroccan",
    "MKD": "Macedonian", "MNE": "Montenegrin", "NLD": "Dutch", "NOR": "Norwegian",
    "PAK": "Pakistani", "PHL": "Filipino", "POL": "Polish", "PRT": "Portuguese",
    "ROU": "Romanian", "RUS": "Russian", "SRB": "Serbian", "SVK": "Slovak", "SVN": "Slovenian",
    "SWE": "Swedish", "SYR": "Syrian", "TUN": "Tunisian", "TUR": "Turkish", "UKR": "Ukrainian",
    "USA": "American", "XKX": "Kosovar",
}  # fmt: skip
# Kosovo has no ICAO code of its own: Kosovo's passports print RKS, the EU and ICAO use XKX;
# the register may send either, and both are one nationality.
NATIONALITY_ALIASES = {"RKS": "XKX"}
_PAYLOAD_NATIONALITY_NAME = ("nationalityName", "nationality_name")
_PAYLOAD_ADDRESS = ("addressInAlbania", "address_in_albania", "address")


class ApplicationNotSubmitted(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Dëftesa shtypet vetëm pasi aplikimi është dorëzuar.",
            "The receipt is printed only once the application has been submitted.",
        )


class BatchNotFound(IssuanceError):
    def __init__(self, batch_id: object) -> None:
        super().__init__(f"Partia {batch_id} nuk u gjet.", f"Batch {batch_id} was not found.")


def nationality_name(code: str, payload: dict[str, Any] | None = None) -> str:
    """The nationality in words: the register's own name if it gave one, else our table."""
    for key in _PAYLOAD_NATIONALITY_NAME:
        value = (payload or {}).get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return nationality_in(code, "sq")


def nationality_in(code: str, language: str) -> str:
    """The nationality of ICAO ``code`` in ``language`` (RKS and XKX are both Kosovo); the
    code itself only for a country outside the tables."""
    key = code.strip().upper()
    key = NATIONALITY_ALIASES.get(key, key)
    names = NATIONALITY_NAMES if language == "sq" else NATIONALITY_NAMES_EN
    return names.get(key, key)


def permit_type_printed(permit_type: str) -> str:
    """The permit type in words for a bilingual document: "Albanian / English"."""
    sq, en = (fer.permit_type_name(permit_type, language) for language in ("sq", "en"))
    return sq if sq == en else f"{sq[:1].upper()}{sq[1:]} / {en[:1].upper()}{en[1:]}"


def applicant_address(applicant_address: str | None, payload: dict[str, Any] | None) -> str:
    """The whole address in Albania as the register gave it (street, city...), "" if none."""
    return (applicant_address or "").strip() or permit_address(payload)


def permit_address(payload: dict[str, Any] | None) -> str:
    """The address in the register's answer kept with the permit ("" if none): for
    applicants enrolled before ``Applicant.address`` held it."""
    for key in _PAYLOAD_ADDRESS:
        value = (payload or {}).get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def application_receipt_pdf(ctx: Context, actor: Actor, application_id: int) -> bytes:
    """The A4 receipt handed to the applicant after submission (application number as a
    Code 128 barcode, applicant's data, photo thumbnail, what happens next)."""
    authorize(actor, UseCase.VIEW_APPLICATION)
    with ctx.uow() as uow:
        session = uow.session
        application = session.get(Application, application_id)
        if application is None:
            raise workflow.ApplicationNotFound(application_id)
        require_office(actor, application.office_id)
        if application.submitted_at is None:
            raise ApplicationNotSubmitted()
        applicant = session.get(Applicant, application.applicant_id)
        permit = session.get(PermitSnapshot, application.permit_snapshot_id)
        office = session.get(Office, application.office_id)
        assert applicant is not None and permit is not None and office is not None
        photo = _portrait(ctx, session, application.id)
        submitted = local_time(application.submitted_at)
        data = ReceiptData(
            application_number=application.number, office_name=office.name,
            office_address=office.city, submitted_at=submitted,
            surname=applicant.surname, given_names=applicant.given_names, sex=applicant.sex,
            birth_date=applicant.birth_date, place_of_birth=applicant.place_of_birth or "—",
            nationality_name=nationality_name(applicant.nationality, permit.register_payload),
            nationality_code=applicant.nationality,
            passport_number=applicant.passport_number or "—",
            permit_number=permit.permit_number,
            permit_type=permit_type_printed(permit.permit_type), photo_jpeg=photo,
            decision_expected_by=submitted.date() + timedelta(days=DECISION_DAYS),
            card_expected_by=submitted.date() + timedelta(days=CARD_READY_DAYS),
            father_name=applicant.father_name or "",
            contact=applicant.mobile or applicant.email or "",
            address=applicant_address(applicant.address, permit.register_payload),
        )  # fmt: skip
    return render_receipt(data)


def _portrait(ctx: Context, session: Session, application_id: int) -> bytes | None:
    capture = session.execute(
        select(BiometricCapture).where(
            BiometricCapture.application_id == application_id,
            BiometricCapture.kind == "face",
            BiometricCapture.position == "face",
        )
    ).scalar_one_or_none()
    if capture is None or capture.data_sealed is None:
        return None  # the renderer refuses with MissingPhoto, in words
    context = enrolment.capture_context(application_id, "face", "face")
    return ctx.sealer.open(capture.data_sealed, context)


_APPROVED_STATES = {State.APPROVED, State.CARD_PRODUCED, State.REGISTERED, State.HANDED_OVER}


def batch_manifest_pdf(ctx: Context, actor: Actor, batch_id: int) -> bytes:
    """The supervisor's list of a batch: every application with its decision (landscape A4)."""
    authorize(actor, UseCase.REVIEW_BATCH)
    with ctx.uow() as uow:
        session = uow.session
        batch = session.get(Batch, batch_id)
        if batch is None:
            raise BatchNotFound(batch_id)
        require_office(actor, batch.office_id, "batch")
        office = session.get(Office, batch.office_id)
        assert office is not None
        applications = list(
            session.execute(
                select(Application)
                .where(Application.batch_id == batch.id)
                .order_by(Application.number)
            ).scalars()
        )
        rows = tuple(_manifest_row(session, a) for a in applications)
        deciders = sorted(
            {a.decided_by_id for a in applications if a.decided_by_id is not None}
        )
        names = [
            op.full_name
            for op in session.execute(select(Operator).where(Operator.id.in_(deciders))).scalars()
        ]
        if not names and actor.operator_id is not None:
            me = session.get(Operator, actor.operator_id)
            names = [me.full_name] if me else []
        decided = [a.decided_at for a in applications if a.decided_at is not None]
        manifest = BatchManifest(
            batch_number=f"{office.code}-{batch.batch_date:%Y%m%d}-{batch.id}",
            office_name=office.name,
            supervisor=", ".join(names) or actor.label,
            decided_at=local_time(max(decided) if decided else ctx.clock()),
            rows=rows,
        )
    return render_batch_manifest(manifest)


def _manifest_row(session: Session, application: Application) -> ManifestRow:
    applicant = session.get(Applicant, application.applicant_id)
    permit = session.get(PermitSnapshot, application.permit_snapshot_id)
    state = State(application.state)
    reason = application.decision_reason or ""
    if state in _APPROVED_STATES:
        decision = Decision.APPROVED
    elif state == State.REJECTED:
        decision = Decision.REJECTED
    elif state == State.CANCELLED:
        # Withdrawn after submission: not issued, shown with the rejections and its reason.
        decision, reason = Decision.REJECTED, f"Anuluar / Cancelled {reason}".strip()
    else:
        decision = Decision.PENDING
    card = session.execute(
        select(Card.document_number).where(
            Card.application_id == application.id, Card.status.in_(VALID_CARD_STATES)
        )
    ).scalar_one_or_none()
    return ManifestRow(
        application_number=application.number,
        surname=applicant.surname if applicant else "—",
        given_names=applicant.given_names if applicant else "—",
        nationality_code=applicant.nationality if applicant else "",
        permit_number=permit.permit_number if permit else "—",
        decision=decision,
        reason=reason,
        document_number=card or "",
    )


def print_receipt(
    devices: DeviceFactory, settings: Settings, number: str, pdf: bytes, timeout: float = 120.0
) -> PrintOutcome:
    """Print the receipt on the desk's A4 printer and wait for the job to end. Blocks (call
    from a worker); raises the printer's ``PrinterError`` in words. The job title carries the
    application number only, never a name (printer logs)."""
    printer = devices.card_printer(settings.receipt_printer_spec, page_size=A4_PAGE_SIZE)
    try:
        return printer.print_card(pdf, title=f"receipt-{number}").result(timeout=timeout)
    finally:
        printer.close()
