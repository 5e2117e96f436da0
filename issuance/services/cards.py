"""The card operator's use cases: produce a card (print the face, encode and verify the chip),
hand it over, and account for every blank that does not become a valid card.

Device work is slow, so it never runs inside a database transaction. Production is three
short transactions around it:

1. *reserve*: check the application, allocate the document number and write the card row
   with status ``in_production`` (so a crash mid-way leaves a trace of the blank in use);
2. the devices print the face and personalise the chip, which is read back through BAC and
   verified (passive authentication) before anything else is written;
3. *record*: the card becomes ``produced`` and the application ``card_produced`` in one
   transaction with their audit events — or, when a device failed, the card becomes
   ``spoiled`` with its reason and the application stays approved for the next blank.

Before the first, the application is checked and then the card in the reader
(``require_blank_card``): with no reader, no card, or a chip already written or locked,
production stops before a number is drawn and before anything is printed.

A document number, once allocated, is never reused: a spoiled blank keeps its number.
``produce_at_station`` is what a desk calls: the desk's keys (``FileKeyStore``), its card
printer and its card station around ``produce_card``. Results are plain frozen dataclasses,
never ORM rows. All functions block; the desk calls them from a worker thread.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from asn1crypto import x509
from PIL import Image
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from issuance.chip import ChipData, DocumentSigner, build_lds, icao_full_name, load_certificate
from issuance.chip.apdu import SW_OK, CommandApdu
from issuance.chip.commands import CommandLink
from issuance.chip.lds import DATA_GROUPS, EF_COM, EF_SOD
from issuance.chip.personalisation import select_applet
from issuance.chip.reports import CardEncoder, EncodingReport
from issuance.chip.station import open_card_station
from issuance.chip.status_words import CardNotBlank, status_error
from issuance.db.models import (
    Applicant,
    Application,
    BiometricCapture,
    Card,
    Office,
    PermitSnapshot,
    Signature,
)
from issuance.db.models.cards import VALID_CARD_STATES
from issuance.delivery import civil_registry
from issuance.documents import CardFaceData, render_card_face
from issuance.domain import numbering, workflow
from issuance.domain.identity import mrz
from issuance.domain.workflow import STATE_NAMES, State
from issuance.errors import IssuanceError
from issuance.ports.card_printer import CardPrinter, PrintOutcome
from issuance.ports.card_reader import ApduTransport
from issuance.ports.devices import require_devices
from issuance.security import audit
from issuance.security.keys import FileKeyStore
from issuance.security.permissions import Actor, UseCase, authorize, require_office
from issuance.services import card_lifecycle, enrolment, permits, stock
from issuance.services.card_lifecycle import CardNotFound
from issuance.services.receipts import nationality_name, permit_address, permit_type_printed

if TYPE_CHECKING:
    from issuance.bootstrap import Context
    from issuance.delivery.clients import FerClient

IN_PRODUCTION = "in_production"
PRODUCED = "produced"
SPOILED = "spoiled"
HANDED_OVER = "handed_over"
# A number allocated but no blank touched (bad data, printer not ready): retired unused.
VOID = "void"
# The chip image is stored next to the portrait when the photo step made a smaller one.
CHIP_FACE_POSITION = "face_chip"
PORTRAIT_POSITION = "face"

Progress = Callable[[str], None]


# --- refusals ------------------------------------------------------------------------------


class ApplicationNotApproved(IssuanceError):
    def __init__(self, state: State) -> None:
        sq, en = STATE_NAMES[state]
        super().__init__(
            f"Karta prodhohet vetëm për një aplikim të miratuar; ky aplikim është «{sq}».",
            f"A card is produced only for an approved application; this one is '{en}'.",
        )
        self.state = state


class ValidCardExists(IssuanceError):
    def __init__(self, document_number: str | None) -> None:
        which = f" ({document_number})" if document_number else ""
        super().__init__(
            f"Ky person ka tashmë një kartë të vlefshme{which}. Një person nuk mund të ketë "
            "dy karta të vlefshme.",
            f"This person already holds a valid card{which}. One person never holds two "
            "valid cards.",
        )
        self.document_number = document_number


class ProductionInProgress(IssuanceError):
    def __init__(self, document_number: str) -> None:
        super().__init__(
            f"Karta {document_number} për këtë aplikim është duke u prodhuar. Nëse prodhimi "
            "u ndërpre, shënojeni atë kartë si të dëmtuar para se të përdorni një tjetër.",
            f"Card {document_number} of this application is being produced. If that run was "
            "interrupted, record that card as spoiled before using another blank.",
        )
        self.document_number = document_number


class NoPersonalNumber(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Aplikanti nuk ka numër personal (NID); karta nuk mund të prodhohet.",
            "The applicant has no personal number (NID); the card cannot be produced.",
        )


class PortraitMissing(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Mungon fotografia e aplikantit; karta nuk mund të prodhohet.",
            "The applicant's photo is missing; the card cannot be produced.",
        )


class PermitNoLongerValid(IssuanceError):
    def __init__(self, valid_until: date) -> None:
        super().__init__(
            f"Leja e qëndrimit ka skaduar më {valid_until:%d.%m.%Y}; karta nuk prodhohet.",
            f"The residence permit expired on {valid_until:%Y-%m-%d}; no card is produced.",
        )


class CardSpoiled(IssuanceError):
    """A blank was used and did not become a valid card: it is recorded as spoiled."""

    def __init__(self, document_number: str, cause: BaseException) -> None:
        sq, en = _cause_words(cause)
        super().__init__(
            f"Karta {document_number} u shënua e dëmtuar: {sq} Përdorni kartën e bardhë të "
            "radhës; aplikimi mbetet i miratuar.",
            f"Card {document_number} was recorded as spoiled: {en} Use the next blank; the "
            "application stays approved.",
        )
        self.document_number = document_number
        self.cause = cause


class NotReadyForHandover(IssuanceError):
    def __init__(self, state: State) -> None:
        sq, en = STATE_NAMES[state]
        super().__init__(
            "Karta dorëzohet vetëm kur aplikimi është «gati për e-Albania»; ky aplikim "
            f"është «{sq}».",
            f"A card is handed over only once the application is 'e-Albania ready'; this one "
            f"is '{en}'.",
        )
        self.state = state


class HandoverMismatch(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Numri i dokumentit i skanuar nuk përputhet me kartën e prodhuar për këtë aplikim. "
            "Kontrolloni që po dorëzoni kartën e duhur.",
            "The scanned document number does not match the card produced for this "
            "application. Check that you are handing over the right card.",
        )


class CardNotInProduction(IssuanceError):
    def __init__(self, document_number: str, status: str) -> None:
        super().__init__(
            f"Karta {document_number} nuk mund të shënohet e dëmtuar (gjendja: {status}); "
            "shënohet vetëm një kartë e mbetur në prodhim ose e prodhuar e pa dorëzuar.",
            f"Card {document_number} cannot be recorded as spoiled (status: {status}); only a "
            "card left in production, or produced and not handed over, can.",
        )


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProducedCard:
    card_id: int
    application_id: int
    document_number: str
    nid: str
    issued_on: date
    expires_on: date
    mrz_lines: tuple[str, str, str]
    face_pdf: bytes
    print_outcome: PrintOutcome  # the printer's job id or the file written
    encoding: EncodingReport  # APDU counts and every read-back check
    blank_serial: str | None = None  # the blank it is printed on (None: no stock kept yet)


@dataclass(frozen=True)
class CardRecord:
    """One blank used for an application, as the screens see it (no ORM object)."""

    card_id: int
    application_id: int
    document_number: str
    status: str
    spoiled_reason: str | None
    issued_on: date
    expires_on: date
    created_at: datetime | None
    handed_over_at: datetime | None

    @classmethod
    def of(cls, card: Card) -> CardRecord:
        return cls(
            card_id=card.id, application_id=card.application_id,
            document_number=card.document_number, status=card.status,
            spoiled_reason=card.spoiled_reason, issued_on=card.issued_on,
            expires_on=card.expires_on, created_at=card.created_at,
            handed_over_at=card.handed_over_at,
        )  # fmt: skip


@dataclass(frozen=True)
class _Blank:
    """Everything production needs, read in the reservation transaction (no ORM objects)."""

    card_id: int
    application_id: int
    document_number: str
    issued_on: date
    expires_on: date
    face: CardFaceData
    chip: ChipData
    blank_serial: str | None = None


# --- produce -------------------------------------------------------------------------------


def produce_card(
    ctx: Context,
    actor: Actor,
    application_id: int,
    *,
    printer: CardPrinter,
    station: CardEncoder,
    signer: DocumentSigner,
    csca: x509.Certificate,
    progress: Progress | None = None,
    fer: FerClient | None = None,
) -> ProducedCard:
    """Print and encode one blank for an approved application; blocks until it is verified.

    ``csca`` is the Country Signing CA certificate (path, PEM/DER bytes or asn1crypto object)
    the read-back chip is verified against. Raises ``CardSpoiled`` when the blank was used and
    failed (the operator takes the next blank), or the printer's refusal when it was not ready
    (no blank used). With ``fer`` the permit is read again first: one revoked or ended since
    enrolment stops production before a number is drawn.
    """
    authorize(actor, UseCase.PRODUCE_CARD)
    say = progress or (lambda _message: None)
    anchor = load_certificate(csca)
    if fer is not None:
        say("checking the permit at FER")
        permits.recheck_application(ctx, actor, application_id, fer)
    with ctx.read() as uow:  # the application's own refusals first, in their own words
        _checked(ctx, actor, uow.session, application_id, lock=False)
    say("checking the card in the reader")
    require_blank_card(station)  # no number drawn, nothing printed for a used blank
    blank = _reserve(ctx, actor, application_id)
    try:
        # Data problems surface here, before a blank is touched.
        face_pdf = render_card_face(blank.face)
        files = build_lds(blank.chip, signer)
        printer.check_ready()
    except Exception as exc:
        _close_unused(ctx, actor, blank, exc)
        raise
    try:
        say("printing the card face")
        outcome = printer.print_card(face_pdf, f"card-{blank.document_number}").result()
        say("encoding the chip")
        report = station.personalise(files, blank.chip.bac_key(), anchor, say)
        if not report.passed:  # personalise raises on a failed check; never trust silence
            raise ChipVerificationFailed()
        _record_produced(ctx, actor, blank, report)
    except Exception as exc:
        _spoil(ctx, actor, blank.card_id, _reason_of(exc), type(exc).__name__)
        raise CardSpoiled(blank.document_number, exc) from exc
    say("card produced")
    return ProducedCard(
        card_id=blank.card_id,
        application_id=blank.application_id,
        document_number=blank.document_number,
        nid=blank.chip.nid,
        issued_on=blank.issued_on,
        expires_on=blank.expires_on,
        mrz_lines=blank.chip.mrz_lines,
        face_pdf=face_pdf,
        print_outcome=outcome,
        encoding=report,
        blank_serial=blank.blank_serial,
    )


def produce_at_station(
    ctx: Context,
    actor: Actor,
    application_id: int,
    progress: Progress | None = None,
    fer: FerClient | None = None,
) -> ProducedCard:
    """``produce_card`` on this desk's devices with this desk's keys: the Document Signer and
    the CSCA certificate from ``settings.keys_dir`` (``FileKeyStore``, checked before a number
    is drawn), the card printer and the card station named by the settings. Closes what it
    opened. Blocks: the desk calls it from a worker thread."""
    authorize(actor, UseCase.PRODUCE_CARD)
    settings = ctx.settings
    keys = FileKeyStore.load(settings.keys_dir)
    devices = require_devices(ctx.devices)
    printer = devices.card_printer(settings.card_printer_spec)
    try:
        with open_card_station(devices, settings.card_reader) as station:
            return produce_card(
                ctx, actor, application_id, printer=printer, station=station,
                signer=keys.signer, csca=keys.csca_certificate, progress=progress, fer=fer,
            )  # fmt: skip
    finally:
        printer.close()


@runtime_checkable
class _CardSessions(Protocol):
    """A station that holds a card session of its own (``CardStation``) can be checked."""

    def session(self) -> AbstractContextManager[ApduTransport]: ...


# Every file personalisation creates; a blank chip has none of them.
_LDS_FILE_IDS = (EF_COM, *(fid for _tag, fid in DATA_GROUPS.values()), EF_SOD)
_SW_FILE_NOT_FOUND = 0x6A82
_SW_SECURITY_NOT_SATISFIED = 0x6982


def require_blank_card(station: object) -> None:
    """The reader is there, a card is in it and its chip is blank, or a refusal in words.

    Reads only: it selects the applet and each file personalisation would create, in plain. A
    blank chip answers "file not found" for each; a locked one refuses plain commands, and a
    half-written one has a file already. The reader's own refusals (no reader, no card within
    the timeout, card removed) come as they are. A station without a card session of its own
    (a test double) is not checked."""
    if not isinstance(station, _CardSessions):
        return
    with station.session() as transport:
        link = CommandLink(transport)
        select_applet(link)
        for file_id in _LDS_FILE_IDS:
            select_file = CommandApdu(0x00, 0xA4, 0x02, 0x0C, file_id.to_bytes(2, "big"))
            _data, sw = link.exchange(select_file)
            if sw == _SW_FILE_NOT_FOUND:
                continue
            if sw == _SW_SECURITY_NOT_SATISFIED:
                raise CardNotBlank("the chip is locked")
            if sw == SW_OK:
                raise CardNotBlank("the chip already holds files")
            raise status_error(sw, f"SELECT {file_id:04X}")


class ChipVerificationFailed(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Çipi nuk kaloi verifikimin pas shkrimit.", "The chip failed verification."
        )


def _reserve(ctx: Context, actor: Actor, application_id: int) -> _Blank:
    with ctx.uow() as uow:
        session = uow.session
        application, applicant, permit, office = _checked(ctx, actor, session, application_id)
        today = ctx.clock().date()
        portrait, chip_face = _faces(ctx, session, application.id)
        signature = _signature(ctx, session, application.id)
        number = numbering.allocate_document_number(session, office.code)
        card = Card(
            application_id=application.id, applicant_id=applicant.id, document_number=number,
            status=IN_PRODUCTION, issued_on=today, expires_on=permit.valid_until,
            operator_id=actor.operator_id, created_at=ctx.clock(),
        )  # fmt: skip
        session.add(card)
        session.flush()
        # The blank in the printer: the lowest serial in stock (no blank left: nothing drawn).
        serial = stock.take_for_card(session, office.id, card.id, ctx.clock())
        details = {"card": card.id, "document_number": number}
        if serial is not None:
            details["blank"] = serial
        audit.record(
            session, actor, "card.production_started", "application", application.id,
            details, at=ctx.clock(),
        )  # fmt: skip
        blank = replace(
            _compose(card, applicant, permit, portrait, chip_face, signature), blank_serial=serial
        )
        uow.commit()
        return blank


def _checked(
    ctx: Context, actor: Actor, session: Session, application_id: int, *, lock: bool = True
) -> tuple[Application, Applicant, PermitSnapshot, Office]:
    """The application (locked for update unless only looked at) and what its card is made
    of, or the refusal saying why no card is made for it now."""
    application = session.get(Application, application_id, with_for_update=lock)
    if application is None:
        raise workflow.ApplicationNotFound(application_id)
    require_office(actor, application.office_id)
    _require_producible(session, application)
    applicant = session.get(Applicant, application.applicant_id)
    permit = session.get(PermitSnapshot, application.permit_snapshot_id)
    office = session.get(Office, application.office_id)
    assert applicant is not None and permit is not None and office is not None
    if applicant.nid is None:
        raise NoPersonalNumber()
    today = ctx.clock().date()
    _require_no_valid_card(session, application, today)
    if permit.valid_until <= today:
        raise PermitNoLongerValid(permit.valid_until)
    return application, applicant, permit, office


def _require_producible(session: Session, application: Application) -> None:
    state = State(application.state)
    if state != State.APPROVED:
        valid = _valid_card_of_application(session, application.id)
        if valid is not None:
            raise ValidCardExists(valid.document_number)
        raise ApplicationNotApproved(state)
    running = session.execute(
        select(Card).where(Card.application_id == application.id, Card.status == IN_PRODUCTION)
    ).scalar_one_or_none()
    if running is not None:
        raise ProductionInProgress(running.document_number)


def _valid_card_of_application(session: Session, application_id: int) -> Card | None:
    return session.execute(
        select(Card).where(
            Card.application_id == application_id, Card.status.in_(VALID_CARD_STATES)
        )
    ).scalar_one_or_none()


def _require_no_valid_card(session: Session, application: Application, today: date) -> None:
    """One person never holds two cards: none may wait for handover already, and a first
    card is not made for a holder of a valid one (a renewal or replacement card is: the old
    card leaves service at the new one's handover)."""
    assert application.applicant_id is not None
    for held in card_lifecycle.valid_cards_of(session, application.applicant_id, today):
        if held.status == PRODUCED or application.card_type not in (
            card_lifecycle.RENEWAL, card_lifecycle.REPLACEMENT,
        ):  # fmt: skip
            raise ValidCardExists(held.document_number)
    waiting = session.execute(
        select(Card).where(Card.applicant_id == application.applicant_id, Card.status == PRODUCED)
    ).scalar_one_or_none()
    if waiting is not None:  # expired while waiting: still one card too many
        raise ValidCardExists(waiting.document_number)


def _faces(ctx: Context, session: Session, application_id: int) -> tuple[bytes, bytes]:
    captures = {
        c.position: c
        for c in session.execute(
            select(BiometricCapture).where(
                BiometricCapture.application_id == application_id,
                BiometricCapture.kind == "face",
            )
        ).scalars()
        if c.data_sealed is not None
    }
    if PORTRAIT_POSITION not in captures:
        raise PortraitMissing()

    def unseal(position: str) -> bytes:
        context = enrolment.capture_context(application_id, "face", position)
        return ctx.sealer.open(captures[position].data_sealed or b"", context)

    portrait = unseal(PORTRAIT_POSITION)
    chip = unseal(CHIP_FACE_POSITION) if CHIP_FACE_POSITION in captures else portrait
    return portrait, chip


def _signature(ctx: Context, session: Session, application_id: int) -> bytes | None:
    row = session.execute(
        select(Signature).where(Signature.application_id == application_id)
    ).scalar_one_or_none()
    if row is None or row.image_sealed is None:
        return None  # "cannot sign": the card says so in words
    return ctx.sealer.open(row.image_sealed, enrolment.signature_context(application_id))


def _compose(
    card: Card,
    applicant: Applicant,
    permit: PermitSnapshot,
    portrait: bytes,
    chip_face: bytes,
    signature: bytes | None,
) -> _Blank:
    nid = applicant.nid or ""
    sex = applicant.sex if applicant.sex in ("M", "F") else "<"
    lines = mrz.td1(
        document_number=card.document_number, birth_date=applicant.birth_date, sex=sex,
        expiry_date=permit.valid_until, nationality=applicant.nationality,
        surname=applicant.surname, given_names=applicant.given_names, optional1=nid,
    )  # fmt: skip
    place = applicant.place_of_birth or "—"
    face = CardFaceData(
        surname=applicant.surname, given_names=applicant.given_names, sex=applicant.sex,
        birth_date=applicant.birth_date, place_of_birth=place,
        nationality_name=nationality_name(applicant.nationality, permit.register_payload),
        nationality_code=applicant.nationality, nid=nid,
        document_number=card.document_number, issue_date=card.issued_on,
        expiry_date=card.expires_on, permit_type=permit_type_printed(permit.permit_type),
        photo_jpeg=portrait,
        signature_png=signature, mrz_lines=lines,
    )  # fmt: skip
    width, height = _jpeg_size(chip_face)
    chip = ChipData(
        mrz_lines=lines, face_jpeg=chip_face, face_width=width, face_height=height,
        full_name=icao_full_name(applicant.surname, applicant.given_names), nid=nid,
        place_of_birth=applicant.place_of_birth or "",
        address=applicant.address or permit_address(permit.register_payload),
        document_number=card.document_number, birth_date=applicant.birth_date,
        expiry_date=permit.valid_until,
    )  # fmt: skip
    return _Blank(
        card.id, card.application_id, card.document_number, card.issued_on, card.expires_on,
        face, chip,
    )  # fmt: skip


def _jpeg_size(data: bytes) -> tuple[int, int]:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except OSError as exc:
        raise PortraitMissing() from exc


def _record_produced(
    ctx: Context, actor: Actor, blank: _Blank, report: EncodingReport
) -> None:
    with ctx.uow() as uow:
        session = uow.session
        application = session.get(Application, blank.application_id, with_for_update=True)
        card = session.get(Card, blank.card_id)
        assert application is not None and card is not None
        now = ctx.clock()
        card.status = PRODUCED
        workflow.apply(session, actor, application, State.CARD_PRODUCED, at=now)
        audit.record(
            session, actor, "card.produced", "application", application.id,
            {"card": card.id, "document_number": card.document_number,
             "apdus": getattr(report, "apdu_count", None)},
            at=now,
        )  # fmt: skip
        # The registry may have confirmed the identity already: then it is e-Albania ready now.
        civil_registry.mark_registered_if_ready(session, application, now)
        try:
            uow.commit()
        except IntegrityError as exc:
            # The partial unique index: another card of this person became valid meanwhile.
            raise ValidCardExists(None) from exc


def _reason_of(exc: BaseException) -> tuple[str, str]:
    """The spoiled card's reason as stored: the operator's words (Albanian, English); the
    kind of failure goes to the audit event only."""
    return _cause_words(exc)


def _cause_words(exc: BaseException) -> tuple[str, str]:
    if isinstance(exc, IssuanceError):
        return exc.message("sq"), exc.message("en")
    return (
        f"gabim i papritur ({type(exc).__name__}).",
        f"unexpected error ({type(exc).__name__}).",
    )


def _spoil(
    ctx: Context, actor: Actor, card_id: int, reason: tuple[str, str], kind: str | None = None
) -> None:
    with ctx.uow() as uow:
        card = uow.session.get(Card, card_id)
        assert card is not None
        card.status = SPOILED
        card.spoiled_reason_sq, card.spoiled_reason = reason
        details = {"card": card.id, "document_number": card.document_number,
                   "reason": reason[1]}  # fmt: skip
        if kind:
            details["kind"] = kind
        serial = stock.spoil_with_card(uow.session, card.id, reason[1], ctx.clock())
        if serial is not None:
            details["blank"] = serial
        audit.record(
            uow.session, actor, "card.spoiled", "application", card.application_id, details,
            at=ctx.clock(),
        )  # fmt: skip
        uow.commit()


def _close_unused(ctx: Context, actor: Actor, blank: _Blank, exc: BaseException) -> None:
    """No blank was touched (bad data, printer not ready): the number is retired, unused."""
    with ctx.uow() as uow:
        card = uow.session.get(Card, blank.card_id)
        assert card is not None
        sq, en = _reason_of(exc)
        card.status = VOID
        card.spoiled_reason_sq, card.spoiled_reason = f"Nuk filloi: {sq}", f"Not started: {en}"
        details = {"card": card.id, "document_number": card.document_number, "reason": en,
                   "kind": type(exc).__name__}  # fmt: skip
        serial = stock.return_unused(uow.session, card.id)  # untouched: back in stock
        if serial is not None:
            details["blank_returned"] = serial
        audit.record(
            uow.session, actor, "card.voided", "application", card.application_id, details,
            at=ctx.clock(),
        )  # fmt: skip
        uow.commit()


def spoil_card(ctx: Context, actor: Actor, document_number: str, reason: str) -> CardRecord:
    """Record a blank as spoiled with the operator's reason, in one transaction: one left
    ``in_production`` (the desk crashed or the run was cut off: its chip and print are of
    unknown state), or a produced card found misprinted before its handover (its application
    goes back from "card produced" or "e-Albania ready" to the queue). It is never used; the
    application waits for the next blank."""
    authorize(actor, UseCase.SPOIL_CARD)
    words = " ".join(reason.split())
    if not words:
        raise workflow.ReasonRequired()
    with ctx.uow() as uow:
        session = uow.session
        card, application = card_lifecycle.locked_card(session, actor, document_number)
        now = ctx.clock()
        if card.status == PRODUCED:
            workflow.apply(session, actor, application, State.APPROVED, reason=words, at=now)
        elif card.status != IN_PRODUCTION:
            raise CardNotInProduction(card.document_number, card.status)
        card.status, card.spoiled_reason_sq, card.spoiled_reason = SPOILED, words, words
        details = {"card": card.id, "document_number": card.document_number, "reason": words,
                   "kind": "operator"}  # fmt: skip
        serial = stock.spoil_with_card(session, card.id, words, now)
        if serial is not None:
            details["blank"] = serial
        audit.record(
            session, actor, "card.spoiled", "application", card.application_id, details, at=now
        )
        record = CardRecord.of(card)
        uow.commit()
        return record


# --- hand over -----------------------------------------------------------------------------


def hand_over(
    ctx: Context,
    actor: Actor,
    application_id: int,
    confirmation: str,
    *,
    old_card_handed_in: bool = False,
) -> CardRecord:
    """Give the card to the resident once e-Albania is ready.

    ``confirmation`` is the document number scanned from the card's back (or typed): it must be
    the card produced for this application, so the right card reaches the right person. The
    card the resident held until now (a renewal, a replacement) leaves service in the same
    transaction: voided when they hand it in (``old_card_handed_in``; always for a damaged
    card), superseded otherwise.
    """
    authorize(actor, UseCase.HAND_OVER_CARD)
    with ctx.uow() as uow:
        session = uow.session
        application = session.get(Application, application_id, with_for_update=True)
        if application is None:
            raise workflow.ApplicationNotFound(application_id)
        require_office(actor, application.office_id)
        state = State(application.state)
        if state != State.REGISTERED:
            raise NotReadyForHandover(state)
        card = session.execute(
            select(Card).where(Card.application_id == application.id, Card.status == PRODUCED)
        ).scalar_one_or_none()
        if card is None:
            raise CardNotFound(application.number)
        if "".join(confirmation.split()).upper() != card.document_number:
            raise HandoverMismatch()
        now = ctx.clock()
        card_lifecycle.supersede_previous(
            session, actor, card, application, now, handed_in=old_card_handed_in
        )
        card.status, card.handed_over_at = HANDED_OVER, now
        workflow.apply(session, actor, application, State.HANDED_OVER, at=now)
        audit.record(
            session, actor, "card.handed_over", "application", application.id,
            {"card": card.id, "document_number": card.document_number}, at=now,
        )  # fmt: skip
        record = CardRecord.of(card)
        uow.commit()
        return record


def cards_of(ctx: Context, actor: Actor, application_id: int) -> list[CardRecord]:
    """Every blank used for an application, oldest first (produced, spoiled, void, ...)."""
    authorize(actor, UseCase.VIEW_APPLICATION)
    with ctx.uow() as uow:
        application = uow.session.get(Application, application_id)
        if application is None:
            raise workflow.ApplicationNotFound(application_id)
        require_office(actor, application.office_id)
        return [
            CardRecord.of(card)
            for card in uow.session.execute(
                select(Card).where(Card.application_id == application_id).order_by(Card.id)
            ).scalars()
        ]
