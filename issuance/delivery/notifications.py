"""Telling the resident what happened to their application, by SMS and by e-mail through the
outbox: submitted, approved, rejected (with the reason), card ready, card revoked.

Each notice is written in the transaction of the change it reports, once per event (its
outbox key names the event and the application, or the card), to the mobile and to the e-mail
address when both are known: one message per channel, each under its own key. Texts are in
Albanian first (the resident's country of residence) and English for those who need it; they
never carry the NID, the document number or any other secret, only the application number the
resident holds on their receipt.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from issuance.db.models import Applicant, Application, Card, Office
from issuance.delivery import outbox
from issuance.delivery.clients import NotificationClient
from issuance.delivery.outbox import Claimed
from issuance.wall_clock import local_time

SMS, EMAIL = "notification.sms", "notification.email"
SUBJECT = "Karta e qëndrimit / Residence card"
# The gateway's limits (contract: notification.yaml).
SMS_MAX, EMAIL_MAX = 480, 10_000

# The events a resident is told of (the first part of every notice's outbox key).
SUBMITTED, APPROVED, REJECTED = "submitted", "approved", "rejected"
CARD_READY, CARD_REVOKED = "card-ready", "card-revoked"

# Why a card was revoked, as the resident reads it (Albanian, English). A death is not told
# to the deceased's phone: no notice for it.
REVOCATION_REASONS: dict[str, tuple[str, str]] = {
    "lost": ("karta u deklarua e humbur", "the card was reported lost"),
    "stolen": ("karta u deklarua e vjedhur", "the card was reported stolen"),
    "permit_revoked": ("leja e qëndrimit u revokua", "the residence permit was revoked"),
    "fraud": ("u gjetën parregullsi", "irregularities were found"),
    "damaged": ("karta u zëvendësua si e dëmtuar", "the card was replaced as damaged"),
    "data_changed": ("të dhënat tuaja ndryshuan", "your details changed"),
}
NOT_TOLD = frozenset({"death"})


def card_ready_text(office_name: str, application_number: str) -> str:
    # Albanian first (the resident's country of residence), English for those who need it.
    return (
        f"Karta juaj e qëndrimit është gati. Tërhiqeni në {office_name} "
        f"(aplikimi {application_number}). / Your residence card is ready for collection "
        f"at {office_name} (application {application_number})."
    )


def submitted_text(office_name: str, application_number: str, on: datetime) -> str:
    day = f"{local_time(on):%d.%m.%Y}"
    return (
        f"Aplikimi juaj {application_number} për kartën e qëndrimit u pranua në {office_name} "
        f"më {day}. Do t'ju njoftojmë për vendimin. / Your residence card application "
        f"{application_number} was received at {office_name} on {day}. We will tell you of "
        "the decision."
    )


def approved_text(office_name: str, application_number: str) -> str:
    return (
        f"Aplikimi juaj {application_number} për kartën e qëndrimit u miratua. Karta po "
        "prodhohet; do t'ju njoftojmë kur të jetë gati. / Your residence card application "
        f"{application_number} was approved. The card is being made; we will tell you when "
        "it is ready."
    )


def rejected_text(office_name: str, application_number: str, reason: str, limit: int) -> str:
    """The refusal with its reason, shortened (never the rest) to fit ``limit`` characters."""
    head = (
        f"Aplikimi juaj {application_number} për kartën e qëndrimit u refuzua; për pyetje "
        f"drejtohuni në {office_name}. / Your residence card application {application_number} "
        f"was refused; for questions, contact {office_name}. Arsyeja / Reason: "
    )
    reason = " ".join(reason.split())
    room = max(limit - len(head), 1)
    if len(reason) > room:
        reason = reason[: max(room - 1, 0)].rstrip() + "…"
    return head + reason


def card_revoked_text(office_name: str, application_number: str, reason: str) -> str:
    sq, en = REVOCATION_REASONS.get(reason, (reason, reason))
    return (
        f"Karta juaj e qëndrimit (aplikimi {application_number}) u revokua: {sq}. Nuk është "
        f"më e vlefshme; për pyetje drejtohuni në {office_name}. / Your residence card "
        f"(application {application_number}) was revoked: {en}. It is no longer valid; for "
        f"questions, contact {office_name}."
    )


def _enqueue(
    session: Session,
    application: Application,
    event: str,
    key: str,
    text: str | tuple[str, str],
    *,
    at: datetime,
) -> int:
    """One message per known channel (``text``: one for both, or the SMS's and the
    e-mail's); returns how many channels the resident is told on."""
    applicant = session.get(Applicant, application.applicant_id)
    if applicant is None:
        return 0
    sms_text, email_text = (text, text) if isinstance(text, str) else text
    base: dict[str, Any] = {"event": event, "application_number": application.number}
    told = 0
    if applicant.mobile:
        payload = {**base, "mobile": applicant.mobile, "text": sms_text[:SMS_MAX]}
        outbox.enqueue(session, SMS, key, payload, at=at)
        told += 1
    if applicant.email:
        payload = {**base, "email": applicant.email, "subject": SUBJECT,
                   "text": email_text[:EMAIL_MAX]}  # fmt: skip
        outbox.enqueue(session, EMAIL, f"{key}:email", payload, at=at)
        told += 1
    return told


def _office_name(session: Session, application: Application) -> str | None:
    office = session.get(Office, application.office_id)
    return office.name if office is not None else None


def enqueue_submitted(session: Session, application: Application, *, at: datetime) -> None:
    office = _office_name(session, application)
    if office is not None:
        text = submitted_text(office, application.number, at)
        _enqueue(session, application, SUBMITTED, f"{SUBMITTED}:{application.number}", text,
                 at=at)  # fmt: skip


def enqueue_approved(session: Session, application: Application, *, at: datetime) -> None:
    office = _office_name(session, application)
    if office is not None:
        text = approved_text(office, application.number)
        _enqueue(session, application, APPROVED, f"{APPROVED}:{application.number}", text,
                 at=at)  # fmt: skip


def enqueue_rejected(
    session: Session, application: Application, reason: str, *, at: datetime
) -> None:
    office = _office_name(session, application)
    if office is not None:
        texts = (
            rejected_text(office, application.number, reason, SMS_MAX),
            rejected_text(office, application.number, reason, EMAIL_MAX),
        )
        _enqueue(session, application, REJECTED, f"{REJECTED}:{application.number}", texts,
                 at=at)  # fmt: skip


def enqueue_card_ready(session: Session, application: Application, *, at: datetime) -> None:
    office = _office_name(session, application)
    if office is not None:
        text = card_ready_text(office, application.number)
        _enqueue(session, application, CARD_READY, f"{CARD_READY}:{application.number}", text,
                 at=at)  # fmt: skip


def enqueue_card_revoked(
    session: Session, application_or_card: Application | Card, reason: str, at: datetime
) -> None:
    """Tell the resident their card was revoked, in the transaction that revokes it: once per
    card (keyed by its document number, which the text never shows). ``reason``: the
    revocation's code (``lost``, ``stolen``, ``permit_revoked``, ``fraud``, …); a death is
    told to nobody."""
    if reason in NOT_TOLD:
        return
    if isinstance(application_or_card, Card):
        application = session.get(Application, application_or_card.application_id)
        card_key = application_or_card.document_number
    else:
        application, card_key = application_or_card, application_or_card.number
    if application is None:
        return
    office = _office_name(session, application)
    if office is not None:
        text = card_revoked_text(office, application.number, reason)
        _enqueue(session, application, CARD_REVOKED, f"{CARD_REVOKED}:{card_key}", text, at=at)


class SmsHandler(outbox.BaseHandler):
    def __init__(self, client: NotificationClient) -> None:
        self._client = client

    def deliver(self, message: Claimed) -> Any:
        p = message.payload
        return self._client.send_sms(p["mobile"], p["text"], message.key).repeated


class EmailHandler(SmsHandler):
    def deliver(self, message: Claimed) -> Any:
        p = message.payload
        return self._client.send_email(p["email"], p["subject"], p["text"], message.key).repeated
